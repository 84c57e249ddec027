//! `ccip`: bring up local chains with lanes between all of them (`up`), deploy on chains you run
//! (`deploy`), time the bring-up (`bench-up`), and use a running network: `send`, `status`,
//! `manual-exec`, `curse`, `uncurse` (through `ccip-client`).

mod user;

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::ExitCode,
    time::{Duration, Instant},
};

use alloy::{signers::local::PrivateKeySigner, transports::http::reqwest::Url};
use ccip_deploy::{DEFAULT_NETWORK_FILE, DEFAULT_SEED, DeployOptions, Deployment, NetworkFile};
use ccip_runner::{Networks, RunnerConfig};
use clap::{Args, Parser, Subcommand};
use eyre::{Context, Result, bail};

#[derive(Debug, Parser)]
#[command(
    name = "ccip",
    version,
    about = "Local CCIP-style cross-chain networks"
)]
struct Cli {
    /// On an error, also print where it arose and the backtrace (as `RUST_BACKTRACE=1` does).
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Spawn local anvil chains, deploy the suite and wire every lane; runs until Ctrl-C.
    Up(UpArgs),
    /// Deploy the suite and wire every lane on chains you run.
    Deploy(DeployArgs),
    /// Time `up` (spawn + deploy + configure) a few times and print the figures.
    BenchUp(BenchArgs),
    /// Run the committing, executing and risk networks for a deployment already up (for
    /// example one made with `ccip deploy`); runs until Ctrl-C.
    Run(RunArgs),
    /// Send data and/or tokens on a lane; prints the message id.
    Send(user::SendArgs),
    /// Show a message's progress: sent, committed, blessed, executed or failed.
    Status(user::StatusArgs),
    /// Execute a committed, blessed message by hand (e.g. after it failed).
    ManualExec(user::ManualExecArgs),
    /// Curse a lane (or every lane) on a chain's ARM, with the deployer key.
    Curse(user::CurseArgs),
    /// Lift a curse set with `curse`.
    Uncurse(user::CurseArgs),
}

#[derive(Debug, Args)]
struct NetworkArgs {
    /// Where the nodes keep their databases.
    #[arg(long, default_value = ".network/data")]
    data_dir: PathBuf,
    /// Port of the Prometheus metrics endpoint on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 9464)]
    metrics_port: u16,
    /// Blocks a source message must be buried under before the networks act on it.
    #[arg(long, default_value_t = 0)]
    confirmations: u64,
    /// Deploy and wire only; start no off-chain network.
    #[arg(long)]
    no_networks: bool,
}

#[derive(Debug, Args)]
struct RunArgs {
    /// The deployment's network file.
    #[arg(long, default_value = DEFAULT_NETWORK_FILE)]
    network: PathBuf,
    #[command(flatten)]
    networks: NetworkArgs,
}

#[derive(Debug, Args)]
struct Common {
    /// Seed every key (deployer, signers, transmitters, voters, test accounts) derives from.
    #[arg(long, default_value = DEFAULT_SEED)]
    seed: String,
    /// Where to write the network file.
    #[arg(long, default_value = DEFAULT_NETWORK_FILE)]
    out: PathBuf,
}

#[derive(Debug, Args)]
struct UpArgs {
    /// Number of chains (a lane in each direction between every two).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(2..=10))]
    chains: u16,
    /// Seconds between blocks (whole seconds, set once deployed); automine when absent.
    #[arg(long)]
    block_time: Option<u32>,
    /// Port of the first chain; chain i listens on base-port + i.
    #[arg(long, default_value_t = 8545)]
    base_port: u16,
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    networks: NetworkArgs,
}

#[derive(Debug, Args)]
struct DeployArgs {
    /// JSON-RPC URL of a chain; repeat for every chain (at least two).
    #[arg(long = "rpc", required = true, num_args = 1)]
    rpc: Vec<Url>,
    /// Deployer key (hex). Without it, anvil chains get the seed's deployer funded with
    /// anvil_setBalance, which gives the same addresses as `ccip up` on fresh chains.
    #[arg(long)]
    private_key: Option<String>,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, Args)]
struct BenchArgs {
    /// Number of chains.
    #[arg(long, default_value_t = 3)]
    chains: u16,
    /// Number of runs.
    #[arg(long, default_value_t = 3)]
    runs: u32,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_target(false)
        // stdout is for results (a sent message's id first), so scripts can read it.
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let verbose = cli.verbose;
    let outcome = match cli.command {
        Command::Up(args) => up(args).await,
        Command::Deploy(args) => deploy(args).await,
        Command::BenchUp(args) => bench(args).await,
        Command::Run(args) => run(args).await,
        Command::Send(args) => user::send(args).await,
        Command::Status(args) => user::status(args).await,
        Command::ManualExec(args) => user::manual_exec(args).await,
        Command::Curse(args) => user::curse(args, true).await,
        Command::Uncurse(args) => user::curse(args, false).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            report(&error, verbose);
            ExitCode::FAILURE
        }
    }
}

/// Prints a failed command's error for a person: the message and its causes, one per line; the
/// source location and backtrace only when asked for (`-v`, or `RUST_BACKTRACE` set).
fn report(error: &eyre::Report, verbose: bool) {
    if verbose || std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
        eprintln!("error: {error:?}");
        return;
    }
    eprintln!("error: {error}");
    for cause in error.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
}

