//! The [`Client`]: a network file, a provider per chain and the user's key.

use ccip_bindings::decode_revert;
use std::{fmt, path::Path, str::FromStr, time::Duration};

use alloy::{
    network::EthereumWallet,
    primitives::{Address, B256},
    providers::{DynProvider, Provider, ProviderBuilder},
    rpc::types::{Filter, Log, TransactionReceipt, TransactionRequest},
    signers::local::PrivateKeySigner,
    sol_types::SolEvent,
    transports::{RpcError, TransportErrorKind},
};
use ccip_bindings::on_ramp::OnRamp;
use ccip_core::{ChainDeployment, NetworkFile, keys};
use ccip_protocol::EVM2EVMMessage;

use crate::error::{ClientError, Result};

/// How long to wait for a receipt.
const RECEIPT_TIMEOUT: Duration = Duration::from_secs(60);

/// A chain of the network, by name (`alpha`) or by CCIP chain selector.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ChainRef {
    /// The chain's name in the network file; a decimal selector is accepted too.
    Name(String),
    /// The chain's CCIP selector.
    Selector(u64),
}

impl From<&str> for ChainRef {
    fn from(name: &str) -> Self {
        Self::Name(name.to_owned())
    }
}

impl From<String> for ChainRef {
    fn from(name: String) -> Self {
        Self::Name(name)
    }
}

impl From<&String> for ChainRef {
    fn from(name: &String) -> Self {
        Self::Name(name.clone())
    }
}

impl From<u64> for ChainRef {
    fn from(selector: u64) -> Self {
        Self::Selector(selector)
    }
}

impl From<&ChainDeployment> for ChainRef {
    fn from(chain: &ChainDeployment) -> Self {
        Self::Selector(chain.chain_selector)
    }
}

impl fmt::Display for ChainRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Name(name) => f.write_str(name),
            Self::Selector(selector) => write!(f, "{selector}"),
        }
    }
}

/// The contracts of one lane, with the indices of its chains in the network file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaneRef {
    /// Index of the source chain in `NetworkFile::chains`.
    pub source: usize,
    /// Index of the destination chain.
    pub dest: usize,
    /// OnRamp on the source chain.
    pub on_ramp: Address,
    /// CommitStore on the destination chain.
    pub commit_store: Address,
    /// OffRamp on the destination chain.
    pub off_ramp: Address,
}

/// When and where something happened on a chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainEvent {
    /// Block number.
    pub block_number: u64,
    /// Block timestamp (unix seconds).
    pub timestamp: u64,
    /// Transaction hash.
    pub tx_hash: B256,
}

/// A message as its OnRamp emitted it in `CCIPSendRequested`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMessage {
    /// The lane it travels on.
    pub lane: LaneRef,
    /// The message (its `messageId` is the leaf hash).
    pub message: EVM2EVMMessage,
    /// Fee token (wrapped native when paid in native).
    pub fee_token: alloy::primitives::Address,
    /// What the sender paid in it.
    pub fee_token_amount: alloy::primitives::U256,
    /// The send transaction.
    pub event: ChainEvent,
}

/// The user-side client of a deployed network.
///
/// ```ignore
/// let client = Client::from_file(".network/network.json")?;             // test account 0
/// let receipt = client.send(SendRequest::new("alpha", "beta").text("hi")).await?;
/// let status = client.wait_for_state(receipt.message_id, MessageState::Executed, timeout).await?;
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    network: NetworkFile,
    /// Read-only providers, one per chain (index of `network.chains`).
    readers: Vec<DynProvider>,
    /// Providers signing with the user key.
    users: Vec<DynProvider>,
    user: PrivateKeySigner,
    deployer: Option<PrivateKeySigner>,
}

impl Client {
    /// A client for `network`, signing with its test account 0.
    pub fn new(network: NetworkFile) -> Result<Self> {
        let user = account_key(&network, 0)?;
        let readers = network
            .chains
            .iter()
            .map(|c| {
                Ok(ProviderBuilder::new()
                    .connect_client(rpc_client(c)?)
                    .erased())
            })
            .collect::<Result<Vec<_>>>()?;
        let mut client = Self {
            network,
            readers,
            users: Vec::new(),
            user,
            deployer: None,
        };
        client.users = client.signing_providers(&client.user)?;
        Ok(client)
    }

