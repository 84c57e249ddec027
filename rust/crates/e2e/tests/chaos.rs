//! The chaos suite: real faults between the networks and a chain, on three anvil chains with
//! every network running. Each scenario sends 60 messages across all six lanes while the fault
//! is on, then checks that every message executed exactly once (one `ExecutionStateChanged` per
//! message id on the destination OffRamp) and prints how long after the fault ended every lane
//! delivered again. Deadlines are generous (the suite runs on loaded 2-core machines); the
//! recovery figures are printed, not asserted (the soak bench measures them).

use std::time::Duration;

use ccip_client::{ClientError, CurseSubject, MessageState, SendReceipt, SendRequest};
use ccip_e2e::{Fault, Harness};
use ccip_runner::RunnerConfig;
use tokio::time::Instant;

const LANES: [(&str, &str); 6] = [
    ("alpha", "beta"),
    ("alpha", "gamma"),
    ("beta", "alpha"),
    ("beta", "gamma"),
    ("gamma", "alpha"),
    ("gamma", "beta"),
];

/// Messages per scenario.
const MESSAGES: usize = 60;
/// How long a message may take to execute once its lane is healthy again, on a loaded machine.
const DELIVERY: Duration = Duration::from_secs(180);

/// Sends `n` messages round-robin over the lanes, spread over `over`.
async fn traffic(
    h: &Harness,
    tag: &str,
    n: usize,
    over: Duration,
) -> eyre::Result<Vec<SendReceipt>> {
    let pause = over / n as u32;
    let mut sent = Vec::with_capacity(n);
    for i in 0..n {
        let (src, dst) = LANES[i % LANES.len()];
        let text = format!("{tag} #{i} {src}->{dst}");
        match h.client.send(SendRequest::new(src, dst).text(&text)).await {
            Ok(receipt) => sent.push(receipt),
            // Refused before signing while the lane is cursed, as a user would be: nothing sent.
            Err(ClientError::LaneCursed { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        tokio::time::sleep(pause).await;
    }
    Ok(sent)
}

/// Sends one message per lane and waits until all of them executed: the time from the call to
/// the last execution is how long the network took to have every lane live again.
async fn lanes_live(h: &Harness, tag: &str) -> eyre::Result<(Duration, Vec<SendReceipt>)> {
    let start = Instant::now();
    let probes = traffic(h, tag, LANES.len(), Duration::ZERO).await?;
    for probe in &probes {
        h.client
            .wait_for_state(probe.message_id, MessageState::Executed, DELIVERY)
            .await?;
    }
    Ok((start.elapsed(), probes))
}

/// Every message executed, each exactly once.
async fn exactly_once(h: &Harness, sent: &[SendReceipt]) -> eyre::Result<()> {
    for r in sent {
        h.client
            .wait_for_state(r.message_id, MessageState::Executed, DELIVERY)
            .await?;
    }
    for r in sent {
        let executions = h.client.status(r.message_id).await?.executions.len();
        eyre::ensure!(
            executions == 1,
            "message {} executed {executions} times",
            r.message_id
        );
    }
    Ok(())
}

/// Runs `fault` (which returns once the fault is over) while 60 messages are sent, then checks
/// delivery and prints the recovery time.
async fn scenario<F>(name: &str, seed: &str, fault_time: Duration, fault: F) -> eyre::Result<()>
where
    F: AsyncFnOnce(&Harness) -> eyre::Result<()>,
{
    let h = Harness::up_proxied(seed, 3, RunnerConfig::local(0)).await?;
    let (sent, faulted) = tokio::join!(traffic(&h, name, MESSAGES, fault_time), fault(&h));
    faulted?;
    let mut sent = sent?;
    let (live, probes) = lanes_live(&h, "probe").await?;
    sent.extend(probes);
    exactly_once(&h, &sent).await?;
    let faults: u64 = h.proxies.iter().map(|p| p.faulted()).sum();
    println!(
        "chaos {name}: {} messages executed exactly once; every lane live {:.2} s after the fault ended ({faults} requests faulted)",
        sent.len(),
        live.as_secs_f64()
    );
    Ok(())
}

/// Applies `fault` on the proxy in front of alpha (source of two lanes, destination of two).
async fn on_alpha(h: &Harness, fault: Fault, time: Duration) -> eyre::Result<()> {
    let proxy = h.proxies.first().ok_or_else(|| eyre::eyre!("no proxies"))?;
    // Let some traffic through first, so the fault lands mid-stream.
    tokio::time::sleep(Duration::from_secs(1)).await;
    proxy.inject_for(fault, time).await;
    eyre::ensure!(proxy.faulted() > 0, "the fault never hit a request");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dropped_connections_for_20_s() -> eyre::Result<()> {
    let time = Duration::from_secs(20);
    scenario("drop-30%", "chaos-drop", time, async |h| {
        on_alpha(h, Fault::Drop(30), time).await
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn http_500_for_20_s() -> eyre::Result<()> {
    let time = Duration::from_secs(20);
    scenario("http-500", "chaos-500", time, async |h| {
        on_alpha(h, Fault::Http500, time).await
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_5_s_blackhole() -> eyre::Result<()> {
    let time = Duration::from_secs(5);
    scenario("blackhole", "chaos-blackhole", time, async |h| {
        on_alpha(h, Fault::Blackhole, time).await
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_slow_rpc() -> eyre::Result<()> {
    let time = Duration::from_secs(10);
    scenario("delay-300ms", "chaos-delay", time, async |h| {
        on_alpha(h, Fault::Delay(Duration::from_millis(300)), time).await
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lane_curse_during_traffic() -> eyre::Result<()> {
    let time = Duration::from_secs(8);
    scenario("curse", "chaos-curse", time, async |h| {
        let gamma = h
            .network()
            .chain("gamma")
            .ok_or_else(|| eyre::eyre!("gamma"))?
            .chain_selector;
        tokio::time::sleep(Duration::from_secs(1)).await;
        h.client.curse("alpha", CurseSubject::Lane(gamma)).await?;
        tokio::time::sleep(time).await;
        h.client.uncurse("alpha", CurseSubject::Lane(gamma)).await?;
        Ok(())
    })
    .await
}
