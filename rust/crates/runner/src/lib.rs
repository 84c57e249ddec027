//! Runs the off-chain networks of one deployment together — the committing network, the
//! executing network and the risk management network — each with its own keys, RPC clients and
//! databases, and serves their counters as Prometheus metrics. `ccip up` and the integration
//! tests start everything through [`Networks::start`].

mod health;
mod metrics;

use std::{net::SocketAddr, path::PathBuf, sync::Arc};

use ccip_commit::{CommitConfig, CommitError, CommitMetrics, CommitNetwork};
use ccip_core::NetworkFile;
use ccip_execute::{ExecConfig, ExecError, ExecMetrics, ExecNetwork};
use ccip_rmn::{NetworkSpec, NodeSettings, RmnError, RmnMetrics, RmnNetwork};
use tokio::sync::watch;
use tracing::info;

pub use health::Health;
pub use metrics::{Exposition, family, render_all, serve};

/// Errors starting the networks.
#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    /// The committing network failed to start.
    #[error("committing network: {0}")]
    Commit(#[from] CommitError),
    /// The executing network failed to start.
    #[error("executing network: {0}")]
    Exec(#[from] ExecError),
    /// The risk management network failed to start.
    #[error("risk management network: {0}")]
    Rmn(#[from] RmnError),
    /// A chain's RPC URL is not usable.
    #[error("chain watcher: {0}")]
    Chain(#[from] ccip_chain::ChainError),
    /// The network file could not be handed to the risk network.
    #[error("network file: {0}")]
    Json(#[from] serde_json::Error),
    /// The metrics endpoint failed to bind.
    #[error("metrics endpoint {addr}: {source}")]
    Metrics {
        /// Address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// What to run, and how.
#[derive(Debug, Clone, Default)]
pub struct RunnerConfig {
    /// Committing network settings.
    pub commit: CommitConfig,
    /// Executing network settings.
    pub exec: ExecConfig,
    /// Risk management network settings (every node alike).
    pub rmn: NodeSettings,
    /// Risk management nodes (the deployment's ARM voters by default).
    pub rmn_nodes: Option<usize>,
    /// Where the nodes keep their databases (in memory when absent).
    pub data_dir: Option<PathBuf>,
    /// Where to serve metrics (none when absent; port 0 picks a free one).
    pub metrics_addr: Option<SocketAddr>,
}

impl RunnerConfig {
    /// Settings for local chains: every node polls every 20 ms and acts on blocks
    /// `confirmations` deep.
    pub fn local(confirmations: u64) -> Self {
        let mut config = Self::default();
        config.commit.stream.confirmations = confirmations;
        config.exec.stream.confirmations = confirmations;
        config.rmn.confirmations = confirmations;
        config.rmn.poll_interval = std::time::Duration::from_millis(20);
        config
    }
}

/// The running networks.
#[derive(Debug)]
pub struct Networks {
    /// The committing network.
    pub commit: CommitNetwork,
    /// The risk management network.
    pub rmn: RmnNetwork,
    /// The executing network.
    pub exec: ExecNetwork,
    /// Where metrics are served, if they are.
    pub metrics_addr: Option<SocketAddr>,
    /// Whether each chain answers and which lanes are cursed (also served as metrics).
    pub health: Arc<Health>,
    stop: watch::Sender<bool>,
}

impl Networks {
    /// Starts every network for `network`.
    pub async fn start(network: &NetworkFile, config: RunnerConfig) -> Result<Self, RunnerError> {
        let (stop, shutdown) = watch::channel(false);
        let data_dir = config.data_dir.as_deref();
        let commit =
            CommitNetwork::start(network, data_dir, config.commit.clone(), shutdown.clone())
                .await?;
        // The risk network reads the file with its own parser: it shares no code with the others.
        let spec = NetworkSpec::from_json(&serde_json::to_string(network)?)?;
        let voters = config.rmn_nodes.unwrap_or(network.roles.arm_voters.len());
        let rmn = RmnNetwork::start(&spec, &network.seed, voters, &config.rmn, shutdown.clone())?;
        let exec = ExecNetwork::start(network, data_dir, config.exec, shutdown.clone())?;
        let health = Health::new(network)?;
        health.clone().watch(shutdown.clone());
        let sources: Vec<Arc<dyn Exposition>> = vec![
            Arc::new(ExecExposition(exec.metrics())),
            Arc::new(CommitExposition(commit.metrics.clone())),
            Arc::new(RmnExposition(
                rmn.nodes
                    .iter()
                    .map(|n| (n.index.to_string(), n.metrics.clone()))
                    .collect(),
            )),
            Arc::new(TxExposition),
            health.clone(),
        ];
        let metrics_addr = match config.metrics_addr {
            Some(addr) => Some(
                serve(addr, sources, shutdown.clone())
                    .await
                    .map_err(|source| RunnerError::Metrics { addr, source })?
                    .0,
            ),
            None => None,
        };
        info!(?metrics_addr, "off-chain networks running");
        Ok(Self {
            commit,
            rmn,
            exec,
            metrics_addr,
            health,
            stop,
        })
    }

    /// Tells every node to stop, without waiting (for `Drop` impls).
    pub fn signal_stop(&self) {
        let _ = self.stop.send(true);
    }

    /// Stops every node and waits for them.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        self.commit.join().await;
        self.rmn.join().await;
        if let Err(e) = self.exec.join().await {
            tracing::warn!(error = %e, "an executing node stopped with an error");
        }
    }
}

#[derive(Debug)]
struct ExecExposition(Arc<ExecMetrics>);

impl Exposition for ExecExposition {
    fn render(&self, out: &mut String) {
        let s = self.0.snapshot();
        let per_lane = |f: &dyn Fn(&ccip_execute::LaneSnapshot) -> u64| {
            s.lanes
                .iter()
                .map(|l| (format!("lane=\"{}\"", l.name), f(l)))
                .collect::<Vec<_>>()
        };
        family(
            out,
            "ccip_messages_executed_total",
            "counter",
            "Messages executed successfully by the executing network, per lane.",
            &per_lane(&|l| l.executed),
        );
        family(
            out,
            "ccip_messages_failed_total",
            "counter",
            "Messages whose execution failed on chain (left for manual execution), per lane.",
            &per_lane(&|l| l.failed),
        );
        family(
            out,
            "ccip_exec_lag",
            "gauge",
            "Highest sequence number sent minus highest executed, per lane.",
            &per_lane(&|l| l.lag),
        );
        family(
            out,
            "ccip_exec_transactions_total",
            "counter",
            "Execute transactions mined.",
            &[(String::new(), s.transactions)],
        );
        family(
            out,
            "ccip_exec_tx_errors_total",
            "counter",
            "Execute transactions refused or reverted (retried with backoff).",
            &[(String::new(), s.tx_errors)],
        );
        family(
            out,
            "ccip_exec_rpc_errors_total",
            "counter",
            "Failed JSON-RPC calls of the executing network.",
            &[(String::new(), s.rpc_errors)],
        );
    }
}

/// The transaction managers' counters, per key and endpoint.
#[derive(Debug)]
struct TxExposition;

impl Exposition for TxExposition {
    fn render(&self, out: &mut String) {
        let all = ccip_chain::all_tx_stats();
        let per_key = |f: &dyn Fn(&ccip_chain::TxStatsSnapshot) -> u64| {
            all.iter()
                .map(|(key, url, s)| (format!("key=\"{key}\",rpc=\"{url}\""), f(s)))
                .collect::<Vec<_>>()
        };
        for (name, kind, help, value) in [
            (
                "ccip_tx_pending",
                "gauge",
                "Transactions waiting for their receipt, per key.",
                (|s| s.pending) as fn(&ccip_chain::TxStatsSnapshot) -> u64,
            ),
            (
                "ccip_tx_sent_total",
                "counter",
                "Transactions handed to the chain (replacements included), per key.",
                |s| s.sent,
            ),
            (
                "ccip_tx_replaced_total",
                "counter",
                "Transactions replaced with higher fees after not being mined in time, per key.",
                |s| s.replaced,
            ),
            (
                "ccip_tx_resynced_total",
                "counter",
                "Nonce resyncs from the chain after a send error, per key.",
                |s| s.resynced,
            ),
            (
                "ccip_tx_failed_total",
                "counter",
                "Sends that failed after taking a nonce, per key.",
                |s| s.failed,
            ),
            (
                "ccip_tx_refused_total",
                "counter",
                "Sends refused by their simulation (nothing sent), per key.",
                |s| s.refused,
            ),
        ] {
            family(out, name, kind, help, &per_key(&value));
        }
    }
}

#[derive(Debug)]
struct RmnExposition(Vec<(String, Arc<RmnMetrics>)>);

impl Exposition for RmnExposition {
    fn render(&self, out: &mut String) {
        let snapshots: Vec<_> = self
            .0
            .iter()
            .map(|(node, m)| (node.clone(), m.snapshot()))
            .collect();
        out.push_str(&ccip_rmn::render_prometheus(&snapshots));
    }
}

#[derive(Debug)]
struct CommitExposition(Arc<CommitMetrics>);

impl Exposition for CommitExposition {
    fn render(&self, out: &mut String) {
        let m = &self.0;
        let get = CommitMetrics::get;
        let lanes = m.lanes();
        let per_lane = |f: &dyn Fn(&ccip_commit::LaneGauge) -> u64| {
            lanes
                .iter()
                .map(|(lane, g)| (format!("lane=\"{lane}\""), f(g)))
                .collect::<Vec<_>>()
        };
        family(
            out,
            "ccip_messages_seen",
            "gauge",
            "Highest sequence number the committing network observed on the source, per lane.",
            &per_lane(&|g| g.observed),
        );
        family(
            out,
            "ccip_messages_committed_seq",
            "gauge",
            "Highest sequence number committed, per lane.",
            &per_lane(&|g| g.committed),
        );
        family(
            out,
            "ccip_commit_lag",
            "gauge",
            "Messages observed but not yet committed, per lane.",
            &per_lane(&|g| g.observed.saturating_sub(g.committed)),
        );
        family(
            out,
            "ccip_messages_committed_total",
            "counter",
            "Messages inside commit reports accepted on chain.",
            &[(String::new(), get(&m.messages_committed))],
        );
        family(
            out,
            "ccip_commit_reports_total",
            "counter",
            "Commit reports accepted on chain.",
            &[(String::new(), get(&m.reports))],
        );
        family(
            out,
            "ccip_price_updates_total",
            "counter",
            "Price updates inside accepted commit reports.",
            &[(String::new(), get(&m.price_updates))],
        );
        family(
            out,
            "ccip_commit_refusals_total",
            "counter",
            "Proposals a committing node refused to sign.",
            &[(String::new(), get(&m.refusals))],
        );
        family(
            out,
            "ccip_rpc_errors_total",
            "counter",
            "Failed JSON-RPC calls, per network.",
            &[("network=\"commit\"".into(), get(&m.rpc_errors))],
        );
    }
}
