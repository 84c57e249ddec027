use std::{sync::Arc, time::Duration};

use alloy::{
    network::TransactionBuilder,
    primitives::Address,
    providers::{DynProvider, Provider, ProviderBuilder},
    rpc::types::{TransactionReceipt, TransactionRequest},
    signers::local::PrivateKeySigner,
    transports::http::reqwest::Url,
};
use tokio::{sync::Mutex, time::Instant};

use ccip_bindings::decode_revert;

use crate::{ChainError, Result};

/// How often a receipt is asked for. Local chains mine in milliseconds; alloy's own watcher polls
/// far slower than that, which would dominate delivery latency.
const RECEIPT_POLL: Duration = Duration::from_millis(2);

fn parse_url(url: &str) -> Result<Url> {
    url.parse::<Url>().map_err(|e| ChainError::Rpc {
        url: url.to_owned(),
        method: "connect",
        reason: e.to_string(),
    })
}

/// A read-only HTTP provider.
pub fn http_provider(url: &str) -> Result<DynProvider> {
    Ok(ProviderBuilder::new()
        .connect_http(parse_url(url)?)
        .erased())
}

/// Sends transactions from one key on one chain, one at a time (so nonces never race between the
/// tasks sharing the key), and waits for each receipt with a short poll.
#[derive(Debug, Clone)]
pub struct TxSender {
    provider: DynProvider,
    url: String,
    from: Address,
    lock: Arc<Mutex<()>>,
    timeout: Duration,
}

impl TxSender {
    /// A sender for `signer` on the chain at `url`.
    pub fn new(url: &str, signer: PrivateKeySigner) -> Result<Self> {
        let from = signer.address();
        let provider = ProviderBuilder::new()
            .wallet(signer)
            .connect_http(parse_url(url)?)
            .erased();
        Ok(Self {
            provider,
            url: url.to_owned(),
            from,
            lock: Arc::new(Mutex::new(())),
            timeout: Duration::from_secs(60),
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

    /// Sends `tx` (gas estimated, so a call that would revert fails here with its reason and
    /// costs nothing) and waits for its receipt; a receipt with status 0 is an error too.
    pub async fn send(&self, what: &str, tx: TransactionRequest) -> Result<TransactionReceipt> {
        let tx = tx.with_from(self.from);
        let _turn = self.lock.lock().await;
        let pending = self.provider.send_transaction(tx).await.map_err(|e| {
            let reason = e
                .as_error_resp()
                .and_then(|r| r.as_revert_data())
                .map(|d| decode_revert(&d))
                .unwrap_or_else(|| e.to_string());
            ChainError::Reverted {
                url: self.url.clone(),
                what: what.to_owned(),
                reason,
            }
        })?;
        let hash = *pending.tx_hash();
        let deadline = Instant::now() + self.timeout;
        loop {
            let receipt = self
                .provider
                .get_transaction_receipt(hash)
                .await
                .map_err(|e| ChainError::Rpc {
                    url: self.url.clone(),
                    method: "eth_getTransactionReceipt",
                    reason: e.to_string(),
                })?;
            if let Some(receipt) = receipt {
                if !receipt.status() {
                    return Err(ChainError::Reverted {
                        url: self.url.clone(),
                        what: what.to_owned(),
                        reason: format!("transaction {hash} failed on chain"),
                    });
                }
                return Ok(receipt);
            }
            if Instant::now() >= deadline {
                return Err(ChainError::ReceiptTimeout {
                    url: self.url.clone(),
                    tx: hash,
                    secs: self.timeout.as_secs(),
                });
            }
            tokio::time::sleep(RECEIPT_POLL).await;
        }
    }
}
