//! A harness for end-to-end runs: spawn anvil chains, deploy the full mesh, start the three
//! off-chain networks with their databases in a temporary directory, and hand out a
//! [`Client`] to send and follow messages. The networks can be stopped and started again on the
//! same databases, as a crash and restart of every node would.

use std::time::Duration;

use ccip_client::{Client, MessageState};
use ccip_deploy::{DeployOptions, LocalNetwork, NetworkFile, up};
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
    pub async fn up(seed: &str, chains: usize, mut config: RunnerConfig) -> Result<Self> {
        init_tracing();
        let options = DeployOptions {
            seed: seed.into(),
            ..Default::default()
        };
        let local = up(chains, None, 0, &options).await.wrap_err("ccip up")?;
        let data = tempfile::tempdir()?;
        config.data_dir = Some(data.path().to_path_buf());
        let client = Client::new(local.deployment.network.clone())?;
        let mut harness = Self {
            local,
            client,
            networks: None,
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
            let networks = Networks::start(self.network(), self.config.clone()).await?;
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
