use alloy::{
    primitives::Bytes,
    sol_types::{Panic, Revert, SolError, SolInterface},
};
use ccip_bindings::{
    arm::ARM, burn_mint_token_pool::BurnMintTokenPool, commit_store::CommitStore,
    lock_release_token_pool::LockReleaseTokenPool, off_ramp::OffRamp, on_ramp::OnRamp,
    price_registry::PriceRegistry, router::Router,
};

/// Puts revert data into words: `Error(string)`, `Panic(uint256)`, or a custom error of any of the
/// protocol's contracts, by name with its arguments; anything else as hex. Empty data (an
/// out-of-gas or a bare `revert()`) says so.
pub fn revert_reason(data: &[u8]) -> String {
    if data.is_empty() {
        return "empty revert data (out of gas or a bare revert)".to_owned();
    }
    if let Ok(r) = Revert::abi_decode(data) {
        return format!("Error({:?})", r.reason);
    }
    if let Ok(p) = Panic::abi_decode(data) {
        return format!("Panic({})", p.code);
    }
    macro_rules! try_errors {
        ($($ty:ty),*) => {$(
            if let Ok(e) = <$ty>::abi_decode(data) {
                return format!("{e:?}");
            }
        )*};
    }
    try_errors!(
        OffRamp::OffRampErrors,
        CommitStore::CommitStoreErrors,
        ARM::ARMErrors,
        Router::RouterErrors,
        OnRamp::OnRampErrors,
        PriceRegistry::PriceRegistryErrors,
        BurnMintTokenPool::BurnMintTokenPoolErrors,
        LockReleaseTokenPool::LockReleaseTokenPoolErrors
    );
    format!("unknown revert data {}", Bytes::copy_from_slice(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_strings_panics_and_custom_errors() {
        let s = Revert::from("nope").abi_encode();
        assert_eq!(revert_reason(&s), "Error(\"nope\")");
        let p = Panic {
            code: alloy::primitives::U256::from(0x11),
        }
        .abi_encode();
        assert_eq!(revert_reason(&p), "Panic(17)");
        let c = CommitStore::RootAlreadyCommitted {
            root: alloy::primitives::B256::repeat_byte(1),
        }
        .abi_encode();
        assert!(
            revert_reason(&c).contains("RootAlreadyCommitted"),
            "{}",
            revert_reason(&c)
        );
        assert!(revert_reason(&[1, 2, 3, 4]).starts_with("unknown revert data 0x01020304"));
        assert!(revert_reason(&[]).contains("out of gas"));
    }
}
