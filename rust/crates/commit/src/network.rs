use std::{path::Path, sync::Arc};

use ccip_chain::lanes;
use ccip_core::{
    NetworkFile,
    keys::{derive_key, role},
};
use ccip_store::Store;
use tokio::{sync::watch, task::JoinSet};
use tracing::info;

use crate::{
    BehaviourCell, CommitConfig, CommitError, CommitMetrics, CommitNode, InProcess, NodeSetup,
    Peers, PriceFeed,
};

/// A running committing network: one node per committing signer of the deployment.
#[derive(Debug)]
pub struct CommitNetwork {
    tasks: JoinSet<()>,
    /// Counters of all its nodes.
    pub metrics: Arc<CommitMetrics>,
    /// The prices it reports; move them to trigger updates.
    pub feed: Arc<PriceFeed>,
    /// Each node's behaviour, by index (changed only with the `testing` feature).
    #[cfg_attr(not(feature = "testing"), allow(dead_code))]
    behaviours: Vec<Arc<BehaviourCell>>,
}

impl CommitNetwork {
    /// Starts one node per committing signer of `network` (keys derived from its seed and checked
    /// against its roles). With `data_dir`, node `i` keeps its database in
    /// `data_dir/commit-<i>.sqlite` and resumes from it; without, in memory.
    pub async fn start(
        network: &NetworkFile,
        data_dir: Option<&Path>,
        config: CommitConfig,
        shutdown: watch::Receiver<bool>,
    ) -> Result<Self, CommitError> {
        let n = network.roles.commit_signers.len();
        let f = usize::from(network.roles.f);
        let lanes = lanes(network);
        let metrics = Arc::new(CommitMetrics::default());
        let feed = Arc::new(PriceFeed::default());
        if let Some(dir) = data_dir {
            std::fs::create_dir_all(dir).map_err(|source| CommitError::Io {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let (transport, inboxes) = InProcess::new(n);
        let behaviours: Vec<Arc<BehaviourCell>> = (0..n)
            .map(|i| Arc::new(BehaviourCell::new(config.behaviour(i))))
            .collect();
        let peers: Peers = transport;
        let mut nodes = Vec::with_capacity(n);
        for (index, configured) in network.roles.commit_signers.iter().enumerate() {
            let signer = derive_key(&network.seed, role::COMMIT_SIGNER, index as u32)?;
            if signer.address() != *configured {
                return Err(CommitError::KeyMismatch {
                    role: role::COMMIT_SIGNER,
                    index,
                    derived: signer.address(),
                    configured: *configured,
                });
            }
            let transmitters = &network.roles.commit_transmitters;
            let t = index % transmitters.len().max(1);
            let transmitter = derive_key(&network.seed, role::COMMIT_TRANSMITTER, t as u32)?;
            if transmitters.get(t) != Some(&transmitter.address()) {
                return Err(CommitError::KeyMismatch {
                    role: role::COMMIT_TRANSMITTER,
                    index: t,
                    derived: transmitter.address(),
                    configured: transmitters.get(t).copied().unwrap_or_default(),
                });
            }
            let store = match data_dir {
                Some(dir) => Store::open(&dir.join(format!("commit-{index}.sqlite")))?,
                None => Store::in_memory()?,
            };
            nodes.push(
                CommitNode::connect(NodeSetup {
                    index,
                    signers: network.roles.commit_signers.clone(),
                    f,
                    signer,
                    transmitter,
                    store: Arc::new(store),
                    lanes: lanes.clone(),
                    config: config.clone(),
                    feed: feed.clone(),
                    metrics: metrics.clone(),
                    behaviour: behaviours[index].clone(),
                })
                .await?,
            );
        }
        let mut tasks = JoinSet::new();
        for (node, inbox) in nodes.into_iter().zip(inboxes) {
            tasks.spawn(node.run(inbox, peers.clone(), shutdown.clone()));
        }
        info!(
            nodes = n,
            f,
            lanes = lanes.len(),
            "committing network started"
        );
        Ok(Self {
            tasks,
            metrics,
            feed,
            behaviours,
        })
    }

    /// Makes node `index` behave as `behaviour` from now on (fault injection); false if there is
    /// no such node.
    #[cfg(feature = "testing")]
    pub fn set_behaviour(&self, index: usize, behaviour: crate::Behaviour) -> bool {
        match self.behaviours.get(index) {
            Some(cell) => {
                cell.set(behaviour);
                true
            }
            None => false,
        }
    }

    /// Waits for every node to stop (after shutdown).
    pub async fn join(mut self) {
        while self.tasks.join_next().await.is_some() {}
    }
}
