//! Revert data made readable: `Error(string)`, `Panic(uint256)` and every custom error of the
//! protocol's contracts by selector, unwrapping the OffRamp's `ReceiverError(bytes)`,
//! `TokenHandlingError(bytes)` and `ExecutionError(bytes32,bytes)` to show what the receiver or
//! pool said. Anything else is shown as hex.

use crate::{
    arm::ARM, burn_mint_test_token::BurnMintTestToken, burn_mint_token_pool::BurnMintTokenPool,
    commit_store::CommitStore, faucet_token::FaucetToken,
    lock_release_token_pool::LockReleaseTokenPool, messenger::Messenger, off_ramp::OffRamp,
    on_ramp::OnRamp, price_registry::PriceRegistry, router::Router,
    token_admin_registry::TokenAdminRegistry,
};
use alloy::{
    hex,
    sol_types::{Panic, Revert, SolError, SolInterface},
};

/// Revert data that is nested no deeper than this is unwrapped.
const MAX_DEPTH: usize = 4;

/// A readable form of `data`, the return data of a failed call.
///
/// * empty: `empty revert data (out of gas, or a revert without reason)`
/// * `Error(string)`: `Error("reason")`
/// * a known custom error: `Name { field: value, .. }`, with nested revert data decoded too,
///   e.g. `ReceiverError(SenderNotAllowlisted { .. })`
/// * anything else: `unknown error 0x…`
pub fn decode_revert(data: &[u8]) -> String {
    decode_at(data, 0)
}

fn decode_at(data: &[u8], depth: usize) -> String {
    if data.is_empty() {
        return "empty revert data (out of gas, or a revert without reason)".into();
    }
    if depth > MAX_DEPTH {
        return format!("0x{}", hex::encode(data));
    }
    if let Ok(revert) = Revert::abi_decode(data) {
        return format!("Error({:?})", revert.reason);
    }
    if let Ok(panic) = Panic::abi_decode(data) {
        return format!("Panic(0x{:x})", panic.code);
    }
    // Wrappers around another contract's revert data.
    if let Ok(e) = OffRamp::ReceiverError::abi_decode(data) {
        return format!("ReceiverError({})", decode_at(&e.err, depth + 1));
    }
    if let Ok(e) = OffRamp::TokenHandlingError::abi_decode(data) {
        return format!("TokenHandlingError({})", decode_at(&e.err, depth + 1));
    }
    if let Ok(e) = OffRamp::ExecutionError::abi_decode(data) {
        return format!(
            "ExecutionError(messageId: {}, {})",
            e.messageId,
            decode_at(&e.err, depth + 1)
        );
    }
    if let Some(known) = known_error(data) {
        return known;
    }
    format!("unknown error 0x{}", hex::encode(data))
}

/// Tries every contract's error enum; the first that knows the selector decodes it.
fn known_error(data: &[u8]) -> Option<String> {
    fn try_decode<E: SolInterface + std::fmt::Debug>(data: &[u8]) -> Option<String> {
        E::abi_decode(data).ok().map(|e| tidy(&format!("{e:?}")))
    }
    try_decode::<OffRamp::OffRampErrors>(data)
        .or_else(|| try_decode::<OnRamp::OnRampErrors>(data))
        .or_else(|| try_decode::<Router::RouterErrors>(data))
        .or_else(|| try_decode::<CommitStore::CommitStoreErrors>(data))
        .or_else(|| try_decode::<ARM::ARMErrors>(data))
        .or_else(|| try_decode::<Messenger::MessengerErrors>(data))
        .or_else(|| try_decode::<BurnMintTokenPool::BurnMintTokenPoolErrors>(data))
        .or_else(|| try_decode::<LockReleaseTokenPool::LockReleaseTokenPoolErrors>(data))
        .or_else(|| try_decode::<PriceRegistry::PriceRegistryErrors>(data))
        .or_else(|| try_decode::<TokenAdminRegistry::TokenAdminRegistryErrors>(data))
        .or_else(|| try_decode::<BurnMintTestToken::BurnMintTestTokenErrors>(data))
        .or_else(|| try_decode::<FaucetToken::FaucetTokenErrors>(data))
}

/// `Variant(Variant { a: 1 })` -> `Variant { a: 1 }`, `Variant(Variant)` -> `Variant`.
fn tidy(debug: &str) -> String {
    if let Some((name, rest)) = debug.split_once('(')
        && let Some(inner) = rest.strip_suffix(')')
        && inner.starts_with(name)
    {
        return inner.to_owned();
    }
    debug.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::{
        primitives::{Address, B256, Bytes, U256},
        sol_types::SolError,
    };

    #[test]
    fn decodes_standard_custom_and_nested_errors() {
        assert!(decode_revert(&[]).starts_with("empty revert data"));
        let reason = Revert::from("boom").abi_encode();
        assert_eq!(decode_revert(&reason), "Error(\"boom\")");
        let panic = Panic {
            code: U256::from(0x11),
        }
        .abi_encode();
        assert_eq!(decode_revert(&panic), "Panic(0x11)");

        let inner = Messenger::SenderNotAllowlisted {
            sourceChainSelector: 7,
            sender: Address::repeat_byte(1),
        }
        .abi_encode();
        let wrapped = OffRamp::ReceiverError { err: inner.into() }.abi_encode();
        let text = decode_revert(&wrapped);
        assert!(
            text.starts_with("ReceiverError(SenderNotAllowlisted {")
                && text.contains("sourceChainSelector: 7"),
            "{text}"
        );
        let exec = OffRamp::ExecutionError {
            messageId: B256::repeat_byte(2),
            err: OffRamp::ReceiverError {
                err: Bytes::from(reason),
            }
            .abi_encode()
            .into(),
        }
        .abi_encode();
        assert!(decode_revert(&exec).ends_with("ReceiverError(Error(\"boom\")))"));
        assert_eq!(
            decode_revert(&OnRamp::CursedByARM {}.abi_encode()),
            "CursedByARM"
        );
        assert_eq!(decode_revert(&[1, 2, 3, 4]), "unknown error 0x01020304");
    }
}
