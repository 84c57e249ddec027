//! Stand-ins for the other networks: the test commits roots (signed by the commit
//! signers, sent by a commit transmitter), blesses them (two ARM voters) and curses lanes (the
//! deployer), so that the executing network can be tested alone on two anvils.

#![allow(dead_code, unreachable_pub)]

use std::time::{Duration, Instant};

use alloy::{
    eips::BlockNumberOrTag,
    primitives::{Address, B256, U256},
    providers::{DynProvider, Provider},
    rpc::types::{Filter, Log},
    sol_types::{SolEvent, SolValue},
};
use ccip_bindings::{
    messenger::Messenger,
    off_ramp::OffRamp,
    router::{Client::EVM2AnyMessage, Router},
};
use ccip_chain::{Lane, MessageIndexer, StreamConfig, TxSender, http_provider, lanes};
use ccip_client::{Client, CurseSubject, testing::Operators};
use ccip_deploy::{DeployOptions, LocalNetwork, NetworkFile, up};
use ccip_execute::ExecConfig;
use ccip_protocol::{CommitReport, EVMExtraArgsV1, Interval, MerkleTree};
use ccip_store::Store;
use eyre::{Result, eyre};

/// Execution states of `Internal.MessageExecutionState`.
pub const UNTOUCHED: u8 = 0;
pub const SUCCESS: u8 = 2;
pub const FAILURE: u8 = 3;

/// Two anvils with the mesh deployed, and the test's stand-in roles.
pub struct Harness {
    pub local: LocalNetwork,
    client: Client,
    operators: Operators,
}

pub fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}

/// A fast config for tests: a short grace so that a non-leader would show up quickly if it raced.
pub fn config() -> ExecConfig {
    ExecConfig {
        leader_grace: Duration::from_millis(500),
        ..ExecConfig::default()
    }
}

pub async fn harness(seed: &str) -> Result<Harness> {
    init_tracing();
    let options = DeployOptions {
        seed: seed.into(),
        ..Default::default()
    };
    let local = up(2, None, 0, &options).await?;
    let client = Client::new(local.deployment.network.clone())?;
    let operators = Operators::new(&client)?;
    Ok(Harness {
        local,
        client,
        operators,
    })
}

impl Harness {
    pub fn network(&self) -> &NetworkFile {
        &self.local.deployment.network
    }

    /// The lane from chain `source` to chain `dest` (indices into the network's chains).
    pub fn lane(&self, source: usize, dest: usize) -> Result<Lane> {
        let (s, d) = (
            self.network().chains[source].chain_selector,
            self.network().chains[dest].chain_selector,
        );
        lanes(self.network())
            .into_iter()
            .find(|l| l.key.source == s && l.key.dest == d)
            .ok_or_else(|| eyre!("no lane {source}->{dest}"))
    }

    fn chain_by_selector(&self, selector: u64) -> Result<&ccip_deploy::ChainDeployment> {
        self.network()
            .chain_by_selector(selector)
            .ok_or_else(|| eyre!("no chain {selector}"))
    }

    /// Sends `text` to the destination's Messenger through the source Router, paying in native.
    pub async fn send(&self, lane: &Lane, text: &str, gas_limit: u64) -> Result<()> {
        let source = self.chain_by_selector(lane.key.source)?;
        let dest = self.chain_by_selector(lane.key.dest)?;
        let user = self.local.deployment.keys.users[0].clone();
        let sender = TxSender::new(&source.rpc_url, user)?;
        let router = Router::new(source.contracts.router, sender.provider().clone());
        let message = EVM2AnyMessage {
            receiver: dest.contracts.messenger.abi_encode().into(),
            data: text.to_owned().abi_encode().into(),
            tokenAmounts: Vec::new(),
            feeToken: Address::ZERO,
            extraArgs: EVMExtraArgsV1 {
                gasLimit: U256::from(gas_limit),
            }
            .to_bytes()
            .into(),
        };
        let fee = router.getFee(lane.key.dest, message.clone()).call().await?;
        let tx = router
            .ccipSend(lane.key.dest, message)
            .value(fee)
            .into_transaction_request();
        sender.send("ccipSend", tx).await?;
        Ok(())
    }

