//! The transaction manager every off-chain sender uses: it owns the nonce of its key and never
//! leaves a gap, so one failed or stuck transaction cannot wedge the lanes that share the key.
//!
//! - One transaction in flight per key (a lock), so nonces never race between the tasks sharing
//!   it, and a send returns only once its slot is settled.
//! - Simulated first (`eth_estimateGas`): what would revert is refused with its decoded reason and
//!   costs nothing, and no nonce is taken for it.
//! - The nonce is assigned by the manager, not by a provider filler: after any send error, or a
//!   slot it cannot account for, it resyncs from the chain's pending nonce before the next send.
//! - A transaction not mined within [`TxSettings::replace_after`] is replaced with the same nonce
//!   and higher fees; after [`TxSettings::give_up_after`] the send fails and the nonce resyncs.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use alloy::{
    network::TransactionBuilder,
    primitives::{Address, B256},
    providers::{DynProvider, Provider},
    rpc::types::{TransactionReceipt, TransactionRequest},
    signers::local::PrivateKeySigner,
    transports::{RpcError, TransportErrorKind},
};
use tokio::{sync::Mutex, time::Instant};

use ccip_bindings::decode_revert;

use crate::{
    ChainError, Result,
    rpc::{RpcSettings, signing_provider},
};

/// How often a receipt is asked for. Local chains mine in milliseconds; alloy's own watcher polls
/// far slower than that, which would dominate delivery latency.
const RECEIPT_POLL: Duration = Duration::from_millis(2);

/// How the manager sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TxSettings {
    /// Limits of each JSON-RPC request.
    pub rpc: RpcSettings,
    /// A transaction not mined after this long is replaced with higher fees.
    pub replace_after: Duration,
    /// A send not mined after this long fails (and the nonce resyncs).
    pub give_up_after: Duration,
    /// Gas limit = estimate × (100 + this) / 100: the estimate is exact for the state it ran on.
    pub gas_margin_percent: u64,
    /// Fee increase of each replacement (nodes want at least 10 %).
    pub fee_bump_percent: u128,
}

impl Default for TxSettings {
    fn default() -> Self {
        Self {
            rpc: RpcSettings::default(),
            replace_after: Duration::from_secs(5),
            give_up_after: Duration::from_secs(60),
            gas_margin_percent: 20,
            fee_bump_percent: 25,
        }
    }
}

/// Counters of one key's sends, for metrics.
#[derive(Debug, Default)]
pub struct TxStats {
    sent: AtomicU64,
    mined: AtomicU64,
    replaced: AtomicU64,
    resynced: AtomicU64,
    failed: AtomicU64,
    refused: AtomicU64,
    pending: AtomicU64,
}

/// A copy of [`TxStats`] at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TxStatsSnapshot {
    /// Transactions handed to the chain (replacements included).
    pub sent: u64,
    /// Sends that ended with a receipt.
    pub mined: u64,
    /// Replacements of a transaction not mined in time.
    pub replaced: u64,
    /// Times the nonce was re-read from the chain after an error.
    pub resynced: u64,
    /// Sends that failed after taking a nonce (send error, revert on chain, no receipt).
    pub failed: u64,
    /// Sends refused by the simulation (nothing sent).
    pub refused: u64,
    /// Sends waiting for their receipt now (0 or 1).
    pub pending: u64,
}

/// Every live sender's counters in this process, for the metrics endpoint (as a Prometheus
/// client's default registry would hold them). Entries of dropped senders fall out.
static REGISTRY: std::sync::Mutex<Vec<(Address, String, std::sync::Weak<TxStats>)>> =
    std::sync::Mutex::new(Vec::new());

fn register(from: Address, url: &str, stats: &Arc<TxStats>) {
    if let Ok(mut all) = REGISTRY.lock() {
        all.retain(|(.., weak)| weak.strong_count() > 0);
        all.push((from, url.to_owned(), Arc::downgrade(stats)));
    }
}

/// The counters of every sender alive in this process: (key, endpoint, counters).
pub fn all_tx_stats() -> Vec<(Address, String, TxStatsSnapshot)> {
    let Ok(all) = REGISTRY.lock() else {
        return Vec::new();
    };
    all.iter()
        .filter_map(|(from, url, weak)| weak.upgrade().map(|s| (*from, url.clone(), s.snapshot())))
        .collect()
}

impl TxStats {
    fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// The counters now.
    pub fn snapshot(&self) -> TxStatsSnapshot {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        TxStatsSnapshot {
            sent: get(&self.sent),
            mined: get(&self.mined),
            replaced: get(&self.replaced),
            resynced: get(&self.resynced),
            failed: get(&self.failed),
            refused: get(&self.refused),
            pending: get(&self.pending),
        }
    }
}

/// What the manager knows of its key between sends.
#[derive(Debug, Default)]
struct KeyState {
    /// The next nonce to use; `None` after anything that may have moved it unseen.
    next_nonce: Option<u64>,
    chain_id: Option<u64>,
}

