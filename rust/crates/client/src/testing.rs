//! Test scaffolding (feature `testing`): [`Operators`] plays the committing, risk and executing
//! networks by hand with the role keys derived from the network's seed, so tests can move a
//! message from sent to executed one step at a time and check every state in between.
//!
//! ```ignore
//! let ops = Operators::new(&client)?;
//! let sent = client.send(SendRequest::new("alpha", "beta").text("hi")).await?;
//! let commit = ops.commit("alpha", "beta").await?.expect("a message to commit");
//! ops.bless("alpha", "beta", commit.root).await?;
//! let executed = ops.execute("alpha", "beta").await?;
//! ```

use alloy::{
    primitives::{B256, Bytes, FixedBytes},
    providers::DynProvider,
    signers::{SignerSync, local::PrivateKeySigner},
    sol_types::SolEvent,
};
use ccip_bindings::{
    arm::{ARM, IARM},
    commit_store::CommitStore,
    decode_revert,
    off_ramp::OffRamp,
};
use ccip_core::{KeyConfig, Keys};
use ccip_protocol::{
    CommitReport, Interval, MerkleTree, ReportSignature, commit_report_digest, pack_signatures,
};

use crate::{
    client::{ChainRef, Client, LaneRef},
    error::{ClientError, Result},
    manual::execution_gas,
    status::{Commit, ExecutionState},
};

/// One message an [`Operators::execute`] call executed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Executed {
    /// The message.
    pub message_id: B256,
    /// Its sequence number.
    pub sequence_number: u64,
    /// The outcome.
    pub state: ExecutionState,
    /// The decoded reason of a failure.
    pub reason: Option<String>,
}

/// The off-chain roles of a network, acting by hand.
#[derive(Debug, Clone)]
pub struct Operators {
    client: Client,
    keys: Keys,
}

impl Operators {
    /// Derives the role keys from the network's seed and checks them against its roles.
    pub fn new(client: &Client) -> Result<Self> {
        let network = client.network();
        let roles = &network.roles;
        let config = KeyConfig {
            commit_signers: roles.commit_signers.len(),
            f: roles.f,
            commit_transmitters: roles.commit_transmitters.len(),
            exec_transmitters: roles.exec_transmitters.len(),
            arm_voters: roles.arm_voters.len(),
            arm_threshold: roles.bless_weight_threshold,
            users: 0,
        };
        let keys = Keys::derive(&network.seed, config)?;
        let addresses =
            |ks: &[PrivateKeySigner]| ks.iter().map(|k| k.address()).collect::<Vec<_>>();
        if addresses(&keys.commit_signers) != roles.commit_signers
            || addresses(&keys.commit_transmitters) != roles.commit_transmitters
            || addresses(&keys.exec_transmitters) != roles.exec_transmitters
            || addresses(&keys.arm_voters) != roles.arm_voters
        {
            return Err(ClientError::InvalidArgument(format!(
                "the network's role addresses do not derive from its seed {:?}",
                network.seed
            )));
        }
        Ok(Self {
            client: client.clone(),
            keys,
        })
    }

    /// The derived role keys.
    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    fn signer_provider(&self, index: usize, key: &PrivateKeySigner) -> Result<DynProvider> {
        self.client.signing_provider(index, key)
    }

    /// Commits every message of the lane not committed yet as one root: builds the tree over
    /// their ids, signs the report with `f + 1` commit signers and transmits it. `None` when
    /// there is nothing to commit.
    pub async fn commit(
        &self,
        source: impl Into<ChainRef>,
        dest: impl Into<ChainRef>,
    ) -> Result<Option<Commit>> {
        let lane = self.client.lane(source, dest)?;
        let index = lane.dest;
        let reader = CommitStore::new(lane.commit_store, self.reader(index));
        let next = reader
            .getExpectedNextSequenceNumber()
            .call()
            .await
            .map_err(|e| {
                self.client
                    .call_error(index, "getExpectedNextSequenceNumber", e)
            })?;
        let messages = self
            .client
            .lane_messages(&lane, Some((next, u64::MAX)))
            .await?;
        let Some(last) = messages.last() else {
            return Ok(None);
        };
        let max = last.message.sequenceNumber;
        let tree = MerkleTree::new(
            messages
                .iter()
                .map(|m| m.message.messageId)
                .collect::<Vec<_>>(),
        )?;
        let report = CommitReport {
            interval: Interval { min: next, max },
            merkleRoot: tree.root(),
            ..Default::default()
        };
        self.transmit_commit(&lane, &report).await.map(Some)
    }

