//! The transaction manager against a real anvil: what would revert is refused without taking a
//! nonce, a nonce used behind its back is resynced, a dropped transaction is replaced, and a
//! blackholed RPC ends in an error instead of a hang. Every case ends with the key's nonce on
//! chain equal to the number of transactions mined: no gap, whatever happened.

use std::time::Duration;

use alloy::{
    network::TransactionBuilder,
    node_bindings::{Anvil, AnvilInstance},
    primitives::{Address, U256},
    providers::{Provider, ProviderBuilder, ext::AnvilApi},
    rpc::types::TransactionRequest,
    signers::local::PrivateKeySigner,
    sol_types::SolCall,
};
use ccip_bindings::wrapped_native::WrappedNative;
use ccip_chain::{ChainError, RpcSettings, TxSender, TxSettings, http_provider_with};
use eyre::{Result, eyre};

/// Generous: the machine may be loaded; these bound hangs, they do not measure speed.
const DEADLINE: Duration = Duration::from_secs(60);

fn anvil(args: &[&str]) -> Result<AnvilInstance> {
    Ok(Anvil::new()
        .path(ccip_deploy::anvil_path())
        .args(args.iter().copied())
        .try_spawn()?)
}

fn key(anvil: &AnvilInstance) -> Result<PrivateKeySigner> {
    Ok(PrivateKeySigner::from(anvil.keys()[0].clone()))
}

fn transfer(to: Address) -> TransactionRequest {
    TransactionRequest::default()
        .with_to(to)
        .with_value(U256::from(1))
}

async fn nonce_on_chain(anvil: &AnvilInstance, who: Address) -> Result<u64> {
    let provider = ProviderBuilder::new().connect_http(anvil.endpoint_url());
    Ok(provider.get_transaction_count(who).latest().await?)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reverting_call_is_refused_and_takes_no_nonce() -> Result<()> {
    let anvil = anvil(&[])?;
    let signer = key(&anvil)?;
    let me = signer.address();
    let sender = TxSender::new(anvil.endpoint().as_str(), signer)?;
    let bytecode = WrappedNative::BYTECODE.clone();
    let deployed = sender
        .send(
            "deploy",
            TransactionRequest::default().with_deploy_code(bytecode),
        )
        .await?;
    let weth = deployed
        .contract_address
        .ok_or_else(|| eyre!("no contract address"))?;

    // Withdrawing what was never deposited reverts in the ERC-20's burn.
    let withdraw = TransactionRequest::default()
        .with_to(weth)
        .with_input(WrappedNative::withdrawCall { wad: U256::from(5) }.abi_encode());
    let refused = sender.send("withdraw", withdraw).await;
    match &refused {
        Err(e @ ChainError::Reverted { reason, .. }) => {
            assert!(
                e.reverted_with::<WrappedNative::InsufficientBalance>(),
                "typed match on the selector: {reason}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(sender.stats().refused, 1);
    // The slot the refusal did not take serves the next transaction: no gap.
    sender
        .send("transfer", transfer(Address::repeat_byte(7)))
        .await?;
    assert_eq!(nonce_on_chain(&anvil, me).await?, 2);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_nonce_used_behind_its_back_is_resynced() -> Result<()> {
    let anvil = anvil(&[])?;
    let signer = key(&anvil)?;
    let me = signer.address();
    let sender = TxSender::new(anvil.endpoint().as_str(), signer.clone())?;
    sender
        .send("first", transfer(Address::repeat_byte(1)))
        .await?;

    // Another process with the same key (an operator's script, a restarted node) sends twice.
    let other = ProviderBuilder::new()
        .wallet(signer)
        .connect_http(anvil.endpoint_url());
    for _ in 0..2 {
        other
            .send_transaction(transfer(Address::repeat_byte(2)))
            .await?
            .get_receipt()
            .await?;
    }
    // The manager still believes nonce 1 is next; it finds out and uses 3.
    let receipt = sender
        .send("after", transfer(Address::repeat_byte(3)))
        .await?;
    assert!(receipt.status());
    assert!(sender.stats().resynced >= 1, "{:?}", sender.stats());
    assert_eq!(nonce_on_chain(&anvil, me).await?, 4);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_transaction_is_replaced_and_no_gap_is_left() -> Result<()> {
    let anvil = anvil(&["--no-mining"])?;
    let signer = key(&anvil)?;
    let me = signer.address();
    let settings = TxSettings {
        replace_after: Duration::from_millis(500),
        ..TxSettings::default()
    };
    let sender = TxSender::with_settings(anvil.endpoint().as_str(), signer, settings)?;
    let control = ProviderBuilder::new().connect_http(anvil.endpoint_url());

    let pending = tokio::spawn({
        let sender = sender.clone();
        async move {
            sender
                .send("dropped", transfer(Address::repeat_byte(9)))
                .await
        }
    });
    // Once it sits in the pool, the pool loses it (as a restarted or pruning node would).
    tokio::time::timeout(DEADLINE, async {
        while control.get_transaction_count(me).pending().await? == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        eyre::Ok(())
    })
    .await??;
    control.anvil_drop_all_transactions().await?;
    // Mine from now on: only a replacement can be mined.
    control.anvil_set_auto_mine(true).await?;
    let receipt = tokio::time::timeout(DEADLINE, pending).await???;
    assert!(receipt.status());
    let stats = sender.stats();
    assert!(stats.replaced >= 1, "{stats:?}");
    sender
        .send("next", transfer(Address::repeat_byte(8)))
        .await?;
    assert_eq!(nonce_on_chain(&anvil, me).await?, 2);
    assert_eq!(sender.stats().pending, 0);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_blackholed_rpc_is_an_error_not_a_hang() -> Result<()> {
    // Accepts connections and never answers, as a dead load balancer or a paused VM does.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let provider = http_provider_with(
        &url,
        RpcSettings {
            timeout: Duration::from_millis(500),
            connect_timeout: Duration::from_millis(500),
        },
    )?;
    let outcome = tokio::time::timeout(DEADLINE, provider.get_block_number()).await;
    assert!(
        matches!(outcome, Ok(Err(_))),
        "the request must fail by its own timeout: {outcome:?}"
    );
    hold.abort();
    Ok(())
}
