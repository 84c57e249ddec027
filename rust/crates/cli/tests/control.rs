//! The chain, rpc and time commands against a running `ccip up`: `ccip chain kill` stops a chain
//! and keeps it down (messages to it wait), `ccip chain restart` brings it back from its state and
//! every message executes exactly once; `ccip rpc` degrades what the networks see of a chain and
//! heals it, nothing lost; `ccip time advance` moves every chain's clock; commands against nothing
//! running, or naming no chain, fail clearly.

mod support;

use std::time::Duration;

use alloy::{
    eips::BlockNumberOrTag,
    providers::{Provider, ProviderBuilder},
};
use ccip_client::{Client, MessageState, SendRequest};
use ccip_deploy::NetworkFile;
use support::{Running, Scratch, listening};

const START: Duration = Duration::from_secs(180);
const DELIVERY: Duration = Duration::from_secs(240);

fn run(scratch: &Scratch, args: &[&str]) -> eyre::Result<(bool, String, String)> {
    let out = scratch.ccip(args)?;
    Ok((
        out.status.success(),
        String::from_utf8(out.stdout)?,
        String::from_utf8(out.stderr)?,
    ))
}

async fn latest_timestamp(url: &str) -> eyre::Result<u64> {
    let provider = ProviderBuilder::new().connect_http(url.parse()?);
    Ok(provider
        .get_block_by_number(BlockNumberOrTag::Latest)
        .await?
        .ok_or_else(|| eyre::eyre!("no block"))?
        .header
        .timestamp)
}

