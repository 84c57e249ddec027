//! The bad-input corpus of `ccip send`: every input that would lose money or fail on arrival is
//! refused before anything is signed. Each case asserts the error names the problem, prints no
//! source location or backtrace, and that the sender's nonce and balances did not move.

use std::{path::Path, time::Duration};

use alloy::{
    primitives::{Address, U256},
    providers::{Provider, ProviderBuilder},
};
use ccip_bindings::i_erc20::IERC20;
use ccip_deploy::NetworkFile;

mod support;

use support::{Running, Scratch, ccip};

/// What a refusal must leave untouched: the sender's nonce and token balances on the source.
#[derive(Debug, PartialEq, Eq)]
struct Ledger {
    nonce: u64,
    native: U256,
    bnm: U256,
    link: U256,
}

async fn ledger(network: &NetworkFile, who: Address) -> eyre::Result<Ledger> {
    let alpha = &network.chains[0];
    let provider = ProviderBuilder::new().connect_http(alpha.rpc_url.parse()?);
    let balance = |token| {
        let provider = provider.clone();
        async move { IERC20::new(token, provider).balanceOf(who).call().await }
    };
    Ok(Ledger {
        nonce: provider.get_transaction_count(who).await?,
        native: provider.get_balance(who).await?,
        bnm: balance(alpha.tokens.bnm.token).await?,
        link: balance(alpha.contracts.link_token).await?,
    })
}

fn send(network: &Path, args: &[&str]) -> eyre::Result<(bool, String)> {
    let out = ccip()
        .args(["send", "--from", "alpha", "--to", "beta"])
        .args(args)
        .arg("--network")
        .arg(network)
        .env("RUST_LOG", "warn")
        .env_remove("RUST_BACKTRACE")
        .output()?;
    Ok((out.status.success(), String::from_utf8(out.stderr)?))
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_sends_are_refused_before_anything_is_signed() -> eyre::Result<()> {
    let scratch = Scratch::new()?;
    let network_path = scratch.network.clone();
    let up = Running::spawn(scratch.up(2, &["--no-networks"]))?;
    up.wait_for_line("Running", Duration::from_secs(180))?;

    let network = NetworkFile::read(&network_path)?;
    let me = network.chains[0].accounts[0].address;
    let messenger = network.chains[1].contracts.messenger.to_string();
    let before = ledger(&network, me).await?;

    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "--token",
                "BnM:1",
                "--receiver",
                "0x0000000000000000000000000000000000000000",
            ],
            "zero address",
        ),
        (&["--token", "BnM:-1"], "no sign allowed"),
        (
            &["--token", "BnM:1.0000000000000000001"],
            "19 fractional digits",
        ),
        (&["--token", "BnM:lots"], "is not a digit"),
        (&["--token", "BnM:0"], "zero"),
        (&["--token", "BnM:1.5wei"], "no fraction"),
        (&["--token", "BnM"], "expected SYMBOL:amount"),
        (&["--token", "NOPE:1"], "unknown token"),
        (
            &["--data", "hi", "--gas-limit", "0"],
            "gas limit 0 is too low",
        ),
        (
            &[
                "--data",
                "hi",
                "--gas-limit",
                "1000",
                "--receiver",
                &messenger,
            ],
            "gas limit 1000 is too low",
        ),
        (&["--data", "0xzz"], "bad hex"),
        (&["--fee-token", "gold"], "fee token"),
        (&["--private-key", "0x1234"], "invalid private key"),
        // A key nobody funded: refused with what it holds and needs, before anything is signed.
        (
            &[
                "--data",
                "hi",
                "--private-key",
                "0x00000000000000000000000000000000000000000000000000000000000abcde",
            ],
            "holds 0 of the native coin (wei) on alpha",
        ),
        (
            &["--token", "BnM:100000000"],
            "fund the account, or send as a funded test account",
        ),
    ];
    for (args, expected) in cases {
        let (ok, stderr) = send(&network_path, args)?;
        assert!(!ok, "{args:?} was accepted");
        assert!(
            stderr.contains(expected),
            "{args:?}: expected {expected:?} in:\n{stderr}"
        );
        assert!(
            !stderr.contains("Location:") && !stderr.contains("Backtrace"),
            "{args:?}: a user error prints no location or backtrace:\n{stderr}"
        );
        assert_eq!(
            ledger(&network, me).await?,
            before,
            "{args:?}: refused, yet the sender's account changed"
        );
    }

    // The same too-low gas limit goes through with --force (the message will fail on arrival and
    // wait for manual execution): the check guards against accidents, not against intent.
    let (ok, stderr) = send(
        &network_path,
        &["--data", "hi", "--gas-limit", "0", "--force"],
    )?;
    assert!(ok, "--force sends anyway:\n{stderr}");
    assert_eq!(ledger(&network, me).await?.nonce, before.nonce + 1);

    // An ordinary send is not refused by the checks.
    let (ok, stderr) = send(&network_path, &["--token", "BnM:0.5", "--data", "hi"])?;
    assert!(ok, "{stderr}");

    // -v asks for the location.
    let out = ccip()
        .args([
            "send", "--from", "alpha", "--to", "beta", "--token", "BnM:-1", "-v",
        ])
        .arg("--network")
        .arg(&network_path)
        .output()?;
    assert!(!out.status.success());
    assert!(String::from_utf8(out.stderr)?.contains("Location:"));

    // A second `up` on the same network file is refused, naming the running one, and leaves the
    // file alone.
    let file_before = std::fs::read(&network_path)?;
    let second = ccip()
        .args(["up", "--chains", "2", "--base-port", "0", "--no-networks"])
        .arg("--out")
        .arg(&network_path)
        .env("RUST_LOG", "warn")
        .output()?;
    let stderr = String::from_utf8(second.stderr)?;
    assert!(!second.status.success(), "a second up started:\n{stderr}");
    assert!(
        stderr.contains("in use by a running network") && stderr.contains("ccip up"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&network_path)?, file_before);

    // A taken port is named as such (anvil alone only says it timed out).
    let taken = std::net::TcpListener::bind("127.0.0.1:0")?;
    let port = taken.local_addr()?.port().to_string();
    let busy = ccip()
        .args(["up", "--chains", "2", "--no-networks", "--base-port", &port])
        .arg("--out")
        .arg(network_path.with_file_name("busy.json"))
        .env_remove("RUST_BACKTRACE")
        .output()?;
    let stderr = String::from_utf8(busy.stderr)?;
    assert!(
        !busy.status.success(),
        "up started on a taken port:\n{stderr}"
    );
    assert!(
        stderr.contains(&format!("port {port} is already in use"))
            && stderr.contains("--base-port"),
        "{stderr}"
    );

    // Selectors are strings in the file, so JavaScript and jq read them exactly.
    let raw: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&network_path)?)?;
    let selector = &raw["chains"][0]["chainSelector"];
    assert_eq!(
        selector.as_str().map(str::to_owned),
        Some(network.chains[0].chain_selector.to_string()),
        "chainSelector is written as a decimal string: {selector}"
    );
    assert!(raw["chains"][0]["lanes"][0]["remoteChainSelector"].is_string());
    Ok(())
}
