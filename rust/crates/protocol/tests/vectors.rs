//! Checks this crate against `test/vectors/vectors.json`, which the real Solidity libraries
//! generate (`test/vectors/GenerateVectors.t.sol`). Every hash, proof and encoding must match byte
//! for byte.

use std::{path::PathBuf, str::FromStr};

use alloy_primitives::{Address, B256, Bytes, FixedBytes, U256};
use alloy_sol_types::SolValue;
use ccip_protocol::{
    COMMIT_REPORT_HASH, CommitReport, EVM_2_EVM_MESSAGE_HASH, EVM_EXTRA_ARGS_V1_TAG,
    EVM_EXTRA_ARGS_V2_TAG, EVM2EVMMessage, ExecutionReport, ExtraArgs, GasPriceUpdate,
    INTERNAL_DOMAIN_SEPARATOR, Interval, LEAF_DOMAIN_SEPARATOR, MAX_NUM_HASHES, MerkleTree,
    PriceUpdates, TokenPriceUpdate, TokenTransfer, chain_subject, commit_report_digest, leaf_hash,
    merkle_root, metadata_hash,
};
use serde_json::Value;

fn vectors() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../test/vectors/vectors.json");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
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

fn b256s(v: &Value) -> Vec<B256> {
    arr(v).iter().map(b256).collect()
}

fn addr(v: &Value) -> Address {
    Address::from_str(s(v)).expect("address")
}

fn u256(v: &Value) -> U256 {
    U256::from_str(s(v)).expect("uint256")
}

fn uint<T: FromStr>(v: &Value) -> T
where
    T::Err: std::fmt::Debug,
{
    s(v).parse().expect("uint")
}

fn bytes(v: &Value) -> Bytes {
    Bytes::from_str(s(v)).expect("bytes")
}

fn message(v: &Value) -> EVM2EVMMessage {
    EVM2EVMMessage {
        messageId: b256(&v["messageId"]),
        sourceChainSelector: uint(&v["sourceChainSelector"]),
        sequenceNumber: uint(&v["sequenceNumber"]),
        nonce: uint(&v["nonce"]),
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
                destGasAmount: uint(&t["destGasAmount"]),
                extraData: bytes(&t["extraData"]),
            })
            .collect(),
    }
}

fn commit_report(v: &Value) -> CommitReport {
    let prices = &v["priceUpdates"];
    CommitReport {
        priceUpdates: PriceUpdates {
            tokenPriceUpdates: arr(&prices["tokenPriceUpdates"])
                .iter()
                .map(|t| TokenPriceUpdate {
                    sourceToken: addr(&t["sourceToken"]),
                    usdPerToken: s(&t["usdPerToken"]).parse().expect("uint224"),
                })
                .collect(),
            gasPriceUpdates: arr(&prices["gasPriceUpdates"])
                .iter()
                .map(|g| GasPriceUpdate {
                    destChainSelector: uint(&g["destChainSelector"]),
                    usdPerUnitGas: s(&g["usdPerUnitGas"]).parse().expect("uint224"),
                })
                .collect(),
        },
        interval: Interval {
            min: uint(&v["interval"]["min"]),
            max: uint(&v["interval"]["max"]),
        },
        merkleRoot: b256(&v["merkleRoot"]),
    }
}

#[test]
fn constants() {
    let c = &vectors()["constants"];
    assert_eq!(b256(&c["EVM_2_EVM_MESSAGE_HASH"]), EVM_2_EVM_MESSAGE_HASH);
    assert_eq!(b256(&c["COMMIT_REPORT_HASH"]), COMMIT_REPORT_HASH);
    assert_eq!(b256(&c["LEAF_DOMAIN_SEPARATOR"]), LEAF_DOMAIN_SEPARATOR);
    assert_eq!(
        b256(&c["INTERNAL_DOMAIN_SEPARATOR"]),
        INTERNAL_DOMAIN_SEPARATOR
    );
    assert_eq!(uint::<usize>(&c["MAX_NUM_HASHES"]), MAX_NUM_HASHES);
    assert_eq!(
        bytes(&c["EVM_EXTRA_ARGS_V1_TAG"]).as_ref(),
        EVM_EXTRA_ARGS_V1_TAG.as_slice()
    );
    assert_eq!(
        bytes(&c["EVM_EXTRA_ARGS_V2_TAG"]).as_ref(),
        EVM_EXTRA_ARGS_V2_TAG.as_slice()
    );
}

#[test]
fn metadata_hashes() {
    let v = vectors();
    assert!(!arr(&v["metadata"]).is_empty());
    for m in arr(&v["metadata"]) {
        let hash = metadata_hash(
            uint(&m["sourceChainSelector"]),
            uint(&m["destChainSelector"]),
            addr(&m["onRamp"]),
        );
        assert_eq!(hash, b256(&m["metadataHash"]), "{m}");
    }
}

