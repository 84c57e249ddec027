//! Sending a chain's planned transactions: fund the deployer on anvil, sign every transaction
//! locally with an explicit nonce, gas limit and fee, send them back to back, then check every
//! receipt (status and deployed address).

use std::time::{Duration, Instant};

use alloy::{
    network::{EthereumWallet, TransactionBuilder},
    primitives::{Address, TxHash, U256},
    providers::{Provider, ProviderBuilder, ext::AnvilApi},
    rpc::types::TransactionRequest,
    signers::local::PrivateKeySigner,
    transports::TransportError,
};
use futures::future::try_join_all;
use tracing::{debug, info};

use ccip_core::Keys;

use crate::{
    chains::Chain,
    error::DeployError,
    plan::{ACCOUNT_BALANCE, ETH, Tx},
};

/// Native balance of the deployer on anvil chains.
const DEPLOYER_BALANCE: u128 = 1_000_000 * ETH;
/// Receipts not there after this long are an error.
const RECEIPT_TIMEOUT: Duration = Duration::from_secs(120);

/// A chain and the transactions planned for it, from its deployer's first nonce.
pub(crate) struct ChainPlan {
    pub(crate) chain: Chain,
    pub(crate) start_nonce: u64,
    pub(crate) txs: Vec<Tx>,
}

/// Funds the deployer and operators on anvil chains and returns the deployer's next nonce.
pub(crate) async fn prepare_chain(
    chain: &Chain,
    keys: &Keys,
    deployer: Address,
) -> Result<u64, DeployError> {
    let provider = ProviderBuilder::new().connect_http(chain.rpc_url.clone());
    let rpc = |step: &str| rpc_error(chain, step);
    if chain.is_anvil {
        let fund = std::iter::once((deployer, DEPLOYER_BALANCE)).chain(
            keys.users
                .iter()
                .map(|u| u.address())
                .chain(keys.operators())
                .map(|a| (a, ACCOUNT_BALANCE)),
        );
        try_join_all(fund.map(|(address, amount)| {
            let provider = &provider;
            let err = rpc("anvil_setBalance");
            async move {
                provider
                    .anvil_set_balance(address, U256::from(amount))
                    .await
                    .map_err(err)
            }
        }))
        .await?;
    }
    let nonce = provider
        .get_transaction_count(deployer)
        .pending()
        .await
        .map_err(rpc("eth_getTransactionCount(deployer)"))?;
    info!(chain = %chain.name, chain_id = chain.chain_id, selector = chain.selector, nonce, "prepared");
    Ok(nonce)
}

/// Signs and sends a chain's transactions back to back, then checks every receipt. Returns the
/// time spent sending and confirming.
pub(crate) async fn execute(
    plan: &ChainPlan,
    signer: &PrivateKeySigner,
) -> Result<(Duration, Duration), DeployError> {
    let chain = &plan.chain;
    let deployer = signer.address();
    let provider = ProviderBuilder::new()
        .disable_recommended_fillers()
        .wallet(EthereumWallet::from(signer.clone()))
        .connect_http(chain.rpc_url.clone());
    let rpc = |step: &str| rpc_error(chain, step);
    let gas_price = provider
        .get_gas_price()
        .await
        .map_err(rpc("eth_gasPrice"))?;
    // Room for the base fee to climb while the deployment fills blocks.
    let max_fee = gas_price.saturating_mul(3).saturating_add(1_000_000_000);
    let priority_fee = 1_000_000_000u128.min(max_fee);

    let sending = Instant::now();
    let mut hashes: Vec<TxHash> = Vec::with_capacity(plan.txs.len());
    for (k, tx) in plan.txs.iter().enumerate() {
        let nonce = plan.start_nonce + k as u64;
        let mut request = TransactionRequest::default()
            .with_from(deployer)
            .with_nonce(nonce)
            .with_chain_id(chain.chain_id)
            .with_gas_limit(tx.gas)
            .with_max_fee_per_gas(max_fee)
            .with_max_priority_fee_per_gas(priority_fee)
            .with_value(tx.value)
            .with_input(tx.input.clone());
        request = match tx.to {
            Some(to) => request.with_to(to),
            None => request.into_create(),
        };
        let pending =
            provider
                .send_transaction(request)
                .await
                .map_err(|source| DeployError::Send {
                    chain: chain.name.clone(),
                    contract: tx.contract.clone(),
                    step: tx.step.clone(),
                    nonce,
                    source: Box::new(source),
                })?;
        debug!(chain = %chain.name, contract = %tx.contract, step = %tx.step, nonce, "sent");
        hashes.push(*pending.tx_hash());
    }
    let send = sending.elapsed();
    info!(chain = %chain.name, transactions = hashes.len(), ms = send.as_millis() as u64, "sent");

    let confirming = Instant::now();
    let (Some(last_hash), Some(last_tx)) = (hashes.last().copied(), plan.txs.last()) else {
        return Ok((send, Duration::ZERO));
    };
    // Nonce order: once the last transaction is mined, all are.
    loop {
        let receipt = provider
            .get_transaction_receipt(last_hash)
            .await
            .map_err(rpc("eth_getTransactionReceipt"))?;
        if receipt.is_some() {
            break;
        }
        if confirming.elapsed() > RECEIPT_TIMEOUT {
            return Err(DeployError::Timeout {
                chain: chain.name.clone(),
                contract: last_tx.contract.clone(),
                step: last_tx.step.clone(),
                tx: last_hash,
                seconds: RECEIPT_TIMEOUT.as_secs(),
            });
        }
        // No anvil_mine here: racing anvil's interval miner with it has been seen to drop a
        // transaction. Automine answers at once; interval-mined chains take a few blocks.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let receipts = try_join_all(hashes.iter().map(|hash| {
        let provider = &provider;
        let err = rpc("eth_getTransactionReceipt");
        async move { provider.get_transaction_receipt(*hash).await.map_err(err) }
    }))
    .await?;
    for ((tx, hash), receipt) in plan.txs.iter().zip(&hashes).zip(receipts) {
        let Some(receipt) = receipt else {
            return Err(DeployError::Timeout {
                chain: chain.name.clone(),
                contract: tx.contract.clone(),
                step: tx.step.clone(),
                tx: *hash,
                seconds: confirming.elapsed().as_secs(),
            });
        };
        if !receipt.status() {
            return Err(DeployError::Reverted {
                chain: chain.name.clone(),
                contract: tx.contract.clone(),
                step: tx.step.clone(),
                tx: *hash,
                gas_used: receipt.gas_used,
                gas_limit: tx.gas,
            });
        }
        if let Some(expected) = tx.creates
            && receipt.contract_address != Some(expected)
        {
            return Err(DeployError::AddressMismatch {
                chain: chain.name.clone(),
                contract: tx.contract.clone(),
                expected,
                actual: receipt.contract_address.unwrap_or_default(),
            });
        }
    }
    let confirm = confirming.elapsed();
    info!(chain = %chain.name, ms = confirm.as_millis() as u64, "confirmed");
    Ok((send, confirm))
}

/// Turns a transport error of `step` on `chain` into a [`DeployError::Rpc`].
fn rpc_error(chain: &Chain, step: &str) -> impl FnOnce(TransportError) -> DeployError + use<> {
    let (chain, step) = (chain.name.clone(), step.to_owned());
    move |source| DeployError::Rpc {
        chain,
        step,
        source: Box::new(source),
    }
}
