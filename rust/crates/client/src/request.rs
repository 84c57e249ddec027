//! What to send: [`SendRequest`] (lane, data, tokens, receiver, gas limit, fee token), built
//! step by step and encoded into the Router's message by [`crate::Client::send`].

use std::str::FromStr;

use alloy::{
    primitives::{Address, Bytes, U256},
    sol_types::SolValue,
};
use ccip_protocol::ExtraArgs;

use crate::{
    client::ChainRef,
    error::{ClientError, Result},
};

/// Receiver gas limit used when only `allow_out_of_order` is set (the lanes' default).
pub const DEFAULT_GAS_LIMIT: u64 = 200_000;

/// A token of the source chain: a symbol of the network's test tokens or an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenRef {
    /// `BnM` / `CCIP-BnM`, `LnM` / `CCIP-LnM` or `LINK` (case-insensitive).
    Symbol(String),
    /// Any token address with a pool on the lane.
    Address(Address),
}

impl FromStr for TokenRef {
    type Err = std::convert::Infallible;

    /// `0x…` (40 hex digits) is an address, anything else a symbol.
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        Ok(match Address::from_str(s) {
            Ok(address) if s.starts_with("0x") => Self::Address(address),
            _ => Self::Symbol(s.to_owned()),
        })
    }
}

impl From<&str> for TokenRef {
    fn from(s: &str) -> Self {
        match Self::from_str(s) {
            Ok(token) => token,
            Err(never) => match never {},
        }
    }
}

impl From<Address> for TokenRef {
    fn from(address: Address) -> Self {
        Self::Address(address)
    }
}

/// What the fee is paid in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FeeToken {
    /// Native currency (`msg.value`, wrapped by the Router).
    #[default]
    Native,
    /// The chain's LINK-like fee token.
    Link,
    /// Another fee token the OnRamp accepts (e.g. the wrapped native token).
    Token(Address),
}

impl FromStr for FeeToken {
    type Err = ClientError;

    /// `native`, `link` or a token address.
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "native" | "eth" => Ok(Self::Native),
            "link" => Ok(Self::Link),
            _ => Address::from_str(s).map(Self::Token).map_err(|_| {
                ClientError::InvalidArgument(format!(
                    "fee token {s:?}: use native, link or a token address"
                ))
            }),
        }
    }
}

/// One token to carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenAmount {
    /// The source token.
    pub token: TokenRef,
    /// Amount in its smallest unit.
    pub amount: U256,
}

/// What to send on which lane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendRequest {
    /// Source chain.
    pub source: ChainRef,
    /// Destination chain.
    pub dest: ChainRef,
    /// Data for the receiver (may be empty).
    pub data: Bytes,
    /// Tokens to carry.
    pub tokens: Vec<TokenAmount>,
    /// Receiver on the destination. `None`: the destination's Messenger for messages without
    /// tokens, the sender's own address for token transfers.
    pub receiver: Option<Address>,
    /// Receiver gas limit (`EVMExtraArgsV2.gasLimit`).
    pub gas_limit: Option<u64>,
    /// `EVMExtraArgsV2.allowOutOfOrderExecution`.
    pub allow_out_of_order: bool,
    /// Raw extraArgs, used as given (overrides `gas_limit` and `allow_out_of_order`).
    pub extra_args: Option<Bytes>,
    /// What pays the fee.
    pub fee_token: FeeToken,
    /// Send even when the receiver's `ccipReceive` is estimated to need more gas than the limit
    /// (it will fail on arrival and wait for manual execution). Funds checks still apply.
    pub force: bool,
}

impl SendRequest {
    /// An empty message from `source` to `dest` (lane defaults, native fee, Messenger receiver).
    pub fn new(source: impl Into<ChainRef>, dest: impl Into<ChainRef>) -> Self {
        Self {
            source: source.into(),
            dest: dest.into(),
            data: Bytes::new(),
            tokens: Vec::new(),
            receiver: None,
            gas_limit: None,
            allow_out_of_order: false,
            extra_args: None,
            fee_token: FeeToken::Native,
            force: false,
        }
    }

    /// Skips the receiver gas check (see [`SendRequest::force`]).
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// Raw data bytes.
    pub fn data(mut self, data: impl Into<Bytes>) -> Self {
        self.data = data.into();
        self
    }

    /// `abi.encode(text)`: what the Messenger example app decodes.
    pub fn text(self, text: &str) -> Self {
        self.data(text.to_owned().abi_encode())
    }

    /// Adds a token amount.
    pub fn token(mut self, token: impl Into<TokenRef>, amount: impl Into<U256>) -> Self {
        self.tokens.push(TokenAmount {
            token: token.into(),
            amount: amount.into(),
        });
        self
    }

    /// Sets the receiver.
    pub fn receiver(mut self, receiver: Address) -> Self {
        self.receiver = Some(receiver);
        self
    }

    /// Sets the receiver gas limit.
    pub fn gas_limit(mut self, gas_limit: u64) -> Self {
        self.gas_limit = Some(gas_limit);
        self
    }

    /// Allows out-of-order execution.
    pub fn out_of_order(mut self, allow: bool) -> Self {
        self.allow_out_of_order = allow;
        self
    }

    /// Sets raw extraArgs.
    pub fn extra_args(mut self, extra_args: impl Into<Bytes>) -> Self {
        self.extra_args = Some(extra_args.into());
        self
    }

    /// Sets the fee token.
    pub fn fee_token(mut self, fee_token: FeeToken) -> Self {
        self.fee_token = fee_token;
        self
    }

    /// The extraArgs bytes this request sends.
    pub fn encoded_extra_args(&self) -> Bytes {
        if let Some(raw) = &self.extra_args {
            return raw.clone();
        }
        if self.gas_limit.is_none() && !self.allow_out_of_order {
            return Bytes::new();
        }
        let gas = U256::from(self.gas_limit.unwrap_or(DEFAULT_GAS_LIMIT));
        ExtraArgs::v2(gas, self.allow_out_of_order).encode().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tokens_fee_tokens_and_extra_args() {
        assert_eq!(TokenRef::from("BnM"), TokenRef::Symbol("BnM".into()));
        let a = Address::repeat_byte(0xab);
        assert_eq!(TokenRef::from(a.to_string().as_str()), TokenRef::Address(a));
        assert_eq!("LINK".parse::<FeeToken>().ok(), Some(FeeToken::Link));
        assert_eq!("native".parse::<FeeToken>().ok(), Some(FeeToken::Native));
        assert!("nope".parse::<FeeToken>().is_err());

        let request = SendRequest::new("alpha", "beta");
        assert!(request.encoded_extra_args().is_empty());
        let args = request.clone().gas_limit(7).out_of_order(true);
        assert_eq!(
            ExtraArgs::decode(&args.encoded_extra_args()).ok(),
            Some(ExtraArgs::v2(U256::from(7), true))
        );
        let args = request.out_of_order(true);
        assert_eq!(
            ExtraArgs::decode(&args.encoded_extra_args()).ok(),
            Some(ExtraArgs::v2(U256::from(DEFAULT_GAS_LIMIT), true))
        );
    }
}