async fn up(args: UpArgs) -> Result<()> {
    let started = Instant::now();
    let options = DeployOptions {
        seed: args.common.seed.clone(),
        ..Default::default()
    };
    // Signals are caught from the start so that an interrupted deployment still stops the anvils
    // (dropping the `up` future drops them).
    let shutdown = shutdown_signal()?;
    tokio::pin!(shutdown);
    let up = ccip_deploy::up(
        usize::from(args.chains),
        args.block_time.map(f64::from),
        args.base_port,
        &options,
    );
    let network = tokio::select! {
        result = up => result.wrap_err("ccip up")?,
        _ = &mut shutdown => {
            println!("Interrupted; the chains are stopped.");
            return Ok(());
        }
    };
    network.deployment.network.write(&args.common.out)?;
    summary(&network.deployment, &args.common.out, started.elapsed());
    // Fresh chains: what older nodes stored describes chains that are gone.
    if args.networks.data_dir.exists() && !args.networks.no_networks {
        std::fs::remove_dir_all(&args.networks.data_dir)
            .wrap_err_with(|| format!("clearing {}", args.networks.data_dir.display()))?;
    }
    let networks = start_networks(&network.deployment.network, &args.networks).await?;
    println!("Running; press Ctrl-C to stop.");
    shutdown.await;
    println!("Stopping...");
    if let Some(networks) = networks {
        networks.stop().await;
    }
    network.chains.shutdown();
    Ok(())
}

async fn run(args: RunArgs) -> Result<()> {
    let network = NetworkFile::read(&args.network).wrap_err_with(|| {
        format!(
            "reading {} (run `ccip up` or `ccip deploy` first)",
            args.network.display()
        )
    })?;
    let shutdown = shutdown_signal()?;
    let networks = start_networks(&network, &args.networks).await?;
    println!("Running; press Ctrl-C to stop.");
    shutdown.await;
    if let Some(networks) = networks {
        networks.stop().await;
    }
    Ok(())
}

async fn start_networks(network: &NetworkFile, args: &NetworkArgs) -> Result<Option<Networks>> {
    if args.no_networks {
        println!(
            "Off-chain networks not started (--no-networks): sent messages stay on their source chain."
        );
        return Ok(None);
    }
    let config = RunnerConfig {
        data_dir: Some(args.data_dir.clone()),
        metrics_addr: Some(SocketAddr::from(([127, 0, 0, 1], args.metrics_port))),
        ..RunnerConfig::local(args.confirmations)
    };
    let networks = Networks::start(network, config)
        .await
        .wrap_err("starting the off-chain networks")?;
    println!(
        "Committing, executing and risk networks running (databases in {}).",
        args.data_dir.display()
    );
    if let Some(addr) = networks.metrics_addr {
        println!("Metrics: http://{addr}/metrics");
    }
    Ok(Some(networks))
}

async fn deploy(args: DeployArgs) -> Result<()> {
    let started = Instant::now();
    if args.rpc.len() < 2 {
        bail!("a mesh needs at least two chains: pass --rpc twice or more");
    }
    let chains = ccip_deploy::connect(&args.rpc).await?;
    let deployer = match &args.private_key {
        Some(hex) => Some(
            hex.trim()
                .parse::<PrivateKeySigner>()
                .wrap_err("--private-key is not a valid hex private key")?,
        ),
        None => {
            if let Some(chain) = chains.iter().find(|c| !c.is_anvil) {
                bail!(
                    "{} ({}) is not an anvil, so the deployer cannot be funded with \
                     anvil_setBalance: pass --private-key of a funded account",
                    chain.name,
                    chain.rpc_url
                );
            }
            None
        }
    };
    let options = DeployOptions {
        seed: args.common.seed,
        deployer,
        ..Default::default()
    };
    let deployment = ccip_deploy::deploy(&chains, &options).await?;
    deployment.network.write(&args.common.out)?;
    summary(&deployment, &args.common.out, started.elapsed());
    Ok(())
}

async fn bench(args: BenchArgs) -> Result<()> {
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

fn summary(deployment: &Deployment, out: &Path, elapsed: Duration) {
    let network: &NetworkFile = &deployment.network;
    println!();
    println!(
        "{} chains, {} lanes, {} transactions, ready in {:.2} s",
        network.chains.len(),
        network.lanes().len(),
        deployment.transactions,
        elapsed.as_secs_f64()
    );
    for chain in &network.chains {
        println!(
            "  {:<8} {:<24} chain id {:<6} selector {:<20} router {}",
            chain.name, chain.rpc_url, chain.chain_id, chain.chain_selector, chain.contracts.router
        );
    }
    println!("Lanes:");
    for lane in network.lanes() {
        println!(
            "  {} -> {}  onRamp {}  offRamp {}",
            lane.source.name, lane.dest.name, lane.on_ramp, lane.off_ramp
        );
    }
    if let Some(account) = network.chains.first().and_then(|c| c.accounts.first()) {
        println!(
            "Test accounts (funded with ETH, LINK, CCIP-BnM, CCIP-LnM on every chain): {} ... (keys in the network file)",
            account.address
        );
    }
    println!("Network file: {}", out.display());
}

/// Resolves on Ctrl-C or SIGTERM; the handlers are installed when this is called.
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .wrap_err("installing the SIGTERM handler")?;
    let ctrl_c = tokio::signal::ctrl_c();
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
    })
}
