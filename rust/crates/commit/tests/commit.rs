//! The committing network on two anvil chains: messages commit with a root every node
//! recomputed, price updates ride along, one faulty node (silent or signing garbage) is
//! tolerated, and a restarted network resumes without committing anything twice.

use std::time::Duration;

use alloy::{
    primitives::{B256, U256},
    providers::{Provider, ProviderBuilder},
    rpc::types::Filter,
    sol_types::SolEvent,
};
use ccip_bindings::{commit_store::CommitStore, price_registry::PriceRegistry};
use ccip_client::{Client, SendRequest};
use ccip_commit::{Behaviour, CommitConfig, CommitNetwork};
use ccip_deploy::{DeployOptions, LocalNetwork, NetworkFile, up};
use ccip_protocol::MerkleTree;
use tokio::sync::watch;

async fn bring_up(seed: &str) -> eyre::Result<LocalNetwork> {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "ccip_commit=info".into()),
        )
        .with_test_writer()
        .try_init();
    let options = DeployOptions {
        seed: seed.into(),
        ..Default::default()
    };
    Ok(up(2, None, 0, &options).await?)
}

/// Sends a data message from chain `from` to chain `to` as test account 0; returns its id.
async fn send(network: &NetworkFile, from: usize, to: usize, text: &str) -> eyre::Result<B256> {
    let client = Client::new(network.clone())?;
    let (src, dst) = (
        network.chains[from].chain_selector,
        network.chains[to].chain_selector,
    );
    Ok(client
        .send(SendRequest::new(src, dst).text(text))
        .await?
        .message_id)
}

/// Commits accepted by the CommitStore of lane `from -> to`, in order.
async fn commits(
    network: &NetworkFile,
    from: usize,
    to: usize,
) -> eyre::Result<Vec<(B256, u64, u64)>> {
    let dst = &network.chains[to];
    let lane = dst
        .lanes
        .iter()
        .find(|l| l.remote_chain_selector == network.chains[from].chain_selector)
        .ok_or_else(|| eyre::eyre!("no lane"))?;
    let provider = ProviderBuilder::new().connect_http(dst.rpc_url.parse()?);
    let logs = provider
        .get_logs(
            &Filter::new()
                .address(lane.commit_store)
                .event_signature(CommitStore::ReportAccepted::SIGNATURE_HASH)
                .from_block(0),
        )
        .await?;
    logs.iter()
        .map(|l| {
            let e = CommitStore::ReportAccepted::decode_log_data(l.data())?;
            Ok((e.merkleRoot, e.minSeqNr, e.maxSeqNr))
        })
        .collect()
}