/// Sends transactions from one key on one chain (see the module docs).
#[derive(Debug, Clone)]
pub struct TxSender {
    provider: DynProvider,
    url: String,
    from: Address,
    state: Arc<Mutex<KeyState>>,
    settings: TxSettings,
    stats: Arc<TxStats>,
}

impl TxSender {
    /// A sender for `signer` on the chain at `url`, with the default [`TxSettings`].
    pub fn new(url: &str, signer: PrivateKeySigner) -> Result<Self> {
        Self::with_settings(url, signer, TxSettings::default())
    }

    /// A sender with these settings.
    pub fn with_settings(
        url: &str,
        signer: PrivateKeySigner,
        settings: TxSettings,
    ) -> Result<Self> {
        let from = signer.address();
        let stats = Arc::default();
        register(from, url, &stats);
        Ok(Self {
            provider: signing_provider(url, signer, settings.rpc)?,
            url: url.to_owned(),
            from,
            state: Arc::default(),
            settings,
            stats,
        })
    }

    /// The sending address.
    pub fn address(&self) -> Address {
        self.from
    }

    /// The provider (with the wallet), for calls.
    pub fn provider(&self) -> &DynProvider {
        &self.provider
    }

    /// The endpoint.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// This key's counters.
    pub fn stats(&self) -> TxStatsSnapshot {
        self.stats.snapshot()
    }

    fn rpc_error(&self, method: &'static str, e: impl std::fmt::Display) -> ChainError {
        ChainError::Rpc {
            url: self.url.clone(),
            method,
            reason: e.to_string(),
        }
    }

    fn revert_or_rpc(
        &self,
        what: &str,
        method: &'static str,
        e: RpcError<TransportErrorKind>,
    ) -> ChainError {
        match e.as_error_resp().and_then(|r| r.as_revert_data()) {
            Some(data) => ChainError::Reverted {
                url: self.url.clone(),
                what: what.to_owned(),
                reason: decode_revert(&data),
                data,
            },
            None => self.rpc_error(method, e),
        }
    }

    /// Sends `tx` and waits for its receipt; a receipt with status 0 is an error too. A call that
    /// would revert fails here with its reason and costs nothing.
    pub async fn send(&self, what: &str, tx: TransactionRequest) -> Result<TransactionReceipt> {
        let mut tx = tx.with_from(self.from);
        let mut state = self.state.lock().await;

        let estimate = match self.provider.estimate_gas(tx.clone()).await {
            Ok(gas) => gas,
            Err(e) => {
                TxStats::add(&self.stats.refused, 1);
                return Err(self.revert_or_rpc(what, "eth_estimateGas", e));
            }
        };
        let chain_id = match state.chain_id {
            Some(id) => id,
            None => {
                let id = self
                    .provider
                    .get_chain_id()
                    .await
                    .map_err(|e| self.rpc_error("eth_chainId", e))?;
                state.chain_id = Some(id);
                id
            }
        };
        let mut nonce = match state.next_nonce {
            Some(nonce) => nonce,
            None => self.pending_nonce().await?,
        };
        let fees = self
            .provider
            .estimate_eip1559_fees()
            .await
            .map_err(|e| self.rpc_error("eth_feeHistory", e))?;
        let mut max_fee = fees.max_fee_per_gas;
        let mut tip = fees.max_priority_fee_per_gas;
        tx.set_chain_id(chain_id);
        tx.set_nonce(nonce);
        tx.set_gas_limit(estimate.saturating_mul(100 + self.settings.gas_margin_percent) / 100);

        // Settled below, whatever happens: the next send starts from a known nonce.
        state.next_nonce = None;
        TxStats::add(&self.stats.pending, 1);
        let mut outcome = self
            .send_at_nonce(what, tx.clone(), nonce, &mut max_fee, &mut tip)
            .await;
        if matches!(
            &outcome,
            Err(ChainError::Rpc {
                method: "eth_sendTransaction",
                ..
            })
        ) && let Ok(fresh) = self.pending_nonce().await
            && fresh != nonce
        {
            // Refused at send because the slot moved (another holder of the key used it): once
            // more at the chain's nonce, rather than fail a round for it.
            TxStats::add(&self.stats.resynced, 1);
            tracing::info!(url = %self.url, what, stale = nonce, fresh, "nonce resynced from the chain");
            tx.set_nonce(fresh);
            nonce = fresh;
            outcome = self
                .send_at_nonce(what, tx, nonce, &mut max_fee, &mut tip)
                .await;
        }
        self.stats.pending.fetch_sub(1, Ordering::Relaxed);
        match &outcome {
            Ok(_) => {
                state.next_nonce = Some(nonce + 1);
                TxStats::add(&self.stats.mined, 1);
            }
            Err(ChainError::FailedOnChain { .. }) => {
                // Mined with status 0: the nonce is used.
                state.next_nonce = Some(nonce + 1);
                TxStats::add(&self.stats.failed, 1);
            }
            Err(ChainError::Reverted { .. }) => {
                // Refused when sent (a node's own check): nothing holds the slot, but resync
                // rather than trust that.
                TxStats::add(&self.stats.refused, 1);
                TxStats::add(&self.stats.resynced, 1);
            }
            Err(_) => {
                TxStats::add(&self.stats.failed, 1);
                TxStats::add(&self.stats.resynced, 1);
            }
        }
        outcome
    }

