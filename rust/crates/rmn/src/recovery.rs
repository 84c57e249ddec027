//! A risk node following the owner's recovery of a lane (`ccip lane reset`): roots the
//! CommitStore forgot are forgotten here too, and once the owner lifts a curse this node cast,
//! the lane is judged afresh; a source chain that had reorganised past finality is read again
//! from block 0, so the node's view is the chain's canonical history.

use alloy::primitives::{B256, FixedBytes};
use tracing::{info, warn};

use crate::{node::Node, node::chain_subject};

/// `ARM.GLOBAL_CURSE_SUBJECT`.
const GLOBAL_SUBJECT: FixedBytes<16> =
    FixedBytes([0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01]);

impl Node {
    /// The CommitStore of lane `l` removed `root` (an owner's `resetUnblessedRoots`).
    pub(crate) fn root_removed(&mut self, l: usize, root: B256) {
        let lane = &mut self.lanes[l];
        lane.pending.retain(|c| c.root != root);
        if let Some(set) = self.to_bless.get_mut(&lane.dest) {
            set.retain(|(_, _, r)| *r != root);
        }
        info!(lane = %lane.name, %root, "root removed by the owner");
    }

    /// The owner lifted the curse on `subject` on the ARM of chain `c`.
    pub(crate) fn curse_lifted(&mut self, c: usize, subject: FixedBytes<16>) {
        let lifted: Vec<usize> = (0..self.lanes.len())
            .filter(|&l| {
                let lane = &self.lanes[l];
                lane.dest == c
                    && lane.condemned
                    && (subject == GLOBAL_SUBJECT
                        || subject == chain_subject(self.chains[lane.source].selector))
            })
            .collect();
        for l in lifted {
            let source = self.lanes[l].source;
            self.lanes[l].condemned = false;
            if let Some(set) = self.to_curse.get_mut(&c) {
                set.remove(&subject);
            }
            warn!(lane = %self.lanes[l].name, %subject, "the owner lifted the curse; judging the lane afresh");
            if self.chains[source].reorged {
                self.reread_chain(source);
            }
        }
    }

    /// Drops everything read from chain `c`'s source side and reads it again from block 0.
    fn reread_chain(&mut self, c: usize) {
        let chain = &mut self.chains[c];
        chain.cursor = None;
        chain.checkpoint = None;
        chain.reorged = false;
        let selector = chain.selector;
        info!(chain = %chain.name, "reading the chain again from block 0 after its reorganisation");
        self.ledger.forget_chain(selector);
        for lane in self.lanes.iter_mut().filter(|lane| lane.source == c) {
            lane.leaves.clear();
            lane.volume = Default::default();
        }
    }
}
