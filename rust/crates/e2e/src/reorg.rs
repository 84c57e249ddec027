//! Reorganising an anvil chain in tests: a replacement for a send (same sender and nonce, so the
//! reorganised-away send cannot come back from anvil's pool), the reorganisation itself, and a
//! miner that keeps every chain producing blocks (confirmation depths need blocks on top).

use std::time::Duration;

use alloy::{
    consensus::Transaction as _,
    eips::Encodable2718,
    network::{EthereumWallet, NetworkTransactionBuilder, TransactionBuilder},
    primitives::{B256, Bytes},
    providers::{Provider, ProviderBuilder, ext::AnvilApi},
    rpc::types::{
        TransactionRequest,
        anvil::{ReorgOptions, TransactionData},
    },
    signers::local::PrivateKeySigner,
};
use eyre::{Result, eyre};
use tokio::{sync::watch, task::JoinHandle};

use crate::Harness;

/// A signed transfer from test account 0 of chain `chain` with the nonce of its transaction
/// `tx`: put in the reorganised chain, it takes that transaction's slot for good.
pub async fn replacement(h: &Harness, chain: usize, tx: B256) -> Result<Bytes> {
    let deployment = &h.network().chains[chain];
    let provider = ProviderBuilder::new().connect_http(deployment.rpc_url.parse()?);
    let sent = provider
        .get_transaction_by_hash(tx)
        .await?
        .ok_or_else(|| eyre!("transaction {tx} not found"))?;
    let account = &deployment.accounts[0];
    let wallet = EthereumWallet::from(account.private_key.parse::<PrivateKeySigner>()?);
    let signed = TransactionRequest::default()
        .with_from(account.address)
        .with_to(account.address)
        .with_nonce(sent.nonce())
        .with_chain_id(deployment.chain_id)
        .with_gas_limit(21_000)
        .with_max_fee_per_gas(100_000_000_000)
        .with_max_priority_fee_per_gas(1_000_000_000)
        .build(&wallet)
        .await?;
    Ok(signed.encoded_2718().into())
}

/// Replaces the last `depth` blocks of the chain at `url` with one holding `raw` (anvil's
/// `anvil_reorg`), with automining held while it happens.
pub async fn reorg(url: &str, depth: u64, raw: Bytes) -> Result<()> {
    let provider = ProviderBuilder::new().connect_http(url.parse()?);
    provider
        .anvil_reorg(ReorgOptions {
            depth,
            tx_block_pairs: vec![(TransactionData::Raw(raw), 0)],
        })
        .await?;
    provider.anvil_set_auto_mine(true).await?;
    Ok(())
}

/// Mines a block on every chain every 100 ms, except while `paused` holds `true`.
pub fn spawn_miner(urls: Vec<String>, paused: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if !*paused.borrow() {
                for url in &urls {
                    if let Ok(url) = url.parse() {
                        let _ = ProviderBuilder::new()
                            .connect_http(url)
                            .anvil_mine(Some(1), None)
                            .await;
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
}