    /// The chain's next nonce for this key, counting transactions still in its pool.
    async fn pending_nonce(&self) -> Result<u64> {
        self.provider
            .get_transaction_count(self.from)
            .pending()
            .await
            .map_err(|e| self.rpc_error("eth_getTransactionCount", e))
    }

    async fn mined_nonce(&self) -> Result<u64> {
        self.provider
            .get_transaction_count(self.from)
            .latest()
            .await
            .map_err(|e| self.rpc_error("eth_getTransactionCount", e))
    }

    /// Sends `tx` at `nonce` and keeps it moving until one of its versions is mined.
    async fn send_at_nonce(
        &self,
        what: &str,
        mut tx: TransactionRequest,
        nonce: u64,
        max_fee: &mut u128,
        tip: &mut u128,
    ) -> Result<TransactionReceipt> {
        let started = Instant::now();
        let mut hashes: Vec<B256> = Vec::new();
        loop {
            tx.set_max_fee_per_gas(*max_fee);
            tx.set_max_priority_fee_per_gas(*tip);
            match self.provider.send_transaction(tx.clone()).await {
                Ok(pending) => {
                    TxStats::add(&self.stats.sent, 1);
                    hashes.push(*pending.tx_hash());
                }
                // A replacement the node refuses (underpriced, already known) leaves the earlier
                // versions in play; with none, nothing of ours holds the slot.
                Err(e) if !hashes.is_empty() => {
                    tracing::debug!(url = %self.url, what, nonce, error = %e, "replacement refused");
                }
                Err(e) => return Err(self.revert_or_rpc(what, "eth_sendTransaction", e)),
            }
            let round_end = Instant::now() + self.settings.replace_after;
            while Instant::now() < round_end {
                for hash in &hashes {
                    // A failed poll is retried on the next tick: the transaction is in flight.
                    if let Ok(Some(receipt)) = self.provider.get_transaction_receipt(*hash).await {
                        return self.settled(what, receipt);
                    }
                }
                tokio::time::sleep(RECEIPT_POLL).await;
            }
            if started.elapsed() >= self.settings.give_up_after {
                return Err(ChainError::ReceiptTimeout {
                    url: self.url.clone(),
                    tx: hashes.last().copied().unwrap_or_default(),
                    secs: started.elapsed().as_secs(),
                });
            }
            let mined = self.mined_nonce().await.ok();
            if mined.is_some_and(|mined| mined < nonce)
                && self.pending_nonce().await.is_ok_and(|p| p <= nonce)
            {
                // The chain lost the transactions below this one (a rollback, or a restart from
                // an older state): this one can never be mined. Give the slot up; the next send
                // resyncs from the chain.
                return Err(self.rpc_error(
                    "eth_sendTransaction",
                    format!(
                        "nonce gap below {nonce}: the chain's transactions of {} end earlier",
                        self.from
                    ),
                ));
            }
            if mined.is_some_and(|mined| mined > nonce) {
                // Mined, but not as any version we sent (another holder of the key took it).
                for hash in &hashes {
                    if let Ok(Some(receipt)) = self.provider.get_transaction_receipt(*hash).await {
                        return self.settled(what, receipt);
                    }
                }
                return Err(self.rpc_error(
                    "eth_sendTransaction",
                    format!(
                        "nonce {nonce} was used by another transaction of {}",
                        self.from
                    ),
                ));
            }
            *max_fee = bump(*max_fee, self.settings.fee_bump_percent);
            *tip = bump(*tip, self.settings.fee_bump_percent);
            TxStats::add(&self.stats.replaced, 1);
            tracing::warn!(url = %self.url, what, nonce, max_fee = *max_fee, "not mined in time; replacing with higher fees");
        }
    }

    fn settled(&self, what: &str, receipt: TransactionReceipt) -> Result<TransactionReceipt> {
        if receipt.status() {
            return Ok(receipt);
        }
        Err(ChainError::FailedOnChain {
            url: self.url.clone(),
            what: what.to_owned(),
            tx: receipt.transaction_hash,
        })
    }
}

/// `value` raised by `percent`, and by at least 1.
fn bump(value: u128, percent: u128) -> u128 {
    value
        .saturating_add(value.saturating_mul(percent) / 100)
        .max(value.saturating_add(1))
}

#[cfg(test)]
mod tests {
    use super::bump;

    #[test]
    fn bumps_are_at_least_one_and_saturate() {
        assert_eq!(bump(100, 25), 125);
        assert_eq!(bump(0, 25), 1);
        assert_eq!(bump(3, 10), 4);
        assert_eq!(bump(u128::MAX, 25), u128::MAX);
    }
}