    /// Commits the messages `min..=max` of `lane` as one root, as the committing network would
    /// (signed and transmitted by `ccip_client::testing::Operators`).
    pub async fn commit(&self, lane: &Lane, min: u64, max: u64) -> Result<B256> {
        let store = Store::in_memory()?;
        let indexer = MessageIndexer::new(
            lane,
            http_provider(&lane.source_rpc)?,
            StreamConfig::default(),
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        while store.last_seq(lane.key)?.unwrap_or(0) < max {
            if Instant::now() > deadline {
                return Err(eyre!("messages up to {max} not indexed"));
            }
            indexer.poll(&store).await?;
        }
        let ids: Vec<B256> = store
            .messages(lane.key, min, max)?
            .iter()
            .map(|m| m.message_id)
            .collect();
        let root = MerkleTree::new(ids)?.root();
        let report = CommitReport {
            interval: Interval { min, max },
            merkleRoot: root,
            ..Default::default()
        };
        let lane = self.client.lane(lane.key.source, lane.key.dest)?;
        self.operators.transmit_commit(&lane, &report).await?;
        Ok(root)
    }

    /// Blesses `root` of `lane` with as many ARM voters as the threshold needs.
    pub async fn bless(&self, lane: &Lane, root: B256) -> Result<()> {
        Ok(self
            .operators
            .bless(lane.key.source, lane.key.dest, root)
            .await?)
    }

    /// Curses (or lifts the curse of) the lane's source chain on its destination ARM.
    pub async fn curse(&self, lane: &Lane, cursed: bool) -> Result<()> {
        let subject = CurseSubject::Lane(lane.key.source);
        if cursed {
            self.client.curse(lane.key.dest, subject).await?;
        } else {
            self.client.uncurse(lane.key.dest, subject).await?;
        }
        Ok(())
    }

    pub fn dest(&self, lane: &Lane) -> Result<DynProvider> {
        Ok(http_provider(&lane.dest_rpc)?)
    }

    pub async fn state(&self, lane: &Lane, seq: u64) -> Result<u8> {
        Ok(OffRamp::new(lane.off_ramp, self.dest(lane)?)
            .getExecutionState(seq)
            .call()
            .await?)
    }

    pub async fn states(
        &self,
        lane: &Lane,
        seqs: impl IntoIterator<Item = u64>,
    ) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        for seq in seqs {
            out.push(self.state(lane, seq).await?);
        }
        Ok(out)
    }

    /// Waits until every message of `seqs` is in a final state; returns how long it took.
    pub async fn wait_final(
        &self,
        lane: &Lane,
        seqs: std::ops::RangeInclusive<u64>,
    ) -> Result<Duration> {
        let started = Instant::now();
        loop {
            let states = self.states(lane, seqs.clone()).await?;
            if states.iter().all(|&s| s == SUCCESS || s == FAILURE) {
                return Ok(started.elapsed());
            }
            if started.elapsed() > Duration::from_secs(15) {
                return Err(eyre!("{seqs:?} still not executed: {states:?}"));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// How many messages the destination's Messenger received, and the last text.
    pub async fn received(&self, lane: &Lane) -> Result<(u64, String)> {
        let dest = self.chain_by_selector(lane.key.dest)?;
        let messenger = Messenger::new(dest.contracts.messenger, self.dest(lane)?);
        let count = messenger.getReceivedCount().call().await?;
        let last = messenger.getLastReceived().call().await?;
        Ok((count.to(), last.text))
    }

    /// The OffRamp's logs of `event` on the lane.
    pub async fn off_ramp_logs<E: SolEvent>(&self, lane: &Lane) -> Result<Vec<Log>> {
        let filter = Filter::new()
            .address(lane.off_ramp)
            .event_signature(E::SIGNATURE_HASH)
            .from_block(0)
            .to_block(BlockNumberOrTag::Latest);
        Ok(self.dest(lane)?.get_logs(&filter).await?)
    }

    /// `ExecutionStateChanged` events per sequence number (sequence number, transaction).
    pub async fn executions(&self, lane: &Lane) -> Result<Vec<(u64, u8, B256)>> {
        let mut out = Vec::new();
        for log in self
            .off_ramp_logs::<OffRamp::ExecutionStateChanged>(lane)
            .await?
        {
            let e = OffRamp::ExecutionStateChanged::decode_log_data(log.data())?;
            out.push((
                e.sequenceNumber,
                e.state,
                log.transaction_hash.unwrap_or_default(),
            ));
        }
        Ok(out)
    }

    /// Transaction counts of the exec transmitters on the lane's destination.
    pub async fn exec_nonces(&self, lane: &Lane) -> Result<Vec<u64>> {
        let dest = self.dest(lane)?;
        let mut out = Vec::new();
        for a in &self.network().roles.exec_transmitters {
            out.push(dest.get_transaction_count(*a).await?);
        }
        Ok(out)
    }
}