    /// Signs and transmits `report` to the lane's CommitStore; returns the accepted root.
    pub async fn transmit_commit(&self, lane: &LaneRef, report: &CommitReport) -> Result<Commit> {
        let index = lane.dest;
        let reader = CommitStore::new(lane.commit_store, self.reader(index));
        let details = reader
            .latestConfigDetails()
            .call()
            .await
            .map_err(|e| self.client.call_error(index, "latestConfigDetails", e))?;
        let epoch = reader
            .getLatestPriceEpochAndRound()
            .call()
            .await
            .map_err(|e| {
                self.client
                    .call_error(index, "getLatestPriceEpochAndRound", e)
            })?;
        let epoch_and_round = u64::try_from(epoch).unwrap_or_default() + 1;
        let encoded = report.encode();
        let digest = commit_report_digest(details.configDigest, epoch_and_round, &encoded)
            .map_err(|e| ClientError::InvalidArgument(e.to_string()))?;
        let signers = usize::from(self.keys.config.f) + 1;
        let signatures = self
            .keys
            .commit_signers
            .iter()
            .take(signers)
            .map(|key| {
                key.sign_hash_sync(&digest)
                    .map(|sig| ReportSignature::new(key.address(), &sig))
                    .map_err(|e| ClientError::InvalidArgument(format!("signing: {e}")))
            })
            .collect::<Result<Vec<_>>>()?;
        let (rs, ss, vs) = pack_signatures(&signatures);
        let transmitter = self.keys.commit_transmitters[0].clone();
        let provider = self.signer_provider(index, &transmitter)?;
        let tx = CommitStore::new(lane.commit_store, &provider)
            .commit(
                [
                    details.configDigest,
                    B256::from(alloy::primitives::U256::from(epoch_and_round)),
                ],
                Bytes::from(encoded),
                rs,
                ss,
                vs,
            )
            .into_transaction_request();
        let receipt = self
            .client
            .transact(
                index,
                &provider,
                transmitter.address(),
                "CommitStore.commit",
                tx,
            )
            .await?;
        let log = receipt
            .inner
            .logs()
            .iter()
            .find(|l| {
                l.address() == lane.commit_store
                    && l.topic0() == Some(&CommitStore::ReportAccepted::SIGNATURE_HASH)
            })
            .ok_or(ClientError::MissingEvent {
                action: "CommitStore.commit".into(),
                tx: receipt.transaction_hash,
                event: "ReportAccepted",
            })?;
        let accepted = log.log_decode::<CommitStore::ReportAccepted>()?;
        let r = &accepted.inner.data;
        Ok(Commit {
            root: r.merkleRoot,
            min: r.minSeqNr,
            max: r.maxSeqNr,
            commit_store: lane.commit_store,
            event: self.client.event_of(index, log).await?,
        })
    }

    /// Votes to bless `root` of the lane's CommitStore from as many ARM voters as the threshold
    /// needs (weight 1 each).
    pub async fn bless(
        &self,
        source: impl Into<ChainRef>,
        dest: impl Into<ChainRef>,
        root: B256,
    ) -> Result<()> {
        let lane = self.client.lane(source, dest)?;
        let index = lane.dest;
        let arm = self.client.network().chains[index].contracts.arm;
        let needed = usize::from(self.keys.config.arm_threshold);
        for voter in self.keys.arm_voters.iter().take(needed) {
            let provider = self.signer_provider(index, voter)?;
            let tx = ARM::new(arm, &provider)
                .voteToBless(vec![IARM::TaggedRoot {
                    commitStore: lane.commit_store,
                    root,
                }])
                .into_transaction_request();
            self.client
                .transact(index, &provider, voter.address(), "ARM.voteToBless", tx)
                .await?;
        }
        Ok(())
    }

    /// Votes to curse `subject` on `chain`'s ARM from as many voters as the threshold needs.
    pub async fn vote_to_curse(
        &self,
        chain: impl Into<ChainRef>,
        subject: FixedBytes<16>,
    ) -> Result<()> {
        let index = self.client.chain_index(&chain.into())?;
        let arm = self.client.network().chains[index].contracts.arm;
        let needed = self.client.network().roles.curse_weight_threshold;
        for voter in self.keys.arm_voters.iter().take(usize::from(needed)) {
            let provider = self.signer_provider(index, voter)?;
            let tx = ARM::new(arm, &provider)
                .voteToCurse(vec![subject])
                .into_transaction_request();
            self.client
                .transact(index, &provider, voter.address(), "ARM.voteToCurse", tx)
                .await?;
        }
        Ok(())
    }

