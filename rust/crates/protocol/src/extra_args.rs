//! `Client.EVMExtraArgsV1`/`V2` encodings: `abi.encodeWithSelector(tag, args)`.

use alloy_primitives::{FixedBytes, U256, fixed_bytes};
use alloy_sol_types::SolValue;

use crate::types::{EVMExtraArgsV1, EVMExtraArgsV2};

/// `Client.EVM_EXTRA_ARGS_V1_TAG`.
pub const EVM_EXTRA_ARGS_V1_TAG: FixedBytes<4> = fixed_bytes!("0x97a657c9");
/// `Client.EVM_EXTRA_ARGS_V2_TAG`.
pub const EVM_EXTRA_ARGS_V2_TAG: FixedBytes<4> = fixed_bytes!("0x181dcf10");

/// extraArgs decoding errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtraArgsError {
    /// Empty extraArgs mean "lane defaults"; there is nothing to decode.
    #[error("extraArgs are empty")]
    Empty,
    /// Shorter than a tag.
    #[error("extraArgs of {0} bytes are shorter than a 4-byte tag")]
    TooShort(usize),
    /// The tag is neither V1 nor V2.
    #[error("unknown extraArgs tag {0}")]
    UnknownTag(FixedBytes<4>),
    /// The body does not decode as the tagged struct.
    #[error("extraArgs body does not decode: {0}")]
    Body(String),
}

impl EVMExtraArgsV1 {
    /// `Client._argsToBytes(EVMExtraArgsV1)`.
    pub fn to_bytes(&self) -> Vec<u8> {
        with_tag(EVM_EXTRA_ARGS_V1_TAG, self.abi_encode())
    }
}

impl EVMExtraArgsV2 {
    /// `Client._argsToBytes(EVMExtraArgsV2)`.
    pub fn to_bytes(&self) -> Vec<u8> {
        with_tag(EVM_EXTRA_ARGS_V2_TAG, self.abi_encode())
    }
}

fn with_tag(tag: FixedBytes<4>, body: Vec<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + body.len());
    out.extend_from_slice(tag.as_slice());
    out.extend_from_slice(&body);
    out
}

/// Decoded extraArgs of either version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtraArgs {
    /// `EVMExtraArgsV1`: gas limit only (in-order execution).
    V1(EVMExtraArgsV1),
    /// `EVMExtraArgsV2`: gas limit and the out-of-order flag.
    V2(EVMExtraArgsV2),
}

impl ExtraArgs {
    /// `EVMExtraArgsV1 { gasLimit }`.
    pub fn v1(gas_limit: U256) -> Self {
        Self::V1(EVMExtraArgsV1 {
            gasLimit: gas_limit,
        })
    }

    /// `EVMExtraArgsV2 { gasLimit, allowOutOfOrderExecution }`.
    pub fn v2(gas_limit: U256, allow_out_of_order_execution: bool) -> Self {
        Self::V2(EVMExtraArgsV2 {
            gasLimit: gas_limit,
            allowOutOfOrderExecution: allow_out_of_order_execution,
        })
    }

    /// The encoding `Client._argsToBytes` produces.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Self::V1(args) => args.to_bytes(),
            Self::V2(args) => args.to_bytes(),
        }
    }

    /// Decodes a tagged encoding the way `abi.decode(extraArgs[4:], (...))` does: dirty values are
    /// rejected, trailing bytes are ignored. Empty input is [`ExtraArgsError::Empty`]: callers
    /// apply the lane defaults themselves.
    pub fn decode(data: &[u8]) -> Result<Self, ExtraArgsError> {
        if data.is_empty() {
            return Err(ExtraArgsError::Empty);
        }
        if data.len() < 4 {
            return Err(ExtraArgsError::TooShort(data.len()));
        }
        let (tag, body) = data.split_at(4);
        let tag = FixedBytes::<4>::from_slice(tag);
        let body_err = |e: alloy_sol_types::Error| ExtraArgsError::Body(e.to_string());
        if tag == EVM_EXTRA_ARGS_V1_TAG {
            EVMExtraArgsV1::abi_decode_validate(body)
                .map(Self::V1)
                .map_err(body_err)
        } else if tag == EVM_EXTRA_ARGS_V2_TAG {
            EVMExtraArgsV2::abi_decode_validate(body)
                .map(Self::V2)
                .map_err(body_err)
        } else {
            Err(ExtraArgsError::UnknownTag(tag))
        }
    }

    /// The gas limit for the receiver.
    pub fn gas_limit(&self) -> U256 {
        match self {
            Self::V1(args) => args.gasLimit,
            Self::V2(args) => args.gasLimit,
        }
    }

    /// Whether the sender allows out-of-order execution (always false for V1).
    pub fn allow_out_of_order_execution(&self) -> bool {
        match self {
            Self::V1(_) => false,
            Self::V2(args) => args.allowOutOfOrderExecution,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::hex;

    #[test]
    fn tags_are_the_selectors_of_the_chainlink_signatures() {
        let sel = |s: &str| FixedBytes::<4>::from_slice(&alloy_primitives::keccak256(s)[..4]);
        assert_eq!(EVM_EXTRA_ARGS_V1_TAG, sel("CCIP EVMExtraArgsV1"));
        assert_eq!(EVM_EXTRA_ARGS_V2_TAG, sel("CCIP EVMExtraArgsV2"));
    }

    #[test]
    fn encodes_tag_then_static_struct() {
        let v1 = ExtraArgs::v1(U256::from(200_000)).encode();
        assert_eq!(
            v1,
            hex!("97a657c90000000000000000000000000000000000000000000000000000000000030d40")
        );
        let v2 = ExtraArgs::v2(U256::from(1), true).encode();
        assert_eq!(v2.len(), 4 + 64);
        assert_eq!(&v2[..4], EVM_EXTRA_ARGS_V2_TAG.as_slice());
        assert_eq!(v2[35], 1);
        assert_eq!(v2[67], 1);
    }

    #[test]
    fn decode_roundtrips_and_rejects_bad_input() {
        for args in [
            ExtraArgs::v1(U256::MAX),
            ExtraArgs::v2(U256::from(7), true),
            ExtraArgs::v2(U256::ZERO, false),
        ] {
            assert_eq!(ExtraArgs::decode(&args.encode()), Ok(args));
        }
        assert_eq!(ExtraArgs::decode(&[]), Err(ExtraArgsError::Empty));
        assert_eq!(ExtraArgs::decode(&[1, 2]), Err(ExtraArgsError::TooShort(2)));
        assert_eq!(
            ExtraArgs::decode(&[1, 2, 3, 4]),
            Err(ExtraArgsError::UnknownTag(FixedBytes::from([1, 2, 3, 4])))
        );
        assert!(matches!(
            ExtraArgs::decode(EVM_EXTRA_ARGS_V1_TAG.as_slice()),
            Err(ExtraArgsError::Body(_))
        ));
        let mut dirty_bool = ExtraArgs::v2(U256::from(1), true).encode();
        dirty_bool[67] = 2;
        assert!(matches!(
            ExtraArgs::decode(&dirty_bool),
            Err(ExtraArgsError::Body(_))
        ));
    }
}
