//! A harness for end-to-end runs: spawn anvil chains, deploy the full mesh, start the three
//! off-chain networks with their databases in a temporary directory, and hand out a
//! [`Client`] to send and follow messages. The networks can be stopped and started again on the
//! same databases, as a crash and restart of every node would. [`Harness::up_proxied`] puts a
//! [`FaultProxy`] between the networks and every chain (the client still talks to the chains
//! directly), for the chaos suite.

pub mod chaos;
pub mod reorg;

use std::time::Duration;

use ccip_client::{Client, MessageState};
use ccip_deploy::{DeployOptions, LocalNetwork, NetworkFile, up};
pub use ccip_faults::{Fault, FaultProxy};
use ccip_runner::{Networks, RunnerConfig};
use eyre::{Result, WrapErr};

/// Chains, deployment, networks and a client.
#[derive(Debug)]
pub struct Harness {
    /// The anvils and what is deployed on them.
    pub local: LocalNetwork,
    /// A client signing as funded test account 0.
    pub client: Client,
    /// The running networks (None while stopped).
    pub networks: Option<Networks>,
    /// One proxy per chain, in chain order, when the networks reach the chains through proxies.
    pub proxies: Vec<FaultProxy>,
    /// The deployment as the networks see it (chain URLs pointing at the proxies, if any).
    pub node_network: NetworkFile,
    config: RunnerConfig,
    _data: tempfile::TempDir,
}

/// Logs to the test output, once per process (`RUST_LOG` overrides the default of warnings).
pub fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_test_writer()
        .try_init();
}

impl Drop for Harness {
    fn drop(&mut self) {
        // The chains go down with `local`: stop the nodes first so they do not log a storm of
        // connection errors on the way out.
        if let Some(networks) = &self.networks {
            networks.signal_stop();
        }
    }
}

impl Harness {
    /// `chains` automining anvils with the mesh from `seed`, and the networks with `config`
    /// (its data directory replaced by a fresh temporary one).
    pub async fn up(seed: &str, chains: usize, config: RunnerConfig) -> Result<Self> {
        Self::up_with(seed, chains, config, false).await
    }

    /// As [`Harness::up`], with the networks reaching every chain through a [`FaultProxy`].
    pub async fn up_proxied(seed: &str, chains: usize, config: RunnerConfig) -> Result<Self> {
        Self::up_with(seed, chains, config, true).await
    }

    async fn up_with(
        seed: &str,
        chains: usize,
        mut config: RunnerConfig,
        proxied: bool,
    ) -> Result<Self> {
        init_tracing();
        let options = DeployOptions {
            seed: seed.into(),
            ..Default::default()
        };
        let local = up(chains, None, 0, &options).await.wrap_err("ccip up")?;
        let data = tempfile::tempdir()?;
        config.data_dir = Some(data.path().to_path_buf());
        let client = Client::new(local.deployment.network.clone())?;
        let mut node_network = local.deployment.network.clone();
        let mut proxies = Vec::new();
        if proxied {
            for chain in &mut node_network.chains {
                let proxy = FaultProxy::start(&chain.rpc_url)
                    .await
                    .wrap_err_with(|| format!("proxy in front of {}", chain.name))?;
                chain.rpc_url = proxy.url.clone();
                proxies.push(proxy);
            }
        }
        let mut harness = Self {
            local,
            client,
            networks: None,
            proxies,
            node_network,
            config,
            _data: data,
        };
        harness.start().await?;
        Ok(harness)
    }

    /// The deployment.
    pub fn network(&self) -> &NetworkFile {
        &self.local.deployment.network
    }

    /// Starts the networks (again), on the same databases.
    pub async fn start(&mut self) -> Result<()> {
        if self.networks.is_none() {
            let networks = Networks::start(&self.node_network, self.config.clone()).await?;
            self.networks = Some(networks);
        }
        Ok(())
    }

    /// Stops every node of every network.
    pub async fn stop(&mut self) {
        if let Some(networks) = self.networks.take() {
            networks.stop().await;
        }
    }

    /// Waits until `id` reaches `state` (Executed, Failed, ...).
    pub async fn wait(&self, id: alloy::primitives::B256, state: MessageState) -> Result<()> {
        self.client
            .wait_for_state(id, state, Duration::from_secs(60))
            .await?;
        Ok(())
    }
}
