//! `ccip`: bring up local chains with lanes between all of them (`up`), deploy on chains you run
//! (`deploy`), time the bring-up (`bench-up`), and use a running network: `send`, `status`,
//! `manual-exec`, `curse`, `uncurse`, `lane reset` (through `ccip-client`).

mod commands;
mod control;
mod lock;
mod options;
mod target_network;
mod user_options;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands::{
    behave, bench_up, chain, curse, deploy, gas, lane, manual_exec, rpc, run, send, status, time,
    up,
};

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
    Up(up::UpArgs),
    /// Deploy the suite and wire every lane on chains you run.
    Deploy(deploy::DeployArgs),
    /// Time `up` (spawn + deploy + configure) a few times and print the figures.
    BenchUp(bench_up::BenchUpArgs),
    /// Run the committing, executing and risk networks for a deployment already up (for
    /// example one made with `ccip deploy`); runs until Ctrl-C.
    Run(run::RunArgs),
    /// Send data and/or tokens on a lane; prints the message id.
    Send(send::SendArgs),
    /// Show a message's progress: sent, committed, blessed, executed or failed.
    Status(status::StatusArgs),
    /// Execute a committed, blessed message by hand (e.g. after it failed).
    ManualExec(manual_exec::ManualExecArgs),
    /// Curse a lane (or every lane) on a chain's ARM, with the deployer key.
    Curse(curse::CurseArgs),
    /// Lift a curse set with `curse`.
    Uncurse(curse::CurseArgs),
    /// Owner actions on one lane (`reset`: recover it after a reorganisation past finality).
    #[command(subcommand)]
    Lane(lane::LaneCommand),
    /// Stop, restart or reorganise one chain (`kill`, `restart`, `reorg`).
    #[command(subcommand)]
    Chain(chain::ChainCommand),
    /// Degrade what the networks of a running `ccip up` see of a chain's RPC, or heal it.
    Rpc(rpc::RpcArgs),
    /// Make a committing node of a running `ccip up` honest, silent or lying.
    Behave(behave::BehaveArgs),
    /// A gas price spike on one chain (the next block's base fee).
    Gas(gas::GasArgs),
    /// Move every chain's clock (`advance 8h`).
    #[command(subcommand)]
    Time(time::TimeCommand),
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
        Command::Up(args) => up::up(args).await,
        Command::Deploy(args) => deploy::deploy(args).await,
        Command::BenchUp(args) => bench_up::bench_up(args).await,
        Command::Run(args) => run::run(args).await,
        Command::Send(args) => send::send(args).await,
        Command::Status(args) => status::status(args).await,
        Command::ManualExec(args) => manual_exec::manual_exec(args).await,
        Command::Curse(args) => curse::curse(args, true).await,
        Command::Uncurse(args) => curse::curse(args, false).await,
        Command::Lane(command) => lane::lane(command).await,
        Command::Chain(command) => chain::chain(command).await,
        Command::Time(command) => time::time(command).await,
        Command::Rpc(args) => rpc::rpc(args).await,
        Command::Gas(args) => gas::gas(args).await,
        Command::Behave(args) => behave::behave(args).await,
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