    /// Reads the network file at `path` ([`ccip_core::DEFAULT_NETWORK_FILE`] by default).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        Self::new(NetworkFile::read(path.as_ref())?)
    }

    /// Signs with the network file's funded test account `index` instead.
    pub fn with_account(self, index: usize) -> Result<Self> {
        let key = account_key(&self.network, index)?;
        self.with_signer(key)
    }

    /// Signs with this private key (hex, `0x` optional) instead.
    pub fn with_private_key(self, hex: &str) -> Result<Self> {
        let key = PrivateKeySigner::from_str(hex.trim())
            .map_err(|e| ClientError::InvalidKey(e.to_string()))?;
        self.with_signer(key)
    }

    /// Signs with `signer` instead.
    pub fn with_signer(mut self, signer: PrivateKeySigner) -> Result<Self> {
        self.users = self.signing_providers(&signer)?;
        self.user = signer;
        Ok(self)
    }

    /// Uses this key as the contracts' owner (for [`Client::curse`]) instead of the one derived
    /// from the network's seed.
    pub fn with_deployer_key(mut self, signer: PrivateKeySigner) -> Self {
        self.deployer = Some(signer);
        self
    }

    /// The network file.
    pub fn network(&self) -> &NetworkFile {
        &self.network
    }

    /// The address the client sends from.
    pub fn address(&self) -> Address {
        self.user.address()
    }

    /// The user's signing key.
    pub fn signer(&self) -> &PrivateKeySigner {
        &self.user
    }

    /// The index in `network().chains` of the chain `chain` names.
    pub fn chain_index(&self, chain: &ChainRef) -> Result<usize> {
        let chains = &self.network.chains;
        let found = match chain {
            ChainRef::Name(name) => chains.iter().position(|c| &c.name == name).or_else(|| {
                let selector = name.parse::<u64>().ok()?;
                chains.iter().position(|c| c.chain_selector == selector)
            }),
            ChainRef::Selector(selector) => {
                chains.iter().position(|c| c.chain_selector == *selector)
            }
        };
        found.ok_or_else(|| ClientError::UnknownChain(chain.to_string()))
    }

    /// The deployment of chain `chain`.
    pub fn chain(&self, chain: impl Into<ChainRef>) -> Result<&ChainDeployment> {
        let index = self.chain_index(&chain.into())?;
        Ok(&self.network.chains[index])
    }

    /// A read-only provider of chain `chain`.
    pub fn provider(&self, chain: impl Into<ChainRef>) -> Result<&DynProvider> {
        let index = self.chain_index(&chain.into())?;
        Ok(&self.readers[index])
    }

    /// A provider of chain `chain` that signs with the user key.
    pub fn user_provider(&self, chain: impl Into<ChainRef>) -> Result<&DynProvider> {
        let index = self.chain_index(&chain.into())?;
        Ok(&self.users[index])
    }

    /// The lane from `source` to `dest`.
    pub fn lane(&self, source: impl Into<ChainRef>, dest: impl Into<ChainRef>) -> Result<LaneRef> {
        let source = self.chain_index(&source.into())?;
        let dest = self.chain_index(&dest.into())?;
        self.lane_by_index(source, dest)
    }

    pub(crate) fn lane_by_index(&self, source: usize, dest: usize) -> Result<LaneRef> {
        let src = &self.network.chains[source];
        let dst = &self.network.chains[dest];
        let no_lane = || ClientError::NoLane {
            from: src.name.clone(),
            to: dst.name.clone(),
        };
        let out = src
            .lanes
            .iter()
            .find(|l| l.remote_chain_selector == dst.chain_selector)
            .ok_or_else(no_lane)?;
        let inbound = dst
            .lanes
            .iter()
            .find(|l| l.remote_chain_selector == src.chain_selector)
            .ok_or_else(no_lane)?;
        Ok(LaneRef {
            source,
            dest,
            on_ramp: out.on_ramp,
            commit_store: inbound.commit_store,
            off_ramp: inbound.off_ramp,
        })
    }

    /// The chain at `index` of the network file.
    pub(crate) fn chain_at(&self, index: usize) -> &ChainDeployment {
        &self.network.chains[index]
    }

    pub(crate) fn reader_at(&self, index: usize) -> &DynProvider {
        &self.readers[index]
    }

    pub(crate) fn user_at(&self, index: usize) -> &DynProvider {
        &self.users[index]
    }

    /// Providers for every chain that sign with `signer`.
    pub fn signing_providers(&self, signer: &PrivateKeySigner) -> Result<Vec<DynProvider>> {
        self.network
            .chains
            .iter()
            .map(|c| signing(c, signer))
            .collect()
    }

    /// A provider of chain `index` that signs with `signer`.
    pub fn signing_provider(&self, index: usize, signer: &PrivateKeySigner) -> Result<DynProvider> {
        let chain = self
            .network
            .chains
            .get(index)
            .ok_or_else(|| ClientError::UnknownChain(format!("index {index}")))?;
        signing(chain, signer)
    }

    /// Simulates `tx` from `from`: `Ok(None)` if it would succeed, `Ok(Some(revert data))` if
    /// it would revert.
    pub async fn simulate(
        &self,
        index: usize,
        from: Address,
        tx: TransactionRequest,
    ) -> Result<Option<alloy::primitives::Bytes>> {
        match self.readers[index].call(tx.from(from)).await {
            Ok(_) => Ok(None),
            Err(e) => match e.as_error_resp().and_then(|r| r.as_revert_data()) {
                Some(data) => Ok(Some(data)),
                None => Err(self.rpc_error(index, "eth_call", e)),
            },
        }
    }

    /// The contracts' owner: the key given with [`Client::with_deployer_key`], else the one
    /// derived from the network's seed (checked against the network file).
    pub fn deployer_key(&self) -> Result<PrivateKeySigner> {
        if let Some(key) = &self.deployer {
            return Ok(key.clone());
        }
        let derived = keys::derive_key(&self.network.seed, keys::role::DEPLOYER, 0)?;
        if derived.address() != self.network.deployer {
            return Err(ClientError::DeployerKeyMismatch {
                seed: self.network.seed.clone(),
                derived: derived.address(),
                expected: self.network.deployer,
            });
        }
        Ok(derived)
    }

    /// Every message a lane's OnRamp emitted with a sequence number in `min..=max` (all of them
    /// when `None`), in sequence order.
    pub async fn lane_messages(
        &self,
        lane: &LaneRef,
        range: Option<(u64, u64)>,
    ) -> Result<Vec<SentMessage>> {
        let mut out = Vec::new();
        for log in self.send_logs(lane).await? {
            let sent = self.sent_from_log(*lane, &log).await?;
            let seq = sent.message.sequenceNumber;
            if range.is_none_or(|(min, max)| (min..=max).contains(&seq)) {
                out.push(sent);
            }
        }
        out.sort_by_key(|m| m.message.sequenceNumber);
        Ok(out)
    }

    /// Every `CCIPSendRequested` log of the lane's OnRamp, from genesis.
    pub(crate) async fn send_logs(&self, lane: &LaneRef) -> Result<Vec<Log>> {
        self.logs(
            lane.source,
            "OnRamp CCIPSendRequested logs",
            Filter::new()
                .address(lane.on_ramp)
                .event_signature(OnRamp::CCIPSendRequested::SIGNATURE_HASH),
        )
        .await
    }

    pub(crate) async fn sent_from_log(&self, lane: LaneRef, log: &Log) -> Result<SentMessage> {
        let decoded = log.log_decode::<OnRamp::CCIPSendRequested>()?;
        let data = &decoded.inner.data;
        Ok(SentMessage {
            lane,
            message: ccip_bindings::abi_convert(&data.message)?,
            fee_token: data.feeToken,
            fee_token_amount: data.feeTokenAmount,
            event: self.event_of(lane.source, log).await?,
        })
    }

    /// All logs of chain `index` matching `filter`, from genesis.
    pub(crate) async fn logs(
        &self,
        index: usize,
        action: &str,
        filter: Filter,
    ) -> Result<Vec<Log>> {
        self.readers[index]
            .get_logs(&filter.from_block(0u64))
            .await
            .map_err(|e| self.rpc_error(index, action, e))
    }

    /// Block, time and transaction of a log.
    pub(crate) async fn event_of(&self, index: usize, log: &Log) -> Result<ChainEvent> {
        let block_number = log.block_number.unwrap_or_default();
        let timestamp = match log.block_timestamp {
            Some(t) => t,
            None => self.block_time(index, block_number).await?,
        };
        Ok(ChainEvent {
            block_number,
            timestamp,
            tx_hash: log.transaction_hash.unwrap_or_default(),
        })
    }

    pub(crate) async fn block_time(&self, index: usize, block: u64) -> Result<u64> {
        let header = self.readers[index]
            .get_block_by_number(block.into())
            .await
            .map_err(|e| self.rpc_error(index, "eth_getBlockByNumber", e))?;
        Ok(header.map(|b| b.header.timestamp).unwrap_or_default())
    }

    pub(crate) fn rpc_error(
        &self,
        index: usize,
        action: &str,
        err: impl std::error::Error + Send + Sync + 'static,
    ) -> ClientError {
        ClientError::Rpc {
            chain: self.network.chains[index].name.clone(),
            action: action.to_owned(),
            source: Box::new(err),
        }
    }

    /// Simulates `tx` from `from` (so a revert comes back decoded, before paying for it), sends
    /// it through `provider` and waits for a successful receipt.
    pub async fn transact(
        &self,
        index: usize,
        provider: &DynProvider,
        from: Address,
        action: &str,
        tx: TransactionRequest,
    ) -> Result<TransactionReceipt> {
        let tx = tx.from(from);
        if let Err(e) = provider.call(tx.clone()).await {
            return Err(self.tx_error(index, action, e));
        }
        let pending = provider
            .send_transaction(tx)
            .await
            .map_err(|e| self.tx_error(index, action, e))?;
        let receipt = pending
            .with_timeout(Some(RECEIPT_TIMEOUT))
            .get_receipt()
            .await
            .map_err(|e| self.rpc_error(index, action, e))?;
        if !receipt.status() {
            return Err(ClientError::TransactionFailed {
                action: action.to_owned(),
                tx: receipt.transaction_hash,
            });
        }
        tracing::debug!(chain = %self.network.chains[index].name, action, tx = %receipt.transaction_hash, "mined");
        Ok(receipt)
    }

    /// A revert (decoded) or a transport error.
    pub(crate) fn tx_error(
        &self,
        index: usize,
        action: &str,
        err: RpcError<TransportErrorKind>,
    ) -> ClientError {
        match err.as_error_resp().and_then(|r| r.as_revert_data()) {
            Some(data) => ClientError::Reverted {
                action: action.to_owned(),
                reason: decode_revert(&data),
                data: data.clone(),
            },
            None => self.rpc_error(index, action, err),
        }
    }

    /// A contract call error: a revert (decoded) or a transport error.
    pub(crate) fn call_error(
        &self,
        index: usize,
        action: &str,
        err: alloy::contract::Error,
    ) -> ClientError {
        match err.as_revert_data() {
            Some(data) => ClientError::Reverted {
                action: action.to_owned(),
                reason: decode_revert(&data),
                data: data.clone(),
            },
            None => self.rpc_error(index, action, err),
        }
    }
}

