//! The risk network's own hashing and merkle tree against `test/vectors/vectors.json`, which the
//! Solidity libraries generate (the same file the committing network's crate checks).

use std::{path::PathBuf, str::FromStr};

use alloy::primitives::{Address, B256, Bytes, U256};
use ccip_bindings::on_ramp::Internal::{EVM2EVMMessage, TokenTransfer};
use ccip_rmn::{
    chain_subject,
    hashing::{
        INTERNAL_DOMAIN_SEPARATOR, LEAF_DOMAIN_SEPARATOR, evm2evm_message_tag, leaf_hash,
        merkle_root, metadata_hash,
    },
};
use serde_json::Value;

fn vectors() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../test/vectors/vectors.json");
    let text = std::fs::read_to_string(&path).expect("vectors.json");
    serde_json::from_str(&text).expect("vectors.json is JSON")
}

fn s(v: &Value) -> &str {
    v.as_str()
        .unwrap_or_else(|| panic!("expected a string, got {v}"))
}

fn arr(v: &Value) -> &Vec<Value> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected an array, got {v}"))
}

fn b256(v: &Value) -> B256 {
    B256::from_str(s(v)).expect("bytes32")
}

fn addr(v: &Value) -> Address {
    Address::from_str(s(v)).expect("address")
}

fn u256(v: &Value) -> U256 {
    U256::from_str(s(v)).expect("uint256")
}

fn u64v(v: &Value) -> u64 {
    s(v).parse().expect("u64")
}

fn bytes(v: &Value) -> Bytes {
    Bytes::from_str(s(v)).expect("bytes")
}

fn message(v: &Value) -> EVM2EVMMessage {
    EVM2EVMMessage {
        messageId: b256(&v["messageId"]),
        sourceChainSelector: u64v(&v["sourceChainSelector"]),
        sequenceNumber: u64v(&v["sequenceNumber"]),
        nonce: u64v(&v["nonce"]),
        sender: addr(&v["sender"]),
        receiver: addr(&v["receiver"]),
        gasLimit: u256(&v["gasLimit"]),
        data: bytes(&v["data"]),
        tokenAmounts: arr(&v["tokenAmounts"])
            .iter()
            .map(|t| TokenTransfer {
                sourcePoolAddress: addr(&t["sourcePoolAddress"]),
                destTokenAddress: addr(&t["destTokenAddress"]),
                amount: u256(&t["amount"]),
                destGasAmount: s(&t["destGasAmount"]).parse().expect("u32"),
                extraData: bytes(&t["extraData"]),
            })
            .collect(),
    }
}

#[test]
fn constants_match() {
    let c = &vectors()["constants"];
    assert_eq!(b256(&c["EVM_2_EVM_MESSAGE_HASH"]), evm2evm_message_tag());
    assert_eq!(b256(&c["LEAF_DOMAIN_SEPARATOR"]), LEAF_DOMAIN_SEPARATOR);
    assert_eq!(
        b256(&c["INTERNAL_DOMAIN_SEPARATOR"]),
        INTERNAL_DOMAIN_SEPARATOR
    );
}

#[test]
fn metadata_hashes_match() {
    let v = vectors();
    assert!(!arr(&v["metadata"]).is_empty());
    for m in arr(&v["metadata"]) {
        let hash = metadata_hash(
            u64v(&m["sourceChainSelector"]),
            u64v(&m["destChainSelector"]),
            addr(&m["onRamp"]),
        );
        assert_eq!(hash, b256(&m["metadataHash"]), "{m}");
    }
}

#[test]
fn leaf_hashes_match() {
    let v = vectors();
    let messages = arr(&v["messages"]);
    assert!(messages.len() >= 5);
    let mut with_tokens = 0;
    for m in messages {
        let name = s(&m["name"]);
        let msg = message(&m["message"]);
        with_tokens += usize::from(!msg.tokenAmounts.is_empty());
        let meta = metadata_hash(
            msg.sourceChainSelector,
            u64v(&m["destChainSelector"]),
            addr(&m["onRamp"]),
        );
        assert_eq!(meta, b256(&m["metadataHash"]), "{name}: metadata hash");
        assert_eq!(
            leaf_hash(&msg, meta),
            b256(&m["leafHash"]),
            "{name}: leaf hash"
        );
    }
    assert!(with_tokens > 0, "vectors cover token transfers");
}

#[test]
fn tree_roots_match() {
    let v = vectors();
    let trees = arr(&v["trees"]);
    assert!(!trees.is_empty());
    let mut sizes = Vec::new();
    for t in trees {
        let leaves: Vec<B256> = arr(&t["leaves"]).iter().map(b256).collect();
        sizes.push(leaves.len());
        assert_eq!(
            merkle_root(&leaves),
            Some(b256(&t["root"])),
            "{}",
            s(&t["name"])
        );
    }
    // Single leaf, odd and even levels are all covered.
    assert!(sizes.contains(&1), "{sizes:?}");
    assert!(sizes.iter().any(|n| n % 2 == 1 && *n > 1), "{sizes:?}");
}

#[test]
fn arm_subjects_match() {
    let v = vectors();
    assert!(!arr(&v["armSubjects"]).is_empty());
    for a in arr(&v["armSubjects"]) {
        let subject = chain_subject(u64v(&a["chainSelector"]));
        assert_eq!(format!("{subject}"), s(&a["subject"]).to_lowercase(), "{a}");
    }
}
