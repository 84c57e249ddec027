//! The key of a lane: the pair of chain selectors it joins.

/// A lane: (source chain selector, destination chain selector).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LaneKey {
    /// Source chain selector.
    pub source: u64,
    /// Destination chain selector.
    pub dest: u64,
}

impl std::fmt::Display for LaneKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}->{}", self.source, self.dest)
    }
}
