//! `ccip up --persist`: Ctrl-C, then `ccip up --persist` again resumes the same chains (same
//! addresses, same history: old message ids are still found), and a message in flight at the
//! Ctrl-C is delivered exactly once after the restart.

mod support;

use std::time::Duration;

use ccip_client::{Client, MessageState, SendRequest};
use ccip_deploy::NetworkFile;
use support::{Running, Scratch};

const START: Duration = Duration::from_secs(180);
const DELIVERY: Duration = Duration::from_secs(240);

#[tokio::test(flavor = "multi_thread")]
async fn a_persisted_network_resumes_with_its_contracts_and_messages() -> eyre::Result<()> {
    let scratch = Scratch::new()?;
    let mut first = Running::spawn(scratch.up(2, &["--persist"]))?;
    first.wait_for_line("Metrics: ", START)?;
    let before = NetworkFile::read(&scratch.network)?;
    let client = Client::new(before.clone())?;
    let delivered = client
        .send(SendRequest::new("alpha", "beta").text("before"))
        .await?;
    client
        .wait_for_state(delivered.message_id, MessageState::Executed, DELIVERY)
        .await?;
    let in_flight = client
        .send(SendRequest::new("beta", "alpha").text("in flight"))
        .await?;
    let (_, ok) = first.interrupt(Duration::from_secs(60))?;
    assert!(ok, "the first up stops cleanly");

    let second = Running::spawn(scratch.up(2, &["--persist"]))?;
    second.wait_for_line("Resumed 2 chains", START)?;
    second.wait_for_line("Metrics: ", START)?;
    let after = NetworkFile::read(&scratch.network)?;
    for (b, a) in before.chains.iter().zip(&after.chains) {
        assert_eq!(b.rpc_url, a.rpc_url, "{}: same endpoint", b.name);
        assert_eq!(b.contracts, a.contracts, "{}: same contracts", b.name);
    }
    let client = Client::new(after)?;
    assert_eq!(
        client.status(delivered.message_id).await?.state(),
        MessageState::Executed,
        "history kept"
    );
    let later = client
        .send(SendRequest::new("alpha", "beta").text("after"))
        .await?;
    for id in [in_flight.message_id, later.message_id] {
        client
            .wait_for_state(id, MessageState::Executed, DELIVERY)
            .await?;
        assert_eq!(client.status(id).await?.executions.len(), 1);
    }
    Ok(())
}
