//! The Solidity structs of `Internal.sol` and `Client.sol`, declared with `sol!` so that their ABI
//! encoding is the one the contracts use.

use alloy_sol_types::sol;

sol! {
    /// `Internal.MessageExecutionState`.
    #[derive(Debug, PartialEq, Eq, Hash)]
    enum MessageExecutionState {
        UNTOUCHED,
        IN_PROGRESS,
        SUCCESS,
        FAILURE,
    }

    /// `Internal.TokenTransfer`: one token carried by a message, as the source pool handed it over.
    #[derive(Debug, Default, PartialEq, Eq, Hash)]
    struct TokenTransfer {
        address sourcePoolAddress;
        address destTokenAddress;
        uint256 amount;
        uint32 destGasAmount;
        bytes extraData;
    }

    /// `Internal.EVM2EVMMessage`: a message on one lane.
    #[derive(Debug, Default, PartialEq, Eq, Hash)]
    struct EVM2EVMMessage {
        bytes32 messageId;
        uint64 sourceChainSelector;
        uint64 sequenceNumber;
        uint64 nonce;
        address sender;
        address receiver;
        uint256 gasLimit;
        bytes data;
        TokenTransfer[] tokenAmounts;
    }

    /// `Internal.TokenPriceUpdate`.
    #[derive(Debug, Default, PartialEq, Eq, Hash)]
    struct TokenPriceUpdate {
        address sourceToken;
        uint224 usdPerToken;
    }

    /// `Internal.GasPriceUpdate`.
    #[derive(Debug, Default, PartialEq, Eq, Hash)]
    struct GasPriceUpdate {
        uint64 destChainSelector;
        uint224 usdPerUnitGas;
    }

    /// `Internal.PriceUpdates`.
    #[derive(Debug, Default, PartialEq, Eq, Hash)]
    struct PriceUpdates {
        TokenPriceUpdate[] tokenPriceUpdates;
        GasPriceUpdate[] gasPriceUpdates;
    }

    /// `Internal.Interval`: an inclusive range of sequence numbers.
    #[derive(Debug, Default, PartialEq, Eq, Hash)]
    struct Interval {
        uint64 min;
        uint64 max;
    }

    /// `Internal.CommitReport`: what the committing network agrees on and signs.
    /// `interval.min == 0 && merkleRoot == 0` means a price-only report.
    #[derive(Debug, Default, PartialEq, Eq, Hash)]
    struct CommitReport {
        PriceUpdates priceUpdates;
        Interval interval;
        bytes32 merkleRoot;
    }

    /// `Internal.ExecutionReport`: messages of one committed root with their multi-proof.
    #[derive(Debug, Default, PartialEq, Eq, Hash)]
    struct ExecutionReport {
        EVM2EVMMessage[] messages;
        bytes[][] offchainTokenData;
        bytes32[] proofs;
        uint256 proofFlagBits;
    }

    /// `Client.EVMExtraArgsV1`.
    #[derive(Debug, Default, PartialEq, Eq, Hash)]
    struct EVMExtraArgsV1 {
        uint256 gasLimit;
    }

    /// `Client.EVMExtraArgsV2`.
    #[derive(Debug, Default, PartialEq, Eq, Hash)]
    struct EVMExtraArgsV2 {
        uint256 gasLimit;
        bool allowOutOfOrderExecution;
    }
}
