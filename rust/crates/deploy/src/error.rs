//! Errors name the chain, the contract and the step that failed.

use std::path::PathBuf;

use alloy::{
    node_bindings::NodeError,
    primitives::{Address, TxHash},
    transports::TransportError,
};

/// Everything that can go wrong while bringing chains up and deploying on them.
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    /// The anvil binary is not where it should be.
    #[error("anvil not found at {path}: run `npm ci` at the repository root (or set CCIP_ANVIL)")]
    AnvilMissing {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// The port a chain is to listen on is taken.
    #[error(
        "{chain}: port {port} is already in use (another `ccip up` or anvil?): stop it, or choose other ports with --base-port (0 picks free ones)"
    )]
    PortInUse {
        /// Chain name.
        chain: String,
        /// The port.
        port: u16,
    },
    /// An anvil did not start.
    #[error("{chain}: could not start anvil (chain id {chain_id}, port {port}): {source}")]
    Spawn {
        /// Chain name.
        chain: String,
        /// Chain id it was given.
        chain_id: u64,
        /// Port it was given (0: any free port).
        port: u16,
        /// What alloy reported.
        #[source]
        source: Box<NodeError>,
    },
    /// An RPC call that is not a transaction failed.
    #[error("{chain}: {step}: {source}")]
    Rpc {
        /// Chain name or RPC URL.
        chain: String,
        /// What was being done.
        step: String,
        /// The transport error.
        #[source]
        source: Box<TransportError>,
    },
    /// Sending a transaction failed.
    #[error(
        "{chain}: {contract}: {step}: sending the transaction (nonce {nonce}) failed: {source}"
    )]
    Send {
        /// Chain name.
        chain: String,
        /// Contract the transaction deploys or calls.
        contract: String,
        /// What the transaction does.
        step: String,
        /// Its nonce.
        nonce: u64,
        /// The transport error.
        #[source]
        source: Box<TransportError>,
    },
    /// A transaction was mined but reverted.
    #[error(
        "{chain}: {contract}: {step}: transaction {tx} reverted (gas used {gas_used} of {gas_limit})"
    )]
    Reverted {
        /// Chain name.
        chain: String,
        /// Contract the transaction deploys or calls.
        contract: String,
        /// What the transaction does.
        step: String,
        /// Its hash.
        tx: TxHash,
        /// Gas it used.
        gas_used: u64,
        /// Gas limit it was sent with.
        gas_limit: u64,
    },
    /// A transaction was not mined in time.
    #[error("{chain}: {contract}: {step}: no receipt for {tx} after {seconds} s")]
    Timeout {
        /// Chain name.
        chain: String,
        /// Contract the transaction deploys or calls.
        contract: String,
        /// What the transaction does.
        step: String,
        /// Its hash.
        tx: TxHash,
        /// How long we waited.
        seconds: u64,
    },
    /// A contract landed somewhere else than planned (someone else used the deployer's nonces).
    #[error("{chain}: {contract}: deployed at {actual}, planned at {expected}")]
    AddressMismatch {
        /// Chain name.
        chain: String,
        /// Contract name.
        contract: String,
        /// Planned address.
        expected: Address,
        /// Address in the receipt.
        actual: Address,
    },
    /// The inputs do not make a deployable network.
    #[error("invalid setup: {0}")]
    Setup(String),
    /// The network file or key derivation (see [`ccip_core::CoreError`]).
    #[error(transparent)]
    Core(#[from] ccip_core::CoreError),
}
