//! A reorganisation past finality and the documented way back, on three chains with every
//! network running: a committed (not yet blessed) message is reorganised away deeper than the
//! risk network's finality depth; the risk network curses every lane from that chain; a new
//! message takes the orphan's sequence number and is never reported under the old root; the
//! owner's `reset_lane` (what `ccip lane reset` runs) makes the lanes live again, and the new
//! message executes exactly once under its own root.

use std::time::Duration;

use alloy::providers::{Provider, ProviderBuilder, ext::AnvilApi};
use ccip_client::{MessageState, SendRequest};
use ccip_e2e::{Harness, reorg};
use ccip_protocol::MerkleTree;
use ccip_runner::RunnerConfig;
use tokio::time::Instant;

/// The committing and executing networks act 3 blocks deep; the risk network blesses 12 deep, so
/// a committed message can be reorganised away before it is blessed.
const COMMIT_DEPTH: u64 = 3;
const RISK_DEPTH: u64 = 12;
const DEADLINE: Duration = Duration::from_secs(180);

async fn until<F, Fut>(what: &str, mut check: F) -> eyre::Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = eyre::Result<bool>>,
{
    let deadline = Instant::now() + DEADLINE;
    while !check().await? {
        eyre::ensure!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reorg_past_finality_curses_and_lane_reset_recovers_with_nothing_lost() -> eyre::Result<()>
{
    let mut config = RunnerConfig::local(COMMIT_DEPTH);
    config.rmn.confirmations = RISK_DEPTH;
    let h = Harness::up("e2e-deep-reorg", 3, config).await?;
    let alpha_url = h.network().chains[0].rpc_url.clone();
    let alpha = ProviderBuilder::new().connect_http(alpha_url.parse()?);

    // Depth needs blocks: mine on every chain, as chains with real block production do.
    let (pause, paused) = tokio::sync::watch::channel(false);
    let miner = reorg::spawn_miner(
        h.network()
            .chains
            .iter()
            .map(|c| c.rpc_url.clone())
            .collect(),
        paused,
    );

    let before = h
        .client
        .send(SendRequest::new("alpha", "beta").text("before"))
        .await?;
    h.client
        .wait_for_state(before.message_id, MessageState::Executed, DEADLINE)
        .await?;

    // The orphan: committed on beta, then reorganised away on alpha before it is blessed.
    let orphan = h
        .client
        .send(SendRequest::new("alpha", "beta").text("orphaned"))
        .await?;
    until("the orphan's commit", || async {
        Ok(h.client
            .status(orphan.message_id)
            .await?
            .committed
            .is_some())
    })
    .await?;
    pause.send(true)?;
    alpha.anvil_set_auto_mine(false).await?;
    let status = h.client.status(orphan.message_id).await?;
    eyre::ensure!(
        !status.blessed,
        "blessed before the reorg: the depths are too close"
    );
    let head = alpha.get_block_number().await?;
    // Deeper than the risk network's depth, so the block it last used changes.
    let depth = (head - orphan.block_number + 1).max(RISK_DEPTH + 2);
    eyre::ensure!(
        head - before.block_number >= depth,
        "the reorg would reach the delivered message"
    );
    // The replacement takes the orphan's nonce, so anvil cannot put the send back from its pool.
    let raw = reorg::replacement(&h, 0, orphan.tx_hash).await?;
    reorg::reorg(&alpha_url, depth, raw).await?;
    pause.send(false)?;

    // The risk network curses the lanes from alpha on both destinations.
    let alpha_selector = h.network().chains[0].chain_selector;
    for dest in ["beta", "gamma"] {
        until("the curse", || async {
            let cursed = h.client.cursed_subjects(dest).await?;
            Ok(cursed.contains(&ccip_protocol::chain_subject(alpha_selector)))
        })
        .await?;
    }

    // A new message takes the orphan's sequence number (another account: the first one's
    // nonce went back with the reorganisation). It is not under the old root.
    let canonical = h
        .client
        .clone()
        .with_account(1)?
        .send(SendRequest::new("alpha", "beta").text("canonical"))
        .await?;
    assert_eq!(canonical.sequence_number, orphan.sequence_number);
    let status = h.client.status(canonical.message_id).await?;
    assert!(
        status.committed.is_none(),
        "reported under a root that does not hold it: {status}"
    );

    for dest in ["beta", "gamma"] {
        let reset = h.client.reset_lane(dest, "alpha").await?;
        assert!(reset.uncursed, "{dest}: {reset:?}");
        if dest == "beta" {
            assert_eq!(reset.min_seq_nr, Some(orphan.sequence_number), "{reset:?}");
            assert!(!reset.removed_roots.is_empty(), "{reset:?}");
        }
    }
    let after = h
        .client
        .send(SendRequest::new("alpha", "gamma").text("after the reset"))
        .await?;
    for id in [canonical.message_id, after.message_id] {
        h.client
            .wait_for_state(id, MessageState::Executed, DEADLINE)
            .await?;
        assert_eq!(h.client.status(id).await?.executions.len(), 1);
    }
    let status = h.client.status(canonical.message_id).await?;
    let commit = status
        .committed
        .ok_or_else(|| eyre::eyre!("not committed"))?;
    assert_eq!(
        commit.root,
        MerkleTree::new(vec![canonical.message_id])?.root()
    );
    assert!(h.client.cursed_subjects("beta").await?.is_empty());
    miner.abort();
    Ok(())
}
