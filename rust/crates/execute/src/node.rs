use std::{collections::HashMap, path::Path, sync::Arc};

use alloy::{primitives::Address, providers::DynProvider, signers::local::PrivateKeySigner};
use ccip_chain::{Lane, TxSender, http_provider, lanes};
use ccip_core::{
    NetworkFile,
    keys::{derive_key, role},
};
use ccip_store::{Store, StoredFailure};
use tokio::{sync::watch, task::JoinHandle};
use tracing::info;

use crate::{
    ExecConfig, ExecError, ExecMetrics, Result,
    lane::{LaneWiring, LaneWorker},
};

/// Who a node is among the exec transmitters.
#[derive(Debug, Clone)]
pub struct NodeKey {
    /// Index among the exec transmitters (decides which roots the node leads).
    pub index: usize,
    /// How many exec transmitters there are.
    pub nodes: usize,
    /// The transmitter key (an OffRamp transmitter of every lane).
    pub signer: PrivateKeySigner,
}

/// One executing node: one OffRamp transmitter key, its own database and providers, one task per
/// lane, and one transaction sender per destination chain shared by the lanes into that chain.
#[derive(Debug)]
pub struct ExecNode {
    index: usize,
    address: Address,
    store: Arc<Store>,
    tasks: Vec<JoinHandle<Result<()>>>,
}

impl ExecNode {
    /// Starts the node `key` with `store`, serving every lane of `network` until `shutdown`
    /// turns true. Must be called inside a tokio runtime.
    pub fn start(
        network: &NetworkFile,
        key: NodeKey,
        store: Store,
        config: ExecConfig,
        metrics: Arc<ExecMetrics>,
        shutdown: watch::Receiver<bool>,
    ) -> Result<Self> {
        let NodeKey {
            index,
            nodes,
            signer,
        } = key;
        let address = signer.address();
        let store = Arc::new(store);
        let mut providers: HashMap<u64, DynProvider> = HashMap::new();
        let mut senders: HashMap<u64, TxSender> = HashMap::new();
        for chain in &network.chains {
            providers.insert(chain.chain_selector, http_provider(&chain.rpc_url)?);
            senders.insert(
                chain.chain_selector,
                TxSender::new(&chain.rpc_url, signer.clone())?,
            );
        }
        let mut tasks = Vec::new();
        for lane in lanes(network) {
            let (Some(source), Some(dest), Some(sender)) = (
                providers.get(&lane.key.source),
                providers.get(&lane.key.dest),
                senders.get(&lane.key.dest),
            ) else {
                continue;
            };
            let worker = LaneWorker::new(LaneWiring {
                node: index,
                nodes,
                lane: Lane::clone(&lane),
                store: store.clone(),
                source: source.clone(),
                dest: dest.clone(),
                sender: sender.clone(),
                config,
                metrics: metrics.clone(),
            })?;
            tasks.push(tokio::spawn(worker.run(shutdown.clone())));
        }
        info!(node = index, %address, lanes = tasks.len(), "exec node started");
        Ok(Self {
            index,
            address,
            store,
            tasks,
        })
    }

    /// The node's index among the exec transmitters.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The node's transmitter address.
    pub fn address(&self) -> Address {
        self.address
    }

    /// The node's database.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// Waits for every lane task to stop (after shutdown); the first failure is returned.
    pub async fn join(self) -> Result<()> {
        let mut first = Ok(());
        for task in self.tasks {
            let outcome = match task.await {
                Ok(r) => r,
                Err(e) => Err(ExecError::Task(e.to_string())),
            };
            if first.is_ok() {
                first = outcome;
            }
        }
        first
    }
}

/// The executing network: one [`ExecNode`] per exec transmitter of the network file.
#[derive(Debug)]
pub struct ExecNetwork {
    nodes: Vec<ExecNode>,
    metrics: Arc<ExecMetrics>,
}

impl ExecNetwork {
    /// Starts one node per exec transmitter in `network.roles.exec_transmitters`, with keys derived
    /// from the network's seed (each checked against the file). Node `i` keeps its database in
    /// `<data_dir>/exec-<i>.sqlite`, or in memory without `data_dir`. Runs until `shutdown`
    /// turns true. Must be called inside a tokio runtime.
    pub fn start(
        network: &NetworkFile,
        data_dir: Option<&Path>,
        config: ExecConfig,
        shutdown: watch::Receiver<bool>,
    ) -> Result<Self> {
        let metrics = Arc::new(ExecMetrics::new(&lanes(network)));
        if let Some(dir) = data_dir {
            std::fs::create_dir_all(dir).map_err(|source| ExecError::DataDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let n = network.roles.exec_transmitters.len();
        let mut nodes = Vec::with_capacity(n);
        for (i, &expected) in network.roles.exec_transmitters.iter().enumerate() {
            let signer = derive_key(&network.seed, role::EXEC_TRANSMITTER, i as u32)?;
            if signer.address() != expected {
                return Err(ExecError::KeyMismatch {
                    index: i,
                    expected,
                    derived: signer.address(),
                });
            }
            let store = match data_dir {
                Some(dir) => Store::open(&dir.join(format!("exec-{i}.sqlite")))?,
                None => Store::in_memory()?,
            };
            nodes.push(ExecNode::start(
                network,
                NodeKey {
                    index: i,
                    nodes: n,
                    signer,
                },
                store,
                config,
                metrics.clone(),
                shutdown.clone(),
            )?);
        }
        Ok(Self { nodes, metrics })
    }

    /// The network's counters.
    pub fn metrics(&self) -> Arc<ExecMetrics> {
        self.metrics.clone()
    }

    /// The nodes.
    pub fn nodes(&self) -> &[ExecNode] {
        &self.nodes
    }

    /// Every failure the nodes recorded (left for manual execution), by lane and sequence number.
    pub fn failures(&self) -> Result<Vec<StoredFailure>> {
        let mut all = Vec::new();
        for node in &self.nodes {
            all.extend(node.store.failures()?);
        }
        all.sort_by_key(|f| (f.lane, f.seq));
        all.dedup_by_key(|f| (f.lane, f.seq));
        Ok(all)
    }

    /// Waits for every node to stop (after shutdown); the first failure is returned.
    pub async fn join(self) -> Result<()> {
        let mut first = Ok(());
        for node in self.nodes {
            let outcome = node.join().await;
            if first.is_ok() {
                first = outcome;
            }
        }
        first
    }
}