    /// Executes, as an exec transmitter, every never-attempted message of the lane whose root is
    /// committed and blessed, one report per root.
    pub async fn execute(
        &self,
        source: impl Into<ChainRef>,
        dest: impl Into<ChainRef>,
    ) -> Result<Vec<Executed>> {
        let lane = self.client.lane(source, dest)?;
        let index = lane.dest;
        let off_ramp = OffRamp::new(lane.off_ramp, self.reader(index));
        let mut out = Vec::new();
        for commit in self.commits(&lane).await? {
            if !self
                .client
                .is_blessed(index, lane.commit_store, commit.root)
                .await?
            {
                continue;
            }
            let mut seqs = Vec::new();
            for seq in commit.min..=commit.max {
                let state = off_ramp
                    .getExecutionState(seq)
                    .call()
                    .await
                    .map_err(|e| self.client.call_error(index, "getExecutionState", e))?;
                if ExecutionState::from_u8(state) == ExecutionState::Untouched {
                    seqs.push(seq);
                }
            }
            if seqs.is_empty() {
                continue;
            }
            let report = self.client.execution_report(&lane, &commit, &seqs).await?;
            out.extend(self.transmit_execution(&lane, &report).await?);
        }
        Ok(out)
    }

    /// Sends `report` to the lane's OffRamp as an exec transmitter; returns every
    /// `ExecutionStateChanged` of the receipt.
    pub async fn transmit_execution(
        &self,
        lane: &LaneRef,
        report: &ccip_protocol::ExecutionReport,
    ) -> Result<Vec<Executed>> {
        let index = lane.dest;
        let transmitter = self.keys.exec_transmitters[0].clone();
        let provider = self.signer_provider(index, &transmitter)?;
        let gas = execution_gas(report.messages.iter().map(|m| {
            (
                u64::try_from(m.gasLimit).unwrap_or(u64::MAX),
                m.tokenAmounts.len(),
            )
        }));
        let tx = OffRamp::new(lane.off_ramp, &provider)
            .execute(ccip_bindings::abi_convert(report)?)
            .gas(gas)
            .into_transaction_request();
        let receipt = self
            .client
            .transact(
                index,
                &provider,
                transmitter.address(),
                "OffRamp.execute",
                tx,
            )
            .await?;
        Ok(receipt
            .inner
            .logs()
            .iter()
            .filter(|l| l.address() == lane.off_ramp)
            .filter_map(|l| l.log_decode::<OffRamp::ExecutionStateChanged>().ok())
            .map(|l| {
                let d = l.inner.data;
                let state = ExecutionState::from_u8(d.state);
                Executed {
                    message_id: d.messageId,
                    sequence_number: d.sequenceNumber,
                    state,
                    reason: (state == ExecutionState::Failure)
                        .then(|| decode_revert(&d.returnData)),
                }
            })
            .collect())
    }

    /// Commits, blesses and executes everything pending on the lane.
    pub async fn deliver(
        &self,
        source: impl Into<ChainRef>,
        dest: impl Into<ChainRef>,
    ) -> Result<Vec<Executed>> {
        let (source, dest) = (source.into(), dest.into());
        if let Some(commit) = self.commit(source.clone(), dest.clone()).await? {
            self.bless(source.clone(), dest.clone(), commit.root)
                .await?;
        }
        self.execute(source, dest).await
    }

    /// Every root committed on the lane, in order.
    async fn commits(&self, lane: &LaneRef) -> Result<Vec<Commit>> {
        let logs = self
            .client
            .logs(
                lane.dest,
                "CommitStore ReportAccepted logs",
                alloy::rpc::types::Filter::new()
                    .address(lane.commit_store)
                    .event_signature(CommitStore::ReportAccepted::SIGNATURE_HASH),
            )
            .await?;
        let mut out = Vec::with_capacity(logs.len());
        for log in logs {
            let r = log.log_decode::<CommitStore::ReportAccepted>()?.inner.data;
            out.push(Commit {
                root: r.merkleRoot,
                min: r.minSeqNr,
                max: r.maxSeqNr,
                commit_store: lane.commit_store,
                event: self.client.event_of(lane.dest, &log).await?,
            });
        }
        Ok(out)
    }

    fn reader(&self, index: usize) -> &DynProvider {
        self.client.reader_at(index)
    }
}
