//! Node behaviour that needs no chain: key derivation agrees with the deployment's, and a node
//! whose RPC is down keeps polling, counting the errors.

use std::time::Duration;

use ccip_deploy::keys::{derive_key, role};
use ccip_rmn::{ARM_VOTER_ROLE, NetworkSpec, NodeSettings, RmnNetwork, arm_voter_key};
use tokio::sync::watch;

#[test]
fn voter_keys_are_the_deployments_arm_voter_keys() -> eyre::Result<()> {
    assert_eq!(ARM_VOTER_ROLE, role::ARM_VOTER);
    for seed in ["", "ccip-local", "another seed"] {
        for i in 0..4 {
            assert_eq!(
                arm_voter_key(seed, i)?.address(),
                derive_key(seed, role::ARM_VOTER, i)?.address()
            );
        }
    }
    assert_ne!(
        arm_voter_key("s", 0)?.address(),
        arm_voter_key("s", 1)?.address()
    );
    Ok(())
}

fn one_chain_at(url: &str) -> eyre::Result<NetworkSpec> {
    Ok(NetworkSpec::from_json(&format!(
        r#"{{"chains":[{{"name":"down","rpcUrl":"{url}","chainSelector":"7",
        "contracts":{{"arm":"0x0000000000000000000000000000000000000001",
        "priceRegistry":"0x0000000000000000000000000000000000000002"}},"lanes":[]}}]}}"#
    ))?)
}

/// Waits (generously: the machine may be loaded) until `done` holds.
async fn eventually(what: &str, mut done: impl FnMut() -> bool) -> eyre::Result<()> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !done() {
        eyre::ensure!(tokio::time::Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

#[tokio::test]
async fn a_node_survives_rpc_errors() -> eyre::Result<()> {
    // Port 9 (discard) on localhost: nothing answers JSON-RPC there.
    let spec = one_chain_at("http://127.0.0.1:9")?;
    let settings = NodeSettings {
        poll_interval: Duration::from_millis(20),
        ..Default::default()
    };
    let (stop, shutdown) = watch::channel(false);
    let rmn = RmnNetwork::start(&spec, "s", 1, &settings, shutdown)?;
    let metrics = rmn.nodes[0].metrics.clone();
    eventually("three failed polls", || {
        let m = metrics.snapshot();
        m.polls >= 3 && m.rpc_errors >= 3
    })
    .await?;
    assert!(!rmn.nodes[0].join.is_finished());
    stop.send(true)?;
    tokio::time::timeout(Duration::from_secs(30), rmn.join()).await?;
    Ok(())
}

#[tokio::test]
async fn a_blackholed_rpc_times_out_and_never_holds_up_shutdown() -> eyre::Result<()> {
    // Accepts connections and never answers, as a wedged RPC provider does.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open.push(stream);
        }
    });
    let settings = NodeSettings {
        poll_interval: Duration::from_millis(20),
        rpc_timeout: Duration::from_millis(300),
        ..Default::default()
    };
    let (stop, shutdown) = watch::channel(false);
    let rmn = RmnNetwork::start(&one_chain_at(&url)?, "s", 1, &settings, shutdown)?;
    let metrics = rmn.nodes[0].metrics.clone();
    eventually("requests to time out", || {
        metrics.snapshot().rpc_errors >= 2
    })
    .await?;
    // Stop while a request hangs: the node does not wait for it.
    let stopping = tokio::time::Instant::now();
    stop.send(true)?;
    tokio::time::timeout(Duration::from_secs(30), rmn.join()).await?;
    println!("stopped {:?} after the signal", stopping.elapsed());
    held.abort();
    Ok(())
}
