//! Failures of the infrastructure, on three chains: every node killed and restarted mid-stream
//! (each message still delivered exactly once), a faulty committing node (messages still
//! commit), and a source chain reorganised below the confirmation depth (no wrong root).

use std::time::Duration;

use alloy::providers::{Provider, ProviderBuilder, ext::AnvilApi};
use ccip_client::{MessageState, SendReceipt, SendRequest};
use ccip_commit::{Behaviour, leader_for};
use ccip_deploy::{FIRST_CHAIN_ID, chain_selector};
use ccip_e2e::{Harness, chaos::LANES, reorg};
use ccip_protocol::MerkleTree;
use ccip_runner::RunnerConfig;
use ccip_store::LaneKey;

async fn send_round(h: &Harness, tag: &str) -> eyre::Result<Vec<SendReceipt>> {
    let mut sent = Vec::new();
    for (src, dst) in LANES {
        sent.push(
            h.client
                .send(SendRequest::new(src, dst).text(&format!("{tag} {src}->{dst}")))
                .await?,
        );
    }
    Ok(sent)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_node_killed_and_restarted_mid_stream_delivers_each_message_exactly_once()
-> eyre::Result<()> {
    let mut h = Harness::up("e2e-restart", 3, RunnerConfig::local(0)).await?;
    let mut all = send_round(&h, "first").await?;
    // Stop everything while the first round may still be in flight.
    tokio::time::sleep(Duration::from_millis(30)).await;
    h.stop().await;
    all.extend(send_round(&h, "while down").await?);
    h.start().await?;
    all.extend(send_round(&h, "after restart").await?);
    for r in &all {
        h.wait(r.message_id, MessageState::Executed).await?;
    }
    // Exactly once: one execution each, and the OffRamp refuses anything more.
    for r in &all {
        assert_eq!(
            h.client.status(r.message_id).await?.executions.len(),
            1,
            "{}",
            r.message_id
        );
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lying_committing_node_is_tolerated() -> eyre::Result<()> {
    let mut config = RunnerConfig::local(0);
    // Make the liar the first leader of alpha->beta (chain ids 1000 and 1001), so that leader
    // rotation is exercised too.
    let lane = LaneKey {
        source: chain_selector(FIRST_CHAIN_ID),
        dest: chain_selector(FIRST_CHAIN_ID + 1),
    };
    let liar = leader_for(lane, 1, 0, 4);
    config.commit.behaviours = vec![Behaviour::Honest; 4];
    config.commit.behaviours[liar] = Behaviour::SignGarbage;
    config.commit.leader_timeout = Duration::from_millis(500);
    let h = Harness::up("e2e-faulty", 3, config).await?;
    assert_eq!(h.network().chains[0].chain_selector, lane.source);
    let sent = send_round(&h, "despite a liar").await?;
    for r in &sent {
        h.wait(r.message_id, MessageState::Executed).await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reorg_below_the_confirmation_depth_commits_no_wrong_root() -> eyre::Result<()> {
    let h = Harness::up("e2e-reorg", 3, RunnerConfig::local(3)).await?;
    let alpha = ProviderBuilder::new().connect_http(h.network().chains[0].rpc_url.parse()?);

    // Let the networks' start-up price updates land first: they mine blocks on every chain.
    tokio::time::sleep(Duration::from_secs(2)).await;
    // A message the chain will forget: reorganised away before it is 3 blocks deep.
    let orphan = h
        .client
        .send(SendRequest::new("alpha", "beta").text("orphaned"))
        .await?;
    // The replacement takes the send's nonce, so anvil cannot put the send back from its pool.
    let raw = reorg::replacement(&h, 0, orphan.tx_hash).await?;
    // The networks' own transactions may have mined blocks on top since: hold mining while the
    // depth is measured and the chain reorganised from the send's block up.
    alpha.anvil_set_auto_mine(false).await?;
    let depth = alpha.get_block_number().await? - orphan.block_number + 1;
    assert!(
        depth < 3,
        "the orphan is still below the confirmation depth"
    );
    reorg::reorg(&h.network().chains[0].rpc_url, depth, raw).await?;
    // The canonical message takes its sequence number. Another account sends it: the first one's
    // nonce went back with the reorganisation.
    let canonical = h
        .client
        .clone()
        .with_account(1)?
        .send(SendRequest::new("alpha", "beta").text("canonical"))
        .await?;
    assert_eq!(canonical.sequence_number, orphan.sequence_number);
    assert_ne!(canonical.message_id, orphan.message_id);
    // Confirmation depth needs blocks on top, on every chain (commits and blessings are read
    // behind the same depth): keep mining, as chains with real block production would.
    let (_keep, mining) = tokio::sync::watch::channel(false);
    let miner = reorg::spawn_miner(
        h.network()
            .chains
            .iter()
            .map(|c| c.rpc_url.clone())
            .collect(),
        mining,
    );

    h.wait(canonical.message_id, MessageState::Executed).await?;
    let status = h.client.status(canonical.message_id).await?;
    let commit = status
        .committed
        .ok_or_else(|| eyre::eyre!("not committed"))?;
    assert_eq!((commit.min, commit.max), (1, 1));
    assert_eq!(
        commit.root,
        MerkleTree::new(vec![canonical.message_id])?.root()
    );
    // Below finality: no curse.
    assert!(status.cursed.is_none());
    miner.abort();
    Ok(())
}
