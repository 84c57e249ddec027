//! The `ccip` binary as a user runs it: `ccip up` (chains, deployment and the three networks),
//! then `ccip send` and `ccip status --wait executed` against its network file, and the metrics
//! endpoint counting the delivery.

use std::{
    io::{Read, Write},
    net::TcpStream,
    time::Duration,
};

mod support;

use support::{Running, Scratch, ccip};

fn metrics(addr: &str) -> eyre::Result<String> {
    let mut stream = TcpStream::connect(addr)?;
    stream.write_all(b"GET /metrics HTTP/1.1\r\nhost: localhost\r\n\r\n")?;
    let mut body = String::new();
    stream.read_to_string(&mut body)?;
    Ok(body)
}

fn sample(metrics: &str, line_start: &str) -> Option<u64> {
    metrics
        .lines()
        .find(|l| l.starts_with(line_start))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[test]
fn up_send_status_and_metrics() -> eyre::Result<()> {
    let scratch = Scratch::new()?;
    let network = scratch.network.clone();
    let up = Running::spawn(scratch.up(2, &[]))?;
    // `up` prints the metrics address once the networks run.
    let addr = up
        .wait_for_line("Metrics: http://", Duration::from_secs(180))?
        .trim_end_matches("/metrics")
        .to_owned();
    assert!(network.is_file());

    let send = ccip()
        .args([
            "send",
            "--from",
            "alpha",
            "--to",
            "beta",
            "--data",
            "hello from the cli",
        ])
        .arg("--network")
        .arg(&network)
        .output()?;
    assert!(
        send.status.success(),
        "{}",
        String::from_utf8_lossy(&send.stderr)
    );
    let stdout = String::from_utf8(send.stdout)?;
    let id = stdout.lines().next().unwrap_or_default().trim().to_owned();
    assert!(
        id.starts_with("0x") && id.len() == 66,
        "first line is the message id: {stdout}"
    );

    let status = ccip()
        .args(["status", &id, "--wait", "executed", "--timeout", "60"])
        .arg("--network")
        .arg(&network)
        .output()?;
    let text = String::from_utf8(status.stdout)?;
    assert!(
        status.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(text.contains("state: executed"), "{text}");

    let body = metrics(&addr)?;
    assert!(body.starts_with("HTTP/1.1 200 OK"), "{body}");
    assert_eq!(
        sample(&body, "ccip_messages_committed_seq{lane=\"alpha->beta\"}"),
        Some(1),
        "{body}"
    );
    assert_eq!(
        sample(&body, "ccip_messages_executed_total{lane=\"alpha->beta\"}"),
        Some(1),
        "{body}"
    );
    assert_eq!(
        sample(&body, "ccip_messages_failed_total{lane=\"alpha->beta\"}"),
        Some(0),
        "{body}"
    );
    assert!(
        body.contains("ccip_rmn_bless_votes_total{node=\"0\"}"),
        "{body}"
    );
    // The transaction managers report per key: the commit and exec transmitters sent, and
    // nothing is stuck or failed on a quiet happy path.
    assert!(
        body.contains("# TYPE ccip_tx_replaced_total counter"),
        "{body}"
    );
    let sent: u64 = body
        .lines()
        .filter(|l| l.starts_with("ccip_tx_sent_total{"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum();
    assert!(sent >= 2, "a commit and an execute were sent: {body}");
    // A bad id is a clear error, not a hang.
    let bad = ccip()
        .args(["status", "0x1234"])
        .arg("--network")
        .arg(&network)
        .output()?;
    assert!(!bad.status.success());
    assert!(!bad.stderr.is_empty());
    Ok(())
}