#[test]
fn message_leaf_hashes_and_encodings() {
    let v = vectors();
    assert!(arr(&v["messages"]).len() >= 5);
    for m in arr(&v["messages"]) {
        let name = s(&m["name"]);
        let msg = message(&m["message"]);
        let meta = metadata_hash(
            msg.sourceChainSelector,
            uint(&m["destChainSelector"]),
            addr(&m["onRamp"]),
        );
        assert_eq!(meta, b256(&m["metadataHash"]), "{name}: metadata hash");
        assert_eq!(
            leaf_hash(&msg, meta),
            b256(&m["leafHash"]),
            "{name}: leaf hash"
        );
        assert_eq!(
            msg.messageId,
            b256(&m["leafHash"]),
            "{name}: message id is the leaf hash"
        );
        let encoded = bytes(&m["abiEncoded"]);
        assert_eq!(
            msg.abi_encode(),
            encoded.as_ref(),
            "{name}: abi.encode(message)"
        );
        assert_eq!(
            EVM2EVMMessage::abi_decode_validate(&encoded).ok(),
            Some(msg),
            "{name}: decode"
        );
    }
}

#[test]
fn trees_roots_and_proofs() {
    let v = vectors();
    let mut proofs_checked = 0;
    for t in arr(&v["trees"]) {
        let name = s(&t["name"]);
        let leaves = b256s(&t["leaves"]);
        let root = b256(&t["root"]);
        let tree = MerkleTree::new(leaves).expect("tree");
        assert_eq!(tree.root(), root, "{name}: root");
        for p in arr(&t["proofs"]) {
            let indices: Vec<usize> = arr(&p["indices"])
                .iter()
                .map(|i| i.as_u64().expect("index") as usize)
                .collect();
            let sol_leaves = b256s(&p["leaves"]);
            let sol_proofs = b256s(&p["proofs"]);
            let sol_flags = u256(&p["proofFlagBits"]);
            // Rust verifies the Solidity proof...
            assert_eq!(
                merkle_root(&sol_leaves, &sol_proofs, sol_flags),
                Ok(root),
                "{name} {indices:?}: verify"
            );
            // ...and builds the very same proof.
            let proof = tree.proof(&indices).expect("proof");
            assert_eq!(proof.leaves, sol_leaves, "{name} {indices:?}: leaves");
            assert_eq!(proof.proofs, sol_proofs, "{name} {indices:?}: proofs");
            assert_eq!(
                proof.proof_flag_bits, sol_flags,
                "{name} {indices:?}: flags"
            );
            proofs_checked += 1;
        }
    }
    assert!(proofs_checked >= 20);
}

#[test]
fn commit_reports_encoding_and_digest() {
    let v = vectors();
    for c in arr(&v["commitReports"]) {
        let name = s(&c["name"]);
        let report = commit_report(&c["report"]);
        let encoded = bytes(&c["abiEncoded"]);
        assert_eq!(
            report.encode(),
            encoded.as_ref(),
            "{name}: abi.encode(report)"
        );
        assert_eq!(
            CommitReport::decode(&encoded).as_ref(),
            Ok(&report),
            "{name}: decode"
        );
        let digest = commit_report_digest(
            b256(&c["configDigest"]),
            uint(&c["epochAndRound"]),
            &encoded,
        )
        .expect("uint40 epochAndRound");
        assert_eq!(digest, b256(&c["digest"]), "{name}: digest");
    }
}

#[test]
fn execution_reports_encoding_and_proof() {
    let v = vectors();
    for e in arr(&v["executionReports"]) {
        let name = s(&e["name"]);
        let report = ExecutionReport {
            messages: arr(&e["messages"]).iter().map(message).collect(),
            offchainTokenData: arr(&e["offchainTokenData"])
                .iter()
                .map(|m| arr(&m["perToken"]).iter().map(bytes).collect())
                .collect(),
            proofs: b256s(&e["proofs"]),
            proofFlagBits: u256(&e["proofFlagBits"]),
        };
        let encoded = bytes(&e["abiEncoded"]);
        assert_eq!(
            report.encode(),
            encoded.as_ref(),
            "{name}: abi.encode(report)"
        );
        assert_eq!(
            ExecutionReport::decode(&encoded).as_ref(),
            Ok(&report),
            "{name}: decode"
        );
        let ids: Vec<B256> = report.messages.iter().map(|m| m.messageId).collect();
        assert_eq!(
            merkle_root(&ids, &report.proofs, report.proofFlagBits),
            Ok(b256(&e["root"])),
            "{name}: root"
        );
    }
}

#[test]
fn extra_args() {
    let v = vectors();
    for x in arr(&v["extraArgs"]) {
        let gas = u256(&x["gasLimit"]);
        let allow = x["allowOutOfOrderExecution"].as_bool().expect("bool");
        let args = match s(&x["version"]) {
            "1" => ExtraArgs::v1(gas),
            "2" => ExtraArgs::v2(gas, allow),
            other => panic!("unknown extraArgs version {other}"),
        };
        let encoded = bytes(&x["encoded"]);
        assert_eq!(args.encode(), encoded.as_ref(), "{x}");
        assert_eq!(ExtraArgs::decode(&encoded), Ok(args), "{x}");
    }
}

#[test]
fn arm_subjects() {
    let v = vectors();
    for a in arr(&v["armSubjects"]) {
        let subject = FixedBytes::<16>::from_slice(&bytes(&a["subject"]));
        assert_eq!(chain_subject(uint(&a["chainSelector"])), subject, "{a}");
    }
}
