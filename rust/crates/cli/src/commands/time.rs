//! `ccip time advance DURATION`: moves every chain's clock forward at once (`evm_increaseTime`,
//! then a block), e.g. `8h` past the permissionless manual-execution threshold.

use std::{path::PathBuf, time::Duration};

use alloy::providers::{Provider, ProviderBuilder, ext::AnvilApi};
use ccip_deploy::DEFAULT_NETWORK_FILE;
use clap::{Args, Subcommand};
use eyre::{Context, Result};

#[derive(Debug, Subcommand)]
pub(crate) enum TimeCommand {
    /// Advance every chain's clock by DURATION (`90s`, `30m`, `8h`, `2d`; plain seconds too) and
    /// mine a block on each, so the new time is on chain.
    Advance(AdvanceArgs),
}

#[derive(Debug, Args)]
pub(crate) struct AdvanceArgs {
    /// How far: a number with `s`, `m`, `h` or `d`.
    #[arg(value_parser = parse_duration)]
    duration: Duration,
    /// The network file.
    #[arg(long, default_value = DEFAULT_NETWORK_FILE)]
    network: PathBuf,
}

/// `90s`, `30m`, `8h`, `2d` or plain seconds.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let value: u64 = digits
        .parse()
        .map_err(|_| format!("{text:?}: expected a whole number with s, m, h or d"))?;
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        other => return Err(format!("{text:?}: unknown unit {other:?} (s, m, h or d)")),
    };
    if value == 0 {
        return Err(format!("{text:?}: advancing by nothing"));
    }
    value
        .checked_mul(scale)
        .map(Duration::from_secs)
        .ok_or_else(|| format!("{text:?}: too far"))
}

pub(crate) async fn time(command: TimeCommand) -> Result<()> {
    let TimeCommand::Advance(args) = command;
    let network = crate::target_network::read(&args.network)?;
    let seconds = args.duration.as_secs();
    for chain in &network.chains {
        let provider = ProviderBuilder::new().connect_http(chain.rpc_url.parse()?);
        provider
            .anvil_increase_time(seconds)
            .await
            .wrap_err_with(|| {
                format!(
                    "{}: evm_increaseTime (an anvil chain is needed)",
                    chain.name
                )
            })?;
        provider
            .anvil_mine(Some(1), None)
            .await
            .wrap_err_with(|| format!("{}: evm_mine", chain.name))?;
        let block = provider
            .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
            .await?
            .ok_or_else(|| eyre::eyre!("{}: no latest block", chain.name))?;
        println!(
            "{}: clock advanced {seconds} s; block {} at {}",
            chain.name, block.header.number, block.header.timestamp
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_units() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_duration("8h"), Ok(Duration::from_secs(28_800)));
        assert_eq!(parse_duration("2d"), Ok(Duration::from_secs(172_800)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("8w").is_err());
        assert!(parse_duration("-1h").is_err());
        assert!(parse_duration("h").is_err());
    }
}
