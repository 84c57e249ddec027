//! `ccip behave` on a running `ccip up` (4 committing nodes, a report needs f+1 = 2 signatures):
//! a lying node changes nothing; two silent nodes change nothing either; with three silent, fewer
//! than f+1 honest nodes are left and commits stop (the message waits, nothing wrong is committed)
//! until they behave again, and then it is delivered exactly once.

mod support;

use std::time::Duration;

use ccip_client::{Client, MessageState, SendRequest};
use ccip_deploy::NetworkFile;
use support::{Running, Scratch};

const START: Duration = Duration::from_secs(180);
const DELIVERY: Duration = Duration::from_secs(240);

fn behave(scratch: &Scratch, node: &str, how: &str) -> eyre::Result<(bool, String)> {
    let out = scratch.ccip(&["behave", "commit", node, how])?;
    let text = format!(
        "{}{}",
        String::from_utf8(out.stdout)?,
        String::from_utf8(out.stderr)?
    );
    Ok((out.status.success(), text))
}

#[tokio::test(flavor = "multi_thread")]
async fn faulty_committing_nodes_never_commit_wrong_and_only_stop_commits_below_f_plus_1_honest()
-> eyre::Result<()> {
    let scratch = Scratch::new()?;
    let up = Running::spawn(scratch.up(2, &[]))?;
    up.wait_for_line("Metrics: ", START)?;
    let network = NetworkFile::read(&scratch.network)?;
    assert_eq!(
        network.roles.f, 1,
        "the default committing network tolerates one fault"
    );
    let client = Client::new(network)?;

    let (ok, out) = behave(&scratch, "0", "lie")?;
    assert!(ok && out.contains("SignGarbage"), "{out}");
    let despite = client
        .send(SendRequest::new("alpha", "beta").text("despite a liar"))
        .await?;
    client
        .wait_for_state(despite.message_id, MessageState::Executed, DELIVERY)
        .await?;

    for node in ["0", "1"] {
        let (ok, out) = behave(&scratch, node, "silent")?;
        assert!(ok && out.contains("Silent"), "{out}");
    }
    let two_silent = client
        .send(SendRequest::new("alpha", "beta").text("two silent"))
        .await?;
    client
        .wait_for_state(two_silent.message_id, MessageState::Executed, DELIVERY)
        .await?;
    let (ok, out) = behave(&scratch, "2", "silent")?;
    assert!(ok && out.contains("Silent"), "{out}");
    let held = client
        .send(SendRequest::new("alpha", "beta").text("f+1 silent"))
        .await?;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let status = client.status(held.message_id).await?;
    assert_eq!(
        status.state(),
        MessageState::Sent,
        "committed with f+1 nodes silent: {status}"
    );

    for node in ["0", "1"] {
        let (ok, out) = behave(&scratch, node, "honest")?;
        assert!(ok && out.contains("Honest"), "{out}");
    }
    client
        .wait_for_state(held.message_id, MessageState::Executed, DELIVERY)
        .await?;
    for id in [despite.message_id, two_silent.message_id, held.message_id] {
        assert_eq!(client.status(id).await?.executions.len(), 1);
    }

    let (ok, out) = behave(&scratch, "9", "lie")?;
    assert!(!ok && out.contains("no committing node 9"), "{out}");
    let (ok, out) = behave(&scratch, "0", "dance")?;
    assert!(!ok && out.contains("invalid value"), "{out}");
    Ok(())
}
