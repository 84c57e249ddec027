//! `ccip up`: spawn local anvil chains, deploy the suite, wire every lane and run the networks
//! until Ctrl-C.

use std::{
    path::PathBuf,
    sync::Arc,
    time::{Duration, Instant},
};

use ccip_deploy::{DeployOptions, LocalChains, NetworkFile};
use ccip_faults::{Fault, FaultProxy};
use clap::Args;
use eyre::{Context, Result};

use crate::{
    control::Action,
    lock::NetworkLock,
    options::{Common, NetworkArgs, shutdown_signal, start_networks, stop_networks, summary},
};

#[derive(Debug, Args)]
pub(crate) struct UpArgs {
    /// Number of chains (a lane in each direction between every two).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(2..=10))]
    pub(crate) chains: u16,
    /// Seconds between blocks (whole seconds, set once deployed); automine when absent.
    #[arg(long)]
    pub(crate) block_time: Option<u32>,
    /// Port of the first chain; chain i listens on base-port + i.
    #[arg(long, default_value_t = 8545)]
    pub(crate) base_port: u16,
    /// Where each anvil keeps its state (`NAME.json`, written every second and on exit), from
    /// which `up` restarts a chain that dies. Cleared at start (the chains are new) unless
    /// `--persist`. Default: `chains/` beside the network file.
    #[arg(long)]
    pub(crate) state_dir: Option<PathBuf>,
    /// Keep everything across restarts: with a saved network (network file and chain states from
    /// an earlier `--persist` run), start those chains again with their blocks, contracts and
    /// deployed dApps, and the networks on their databases, delivering what was in flight;
    /// without one, start fresh and keep it all for next time.
    #[arg(long)]
    pub(crate) persist: bool,
    #[command(flatten)]
    pub(crate) common: Common,
    #[command(flatten)]
    pub(crate) networks: NetworkArgs,
}

pub(crate) async fn up(args: UpArgs) -> Result<()> {
    let started = Instant::now();
    // Before anything else: a second `up` on the same files must not overwrite the running one's
    // network file or clear its databases.
    let _lock = NetworkLock::acquire(&args.common.out, "up")?;
    let _data_lock = match args.networks.no_networks {
        true => None,
        false => Some(NetworkLock::acquire(&args.networks.data_dir, "up")?),
    };
    let options = DeployOptions {
        seed: args.common.seed.clone(),
        ..Default::default()
    };
    // Signals are caught from the start so that an interrupted deployment still stops the anvils
    // (dropping the `up` future drops them).
    let shutdown = shutdown_signal()?;
    tokio::pin!(shutdown);
    let state_dir = args.state_dir.clone().unwrap_or_else(|| {
        args.common
            .out
            .parent()
            .unwrap_or_else(|| std::path::Path::new("."))
            .join("chains")
    });
    let saved = args.persist
        && args.common.out.is_file()
        && state_dir.is_dir()
        && std::fs::read_dir(&state_dir).is_ok_and(|mut d| d.next().is_some());
    if !saved && state_dir.exists() {
        std::fs::remove_dir_all(&state_dir)
            .wrap_err_with(|| format!("clearing {}", state_dir.display()))?;
    }
    let (mut chains, mut file) = if saved {
        let file = NetworkFile::read(&args.common.out)?;
        let block_time = args.block_time.map(u64::from);
        let (dir, saved_file) = (state_dir.clone(), file.clone());
        let chains = tokio::task::spawn_blocking(move || {
            ccip_deploy::resume_chains(&saved_file, block_time, &dir)
        })
        .await
        .wrap_err("resuming the chains")??;
        chains.start_interval_mining().await?;
        println!(
            "Resumed {} chains from {} with their contracts; the networks pick up where they stopped.",
            chains.chains.len(),
            state_dir.display()
        );
        (chains, file)
    } else {
        let up = ccip_deploy::up_with_state(
            usize::from(args.chains),
            args.block_time.map(f64::from),
            args.base_port,
            Some(state_dir),
            &options,
        );
        let local = tokio::select! {
            result = up => result.wrap_err("ccip up")?,
            _ = &mut shutdown => {
                println!("Interrupted; the chains are stopped.");
                return Ok(());
            }
        };
        summary(&local.deployment, &args.common.out, started.elapsed());
        // Fresh chains: what older nodes stored describes chains that are gone.
        if args.networks.data_dir.exists() && !args.networks.no_networks {
            std::fs::remove_dir_all(&args.networks.data_dir)
                .wrap_err_with(|| format!("clearing {}", args.networks.data_dir.display()))?;
        }
        (local.chains, local.deployment.network)
    };
    // The chain commands (`ccip chain kill|restart`) reach this process through its control API,
    // named in the network file while it runs.
    let (control_addr, mut control) = crate::control::serve()
        .await
        .wrap_err("starting the control API")?;
    file.control_url = Some(format!("http://{control_addr}"));
    file.write(&args.common.out)?;
    // The networks reach every chain through a fault proxy (`ccip rpc` degrades it on purpose);
    // the network file keeps the chains' own URLs for users.
    let mut node_network = file.clone();
    let mut proxies = Vec::with_capacity(node_network.chains.len());
    for chain in &mut node_network.chains {
        let proxy = FaultProxy::start(&chain.rpc_url)
            .await
            .wrap_err_with(|| format!("starting the RPC proxy of {}", chain.name))?;
        chain.rpc_url = proxy.url.clone();
        proxies.push(Arc::new(proxy));
    }
    let networks = start_networks(&node_network, &args.networks).await?;
    println!("Running; press Ctrl-C to stop.");
    let mut watch = tokio::time::interval(CHAIN_WATCH);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            _ = watch.tick() => restart_dead_chains(&mut chains).await,
            Some(request) = control.recv() => {
                let outcome = match &request.action {
                    Action::Behave { node, behaviour } => behave(networks.as_ref(), *node, *behaviour),
                    action => act(&mut chains, &proxies, action).await,
                };
                let _ = request.reply.send(outcome);
            }
        }
    }
    println!("Stopping...");
    stop_networks(networks).await;
    chains.shutdown();
    // The control API is gone with this process: say so in the file.
    file.control_url = None;
    if let Err(e) = file.write(&args.common.out) {
        tracing::warn!(error = %e, "could not clear the control URL from the network file");
    }
    Ok(())
}

