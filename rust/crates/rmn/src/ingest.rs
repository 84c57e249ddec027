//! A risk node's bookkeeping of what it reads: messages re-hashed into leaves, accepted roots,
//! burns/locks and mints/releases in the supply ledger, outbound value in the volume window.

use std::collections::{BTreeMap, HashMap};

use alloy::{
    primitives::{Address, U256},
    rpc::types::Log,
    sol_types::SolEvent,
};
use ccip_bindings::{
    arm::ARM, burn_mint_token_pool::BurnMintTokenPool as Pool, commit_store::CommitStore,
    on_ramp::OnRamp, price_registry::PriceRegistry,
};
use tracing::{debug, error, info, warn};

use crate::{
    RmnError,
    hashing::leaf_hash,
    judge::Committed,
    metrics::RmnMetrics,
    node::Node,
    reader::rpc,
    supply::{SupplyKey, add, convert_decimals},
    volume::usd_value,
};

/// What applying a chain's logs needs besides the logs, fetched before anything is applied.
#[derive(Default)]
pub(crate) struct Prefetched {
    prices: HashMap<Address, U256>,
    timestamps: HashMap<u64, u64>,
}

impl Node {
    /// Applies destination-side logs (mined) of chain `c`: each accepted root waits to be judged;
    /// the owner's root resets and curse lifts go to [`Node::root_removed`] and
    /// [`Node::curse_lifted`].
    pub(crate) fn apply_dest_logs(&mut self, c: usize, logs: &[Log]) {
        for log in logs {
            let address = log.address();
            let Some(&topic) = log.topic0() else {
                continue;
            };
            if topic == ARM::CurseLifted::SIGNATURE_HASH && address == self.chains[c].arm {
                if let Ok(event) = log.log_decode::<ARM::CurseLifted>() {
                    let historic = self.chains[c]
                        .history_until
                        .is_some_and(|h| log.block_number.is_some_and(|b| b <= h));
                    if !historic {
                        self.curse_lifted(c, event.inner.data.subject);
                    }
                }
                continue;
            }
            let Some(l) = self
                .lanes
                .iter()
                .position(|l| l.dest == c && l.commit_store == address)
            else {
                continue;
            };
            if topic == CommitStore::RootRemoved::SIGNATURE_HASH {
                if let Ok(event) = log.log_decode::<CommitStore::RootRemoved>() {
                    self.root_removed(l, event.inner.data.root);
                }
                continue;
            }
            if topic != CommitStore::ReportAccepted::SIGNATURE_HASH {
                continue;
            }
            match log.log_decode::<CommitStore::ReportAccepted>() {
                Ok(event) => {
                    let e = &event.inner.data;
                    // Read again after a rollback: once is enough.
                    if self.lanes[l].pending.iter().any(|p| p.root == e.merkleRoot) {
                        continue;
                    }
                    RmnMetrics::inc(&self.metrics.roots_seen);
                    info!(lane = %self.lanes[l].name, root = %e.merkleRoot, min = e.minSeqNr, max = e.maxSeqNr, "root committed");
                    self.lanes[l].pending.push(Committed {
                        root: e.merkleRoot,
                        min: e.minSeqNr,
                        max: e.maxSeqNr,
                    });
                }
                Err(e) => {
                    warn!(lane = %self.lanes[l].name, error = %e, "undecodable ReportAccepted")
                }
            }
        }
    }