/// Longest one JSON-RPC request of the client may take: a chain that does not answer is an
/// error naming it, not a command that hangs.
const RPC_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

fn rpc_client(chain: &ChainDeployment) -> Result<alloy::rpc::client::RpcClient> {
    let http = alloy::transports::http::reqwest::Client::builder()
        .timeout(RPC_TIMEOUT)
        .connect_timeout(std::time::Duration::from_secs(5))
        .build()
        .map_err(|e| ClientError::InvalidArgument(format!("{}: http client: {e}", chain.name)))?;
    Ok(alloy::rpc::client::RpcClient::new_http_with_client(
        http,
        url(chain)?,
    ))
}

/// A provider signing with `signer`. The nonce is the chain's pending count at each send, never a
/// cached one: after a failed send, a restarted chain or another sender with the same key, the
/// next send still takes the slot the chain expects.
fn signing(chain: &ChainDeployment, signer: &PrivateKeySigner) -> Result<DynProvider> {
    Ok(ProviderBuilder::new()
        .disable_recommended_fillers()
        .with_gas_estimation()
        .with_simple_nonce_management()
        .fetch_chain_id()
        .wallet(EthereumWallet::from(signer.clone()))
        .connect_client(rpc_client(chain)?)
        .erased())
}

fn url(chain: &ChainDeployment) -> Result<alloy::transports::http::reqwest::Url> {
    chain.rpc_url.parse().map_err(|e| {
        ClientError::InvalidArgument(format!("{}: rpc url {:?}: {e}", chain.name, chain.rpc_url))
    })
}

fn account_key(network: &NetworkFile, index: usize) -> Result<PrivateKeySigner> {
    let accounts = network
        .chains
        .first()
        .map(|c| c.accounts.as_slice())
        .unwrap_or_default();
    let account = accounts.get(index).ok_or(ClientError::NoAccount {
        index,
        available: accounts.len(),
    })?;
    PrivateKeySigner::from_str(account.private_key.trim())
        .map_err(|e| ClientError::InvalidKey(format!("test account {index}: {e}")))
}
