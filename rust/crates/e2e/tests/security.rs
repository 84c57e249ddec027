//! The security model end to end, on three chains with all networks running: a root forged by
//! f+1 compromised committing keys executes nothing and gets its lane cursed by the risk
//! network; an owner curse stops delivery and lifting it resumes with nothing lost.

use std::time::Duration;

use alloy::primitives::{B256, keccak256};
use ccip_bindings::{arm::ARM, commit_store::CommitStore, off_ramp::OffRamp};
use ccip_client::{CurseSubject, MessageState, SendRequest, testing::Operators};
use ccip_e2e::Harness;
use ccip_protocol::{CommitReport, Interval, chain_subject};
use ccip_runner::RunnerConfig;

async fn eventually<F, Fut>(what: &str, mut check: F) -> eyre::Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = eyre::Result<bool>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !check().await? {
        if tokio::time::Instant::now() > deadline {
            eyre::bail!("timed out waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_forged_root_executes_nothing_and_the_risk_network_curses_its_lane() -> eyre::Result<()> {
    let h = Harness::up("e2e-forged", 3, RunnerConfig::local(0)).await?;
    let lane = h.client.lane("alpha", "beta")?;
    let alpha = h
        .network()
        .chain("alpha")
        .ok_or_else(|| eyre::eyre!("alpha"))?
        .chain_selector;
    let beta = h
        .network()
        .chain("beta")
        .ok_or_else(|| eyre::eyre!("beta"))?;

    // A real message first, delivered normally.
    let real = h
        .client
        .send(SendRequest::new("alpha", "beta").text("real"))
        .await?;
    h.wait(real.message_id, MessageState::Executed).await?;

    // f+1 compromised committing keys sign a root over sequence numbers alpha never produced.
    let forged_root: B256 = keccak256("a root alpha never produced");
    let operators = Operators::new(&h.client)?;
    operators
        .transmit_commit(
            &lane,
            &CommitReport {
                interval: Interval { min: 2, max: 3 },
                merkleRoot: forged_root,
                ..Default::default()
            },
        )
        .await?;

    let reader = h.client.provider("beta")?;
    let arm = ARM::new(beta.contracts.arm, reader);
    eventually("the risk network to curse alpha on beta", || async {
        Ok(arm.isCursed_0(chain_subject(alpha)).call().await?)
    })
    .await?;
    let commit_store = CommitStore::new(lane.commit_store, reader);
    assert!(
        !commit_store.isBlessed(forged_root).call().await?,
        "a forged root is never blessed"
    );

    // Nothing from alpha executes on beta any more, not even a genuine new message...
    let after = h
        .client
        .send(SendRequest::new("alpha", "beta").text("after the forgery"))
        .await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let off_ramp = OffRamp::new(lane.off_ramp, reader);
    for seq in 2..=after.sequence_number {
        assert_eq!(
            off_ramp.getExecutionState(seq).call().await?,
            0,
            "seq {seq} untouched"
        );
    }
    assert!(
        h.client
            .status(after.message_id)
            .await?
            .executions
            .is_empty()
    );
    // ...while the other lanes into beta carry on.
    let gamma = h
        .client
        .send(SendRequest::new("gamma", "beta").text("unaffected"))
        .await?;
    h.wait(gamma.message_id, MessageState::Executed).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_curse_stops_delivery_and_lifting_it_resumes_with_nothing_lost() -> eyre::Result<()> {
    let h = Harness::up("e2e-curse", 3, RunnerConfig::local(0)).await?;
    let gamma = h
        .network()
        .chain("gamma")
        .ok_or_else(|| eyre::eyre!("gamma"))?
        .chain_selector;
    h.client.curse("alpha", CurseSubject::Lane(gamma)).await?;

    // alpha's ARM curses gamma: nothing from gamma commits or executes on alpha.
    let mut held = Vec::new();
    for i in 0..3 {
        held.push(
            h.client
                .send(SendRequest::new("gamma", "alpha").text(&format!("held {i}")))
                .await?,
        );
    }
    let other = h
        .client
        .send(SendRequest::new("beta", "alpha").text("other lane"))
        .await?;
    h.wait(other.message_id, MessageState::Executed).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    for r in &held {
        let status = h.client.status(r.message_id).await?;
        assert_eq!(status.state(), MessageState::Sent, "held while cursed");
        assert!(status.is_cursed());
    }

    h.client.uncurse("alpha", CurseSubject::Lane(gamma)).await?;
    for r in &held {
        h.wait(r.message_id, MessageState::Executed).await?;
        assert_eq!(h.client.status(r.message_id).await?.executions.len(), 1);
    }
    Ok(())
}