    /// Everything applying `logs` needs from the chain besides the logs: token addresses of unknown
    /// pools, token prices and block timestamps of messages with tokens. Fetched first so that a
    /// failure leaves the node's state untouched.
    pub(crate) async fn prefetch(
        &mut self,
        c: usize,
        logs: &[Log],
    ) -> Result<Prefetched, RmnError> {
        let chain = &self.chains[c];
        let mut context = Prefetched::default();
        for log in logs {
            if log.topic0() != Some(&OnRamp::CCIPSendRequested::SIGNATURE_HASH) {
                continue;
            }
            let Ok(event) = log.log_decode::<OnRamp::CCIPSendRequested>() else {
                continue;
            };
            let message = &event.inner.data.message;
            if message.tokenAmounts.is_empty() {
                continue;
            }
            for transfer in &message.tokenAmounts {
                let pool = transfer.sourcePoolAddress;
                let token = match self.pool_tokens.get(&(c, pool)) {
                    Some(&token) => token,
                    None => {
                        let token = Pool::new(pool, &chain.provider)
                            .getToken()
                            .call()
                            .await
                            .map_err(|e| rpc(&chain.name, "TokenPool.getToken")(e.to_string()))?;
                        self.pool_tokens.insert((c, pool), token);
                        token
                    }
                };
                if let std::collections::hash_map::Entry::Vacant(slot) = context.prices.entry(token)
                {
                    let price = PriceRegistry::new(chain.price_registry, &chain.provider)
                        .getTokenPrice(token)
                        .call()
                        .await
                        .map_err(|e| {
                            rpc(&chain.name, "PriceRegistry.getTokenPrice")(e.to_string())
                        })?;
                    slot.insert(U256::from(price.value));
                }
            }
            let Some(block) = log.block_number else {
                continue;
            };
            if log.block_timestamp.is_none() && !context.timestamps.contains_key(&block) {
                let timestamp = chain.block_timestamp(block).await?;
                context.timestamps.insert(block, timestamp);
            }
        }
        Ok(context)
    }

    /// Applies OnRamp and pool logs (at finality depth) of chain `c`.
    pub(crate) fn apply_source_logs(&mut self, c: usize, logs: &[Log], context: &Prefetched) {
        let selector = self.chains[c].selector;
        for log in logs {
            let address = log.address();
            let Some(&topic) = log.topic0() else {
                continue;
            };
            if topic == OnRamp::CCIPSendRequested::SIGNATURE_HASH {
                let Some(l) = self
                    .lanes
                    .iter()
                    .position(|l| l.source == c && l.on_ramp == address)
                else {
                    continue;
                };
                match log.log_decode::<OnRamp::CCIPSendRequested>() {
                    Ok(event) => {
                        let timestamp = log
                            .block_timestamp
                            .or_else(|| {
                                log.block_number
                                    .and_then(|b| context.timestamps.get(&b).copied())
                            })
                            .unwrap_or_default();
                        self.index_message(c, l, &event.inner.data.message, timestamp, context);
                    }
                    Err(e) => {
                        warn!(lane = %self.lanes[l].name, error = %e, "undecodable CCIPSendRequested")
                    }
                }
            } else if let Some(token) = self.chains[c].pools.get(&address).cloned() {
                // (remote, amount, outbound?)
                let decoded = if topic == Pool::Burned::SIGNATURE_HASH {
                    log.log_decode::<Pool::Burned>()
                        .ok()
                        .map(|e| (e.inner.data.remoteChainSelector, e.inner.data.amount, true))
                } else if topic == Pool::Locked::SIGNATURE_HASH {
                    log.log_decode::<Pool::Locked>()
                        .ok()
                        .map(|e| (e.inner.data.remoteChainSelector, e.inner.data.amount, true))
                } else if topic == Pool::Minted::SIGNATURE_HASH {
                    log.log_decode::<Pool::Minted>()
                        .ok()
                        .map(|e| (e.inner.data.remoteChainSelector, e.inner.data.amount, false))
                } else if topic == Pool::Released::SIGNATURE_HASH {
                    log.log_decode::<Pool::Released>()
                        .ok()
                        .map(|e| (e.inner.data.remoteChainSelector, e.inner.data.amount, false))
                } else {
                    None
                };
                let Some((remote, amount, outbound)) = decoded else {
                    continue;
                };
                if outbound {
                    if let Some((key, amount)) = self.sent_key(selector, remote, &token, amount) {
                        self.ledger.record_sent(key, amount);
                    }
                } else {
                    let key = SupplyKey {
                        source: remote,
                        dest: selector,
                        token,
                    };
                    self.ledger.record_received(key, amount);
                }
            }
        }
    }

    /// The ledger key and destination-unit amount of a burn or lock on `source` toward `dest`;
    /// `None` when the destination has no such token (nothing can be minted for it there).
    fn sent_key(
        &self,
        source: u64,
        dest: u64,
        token: &str,
        amount: U256,
    ) -> Option<(SupplyKey, U256)> {
        let from = *self.decimals.get(&(source, token.to_owned()))?;
        let to = *self.decimals.get(&(dest, token.to_owned()))?;
        Some((
            SupplyKey {
                source,
                dest,
                token: token.to_owned(),
            },
            convert_decimals(amount, from, to),
        ))
    }

