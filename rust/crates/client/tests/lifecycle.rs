//! Two local chains per test; the client sends, the tests play the committing, risk and executing
//! networks with `ccip_client::testing::Operators`, and the client's status is checked after
//! every step, with the destination's state at the end.

use std::time::Duration;

use alloy::{
    primitives::{Address, U256},
    providers::Provider,
};
use ccip_bindings::{i_erc20::IERC20, messenger::Messenger};
use ccip_client::{
    Client, ClientError, CurseSubject, ExecutionState, FeeToken, MessageState, SendRequest,
    testing::Operators,
};
use ccip_deploy::{DeployOptions, LocalNetwork, up};

const ETH: u128 = 1_000_000_000_000_000_000;

async fn network(seed: &str) -> eyre::Result<(LocalNetwork, Client, Operators)> {
    let options = DeployOptions {
        seed: seed.into(),
        ..Default::default()
    };
    let local = up(2, None, 0, &options).await?;
    let client = Client::new(local.deployment.network.clone())?;
    let ops = Operators::new(&client)?;
    Ok((local, client, ops))
}

async fn last_text(client: &Client, chain: &str) -> eyre::Result<String> {
    let messenger = client.chain(chain)?.contracts.messenger;
    let last = Messenger::new(messenger, client.provider(chain)?)
        .getLastReceived()
        .call()
        .await?;
    Ok(last.text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn message_goes_sent_committed_blessed_executed() -> eyre::Result<()> {
    let (local, client, ops) = network("client-lifecycle").await?;
    let sent = client
        .send(SendRequest::new("alpha", "beta").text("hello beta"))
        .await?;
    assert_eq!(sent.sequence_number, 1);
    assert_eq!(sent.nonce, 1);
    assert_eq!(
        (sent.source.as_str(), sent.dest.as_str()),
        ("alpha", "beta")
    );
    assert_eq!(sent.message.sender, client.address());
    assert_eq!(
        sent.message.receiver,
        client.chain("beta")?.contracts.messenger
    );
    assert!(!sent.fee_paid.is_zero());
    assert_eq!(
        sent.fee_token,
        client.chain("alpha")?.contracts.wrapped_native
    );

    let id = sent.message_id;
    let status = client.status(id).await?;
    assert_eq!(status.state(), MessageState::Sent);
    assert_eq!(status.sent.event.tx_hash, sent.tx_hash);
    assert!(status.sent.event.timestamp > 0);
    assert!(status.committed.is_none() && !status.is_cursed());
    assert!(matches!(
        client.manual_execute(id, None).await,
        Err(ClientError::NotCommitted {
            sequence_number: 1,
            ..
        })
    ));

    // A second message on the same lane, and one the other way: both get their own status.
    let second = client
        .send(
            SendRequest::new("alpha", "beta")
                .text("second")
                .fee_token(FeeToken::Link),
        )
        .await?;
    assert_eq!(second.sequence_number, 2);
    assert_eq!(
        second.fee_token,
        client.chain("alpha")?.contracts.link_token
    );
    let back = client
        .send(SendRequest::new("beta", "alpha").text("hello alpha"))
        .await?;
    assert_eq!(client.status(back.message_id).await?.dest, "alpha");

    let commit = ops
        .commit("alpha", "beta")
        .await?
        .expect("two messages to commit");
    assert_eq!((commit.min, commit.max), (1, 2));
    let status = client.status(id).await?;
    assert_eq!(status.state(), MessageState::Committed);
    assert_eq!(status.committed.as_ref().map(|c| c.root), Some(commit.root));
    assert!(matches!(
        client.manual_execute(id, None).await,
        Err(ClientError::NotBlessed { root, .. }) if root == commit.root
    ));
    assert!(ops.commit("alpha", "beta").await?.is_none(), "nothing left");

    ops.bless("alpha", "beta", commit.root).await?;
    assert_eq!(client.status(id).await?.state(), MessageState::Blessed);
    // Never attempted: manual execution opens only after the permissionless threshold.
    assert!(matches!(
        client.manual_execute(id, None).await,
        Err(ClientError::ManualExecutionNotYetEnabled {
            threshold_seconds: 3600,
            ..
        })
    ));

    let executed = ops.execute("alpha", "beta").await?;
    assert_eq!(executed.len(), 2);
    assert!(executed.iter().all(|e| e.state == ExecutionState::Success));
    let status = client
        .wait_for_state(id, MessageState::Executed, Duration::from_secs(5))
        .await?;
    assert_eq!(status.executions.len(), 1);
    assert!(status.failure_reason().is_none());
    let shown = status.to_string();
    assert!(
        shown.contains("executed") && shown.contains("alpha -> beta"),
        "{shown}"
    );
    assert_eq!(last_text(&client, "beta").await?, "second");
    assert!(matches!(
        client.manual_execute(id, None).await,
        Err(ClientError::AlreadyExecuted(m)) if m == id
    ));

    // The other direction is still only sent; deliver it in one go.
    assert_eq!(
        client.status(back.message_id).await?.state(),
        MessageState::Sent
    );
    ops.deliver("beta", "alpha").await?;
    assert_eq!(
        client.status(back.message_id).await?.state(),
        MessageState::Executed
    );
    assert_eq!(last_text(&client, "alpha").await?, "hello alpha");

    // Timeouts say what was awaited and what was seen.
    let err = client
        .wait_for_state(id, MessageState::Failed, Duration::from_millis(300))
        .await
        .expect_err("never fails");
    assert!(
        matches!(err, ClientError::Timeout { ref last, .. } if last == "executed"),
        "{err}"
    );
    assert!(matches!(
        client.status(alloy::primitives::B256::repeat_byte(9)).await,
        Err(ClientError::MessageNotFound(_))
    ));
    local.chains.shutdown();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_reach_an_eoa_with_a_link_fee() -> eyre::Result<()> {
    let (local, client, ops) = network("client-tokens").await?;
    let client = client.with_account(1)?;
    let receiver = Address::repeat_byte(0x42);
    let alpha = client.chain("alpha")?.clone();
    let beta = client.chain("beta")?.clone();
    let link_before = client.balance("alpha", &"LINK".into()).await?;
    let bnm_before = client.balance("alpha", &"BnM".into()).await?;

    let sent = client
        .send(
            SendRequest::new("alpha", beta.chain_selector)
                .token("CCIP-BnM", U256::from(3 * ETH))
                .token(alpha.tokens.lnm.token, U256::from(2 * ETH))
                .receiver(receiver)
                .fee_token(FeeToken::Link),
        )
        .await?;
    assert_eq!(sent.message.tokenAmounts.len(), 2);
    assert_eq!(sent.message.sender, client.address());
    assert_eq!(
        client.balance("alpha", &"LINK".into()).await?,
        link_before - sent.fee_paid
    );
    assert_eq!(
        client.balance("alpha", &"BnM".into()).await?,
        bnm_before - U256::from(3 * ETH)
    );

    let executed = ops.deliver("alpha", "beta").await?;
    assert_eq!(executed.len(), 1);
    assert_eq!(
        executed[0].state,
        ExecutionState::Success,
        "{:?}",
        executed[0].reason
    );
    let provider = client.provider("beta")?;
    let bnm = IERC20::new(beta.tokens.bnm.token, provider)
        .balanceOf(receiver)
        .call()
        .await?;
    let lnm = IERC20::new(beta.tokens.lnm.token, provider)
        .balanceOf(receiver)
        .call()
        .await?;
    assert_eq!((bnm, lnm), (U256::from(3 * ETH), U256::from(2 * ETH)));
    assert_eq!(
        client.status(sent.message_id).await?.state(),
        MessageState::Executed
    );

    // A key outside the funded accounts gets its tokens from the faucets (and gas from a friend).
    let stranger = alloy::signers::local::PrivateKeySigner::random();
    let funder = client.user_provider("alpha")?;
    let fund = alloy::rpc::types::TransactionRequest::default()
        .to(stranger.address())
        .value(U256::from(ETH));
    funder.send_transaction(fund).await?.get_receipt().await?;
    let stranger = client.clone().with_signer(stranger)?;
    let dripped = stranger.drip("alpha", &"BnM".into()).await?;
    assert!(!dripped.is_zero());
    assert_eq!(
        stranger.balance("alpha", &"CCIP-BnM".into()).await?,
        dripped
    );

    // Asking for more than the account holds fails before anything is sent.
    let err = client
        .send(SendRequest::new("alpha", "beta").token("BnM", U256::MAX))
        .await
        .expect_err("not that rich");
    assert!(matches!(err, ClientError::InsufficientBalance(_)), "{err}");
    assert!(matches!(
        client
            .send(SendRequest::new("alpha", "beta").token("DOGE", U256::from(1)))
            .await,
        Err(ClientError::UnknownToken { .. })
    ));
    assert!(matches!(
        client.send(SendRequest::new("alpha", "omega")).await,
        Err(ClientError::UnknownChain(_))
    ));
    local.chains.shutdown();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_messages_show_their_reason_and_execute_by_hand() -> eyre::Result<()> {
    let (local, client, ops) = network("client-failures").await?;
    let beta = client.chain("beta")?.clone();
    let beta_index = client.chain_index(&"beta".into())?;

    // 1. Too little gas for the receiver; manual execution with enough succeeds.
    let starved = client
        .send(
            SendRequest::new("alpha", "beta")
                .text("starved")
                .gas_limit(5_000)
                // Past the client's gas check on purpose: the failure is the point.
                .force(true),
        )
        .await?;
    // 2. The receiver refuses the sender (a custom error of the Messenger).
    let deployer = client.deployer_key()?;
    let owner = client.signing_provider(beta_index, &deployer)?;
    let messenger = Messenger::new(beta.contracts.messenger, &owner);
    messenger
        .setAllowlistEnabled(true)
        .send()
        .await?
        .get_receipt()
        .await?;
    let refused = client
        .send(SendRequest::new("alpha", "beta").text("refused"))
        .await?;

    let executed = ops.deliver("alpha", "beta").await?;
    assert_eq!(executed.len(), 2);
    assert!(executed.iter().all(|e| e.state == ExecutionState::Failure));

    let status = client
        .wait_for_state(
            starved.message_id,
            MessageState::Failed,
            Duration::from_secs(5),
        )
        .await?;
    let reason = status.failure_reason().unwrap_or_default().to_owned();
    assert!(
        reason.starts_with("ReceiverError(empty revert data"),
        "{reason}"
    );
    assert!(status.to_string().contains("failed"), "{status}");

    let status = client.status(refused.message_id).await?;
    assert_eq!(status.state(), MessageState::Failed);
    let reason = status.failure_reason().unwrap_or_default().to_owned();
    assert!(
        reason.starts_with("ReceiverError(SenderNotAllowlisted {")
            && reason.contains(&client.address().to_string().to_lowercase()),
        "{reason}"
    );

    // Lower than the message's own limit: the OffRamp refuses.
    let err = client
        .manual_execute(starved.message_id, Some(1_000))
        .await
        .expect_err("below the message's limit");
    assert!(
        matches!(err, ClientError::Reverted { ref reason, .. } if reason.starts_with("InvalidManualExecutionGasLimit")),
        "{err}"
    );
    // Still refused (the allowlist is on): reported as a failure with the reason, nothing sent.
    let again = client.manual_execute(refused.message_id, None).await?;
    assert_eq!(again.state, ExecutionState::Failure);
    assert!(again.tx_hash.is_none());
    assert!(
        again
            .reason
            .as_deref()
            .unwrap_or_default()
            .starts_with("ReceiverError(SenderNotAllowlisted"),
        "{again:?}"
    );
    let alpha_selector = client.chain("alpha")?.chain_selector;
    messenger
        .setAllowedSender(alpha_selector, client.address(), true)
        .send()
        .await?
        .get_receipt()
        .await?;

    let outcome = client
        .manual_execute(starved.message_id, Some(200_000))
        .await?;
    assert_eq!(outcome.state, ExecutionState::Success, "{outcome:?}");
    assert!(outcome.tx_hash.is_some());
    let status = client.status(starved.message_id).await?;
    assert_eq!(status.state(), MessageState::Executed);
    assert_eq!(status.executions.len(), 2);
    assert_eq!(last_text(&client, "beta").await?, "starved");

    let fixed = client.manual_execute(refused.message_id, None).await?;
    assert_eq!(fixed.state, ExecutionState::Success, "{fixed:?}");
    assert_eq!(last_text(&client, "beta").await?, "refused");
    assert_eq!(
        client.status(refused.message_id).await?.state(),
        MessageState::Executed
    );
    local.chains.shutdown();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curses_block_the_lane_until_lifted() -> eyre::Result<()> {
    let (local, client, ops) = network("client-curse").await?;
    let beta_selector = client.chain("beta")?.chain_selector;
    let sent = client
        .send(SendRequest::new("alpha", "beta").text("before"))
        .await?;

    // The source ARM curses the destination: nothing leaves alpha for beta.
    client
        .curse("alpha", CurseSubject::Lane(beta_selector))
        .await?;
    assert_eq!(
        client.cursed_subjects("alpha").await?,
        vec![CurseSubject::Lane(beta_selector).bytes()]
    );
    let status = client.status(sent.message_id).await?;
    assert!(
        status
            .cursed
            .as_deref()
            .is_some_and(|c| c.contains("alpha ARM curses beta")),
        "{status}"
    );
    let err = client
        .send(SendRequest::new("alpha", "beta").text("during"))
        .await
        .expect_err("cursed");
    assert!(
        matches!(err, ClientError::LaneCursed { ref from, .. } if from == "alpha"),
        "{err}"
    );
    // beta may still send to alpha, but alpha's ARM will not take it: its status says so.
    let other_way = client
        .send(SendRequest::new("beta", "alpha").text("other way"))
        .await?;
    let status = client.status(other_way.message_id).await?;
    assert!(
        status
            .cursed
            .as_deref()
            .is_some_and(|c| c.contains("alpha ARM curses beta")),
        "{status}"
    );
    client
        .uncurse("alpha", CurseSubject::Lane(beta_selector))
        .await?;
    assert!(!client.status(sent.message_id).await?.is_cursed());

    // A global curse on the destination (by ARM voters this time) stops execution there.
    let commit = ops.commit("alpha", "beta").await?.expect("one message");
    ops.bless("alpha", "beta", commit.root).await?;
    ops.vote_to_curse("beta", CurseSubject::Global.bytes())
        .await?;
    let status = client.status(sent.message_id).await?;
    assert_eq!(status.state(), MessageState::Blessed);
    assert!(
        status
            .cursed
            .as_deref()
            .is_some_and(|c| c.contains("beta ARM is globally cursed"))
    );
    assert!(matches!(
        client.manual_execute(sent.message_id, None).await,
        Err(ClientError::LaneCursed { .. })
    ));
    assert!(matches!(
        client
            .send(SendRequest::new("beta", "alpha").text("x"))
            .await,
        Err(ClientError::LaneCursed { .. })
    ));
    client.uncurse("beta", CurseSubject::Global).await?;
    let executed = ops.execute("alpha", "beta").await?;
    assert_eq!(executed.len(), 1);
    assert_eq!(executed[0].state, ExecutionState::Success);
    assert_eq!(last_text(&client, "beta").await?, "before");
    let provider = client.provider("alpha")?;
    assert!(provider.get_block_number().await? > 0);
    local.chains.shutdown();
    Ok(())
}