#[tokio::test(flavor = "multi_thread")]
async fn chains_are_stopped_and_restarted_and_clocks_advanced_on_command() -> eyre::Result<()> {
    let scratch = Scratch::new()?;
    let mut up = Running::spawn(scratch.up(2, &[]))?;
    up.wait_for_line("Metrics: ", START)?;
    let network = NetworkFile::read(&scratch.network)?;
    assert!(network.control_url.is_some(), "up names its control API");
    let client = Client::new(network.clone())?;
    let beta_url = network
        .chain("beta")
        .ok_or_else(|| eyre::eyre!("beta"))?
        .rpc_url
        .clone();

    let (ok, out, err) = run(&scratch, &["chain", "kill", "beta"])?;
    assert!(ok, "{err}");
    assert!(out.contains("chain beta stopped"), "{out}");
    assert!(!listening(&beta_url), "beta still answers");
    let (ok, _, err) = run(&scratch, &["chain", "kill", "beta"])?;
    assert!(!ok && err.contains("already stopped"), "{err}");
    let (ok, _, err) = run(&scratch, &["chain", "kill", "omega"])?;
    assert!(
        !ok && err.contains("no chain \"omega\"") && err.contains("alpha, beta"),
        "{err}"
    );

    // Stays down (up does not restart a chain stopped on purpose) while messages wait for it.
    let mut sent = Vec::new();
    for i in 0..3 {
        let text = format!("while beta is down {i}");
        sent.push(
            client
                .send(SendRequest::new("alpha", "beta").text(&text))
                .await?,
        );
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(!listening(&beta_url), "beta came back by itself");

    let (ok, out, err) = run(&scratch, &["chain", "restart", "beta"])?;
    assert!(ok, "{err}");
    assert!(out.contains("chain beta is back"), "{out}");
    sent.push(
        client
            .send(SendRequest::new("beta", "alpha").text("after"))
            .await?,
    );
    for r in &sent {
        client
            .wait_for_state(r.message_id, MessageState::Executed, DELIVERY)
            .await?;
    }
    for r in &sent {
        assert_eq!(client.status(r.message_id).await?.executions.len(), 1);
    }

    // What the networks see of alpha's RPC, degraded and healed: nothing is lost.
    let (ok, out, err) = run(&scratch, &["rpc", "alpha", "--drop", "50"])?;
    assert!(
        ok && out.contains("Drop(50)") && out.contains("--heal"),
        "{out}{err}"
    );
    let mut degraded = Vec::new();
    for i in 0..2 {
        let text = format!("through a flaky rpc {i}");
        degraded.push(
            client
                .send(SendRequest::new("alpha", "beta").text(&text))
                .await?,
        );
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (ok, out, err) = run(&scratch, &["rpc", "alpha", "--blackhole", "2"])?;
    assert!(ok && out.contains("Blackhole for 2 s"), "{out}{err}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (ok, out, err) = run(&scratch, &["rpc", "alpha", "--heal"])?;
    assert!(ok && out.contains("None"), "{out}{err}");
    // "...; N of M requests faulted so far."
    let faulted: u64 = out
        .split(" requests faulted")
        .next()
        .and_then(|head| head.split_whitespace().rev().nth(2))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(faulted > 0, "the proxy faulted nothing: {out}");
    for r in &degraded {
        client
            .wait_for_state(r.message_id, MessageState::Executed, DELIVERY)
            .await?;
        assert_eq!(client.status(r.message_id).await?.executions.len(), 1);
    }
    let (ok, _, err) = run(&scratch, &["rpc", "alpha"])?;
    assert!(
        !ok && err.contains("required"),
        "a fault must be named: {err}"
    );

    let before: Vec<u64> = futures_timestamps(&network).await?;
    let (ok, out, err) = run(&scratch, &["time", "advance", "8h"])?;
    assert!(ok, "{err}");
    assert!(out.contains("clock advanced 28800 s"), "{out}");
    let after = futures_timestamps(&network).await?;
    for (b, a) in before.iter().zip(&after) {
        assert!(a >= &(b + 8 * 3600), "clock moved from {b} to {a}");
    }

    // A gas spike on the destination: a message whose fee was paid before still executes.
    let (ok, out, err) = run(&scratch, &["gas", "beta", "--base-fee", "200"])?;
    assert!(ok && out.contains("base fee set to 200 gwei"), "{out}{err}");
    let spiked = client
        .send(SendRequest::new("alpha", "beta").text("during a gas spike"))
        .await?;
    client
        .wait_for_state(spiked.message_id, MessageState::Executed, DELIVERY)
        .await?;

    // A reorganisation deeper than the confirmation depth (0 here): the risk network curses the
    // lanes from alpha, and the printed recovery brings them back.
    let (ok, out, err) = run(&scratch, &["chain", "reorg", "alpha", "--depth", "3"])?;
    assert!(ok && out.contains("ccip lane reset"), "{out}{err}");
    let alpha = network
        .chain("alpha")
        .ok_or_else(|| eyre::eyre!("alpha"))?
        .chain_selector;
    let deadline = tokio::time::Instant::now() + DELIVERY;
    while !client
        .cursed_subjects("beta")
        .await?
        .contains(&ccip_client::CurseSubject::Lane(alpha).bytes())
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no curse after a reorg past finality"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (ok, out, err) = run(
        &scratch,
        &["lane", "reset", "--chain", "beta", "--remote", "alpha"],
    )?;
    assert!(ok && out.contains("curse: lifted"), "{out}{err}");
    let recovered = client
        .send(SendRequest::new("alpha", "beta").text("after the reset"))
        .await?;
    client
        .wait_for_state(recovered.message_id, MessageState::Executed, DELIVERY)
        .await?;
    assert_eq!(
        client.status(recovered.message_id).await?.executions.len(),
        1
    );

    let (took, ok) = up.interrupt(Duration::from_secs(60))?;
    assert!(ok, "up stops cleanly ({took:?})");
    let (ok, _, err) = run(&scratch, &["chain", "kill", "beta"])?;
    assert!(!ok && err.contains("has no running `ccip up`"), "{err}");
    Ok(())
}

async fn futures_timestamps(network: &NetworkFile) -> eyre::Result<Vec<u64>> {
    let mut out = Vec::new();
    for chain in &network.chains {
        out.push(latest_timestamp(&chain.rpc_url).await?);
    }
    Ok(out)
}