    fn index_message(
        &mut self,
        c: usize,
        l: usize,
        message: &ccip_bindings::on_ramp::Internal::EVM2EVMMessage,
        timestamp: u64,
        context: &Prefetched,
    ) {
        let lane = &mut self.lanes[l];
        let leaf = leaf_hash(message, lane.metadata_hash);
        if leaf != message.messageId {
            warn!(lane = %lane.name, seq = message.sequenceNumber, message_id = %message.messageId, recomputed = %leaf, "OnRamp message id differs from the recomputed leaf");
        }
        debug!(lane = %lane.name, seq = message.sequenceNumber, message_id = %leaf, "message indexed");
        lane.leaves.insert(message.sequenceNumber, leaf);
        RmnMetrics::inc(&self.metrics.messages_indexed);

        let Some(limit) = self.settings.volume_limit_usd else {
            return;
        };
        let mut usd = U256::ZERO;
        for transfer in &message.tokenAmounts {
            let price = self
                .pool_tokens
                .get(&(c, transfer.sourcePoolAddress))
                .and_then(|token| context.prices.get(token))
                .copied()
                .unwrap_or_default();
            usd = usd.saturating_add(usd_value(transfer.amount, price));
        }
        if usd.is_zero() {
            return;
        }
        let total = lane
            .volume
            .record(timestamp, usd, self.settings.volume_window.as_secs());
        if total > limit {
            RmnMetrics::inc(&self.metrics.volume_violations);
            let name = lane.name.clone();
            error!(lane = %name, message_id = %leaf, total_usd = %total, limit_usd = %limit, "outbound volume above the limit");
            self.condemn(l, "outbound volume above the limit");
        }
    }

    /// Burns and locks above the finality depth on every chain, re-read every poll. `None` when a
    /// chain could not be read this poll: the supply check then waits, since a missing burn would
    /// look like a mint without one.
    pub(crate) async fn unconfirmed_sends(&mut self) -> Option<BTreeMap<SupplyKey, U256>> {
        let mut tail = BTreeMap::new();
        if self.settings.confirmations == 0 {
            // Everything read is final: no tail to read, only whether every chain was read.
            let read = self
                .chains
                .iter()
                .all(|c| !c.resting() && c.cursor.is_some());
            return read.then_some(tail);
        }
        let topics = [Pool::Burned::SIGNATURE_HASH, Pool::Locked::SIGNATURE_HASH];
        for c in 0..self.chains.len() {
            let chain = &self.chains[c];
            if chain.resting() {
                return None;
            }
            let cursor = chain.cursor?;
            let read = async {
                let head = chain.head().await?;
                if head <= cursor {
                    return Ok(Vec::new());
                }
                chain
                    .logs(
                        &chain.source_side,
                        cursor + 1,
                        head,
                        Some(&topics),
                        self.settings.max_log_range,
                    )
                    .await
            };
            let logs = match read.await {
                Ok(logs) => logs,
                Err(e) => {
                    self.rpc_failed(c, &e);
                    return None;
                }
            };
            let chain = &self.chains[c];
            for log in logs {
                let Some(token) = chain.pools.get(&log.address()) else {
                    continue;
                };
                let decoded = log
                    .log_decode::<Pool::Burned>()
                    .map(|e| (e.inner.data.remoteChainSelector, e.inner.data.amount))
                    .or_else(|_| {
                        log.log_decode::<Pool::Locked>()
                            .map(|e| (e.inner.data.remoteChainSelector, e.inner.data.amount))
                    });
                if let Ok((remote, amount)) = decoded
                    && let Some((key, amount)) =
                        self.sent_key(chain.selector, remote, token, amount)
                {
                    add(&mut tail, key, amount);
                }
            }
        }
        Some(tail)
    }

    pub(crate) fn check_supply(&mut self, tail: &BTreeMap<SupplyKey, U256>) {
        for violation in self.ledger.violations(tail) {
            let key = &violation.key;
            let Some(l) = self.lanes.iter().position(|l| {
                self.chains[l.source].selector == key.source
                    && self.chains[l.dest].selector == key.dest
            }) else {
                continue;
            };
            if self.lanes[l].condemned {
                continue;
            }
            RmnMetrics::inc(&self.metrics.supply_violations);
            error!(lane = %self.lanes[l].name, token = %key.token, sent = %violation.sent, received = %violation.received, "supply invariant broken: more minted or released than burned or locked");
            self.condemn(l, "supply invariant broken");
        }
    }
}
