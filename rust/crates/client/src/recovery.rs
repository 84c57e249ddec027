//! The owner's way back after the risk network cursed a lane for a reorganisation past finality:
//! forget the roots the CommitStore holds unblessed (they may cover messages the source no longer
//! has), move its expected sequence number back to the first of them so the committing network
//! commits the canonical messages again, and lift the curse.

use alloy::{primitives::B256, rpc::types::Filter, sol_types::SolEvent};
use ccip_bindings::{arm::ARM, commit_store::CommitStore};
use ccip_protocol::chain_subject;

use crate::{
    client::{ChainRef, Client},
    error::Result,
};

/// What [`Client::reset_lane`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaneReset {
    /// Unblessed roots removed from the CommitStore.
    pub removed_roots: Vec<B256>,
    /// The CommitStore's expected next sequence number, if it was moved back.
    pub min_seq_nr: Option<u64>,
    /// Whether the lane's curse on the destination ARM was lifted.
    pub uncursed: bool,
    /// The transactions sent, in order.
    pub txs: Vec<B256>,
}

impl Client {
    /// Makes lane `source -> dest` live again after a curse: removes the CommitStore's unblessed
    /// roots, sets its next sequence number to the lowest of them, and lifts the curse on the
    /// destination ARM (deployer key). Blessed roots are left alone: a blessed root was checked
    /// against the source by the risk network. The nodes follow on their own: the risk nodes
    /// read the source again from block 0 once the curse is lifted, the committing nodes commit
    /// from the new sequence number.
    pub async fn reset_lane(
        &self,
        dest: impl Into<ChainRef>,
        source: impl Into<ChainRef>,
    ) -> Result<LaneReset> {
        let dest = self.chain_index(&dest.into())?;
        let source = self.chain_index(&source.into())?;
        let lane = self.lane_by_index(source, dest)?;
        let deployer = self.deployer_key()?;
        let provider = self.signing_provider(dest, &deployer)?;
        let reader = self.reader_at(dest);
        let store = CommitStore::new(lane.commit_store, reader);
        let mut reset = LaneReset::default();

        let mut lowest: Option<u64> = None;
        let accepted = self
            .logs(
                dest,
                "CommitStore ReportAccepted logs",
                Filter::new()
                    .address(lane.commit_store)
                    .event_signature(CommitStore::ReportAccepted::SIGNATURE_HASH),
            )
            .await?;
        for log in accepted {
            let event = log.log_decode::<CommitStore::ReportAccepted>()?;
            let (root, min) = (event.inner.data.merkleRoot, event.inner.data.minSeqNr);
            let still = store
                .getMerkleRoot(root)
                .call()
                .await
                .map_err(|e| self.call_error(dest, "CommitStore.getMerkleRoot", e))?;
            if still.is_zero() || self.is_blessed(dest, lane.commit_store, root).await? {
                continue;
            }
            reset.removed_roots.push(root);
            lowest = Some(lowest.map_or(min, |l: u64| l.min(min)));
        }
        let writer = CommitStore::new(lane.commit_store, &provider);
        if !reset.removed_roots.is_empty() {
            let tx = writer
                .resetUnblessedRoots(reset.removed_roots.clone())
                .into_transaction_request();
            let receipt = self
                .transact(
                    dest,
                    &provider,
                    deployer.address(),
                    "CommitStore.resetUnblessedRoots",
                    tx,
                )
                .await?;
            reset.txs.push(receipt.transaction_hash);
        }
        let next = store
            .getExpectedNextSequenceNumber()
            .call()
            .await
            .map_err(|e| self.call_error(dest, "CommitStore.getExpectedNextSequenceNumber", e))?;
        if let Some(min) = lowest.filter(|&min| min < next) {
            let tx = writer.setMinSeqNr(min).into_transaction_request();
            let receipt = self
                .transact(
                    dest,
                    &provider,
                    deployer.address(),
                    "CommitStore.setMinSeqNr",
                    tx,
                )
                .await?;
            reset.txs.push(receipt.transaction_hash);
            reset.min_seq_nr = Some(min);
        }
        let subject = chain_subject(self.chain_at(source).chain_selector);
        let arm = ARM::new(self.chain_at(dest).contracts.arm, reader);
        let cursed = arm
            .isCursed_0(subject)
            .call()
            .await
            .map_err(|e| self.call_error(dest, "ARM.isCursed", e))?;
        if cursed {
            let tx = ARM::new(self.chain_at(dest).contracts.arm, &provider)
                .ownerUncurse(vec![subject])
                .into_transaction_request();
            let receipt = self
                .transact(dest, &provider, deployer.address(), "ARM.ownerUncurse", tx)
                .await?;
            reset.txs.push(receipt.transaction_hash);
            reset.uncursed = true;
        }
        tracing::info!(lane = %format!("{}->{}", self.chain_at(source).name, self.chain_at(dest).name), ?reset, "lane reset");
        Ok(reset)
    }
}
