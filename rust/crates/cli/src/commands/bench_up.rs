//! `ccip bench-up`: time `up` (spawn + deploy + configure) a few times and print the figures.

use std::time::{Duration, Instant};

use ccip_deploy::DeployOptions;
use clap::Args;
use eyre::Result;

#[derive(Debug, Args)]
pub(crate) struct BenchUpArgs {
    /// Number of chains.
    #[arg(long, default_value_t = 3)]
    pub(crate) chains: u16,
    /// Number of runs.
    #[arg(long, default_value_t = 3)]
    pub(crate) runs: u32,
}

pub(crate) async fn bench_up(args: BenchUpArgs) -> Result<()> {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "bench-up: {} chains, {} runs (spawn + deploy + configure; anvils on free ports)",
        args.chains, args.runs
    );
    println!(
        "{:>4} {:>9} {:>9} {:>9} {:>9} {:>9} {:>5}",
        "run", "spawn ms", "prep ms", "send ms", "conf ms", "total ms", "txs"
    );
    let mut totals = Vec::new();
    for run in 1..=args.runs {
        let started = Instant::now();
        let network =
            ccip_deploy::up(usize::from(args.chains), None, 0, &DeployOptions::default()).await?;
        let total = started.elapsed();
        let t = network.deployment.timings;
        println!(
            "{run:>4} {:>9.0} {:>9.0} {:>9.0} {:>9.0} {:>9.0} {:>5}",
            ms(network.spawn_time),
            ms(t.prepare),
            ms(t.send),
            ms(t.confirm),
            ms(total),
            network.deployment.transactions
        );
        totals.push(total);
        network.chains.shutdown();
    }
    if let (Some(min), Some(max)) = (totals.iter().min(), totals.iter().max()) {
        let mean = totals.iter().sum::<Duration>() / totals.len().max(1) as u32;
        println!(
            "total: min {:.0} ms, mean {:.0} ms, max {:.0} ms",
            ms(*min),
            ms(mean),
            ms(*max)
        );
    }
    Ok(())
}
