//! The risk judge: what a node concludes about a lane's committed roots from the leaves it
//! re-derived on the source chain. Pure: no chain, no clock, so every verdict is unit-tested.

use std::collections::BTreeMap;

use alloy::primitives::B256;

use crate::hashing::merkle_root;

/// A root a CommitStore accepted, over sequence numbers `min..=max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Committed {
    /// The merkle root.
    pub root: B256,
    /// First sequence number it covers.
    pub min: u64,
    /// Last sequence number it covers.
    pub max: u64,
}

/// Why a lane must be cursed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The root differs from the one recomputed from the source chain's messages.
    RootMismatch {
        /// The committed root.
        root: Committed,
        /// What the source chain's messages give.
        recomputed: Option<B256>,
    },
    /// The root covers sequence numbers the OnRamp has not issued.
    NeverSent {
        /// The committed root.
        root: Committed,
        /// The OnRamp's next sequence number.
        next: u64,
    },
}

impl Fault {
    /// The reason, as logged with the curse.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::RootMismatch { .. } => "committed root does not match the source chain",
            Self::NeverSent { .. } => "committed root covers messages the source never sent",
        }
    }
}

/// The verdicts on a lane's pending roots.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// Roots that match the source chain: to bless.
    pub bless: Vec<Committed>,
    /// Roots whose messages are not all at finality depth yet: judged again next poll.
    pub waiting: Vec<Committed>,
    /// The first bad root, if any; roots after it are not judged (the lane is cursed).
    pub fault: Option<Fault>,
}

fn leaves_of(root: &Committed, leaves: &BTreeMap<u64, B256>) -> Option<Vec<B256>> {
    (root.min..=root.max)
        .map(|seq| leaves.get(&seq).copied())
        .collect()
}

/// Whether judging `pending` needs the OnRamp's next sequence number: some root covers a
/// sequence number whose message the node has not indexed.
pub fn needs_next_sequence(pending: &[Committed], leaves: &BTreeMap<u64, B256>) -> bool {
    pending.iter().any(|c| leaves_of(c, leaves).is_none())
}

/// Judges `pending` in order against the re-derived `leaves` (sequence number → leaf hash).
/// `next_seq` is the OnRamp's next sequence number, when known: a root reaching it or beyond
/// covers messages never sent. Without it, such roots wait.
pub fn judge(
    pending: Vec<Committed>,
    leaves: &BTreeMap<u64, B256>,
    next_seq: Option<u64>,
) -> Judgement {
    let mut judgement = Judgement::default();
    for committed in pending {
        match leaves_of(&committed, leaves) {
            Some(hashes) => {
                let recomputed = merkle_root(&hashes);
                if recomputed == Some(committed.root) {
                    judgement.bless.push(committed);
                } else {
                    judgement.fault = Some(Fault::RootMismatch {
                        root: committed,
                        recomputed,
                    });
                    break;
                }
            }
            None => match next_seq {
                Some(next) if committed.max >= next => {
                    judgement.fault = Some(Fault::NeverSent {
                        root: committed,
                        next,
                    });
                    break;
                }
                _ => judgement.waiting.push(committed),
            },
        }
    }
    judgement
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: u64) -> BTreeMap<u64, B256> {
        (1..=n)
            .map(|s| (s, B256::with_last_byte(s as u8)))
            .collect()
    }

    fn committed(leaves: &BTreeMap<u64, B256>, min: u64, max: u64) -> Committed {
        let hashes: Vec<B256> = (min..=max).map(|s| leaves[&s]).collect();
        Committed {
            root: merkle_root(&hashes).unwrap_or_default(),
            min,
            max,
        }
    }

    #[test]
    fn matching_roots_are_blessed_in_order() {
        let l = leaves(5);
        let pending = vec![committed(&l, 1, 2), committed(&l, 3, 5)];
        let j = judge(pending.clone(), &l, None);
        assert_eq!(j.bless, pending);
        assert!(j.waiting.is_empty() && j.fault.is_none());
        assert!(!needs_next_sequence(&pending, &l));
    }

    #[test]
    fn a_wrong_root_is_a_fault_and_stops_judging() {
        let l = leaves(4);
        let mut bad = committed(&l, 1, 2);
        bad.root = B256::repeat_byte(0xee);
        let j = judge(vec![bad, committed(&l, 3, 4)], &l, Some(5));
        assert!(j.bless.is_empty() && j.waiting.is_empty());
        assert!(matches!(j.fault, Some(Fault::RootMismatch { root, .. }) if root == bad));
    }

    #[test]
    fn a_root_beyond_the_onramp_is_a_fault_only_once_the_bound_is_known() {
        let l = leaves(2);
        let beyond = Committed {
            root: B256::repeat_byte(1),
            min: 3,
            max: 3,
        };
        assert!(needs_next_sequence(&[beyond], &l));
        let unknown = judge(vec![beyond], &l, None);
        assert_eq!(unknown.waiting, vec![beyond]);
        let j = judge(vec![beyond], &l, Some(3));
        assert_eq!(
            j.fault,
            Some(Fault::NeverSent {
                root: beyond,
                next: 3
            })
        );
        assert_eq!(
            j.fault.map(|f| f.reason()),
            Some("committed root covers messages the source never sent")
        );
    }

    #[test]
    fn a_root_over_sent_but_not_yet_final_messages_waits() {
        let l = leaves(2);
        let later = Committed {
            root: B256::repeat_byte(2),
            min: 3,
            max: 4,
        };
        let j = judge(vec![committed(&l, 1, 2), later], &l, Some(5));
        assert_eq!(j.bless.len(), 1);
        assert_eq!(j.waiting, vec![later]);
        assert!(j.fault.is_none());
    }
}
