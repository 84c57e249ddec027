//! The soak bench: every chaos scenario with 1,000 messages (or `--messages N`), one after the
//! other, each on a fresh three-chain deployment; prints lost / duplicated / recovery time per
//! scenario. A benchmark: it prints figures and fails only if a scenario cannot run.

use std::time::Duration;

use ccip_e2e::chaos::{Scenario, run};
use clap::Parser;

#[derive(Debug, Parser)]
#[command(about = "Chaos scenarios with many messages: lost, duplicated and recovery time")]
struct Args {
    /// Messages per scenario.
    #[arg(long, default_value_t = 1000)]
    messages: usize,
    /// Only these scenarios (drop, http-500, blackhole, delay, curse); all by default.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// How long delivery may take after a fault before messages count as lost, in seconds.
    #[arg(long, default_value_t = 600)]
    deadline: u64,
}

#[tokio::main]
async fn main() -> eyre::Result<()> {
    let args = Args::parse();
    let scenarios: Vec<Scenario> = Scenario::ALL
        .into_iter()
        .filter(|s| {
            args.only.is_empty() || args.only.iter().any(|o| s.name().starts_with(o.as_str()))
        })
        .collect();
    eyre::ensure!(!scenarios.is_empty(), "no scenario matches {:?}", args.only);
    println!("soak: {} messages per scenario", args.messages);
    for scenario in scenarios {
        let seed = format!("soak-{}", scenario.name());
        let outcome = run(
            scenario,
            args.messages,
            &seed,
            Duration::from_secs(args.deadline),
        )
        .await?;
        println!("{outcome}");
    }
    Ok(())
}
