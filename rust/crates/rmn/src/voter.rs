//! A risk node's votes: `voteToCurse` and `voteToBless` batches per destination ARM, after asking
//! the ARM what is already cursed, blessed or voted by this voter (so restarts never double-vote).

use alloy::providers::Provider;
use ccip_bindings::arm::{ARM, IARM::TaggedRoot};
use tracing::{debug, info, warn};

use crate::{RmnError, metrics::RmnMetrics, node::Node, reader::rpc};

impl Node {
    /// This node's voter index in the ARM config of chain `d`, if it is a (bless, curse) voter.
    async fn voter_index(&self, d: usize) -> Result<(Option<u8>, Option<u8>), RmnError> {
        let chain = &self.chains[d];
        let details = ARM::new(chain.arm, &chain.provider)
            .getConfigDetails()
            .call()
            .await
            .map_err(|e| rpc(&chain.name, "ARM.getConfigDetails")(e.to_string()))?;
        let voters = &details.config.voters;
        let bless = voters
            .iter()
            .position(|v| v.blessVoteAddr == self.me && v.blessWeight > 0)
            .map(|i| i as u8);
        let curse = voters
            .iter()
            .position(|v| v.curseVoteAddr == self.me && v.curseWeight > 0)
            .map(|i| i as u8);
        Ok((bless, curse))
    }

    pub(crate) async fn vote_curses(&mut self, d: usize) -> Result<(), RmnError> {
        let Some(subjects) = self.to_curse.get(&d).filter(|s| !s.is_empty()).cloned() else {
            return Ok(());
        };
        let chain = &self.chains[d];
        let arm = ARM::new(chain.arm, &chain.provider);
        let (_, index) = self.voter_index(d).await?;
        let Some(index) = index else {
            warn!(chain = %chain.name, voter = %self.me, "not a curse voter on this ARM; dropping curse votes");
            self.to_curse.remove(&d);
            return Ok(());
        };
        let mut to_send = Vec::new();
        for subject in subjects {
            let progress = arm
                .getCurseProgress(subject)
                .call()
                .await
                .map_err(|e| rpc(&chain.name, "ARM.getCurseProgress")(e.to_string()))?;
            if progress.cursed || progress.votersBitmap & (1 << index) != 0 {
                if let Some(set) = self.to_curse.get_mut(&d) {
                    set.remove(&subject);
                }
            } else {
                to_send.push(subject);
            }
        }
        if to_send.is_empty() {
            return Ok(());
        }
        match send(arm.voteToCurse(to_send.clone())).await {
            Ok(()) => {
                for subject in &to_send {
                    RmnMetrics::inc(&self.metrics.curse_votes);
                    info!(chain = %chain.name, %subject, "voted to curse");
                    if let Some(set) = self.to_curse.get_mut(&d) {
                        set.remove(subject);
                    }
                }
            }
            Err(e) => {
                RmnMetrics::inc(&self.metrics.tx_errors);
                warn!(chain = %chain.name, error = %e, "voteToCurse failed, retrying next poll");
            }
        }
        Ok(())
    }

    pub(crate) async fn vote_blessings(&mut self, d: usize) -> Result<(), RmnError> {
        let Some(roots) = self.to_bless.get(&d).filter(|s| !s.is_empty()).cloned() else {
            return Ok(());
        };
        let chain = &self.chains[d];
        let arm = ARM::new(chain.arm, &chain.provider);
        let (index, _) = self.voter_index(d).await?;
        let Some(index) = index else {
            warn!(chain = %chain.name, voter = %self.me, "not a bless voter on this ARM; dropping bless votes");
            self.to_bless.remove(&d);
            return Ok(());
        };
        let mut to_send = Vec::new();
        let mut done = Vec::new();
        for entry @ (l, commit_store, root) in roots {
            if self.lanes[l].condemned {
                done.push(entry);
                continue;
            }
            let tagged = TaggedRoot {
                commitStore: commit_store,
                root,
            };
            let progress = arm
                .getBlessVoteProgress(tagged.clone())
                .call()
                .await
                .map_err(|e| rpc(&chain.name, "ARM.getBlessVoteProgress")(e.to_string()))?;
            if progress.blessed || progress.votersBitmap & (1 << index) != 0 {
                done.push(entry);
            } else {
                to_send.push((entry, tagged));
            }
        }
        // voteToBless reverts while the ARM is globally cursed: wait for the owner to lift it.
        let globally_cursed = if to_send.is_empty() {
            false
        } else {
            arm.isCursed_1()
                .call()
                .await
                .map_err(|e| rpc(&chain.name, "ARM.isCursed")(e.to_string()))?
        };
        if globally_cursed {
            debug!(chain = %chain.name, "globally cursed; holding bless votes");
        } else if !to_send.is_empty() {
            let tagged: Vec<TaggedRoot> = to_send.iter().map(|(_, t)| t.clone()).collect();
            match send(arm.voteToBless(tagged)).await {
                Ok(()) => {
                    for (entry, _) in to_send {
                        RmnMetrics::inc(&self.metrics.bless_votes);
                        info!(lane = %self.lanes[entry.0].name, root = %entry.2, "voted to bless");
                        done.push(entry);
                    }
                }
                Err(e) => {
                    RmnMetrics::inc(&self.metrics.tx_errors);
                    warn!(chain = %chain.name, error = %e, "voteToBless failed, retrying next poll");
                }
            }
        }
        if let Some(set) = self.to_bless.get_mut(&d) {
            for entry in done {
                set.remove(&entry);
            }
        }
        Ok(())
    }
}

/// How often a vote's receipt is asked for. alloy's own watcher polls local chains every 250 ms,
/// which would hold every blessing back by that much.
const RECEIPT_POLL: std::time::Duration = std::time::Duration::from_millis(2);
/// A vote without a receipt after this long is an error, retried next poll (the ARM's vote
/// records say whether it landed after all, and the next send takes the pending nonce).
const RECEIPT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Sends a call and waits for a successful receipt.
async fn send<P, D>(call: alloy::contract::CallBuilder<P, D>) -> Result<(), String>
where
    P: Provider,
    D: alloy::contract::CallDecoder,
{
    let pending = call.send().await.map_err(|e| e.to_string())?;
    let hash = *pending.tx_hash();
    let provider = pending.provider().clone();
    let deadline = tokio::time::Instant::now() + RECEIPT_TIMEOUT;
    loop {
        let receipt = provider
            .get_transaction_receipt(hash)
            .await
            .map_err(|e| e.to_string())?;
        if let Some(receipt) = receipt {
            return if receipt.status() {
                Ok(())
            } else {
                Err(format!("transaction {hash} reverted"))
            };
        }
        if tokio::time::Instant::now() > deadline {
            return Err(format!("no receipt for {hash} after {RECEIPT_TIMEOUT:?}"));
        }
        tokio::time::sleep(RECEIPT_POLL).await;
    }
}
