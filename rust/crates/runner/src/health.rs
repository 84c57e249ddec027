//! What a user looks at first when something is wrong: is each chain answering, at which block,
//! and which lanes are cursed. A watcher asks every chain every half second (each request bounded
//! by the RPC timeout), logs a chain going down and coming back once each, and serves
//! `ccip_chain_up`, `ccip_chain_head` and `ccip_lane_cursed`.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::Duration,
};

use alloy::providers::{DynProvider, Provider};
use ccip_bindings::arm::ARM;
use ccip_core::NetworkFile;
use ccip_protocol::{GLOBAL_CURSE_SUBJECT, chain_subject};
use tokio::{sync::watch, task::JoinHandle};
use tracing::{info, warn};

use crate::metrics::{Exposition, family};

/// Time between two looks at the chains.
const INTERVAL: Duration = Duration::from_millis(500);

#[derive(Debug)]
struct ChainGauge {
    name: String,
    provider: DynProvider,
    arm: alloy::primitives::Address,
    up: AtomicBool,
    head: AtomicU64,
}

#[derive(Debug)]
struct LaneGauge {
    name: String,
    source_selector: u64,
    /// Index of the destination chain (whose ARM decides).
    dest: usize,
    cursed: AtomicBool,
}

/// The chains' and lanes' health, shared by the watcher and the metrics endpoint.
#[derive(Debug)]
pub struct Health {
    chains: Vec<ChainGauge>,
    lanes: Vec<LaneGauge>,
}

impl Health {
    /// Gauges for every chain and lane of `network` (all reported down until first answered).
    pub fn new(network: &NetworkFile) -> Result<Arc<Self>, ccip_chain::ChainError> {
        let chains = network
            .chains
            .iter()
            .map(|c| {
                Ok(ChainGauge {
                    name: c.name.clone(),
                    provider: ccip_chain::http_provider(&c.rpc_url)?,
                    arm: c.contracts.arm,
                    up: AtomicBool::new(false),
                    head: AtomicU64::new(0),
                })
            })
            .collect::<Result<Vec<_>, ccip_chain::ChainError>>()?;
        let lanes = network
            .lanes()
            .iter()
            .filter_map(|lane| {
                let dest = network
                    .chains
                    .iter()
                    .position(|c| c.chain_selector == lane.dest.chain_selector)?;
                Some(LaneGauge {
                    name: format!("{}->{}", lane.source.name, lane.dest.name),
                    source_selector: lane.source.chain_selector,
                    dest,
                    cursed: AtomicBool::new(false),
                })
            })
            .collect();
        Ok(Arc::new(Self { chains, lanes }))
    }

    /// Whether chain `name` answered the last look.
    pub fn chain_up(&self, name: &str) -> Option<bool> {
        self.chains
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.up.load(Ordering::Relaxed))
    }

    /// Whether lane `name` (`alpha->beta`) was cursed at the last look.
    pub fn lane_cursed(&self, name: &str) -> Option<bool> {
        self.lanes
            .iter()
            .find(|l| l.name == name)
            .map(|l| l.cursed.load(Ordering::Relaxed))
    }

    /// Looks at every chain until `shutdown` turns true.
    pub fn watch(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) -> JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = self.look() => {}
                    _ = shutdown.changed() => return,
                }
                tokio::select! {
                    () = tokio::time::sleep(INTERVAL) => {}
                    _ = shutdown.changed() => return,
                }
            }
        })
    }

    async fn look(&self) {
        let looks = self.chains.iter().map(|chain| async move {
            let head = chain.provider.get_block_number().await;
            let cursed = ARM::new(chain.arm, &chain.provider)
                .getCursedSubjects()
                .call()
                .await;
            (head, cursed)
        });
        let results = futures::future::join_all(looks).await;
        for (i, (head, cursed)) in results.into_iter().enumerate() {
            let chain = &self.chains[i];
            let was_up = chain.up.load(Ordering::Relaxed);
            match head {
                Ok(head) => {
                    chain.head.store(head, Ordering::Relaxed);
                    chain.up.store(true, Ordering::Relaxed);
                    if !was_up {
                        info!(chain = %chain.name, head, "chain answers");
                    }
                }
                Err(error) => {
                    chain.up.store(false, Ordering::Relaxed);
                    if was_up {
                        warn!(chain = %chain.name, %error, "chain stopped answering");
                    }
                }
            }
            let Ok(subjects) = cursed else {
                continue;
            };
            let global = subjects.contains(&GLOBAL_CURSE_SUBJECT);
            for lane in self.lanes.iter().filter(|l| l.dest == i) {
                let now = global || subjects.contains(&chain_subject(lane.source_selector));
                if lane.cursed.swap(now, Ordering::Relaxed) != now {
                    if now {
                        warn!(lane = %lane.name, "lane cursed");
                    } else {
                        info!(lane = %lane.name, "lane no longer cursed");
                    }
                }
            }
        }
    }
}

impl Exposition for Health {
    fn render(&self, out: &mut String) {
        let per_chain = |f: &dyn Fn(&ChainGauge) -> u64| {
            self.chains
                .iter()
                .map(|c| (format!("chain=\"{}\"", c.name), f(c)))
                .collect::<Vec<_>>()
        };
        family(
            out,
            "ccip_chain_up",
            "gauge",
            "1 when the chain answered the last look (every 0.5 s), 0 when it did not.",
            &per_chain(&|c| u64::from(c.up.load(Ordering::Relaxed))),
        );
        family(
            out,
            "ccip_chain_head",
            "gauge",
            "The chain's newest block at the last look that it answered.",
            &per_chain(&|c| c.head.load(Ordering::Relaxed)),
        );
        let lanes: Vec<(String, u64)> = self
            .lanes
            .iter()
            .map(|l| {
                (
                    format!("lane=\"{}\"", l.name),
                    u64::from(l.cursed.load(Ordering::Relaxed)),
                )
            })
            .collect();
        family(
            out,
            "ccip_lane_cursed",
            "gauge",
            "1 while the destination ARM curses the lane (nothing commits or executes on it).",
            &lanes,
        );
    }
}
