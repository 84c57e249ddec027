//! Stopping as users stop things: Ctrl-C on `ccip up` with messages in flight ends it promptly
//! and takes its chains down; `kill -9` of `ccip run` mid-stream loses nothing: a new `ccip run`
//! on the same databases delivers every message exactly once.

mod support;

use std::time::Duration;

use ccip_client::{Client, SendReceipt, SendRequest};
use ccip_deploy::NetworkFile;
use support::{Running, Scratch, listening};

const START: Duration = Duration::from_secs(180);
const DELIVERY: Duration = Duration::from_secs(180);

async fn send_each_way(client: &Client, tag: &str) -> eyre::Result<Vec<SendReceipt>> {
    let mut sent = Vec::new();
    for (src, dst) in [("alpha", "beta"), ("beta", "alpha")] {
        for i in 0..3 {
            let text = format!("{tag} {i} {src}->{dst}");
            sent.push(client.send(SendRequest::new(src, dst).text(&text)).await?);
        }
    }
    Ok(sent)
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_stops_up_promptly_with_messages_in_flight() -> eyre::Result<()> {
    let scratch = Scratch::new()?;
    let mut up = Running::spawn(scratch.up(2, &[]))?;
    up.wait_for_line("Metrics: ", START)?;
    let network = NetworkFile::read(&scratch.network)?;
    let client = Client::new(network.clone())?;
    send_each_way(&client, "in flight").await?;

    let (took, ok) = up.interrupt(Duration::from_secs(60))?;
    println!("ccip up stopped {:.2} s after Ctrl-C", took.as_secs_f64());
    assert!(ok, "ccip up exits cleanly on Ctrl-C");
    for chain in &network.chains {
        assert!(!listening(&chain.rpc_url), "{} is still up", chain.name);
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_of_ccip_run_mid_stream_loses_nothing() -> eyre::Result<()> {
    let scratch = Scratch::new()?;
    let _chains = {
        let up = Running::spawn(scratch.up(2, &["--no-networks"]))?;
        up.wait_for_line("Running;", START)?;
        up
    };
    let client = Client::new(NetworkFile::read(&scratch.network)?)?;

    let mut run = Running::spawn(scratch.run())?;
    run.wait_for_line("Metrics: ", START)?;
    let mut sent = send_each_way(&client, "before the crash").await?;
    // Crash while those are being committed and executed.
    run.kill_9()?;
    sent.extend(send_each_way(&client, "while down").await?);

    let again = Running::spawn(scratch.run())?;
    again.wait_for_line("Metrics: ", START)?;
    support::executed_exactly_once(&client, &sent, DELIVERY).await?;
    Ok(())
}