/// Waits until lane `from -> to` has committed everything up to `seq`.
async fn wait_committed(
    network: &NetworkFile,
    from: usize,
    to: usize,
    seq: u64,
) -> eyre::Result<()> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let done = commits(network, from, to)
            .await?
            .last()
            .is_some_and(|c| c.2 >= seq);
        if done {
            return Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            eyre::bail!("lane {from}->{to} did not commit up to {seq}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn config(behaviours: Vec<Behaviour>) -> CommitConfig {
    CommitConfig {
        leader_timeout: Duration::from_millis(500),
        signature_timeout: Duration::from_millis(500),
        behaviours,
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_commit_with_the_root_every_node_recomputes_and_prices_ride_along()
-> eyre::Result<()> {
    let local = bring_up("commit-honest").await?;
    let network = &local.deployment.network;
    let (stop, shutdown) = watch::channel(false);
    let commit = CommitNetwork::start(network, None, config(vec![]), shutdown).await?;

    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(send(network, 0, 1, &format!("hello {i}")).await?);
    }
    let back = send(network, 1, 0, "back").await?;
    wait_committed(network, 0, 1, 3).await?;
    wait_committed(network, 1, 0, 1).await?;

    // Every interval's root is the tree over exactly its messages, in order.
    let forward = commits(network, 0, 1).await?;
    let mut next = 1;
    for (root, min, max) in &forward {
        assert_eq!(*min, next, "intervals are contiguous");
        let leaves = ids[(*min - 1) as usize..*max as usize].to_vec();
        assert_eq!(*root, MerkleTree::new(leaves)?.root());
        next = max + 1;
    }
    assert_eq!(commits(network, 1, 0).await?, vec![(back, 1, 1)]);

    // Anvil's gas price is far from the deployer's 20 gwei: the first report carried an update,
    // gas price x $2000 per ETH.
    let dst = &network.chains[1];
    let provider = ProviderBuilder::new().connect_http(dst.rpc_url.parse()?);
    let src_provider = ProviderBuilder::new().connect_http(network.chains[0].rpc_url.parse()?);
    let gas = PriceRegistry::new(dst.contracts.price_registry, &provider)
        .getDestinationChainGasPrice(network.chains[0].chain_selector)
        .call()
        .await?;
    let observed = U256::from(src_provider.get_gas_price().await?) * U256::from(2_000u64);
    assert_ne!(U256::from(gas.value), U256::from(40_000_000_000_000u64));
    let diff = U256::from(gas.value).abs_diff(observed);
    assert!(
        diff * U256::from(10u64) <= observed,
        "{} vs {observed}",
        gas.value
    );
    assert!(
        commit
            .metrics
            .reports
            .load(std::sync::atomic::Ordering::Relaxed)
            >= 2
    );

    // LINK moves past the 10% deviation threshold: the next price round carries it.
    let registry = PriceRegistry::new(dst.contracts.price_registry, &provider);
    let link = dst.contracts.link_token;
    let usd = |d: u64| U256::from(d) * U256::from(10u64).pow(U256::from(18u64));
    assert_eq!(
        U256::from(registry.getTokenPrice(link).call().await?.value),
        usd(15)
    );
    commit.feed.set_link_usd(usd(30));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while U256::from(registry.getTokenPrice(link).call().await?.value) != usd(30) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "LINK price never pushed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    stop.send(true)?;
    commit.join().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_silent_node_and_one_lying_node_are_each_tolerated() -> eyre::Result<()> {
    for (seed, behaviour) in [
        ("commit-silent", Behaviour::Silent),
        ("commit-garbage", Behaviour::SignGarbage),
    ] {
        let local = bring_up(seed).await?;
        let network = &local.deployment.network;
        // The faulty node is the first leader of lane 0 -> 1 for sequence number 1, so the
        // network must also rotate past it.
        let key = ccip_store::LaneKey {
            source: network.chains[0].chain_selector,
            dest: network.chains[1].chain_selector,
        };
        let faulty = ccip_commit::leader_for(key, 1, 0, 4);
        let mut behaviours = vec![Behaviour::Honest; 4];
        behaviours[faulty] = behaviour;
        let (stop, shutdown) = watch::channel(false);
        let commit = CommitNetwork::start(network, None, config(behaviours), shutdown).await?;
        let id = send(network, 0, 1, "despite a faulty node").await?;
        wait_committed(network, 0, 1, 1).await?;
        assert_eq!(
            commits(network, 0, 1).await?,
            vec![(id, 1, 1)],
            "{behaviour:?}"
        );
        stop.send(true)?;
        commit.join().await;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_network_resumes_without_committing_twice_or_skipping() -> eyre::Result<()> {
    let local = bring_up("commit-restart").await?;
    let network = &local.deployment.network;
    let dir = tempfile::tempdir()?;
    let mut ids = Vec::new();

    let (stop, shutdown) = watch::channel(false);
    let commit = CommitNetwork::start(network, Some(dir.path()), config(vec![]), shutdown).await?;
    for i in 0..2 {
        ids.push(send(network, 0, 1, &format!("before {i}")).await?);
    }
    wait_committed(network, 0, 1, 2).await?;
    stop.send(true)?;
    commit.join().await;

    // Sent while every node is down.
    for i in 0..3 {
        ids.push(send(network, 0, 1, &format!("while down {i}")).await?);
    }
    let (stop, shutdown) = watch::channel(false);
    let commit = CommitNetwork::start(network, Some(dir.path()), config(vec![]), shutdown).await?;
    ids.push(send(network, 0, 1, "after").await?);
    wait_committed(network, 0, 1, 6).await?;
    stop.send(true)?;
    commit.join().await;

    let all = commits(network, 0, 1).await?;
    let mut covered = Vec::new();
    for (root, min, max) in &all {
        let leaves = ids[(*min - 1) as usize..*max as usize].to_vec();
        assert_eq!(*root, MerkleTree::new(leaves)?.root());
        covered.extend(*min..=*max);
    }
    assert_eq!(
        covered,
        (1..=6).collect::<Vec<_>>(),
        "each message committed exactly once"
    );
    for i in 0..4 {
        assert!(dir.path().join(format!("commit-{i}.sqlite")).is_file());
    }
    Ok(())
}
