//! alloy bindings for every contract, library and interface in `contracts/`, generated at build
//! time (see `build.rs`): one module per contract, named in snake_case, holding the `sol!` output
//! for it.
//!
//! ```ignore
//! let router = ccip_bindings::router::Router::deploy(&provider, wrapped_native, arm).await?;
//! ```
//!
//! [`BINDINGS`] lists what was generated. Each module has its own copy of the structs its ABI
//! uses (e.g. `router::Client::EVM2AnyMessage` and `on_ramp::Client::EVM2AnyMessage` are distinct
//! Rust types), as usual with `sol!` over JSON ABIs.

/// The `sol!` output; lints are the macro's business, not ours.
#[allow(
    missing_docs,
    unreachable_pub,
    missing_debug_implementations,
    clippy::all
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
}

pub use generated::*;

mod revert;
pub use revert::decode_revert;

use alloy::sol_types::{SolType, SolValue};

/// Converts between two Rust types of the same Solidity type through their ABI encoding, e.g. a
/// `ccip_protocol::EVM2EVMMessage` into `hashing_harness::Internal::EVM2EVMMessage`, or one
/// module's copy of a struct into another's.
pub fn abi_convert<A, B>(value: &A) -> Result<B, alloy::sol_types::Error>
where
    A: SolValue,
    B: SolValue + From<<B::SolType as SolType>::RustType>,
{
    B::abi_decode_validate(&value.abi_encode())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::sol_types::SolCall;

    #[test]
    fn bindings_are_discovered() {
        let names: Vec<&str> = BINDINGS.iter().map(|(name, ..)| *name).collect();
        for expected in [
            "HashingHarness",
            "MerkleMultiProof",
            "Client",
            "IRouterClient",
            "IARM",
        ] {
            assert!(
                names.contains(&expected),
                "{expected} missing from {names:?}"
            );
        }
        let module = |name: &str| BINDINGS.iter().find(|b| b.0 == name).map(|b| b.3);
        assert_eq!(module("HashingHarness"), Some("hashing_harness"));
        assert_eq!(module("IARM"), Some("i_arm"));
        assert_eq!(module("IEVM2AnyOnRamp"), Some("i_evm2_any_on_ramp"));
    }

    #[test]
    fn client_constants_and_selectors_are_bound() {
        assert_eq!(
            client::Client::EVM_EXTRA_ARGS_V1_TAGCall::SELECTOR,
            alloy::primitives::keccak256("EVM_EXTRA_ARGS_V1_TAG()")[..4]
        );
        assert!(!hashing_harness::HashingHarness::BYTECODE.is_empty());
    }
}
