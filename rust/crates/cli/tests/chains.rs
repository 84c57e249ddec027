//! A chain that dies under `ccip up`: `up` notices, restarts it from its saved state, and the
//! networks carry on. A graceful stop (SIGTERM) loses nothing. A crash (SIGKILL) loses the blocks
//! of the last second; the risk network sees the rewritten blocks as a reorganisation past
//! finality and curses the lanes from that chain; `ccip lane reset` (the documented recovery)
//! brings them back, and every message the chains kept executes exactly once.

mod support;

use std::time::Duration;

use alloy::providers::{Provider, ProviderBuilder};
use ccip_client::{Client, CurseSubject, MessageState, SendReceipt, SendRequest};
use ccip_deploy::NetworkFile;
use support::{Running, Scratch, signal};

const START: Duration = Duration::from_secs(180);
const DELIVERY: Duration = Duration::from_secs(240);

const LANES: [(&str, &str); 6] = [
    ("alpha", "beta"),
    ("alpha", "gamma"),
    ("beta", "alpha"),
    ("beta", "gamma"),
    ("gamma", "alpha"),
    ("gamma", "beta"),
];

async fn send_all(client: &Client, tag: &str) -> eyre::Result<Vec<SendReceipt>> {
    let mut sent = Vec::new();
    for (src, dst) in LANES {
        let text = format!("{tag} {src}->{dst}");
        sent.push(client.send(SendRequest::new(src, dst).text(&text)).await?);
    }
    Ok(sent)
}

/// The pid of the anvil keeping its state in `file`.
fn anvil_pid(file: &std::path::Path) -> eyre::Result<u32> {
    let out = std::process::Command::new("pgrep")
        .arg("-f")
        .arg(file.to_string_lossy().as_ref())
        .output()?;
    let text = String::from_utf8(out.stdout)?;
    text.lines()
        .filter_map(|l| l.trim().parse().ok())
        .next()
        .ok_or_else(|| eyre::eyre!("no anvil runs with {}", file.display()))
}

/// Messages whose send transaction the source chain still has (a crash can take the last ones).
async fn kept(
    network: &NetworkFile,
    sent: Vec<SendReceipt>,
) -> eyre::Result<(Vec<SendReceipt>, usize)> {
    let mut kept = Vec::new();
    let mut lost = 0;
    for r in sent {
        let chain = network
            .chain(&r.source)
            .ok_or_else(|| eyre::eyre!("source chain {}", r.source))?;
        let provider = ProviderBuilder::new().connect_http(chain.rpc_url.parse()?);
        match provider.get_transaction_receipt(r.tx_hash).await? {
            Some(_) => kept.push(r),
            None => lost += 1,
        }
    }
    Ok((kept, lost))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_chain_is_restarted_from_its_state_and_nothing_it_kept_is_lost() -> eyre::Result<()>
{
    let scratch = Scratch::new()?;
    let up = Running::spawn(scratch.up(3, &[]))?;
    up.wait_for_line("Metrics: ", START)?;
    let network = NetworkFile::read(&scratch.network)?;
    let client = Client::new(network.clone())?;
    let state = scratch.network.with_file_name("chains").join("beta.json");

    let mut sent = send_all(&client, "before").await?;
    // A graceful stop: anvil writes its state on the way out.
    signal(anvil_pid(&state)?, "TERM")?;
    up.wait_for_line("Chain beta stopped", START)?;
    up.wait_for_line("Chain beta is back", START)?;
    sent.extend(send_all(&client, "after a graceful restart").await?);
    for r in &sent {
        client
            .wait_for_state(r.message_id, MessageState::Executed, DELIVERY)
            .await?;
    }

    // A crash, with traffic in flight.
    sent.extend(send_all(&client, "around the crash").await?);
    signal(anvil_pid(&state)?, "KILL")?;
    up.wait_for_line("Chain beta stopped", START)?;
    up.wait_for_line("Chain beta is back", START)?;
    // Lost blocks read as a reorganisation past finality: recover every lane from beta that the
    // risk network cursed, as the README says.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let beta = network
        .chain("beta")
        .ok_or_else(|| eyre::eyre!("beta"))?
        .chain_selector;
    for dest in ["alpha", "gamma"] {
        let cursed = client.cursed_subjects(dest).await?;
        if cursed.contains(&CurseSubject::Lane(beta).bytes()) {
            let out = scratch.ccip(&["lane", "reset", "--chain", dest, "--remote", "beta"])?;
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            println!("{}", String::from_utf8_lossy(&out.stdout));
        }
    }
    sent.extend(send_all(&client, "after the crash").await?);
    let (kept, lost) = kept(&network, sent).await?;
    println!(
        "{} messages kept by the chains, {lost} sends lost with the crashed chain's last blocks",
        kept.len()
    );
    support::executed_exactly_once(&client, &kept, DELIVERY).await?;
    Ok(())
}
