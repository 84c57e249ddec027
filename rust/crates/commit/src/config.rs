use std::time::Duration;

use ccip_chain::StreamConfig;

/// How a node behaves. Everything but `Honest` exists to prove that the network tolerates `f`
/// faulty nodes, and can only be configured with the crate's `testing` feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Behaviour {
    /// Follows the protocol.
    #[default]
    Honest,
    /// Never answers and never leads: a crashed or partitioned node.
    Silent,
    /// Answers every request with a signature over garbage, and as leader proposes roots the
    /// source never produced.
    SignGarbage,
}

/// A node's behaviour that can be changed while it runs (`ccip behave`, with `testing`).
#[derive(Debug, Default)]
pub struct BehaviourCell(std::sync::atomic::AtomicU8);

impl BehaviourCell {
    /// A cell holding `behaviour`.
    pub fn new(behaviour: Behaviour) -> Self {
        let cell = Self::default();
        cell.set(behaviour);
        cell
    }

    /// The behaviour now.
    pub fn get(&self) -> Behaviour {
        match self.0.load(std::sync::atomic::Ordering::Relaxed) {
            1 => Behaviour::Silent,
            2 => Behaviour::SignGarbage,
            _ => Behaviour::Honest,
        }
    }

    /// Changes it.
    pub fn set(&self, behaviour: Behaviour) {
        let code = match behaviour {
            Behaviour::Honest => 0,
            Behaviour::Silent => 1,
            Behaviour::SignGarbage => 2,
        };
        self.0.store(code, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Settings of the committing network.
#[derive(Debug, Clone)]
pub struct CommitConfig {
    /// How often each node looks at the chains.
    pub poll_interval: Duration,
    /// Confirmation depth and page size of the source log streams.
    pub stream: StreamConfig,
    /// At most this many messages per committed interval (the OffRamp proves at most 256 leaves).
    pub max_interval: u64,
    /// A leader proposes at once when this many messages are pending...
    pub batch_size: u64,
    /// ...or when the oldest pending message has waited this long.
    pub batch_wait: Duration,
    /// When the expected leader has not committed after this long, the next node leads.
    pub leader_timeout: Duration,
    /// How long a leader waits for its followers' signatures.
    pub signature_timeout: Duration,
    /// Price update policy.
    pub prices: PriceConfig,
    /// Behaviour of node `i` (missing entries are honest). Fault injection: `testing` only.
    #[cfg(feature = "testing")]
    pub behaviours: Vec<Behaviour>,
}

impl Default for CommitConfig {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_millis(20),
            stream: StreamConfig::default(),
            max_interval: 256,
            batch_size: 256,
            batch_wait: Duration::ZERO,
            leader_timeout: Duration::from_secs(2),
            signature_timeout: Duration::from_secs(2),
            prices: PriceConfig::default(),
            #[cfg(feature = "testing")]
            behaviours: Vec::new(),
        }
    }
}

impl CommitConfig {
    /// The behaviour of node `index` (always honest without the `testing` feature).
    pub fn behaviour(&self, index: usize) -> Behaviour {
        #[cfg(feature = "testing")]
        return self.behaviours.get(index).copied().unwrap_or_default();
        #[cfg(not(feature = "testing"))]
        {
            let _ = index;
            Behaviour::Honest
        }
    }
}

/// When prices go on chain, and how far a follower lets a leader's price stray from its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceConfig {
    /// A price moved by more than this (parts per billion) since it was written is pushed.
    pub deviation_ppb: u64,
    /// A price older than this is pushed even if it did not move.
    pub heartbeat: Duration,
    /// How often the leader checks whether prices are due.
    pub check_interval: Duration,
}

impl Default for PriceConfig {
    fn default() -> Self {
        Self {
            deviation_ppb: 100_000_000,
            heartbeat: Duration::from_secs(600),
            check_interval: Duration::from_secs(1),
        }
    }
}
