use alloy::primitives::{Address, B256};
use ccip_core::NetworkFile;
use ccip_protocol::metadata_hash;
use ccip_store::LaneKey;

/// One lane of a deployment, with everything a node needs to watch and serve it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    /// (source selector, destination selector).
    pub key: LaneKey,
    /// Source chain name.
    pub source_name: String,
    /// Destination chain name.
    pub dest_name: String,
    /// Source JSON-RPC URL.
    pub source_rpc: String,
    /// Destination JSON-RPC URL.
    pub dest_rpc: String,
    /// OnRamp on the source chain.
    pub on_ramp: Address,
    /// CommitStore on the destination chain.
    pub commit_store: Address,
    /// OffRamp on the destination chain.
    pub off_ramp: Address,
    /// ARM of the destination chain.
    pub dest_arm: Address,
    /// PriceRegistry of the destination chain.
    pub dest_price_registry: Address,
    /// Fee tokens of the destination chain (wrapped native, LINK-like), whose USD prices the
    /// commit reports of this lane keep fresh.
    pub dest_fee_tokens: [Address; 2],
    /// The leaf domain separator of this lane.
    pub metadata_hash: B256,
}

impl Lane {
    /// A short name for logs: `alpha->beta`.
    pub fn name(&self) -> String {
        format!("{}->{}", self.source_name, self.dest_name)
    }
}

/// Every lane of a deployment, in the network file's order.
pub fn lanes(network: &NetworkFile) -> Vec<Lane> {
    network
        .lanes()
        .into_iter()
        .map(|l| Lane {
            key: LaneKey {
                source: l.source.chain_selector,
                dest: l.dest.chain_selector,
            },
            source_name: l.source.name.clone(),
            dest_name: l.dest.name.clone(),
            source_rpc: l.source.rpc_url.clone(),
            dest_rpc: l.dest.rpc_url.clone(),
            on_ramp: l.on_ramp,
            commit_store: l.commit_store,
            off_ramp: l.off_ramp,
            dest_arm: l.dest.contracts.arm,
            dest_price_registry: l.dest.contracts.price_registry,
            dest_fee_tokens: [l.dest.contracts.wrapped_native, l.dest.contracts.link_token],
            metadata_hash: metadata_hash(l.source.chain_selector, l.dest.chain_selector, l.on_ramp),
        })
        .collect()
}
