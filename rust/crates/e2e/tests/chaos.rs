//! The chaos suite: real faults between the networks and a chain (a fault-injecting RPC proxy
//! in front of alpha, or an owner curse), on three anvil chains with every network running.
//! Each scenario sends 60 messages across all six lanes while the fault is on; every message
//! must execute exactly once (counted from `ExecutionStateChanged` on the OffRamps). The time
//! until every lane delivered again is printed, not asserted: the soak bench
//! (`cargo run --release -p ccip-e2e --bin soak`) measures it over 1,000 messages.

use std::time::Duration;

use ccip_e2e::chaos::{Scenario, run};

/// Messages per scenario.
const MESSAGES: usize = 60;
/// How long delivery may take once the fault is over, on a loaded machine.
const DEADLINE: Duration = Duration::from_secs(180);

async fn check(scenario: Scenario) -> eyre::Result<()> {
    let seed = format!("chaos-{}", scenario.name());
    let outcome = run(scenario, MESSAGES, &seed, DEADLINE).await?;
    println!("chaos {outcome}");
    assert_eq!(outcome.lost, 0, "{outcome}");
    assert_eq!(outcome.duplicated, 0, "{outcome}");
    assert!(outcome.sent >= MESSAGES / 2, "{outcome}");
    if scenario != Scenario::Curse {
        assert!(outcome.faulted > 0, "{outcome}");
        assert_eq!(outcome.refused, 0, "{outcome}");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dropped_connections_for_20_s() -> eyre::Result<()> {
    check(Scenario::Drop).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn http_500_for_20_s() -> eyre::Result<()> {
    check(Scenario::Http500).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_5_s_blackhole() -> eyre::Result<()> {
    check(Scenario::Blackhole).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_slow_rpc() -> eyre::Result<()> {
    check(Scenario::Delay).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lane_curse_during_traffic() -> eyre::Result<()> {
    check(Scenario::Curse).await
}