/// Carries out a control request on the chains.
async fn act(
    chains: &mut LocalChains,
    proxies: &[Arc<FaultProxy>],
    action: &Action,
) -> Result<String, String> {
    let (Action::Kill(name) | Action::Restart(name) | Action::Rpc { name, .. }) = action else {
        return Err("not a chain action".into());
    };
    let index = chains
        .chains
        .iter()
        .position(|c| &c.name == name)
        .ok_or_else(|| format!("no chain {name:?}"))?;
    match action {
        Action::Kill(_) => {
            if chains.is_stopped(index) {
                return Err(format!("chain {name} is already stopped"));
            }
            chains.stop(index).map_err(|e| e.to_string())?;
            println!("Chain {name} stopped by `ccip chain kill` (state saved).");
            Ok(format!(
                "chain {name} stopped, its state saved; messages to and from it wait. Watch ccip_chain_up{{chain=\"{name}\"}} and `ccip status`; `ccip chain restart {name}` brings it back."
            ))
        }
        Action::Rpc { fault, secs, .. } => {
            let proxy = proxies[index].clone();
            proxy.set(*fault);
            println!("RPC of chain {name} as the networks see it: {fault:?}.");
            if let Some(secs) = *secs {
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_secs(secs)).await;
                    proxy.set(Fault::None);
                });
            }
            let until = match secs {
                Some(secs) => format!(" for {secs} s"),
                None if *fault == Fault::None => String::new(),
                None => format!(" until `ccip rpc {name} --heal`"),
            };
            Ok(format!(
                "rpc of chain {name} (as the networks see it): {fault:?}{until}; {} of {} requests faulted so far. Watch ccip_rpc_errors_total and the lanes' lag.",
                proxies[index].faulted(),
                proxies[index].requests()
            ))
        }
        Action::Behave { .. } => Err("not a chain action".into()),
        Action::Restart(_) => {
            if !chains.is_stopped(index) {
                return Err(format!("chain {name} is running"));
            }
            chains.restart(index).await.map_err(|e| e.to_string())?;
            println!("Chain {name} restarted by `ccip chain restart`.");
            Ok(format!(
                "chain {name} is back from its saved state; the networks catch up on what waited."
            ))
        }
    }
}

/// How often `up` checks that its anvils still run.
const CHAIN_WATCH: Duration = Duration::from_millis(500);

/// Restarts every chain whose anvil has ended, from its state file; a failed restart is tried
/// again at the next check.
async fn restart_dead_chains(chains: &mut LocalChains) {
    for (index, how) in chains.exited() {
        let name = chains.chains[index].name.clone();
        println!("Chain {name} stopped ({how}); restarting it from its saved state.");
        tracing::warn!(chain = %name, %how, "anvil exited; restarting it");
        match chains.restart(index).await {
            Ok(()) => {
                println!("Chain {name} is back at {}.", chains.chains[index].rpc_url);
                tracing::info!(chain = %name, "anvil restarted");
            }
            Err(e) => {
                tracing::error!(chain = %name, error = %e, "restarting anvil failed; trying again")
            }
        }
    }
}

/// Sets the behaviour of committing node `node`.
fn behave(
    networks: Option<&ccip_runner::Networks>,
    node: usize,
    behaviour: ccip_commit::Behaviour,
) -> Result<String, String> {
    let networks = networks.ok_or("the networks are not running (--no-networks)")?;
    if !networks.commit.set_behaviour(node, behaviour) {
        return Err(format!("no committing node {node}"));
    }
    println!("Committing node {node} is now {behaviour:?}.");
    Ok(format!(
        "committing node {node} is now {behaviour:?}. A report needs f+1 valid signatures: liars never get a wrong root committed, and commits stop only when fewer than f+1 nodes are honest. Watch ccip_commit_refusals_total and `ccip status`."
    ))
}
