//! Deploys `contracts/testkit/HashingHarness.sol` on a fresh anvil and checks that the contracts
//! and `ccip-protocol` agree on-chain: leaf and metadata hashes, merkle roots and their errors,
//! commit report encoding and digest, extraArgs.

use std::path::PathBuf;

use alloy::{
    node_bindings::Anvil,
    primitives::{Address, Bytes, U256, keccak256},
    providers::ProviderBuilder,
    signers::local::PrivateKeySigner,
};
use ccip_bindings::{abi_convert, hashing_harness::HashingHarness};
use ccip_protocol::{
    CommitReport, EVM2EVMMessage, EVMExtraArgsV1, EVMExtraArgsV2, GasPriceUpdate, Interval,
    MerkleTree, PriceUpdates, TokenPriceUpdate, TokenTransfer, commit_report_digest, metadata_hash,
};

fn anvil_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../node_modules/.bin/anvil")
}

fn messages() -> Vec<EVM2EVMMessage> {
    (1..=5u64)
        .map(|seq| EVM2EVMMessage {
            sourceChainSelector: 1,
            sequenceNumber: seq,
            nonce: if seq % 2 == 0 { 0 } else { seq },
            sender: Address::repeat_byte(0x11),
            receiver: Address::repeat_byte(0x22),
            gasLimit: U256::from(200_000 * seq),
            data: Bytes::from(vec![seq as u8; seq as usize * 20]),
            tokenAmounts: (0..seq % 3)
                .map(|i| TokenTransfer {
                    sourcePoolAddress: Address::with_last_byte(i as u8 + 1),
                    destTokenAddress: Address::with_last_byte(i as u8 + 100),
                    amount: U256::MAX - U256::from(i),
                    destGasAmount: 90_000,
                    extraData: Bytes::from(vec![0xab; i as usize * 33]),
                })
                .collect(),
            ..Default::default()
        })
        .collect()
}

#[tokio::test]
async fn harness_agrees_with_ccip_protocol() -> eyre::Result<()> {
    let anvil = Anvil::new().path(anvil_path()).try_spawn()?;
    let signer: PrivateKeySigner = anvil.keys()[0].clone().into();
    let provider = ProviderBuilder::new()
        .wallet(signer)
        .connect_http(anvil.endpoint_url());
    let harness = HashingHarness::deploy(&provider).await?;

    // Metadata and leaf hashes.
    let on_ramp = Address::repeat_byte(0xaa);
    let meta = metadata_hash(1, 2, on_ramp);
    assert_eq!(harness.metadataHash(1, 2, on_ramp).call().await?, meta);
    let mut ids = Vec::new();
    for mut msg in messages() {
        let id = msg.seal(meta);
        let onchain = harness.hash(abi_convert(&msg)?, meta).call().await?;
        assert_eq!(onchain, id, "leaf hash of message {}", msg.sequenceNumber);
        ids.push(id);
    }

    // Merkle roots of every subset proof Rust builds.
    let tree = MerkleTree::new(ids)?;
    for indices in [
        vec![0],
        vec![4],
        vec![1, 3],
        vec![0, 1, 2, 3, 4],
        vec![2, 3, 4],
    ] {
        let proof = tree.proof(&indices)?;
        let root = harness
            .merkleRoot(proof.leaves, proof.proofs, proof.proof_flag_bits)
            .call()
            .await?;
        assert_eq!(root, tree.root(), "root for {indices:?}");
    }
    // The contract's error for no leaves, decoded through the bindings.
    let err = harness
        .merkleRoot(vec![], vec![], U256::ZERO)
        .call()
        .await
        .expect_err("no leaves must revert");
    let decoded = err.as_decoded_interface_error::<HashingHarness::HashingHarnessErrors>();
    assert!(
        matches!(
            decoded,
            Some(HashingHarness::HashingHarnessErrors::LeavesCannotBeEmpty(_))
        ),
        "unexpected revert {err:?}"
    );

    // Commit report encoding and digest.
    let report = CommitReport {
        priceUpdates: PriceUpdates {
            tokenPriceUpdates: vec![TokenPriceUpdate {
                sourceToken: Address::repeat_byte(1),
                usdPerToken: "2000000000000000000".parse()?,
            }],
            gasPriceUpdates: vec![GasPriceUpdate {
                destChainSelector: 2,
                usdPerUnitGas: "20000000000".parse()?,
            }],
        },
        interval: Interval { min: 1, max: 5 },
        merkleRoot: tree.root(),
    };
    let encoded = harness
        .encodeCommitReport(abi_convert(&report)?)
        .call()
        .await?;
    assert_eq!(encoded.as_ref(), report.encode().as_slice());
    let config_digest = keccak256("config");
    for epoch_and_round in [0u64, 1, (1 << 40) - 1] {
        let onchain = harness
            .commitReportDigest(
                config_digest,
                alloy::primitives::aliases::U40::from(epoch_and_round),
                encoded.clone(),
            )
            .call()
            .await?;
        assert_eq!(
            onchain,
            commit_report_digest(config_digest, epoch_and_round, &encoded)?
        );
    }

    // extraArgs.
    let v1 = EVMExtraArgsV1 {
        gasLimit: U256::from(300_000),
    };
    assert_eq!(
        harness
            .argsToBytesV1(abi_convert(&v1)?)
            .call()
            .await?
            .as_ref(),
        v1.to_bytes().as_slice()
    );
    let v2 = EVMExtraArgsV2 {
        gasLimit: U256::MAX,
        allowOutOfOrderExecution: true,
    };
    assert_eq!(
        harness
            .argsToBytesV2(abi_convert(&v2)?)
            .call()
            .await?
            .as_ref(),
        v2.to_bytes().as_slice()
    );

    Ok(())
}
