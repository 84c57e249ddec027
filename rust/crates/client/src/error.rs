//! What can go wrong, named so that a test failure or a CLI error says what to do next.

use alloy::{
    primitives::{Address, B256, Bytes, U256},
    sol_types::SolError,
};

/// Errors of the client.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// No chain in the network file has this name or selector.
    #[error("unknown chain {0:?} (not a chain name or selector of the network file)")]
    UnknownChain(String),
    /// The source chain has no lane to the destination.
    #[error("no lane from {from} to {to}")]
    NoLane {
        /// Source chain name.
        from: String,
        /// Destination chain name.
        to: String,
    },
    /// The network file lists no funded account with this index.
    #[error("the network file has no test account {index} (it has {available})")]
    NoAccount {
        /// Requested index.
        index: usize,
        /// How many there are.
        available: usize,
    },
    /// A private key did not parse.
    #[error("invalid private key: {0}")]
    InvalidKey(String),
    /// The deployer key (contract owner) cannot be derived from the seed.
    #[error(
        "the deployer key derived from seed {seed:?} is {derived}, but the network's owner is \
         {expected}; give the owner's key with `with_deployer_key`"
    )]
    DeployerKeyMismatch {
        /// The seed in the network file.
        seed: String,
        /// Address derived from it.
        derived: Address,
        /// Owner in the network file.
        expected: Address,
    },
    /// A token is neither a known symbol nor an address.
    #[error("unknown token {token:?} on {chain} (use BnM, LnM, LINK or a token address)")]
    UnknownToken {
        /// What was asked for.
        token: String,
        /// Chain name.
        chain: String,
    },
    /// A token amount or data argument did not parse.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// A token amount that does not say exactly one positive number of base units.
    #[error("amount {amount:?}: {why}")]
    InvalidAmount {
        /// What was given.
        amount: String,
        /// What is wrong with it.
        why: String,
    },
    /// The receiver is the zero address: nothing can ever receive the message, and tokens sent
    /// to it would be locked or burned on the source for good.
    #[error("the receiver is the zero address: tokens sent to it would be lost; give --receiver")]
    ZeroReceiver,
    /// The receiver gas limit cannot run the receiver: the message would fail on arrival.
    #[error(
        "gas limit {gas_limit} is too low for {receiver} on {chain}: its ccipReceive needs about \
         {estimate} gas (raise --gas-limit, or --force to send anyway and execute by hand later)"
    )]
    GasLimitTooLow {
        /// The requested receiver gas limit.
        gas_limit: u64,
        /// What `ccipReceive` was estimated to take on the destination.
        estimate: u64,
        /// The receiver.
        receiver: Address,
        /// Destination chain name.
        chain: String,
    },
    /// The sender does not hold enough of a token (or of the native coin, token `0x0`).
    #[error(
        "{} holds {} of {} on {}, needs {}: fund the account, or send as a funded test account (--account I)",
        .0.account, .0.balance, token_name(&.0.token), .0.chain, .0.needed
    )]
    InsufficientBalance(Box<Shortfall>),
    /// The lane is cursed on one of its ARMs: nothing is sent, committed or executed on it.
    #[error("lane {from} -> {to} is cursed ({detail})")]
    LaneCursed {
        /// Source chain name.
        from: String,
        /// Destination chain name.
        to: String,
        /// Which ARM and subject.
        detail: String,
    },
    /// No OnRamp of the network emitted this message id.
    #[error("message {0} not found on any OnRamp of the network")]
    MessageNotFound(B256),
    /// The destination CommitStore has no root covering the message yet.
    #[error("message {message_id} (sequence number {sequence_number}) is not committed yet")]
    NotCommitted {
        /// The message.
        message_id: B256,
        /// Its sequence number.
        sequence_number: u64,
    },
    /// The root covering the message is not blessed by the ARM yet.
    #[error("the root {root} covering message {message_id} is not blessed yet")]
    NotBlessed {
        /// The message.
        message_id: B256,
        /// Its committed root.
        root: B256,
    },
    /// The message has already been executed successfully.
    #[error("message {0} is already executed")]
    AlreadyExecuted(B256),
    /// Manual execution of a message that was never attempted opens only after the OffRamp's
    /// permissionless threshold.
    #[error(
        "message {message_id} was never attempted: manual execution opens {threshold_seconds} s \
         after its commit"
    )]
    ManualExecutionNotYetEnabled {
        /// The message.
        message_id: B256,
        /// The OffRamp's `permissionLessExecutionThresholdSeconds`.
        threshold_seconds: u32,
    },
    /// The committed interval's messages do not hash to the committed root.
    #[error("the messages {min}..={max} on the OnRamp do not hash to the committed root {root}")]
    RootMismatch {
        /// Committed root.
        root: B256,
        /// Interval start.
        min: u64,
        /// Interval end.
        max: u64,
    },
    /// A call or transaction reverted.
    #[error("{action} reverted: {reason}")]
    Reverted {
        /// What was attempted.
        action: String,
        /// The decoded revert reason.
        reason: String,
        /// The raw revert data (selector first), for matching by error type.
        data: Bytes,
    },
    /// A token transfer inside the call reverted (`TransferFailed`): says whether the balance or
    /// the allowance is short.
    #[error(
        "{action}: moving {amount} of token {token} from {from} failed: {}",
        .explanation
    )]
    TransferFailed {
        /// What was attempted.
        action: String,
        /// The token.
        token: Address,
        /// Whose tokens.
        from: Address,
        /// The amount.
        amount: U256,
        /// Balance and allowance, and what to do.
        explanation: String,
    },
    /// A mined transaction has status 0.
    #[error("{action}: transaction {tx} failed on chain")]
    TransactionFailed {
        /// What was attempted.
        action: String,
        /// Transaction hash.
        tx: B256,
    },
    /// A transaction receipt lacks the expected event.
    #[error("{action}: the receipt of {tx} has no {event} event")]
    MissingEvent {
        /// What was attempted.
        action: String,
        /// Transaction hash.
        tx: B256,
        /// Event name.
        event: &'static str,
    },
    /// `wait_for` gave up.
    #[error(
        "message {message_id}: timed out after {seconds:.1} s waiting for {waiting_for}; last seen: {last}"
    )]
    Timeout {
        /// The message.
        message_id: B256,
        /// Seconds waited.
        seconds: f64,
        /// The awaited condition.
        waiting_for: String,
        /// The last status (or that the message was not found).
        last: String,
    },
    /// A JSON-RPC request failed.
    #[error("{chain}: {action}: {source}")]
    Rpc {
        /// Chain name.
        chain: String,
        /// What was attempted.
        action: String,
        /// The transport error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// ABI (de)coding between binding types failed.
    #[error("ABI conversion: {0}")]
    Abi(#[from] alloy::sol_types::Error),
    /// A merkle tree or proof could not be built.
    #[error("merkle: {0}")]
    Merkle(#[from] ccip_protocol::MerkleError),
    /// The network file could not be read.
    #[error(transparent)]
    Network(#[from] ccip_core::CoreError),
}

/// Details of [`ClientError::InsufficientBalance`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    /// The sender.
    pub account: Address,
    /// The token.
    pub token: Address,
    /// Chain name.
    pub chain: String,
    /// Balance.
    pub balance: U256,
    /// Required amount.
    pub needed: U256,
}

fn token_name(token: &Address) -> String {
    if token.is_zero() {
        "the native coin (wei)".to_owned()
    } else {
        format!("token {token}")
    }
}

impl ClientError {
    /// Whether this is a revert with error `E` (matched by selector).
    pub fn reverted_with<E: SolError>(&self) -> bool {
        matches!(self, Self::Reverted { data, .. } if data.starts_with(&E::SELECTOR))
    }
}

/// Result alias of the client.
pub type Result<T, E = ClientError> = std::result::Result<T, E>;
