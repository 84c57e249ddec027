//! Sending: [`SendRequest`] in, [`SendReceipt`] out.

use std::str::FromStr;

use alloy::{
    primitives::{Address, B256, Bytes, U256},
    providers::Provider,
    sol_types::{SolError, SolEvent, SolValue},
};
use ccip_bindings::{
    arm::ARM,
    faucet_token::FaucetToken,
    i_erc20::IERC20,
    on_ramp::OnRamp,
    router::{Client as Ccip, Router},
    safe_transfer::SafeTransfer,
};
use ccip_protocol::{EVM2EVMMessage, ExtraArgs, chain_subject};

use crate::{
    client::{ChainRef, Client, LaneRef},
    error::{ClientError, Result, Shortfall},
};

/// Gas assumed for a `ccipSend` whose estimate failed (for the native-balance check).
const SEND_GAS_CEILING: u64 = 1_000_000;

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

/// A sent message, read from the OnRamp's `CCIPSendRequested` in the send receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendReceipt {
    /// Message id (the leaf hash).
    pub message_id: B256,
    /// Sequence number on the lane.
    pub sequence_number: u64,
    /// Sender nonce (0 for out-of-order messages).
    pub nonce: u64,
    /// Source chain name.
    pub source: String,
    /// Source chain selector.
    pub source_selector: u64,
    /// Destination chain name.
    pub dest: String,
    /// Destination chain selector.
    pub dest_selector: u64,
    /// The lane.
    pub lane: LaneRef,
    /// The send transaction.
    pub tx_hash: B256,
    /// Its block.
    pub block_number: u64,
    /// Fee token (wrapped native for native fees).
    pub fee_token: Address,
    /// Fee paid in it.
    pub fee_paid: U256,
    /// The whole message.
    pub message: EVM2EVMMessage,
}

impl Client {
    /// The source-chain address of a token reference.
    pub fn token_address(&self, chain: impl Into<ChainRef>, token: &TokenRef) -> Result<Address> {
        let chain = self.chain(chain)?;
        match token {
            TokenRef::Address(address) => Ok(*address),
            TokenRef::Symbol(symbol) => {
                let s = symbol.to_ascii_lowercase();
                let s = s.strip_prefix("ccip-").unwrap_or(&s);
                match s {
                    "bnm" => Ok(chain.tokens.bnm.token),
                    "lnm" => Ok(chain.tokens.lnm.token),
                    "link" => Ok(chain.contracts.link_token),
                    _ => Err(ClientError::UnknownToken {
                        token: symbol.clone(),
                        chain: chain.name.clone(),
                    }),
                }
            }
        }
    }

    /// The user's balance of `token` on `chain`.
    pub async fn balance(&self, chain: impl Into<ChainRef>, token: &TokenRef) -> Result<U256> {
        let chain = chain.into();
        let index = self.chain_index(&chain)?;
        let address = self.token_address(chain, token)?;
        self.balance_of(index, address, self.address()).await
    }

    /// Calls the faucet (`drip(user)`) of a test token (LINK, BnM, LnM) on `chain`; returns what
    /// it gave. For keys that are not among the network's funded test accounts.
    pub async fn drip(&self, chain: impl Into<ChainRef>, token: &TokenRef) -> Result<U256> {
        let chain = chain.into();
        let index = self.chain_index(&chain)?;
        let address = self.token_address(chain, token)?;
        let me = self.address();
        let before = self.balance_of(index, address, me).await?;
        let tx = FaucetToken::new(address, self.user_at(index))
            .drip(me)
            .into_transaction_request();
        self.transact(index, self.user_at(index), me, "drip", tx)
            .await?;
        Ok(self.balance_of(index, address, me).await? - before)
    }

    pub(crate) async fn balance_of(
        &self,
        index: usize,
        token: Address,
        owner: Address,
    ) -> Result<U256> {
        IERC20::new(token, self.reader_at(index))
            .balanceOf(owner)
            .call()
            .await
            .map_err(|e| self.call_error(index, "balanceOf", e))
    }

    /// The message `request` describes, as the Router takes it, and the lane.
    async fn build(&self, request: &SendRequest) -> Result<(LaneRef, Ccip::EVM2AnyMessage)> {
        let lane = self.lane(request.source.clone(), request.dest.clone())?;
        let dest = self.chain_at(lane.dest);
        let receiver = match request.receiver {
            Some(receiver) => receiver,
            None if request.tokens.is_empty() => dest.contracts.messenger,
            None => self.address(),
        };
        let mut token_amounts = Vec::with_capacity(request.tokens.len());
        for t in &request.tokens {
            token_amounts.push(Ccip::EVMTokenAmount {
                token: self.token_address(self.chain_at(lane.source), &t.token)?,
                amount: t.amount,
            });
        }
        let source = self.chain_at(lane.source);
        let fee_token = match request.fee_token {
            FeeToken::Native => Address::ZERO,
            FeeToken::Link => source.contracts.link_token,
            FeeToken::Token(token) => token,
        };
        let message = Ccip::EVM2AnyMessage {
            receiver: receiver.abi_encode().into(),
            data: request.data.clone(),
            tokenAmounts: token_amounts,
            feeToken: fee_token,
            extraArgs: request.encoded_extra_args(),
        };
        Ok((lane, message))
    }

    /// The fee `request` would cost, in its fee token.
    pub async fn fee(&self, request: &SendRequest) -> Result<U256> {
        let (lane, message) = self.build(request).await?;
        let dest_selector = self.chain_at(lane.dest).chain_selector;
        Router::new(
            self.chain_at(lane.source).contracts.router,
            self.reader_at(lane.source),
        )
        .getFee(dest_selector, message)
        .call()
        .await
        .map_err(|e| self.call_error(lane.source, "Router.getFee", e))
    }

    /// Whether the lane `source -> dest` is cursed, and where: the source ARM cursing the
    /// destination (blocks sending) and/or the destination ARM cursing the source (blocks commits
    /// and execution). A global curse on either ARM counts.
    pub async fn lane_curse(&self, lane: &LaneRef) -> Result<Option<String>> {
        let found: Vec<String> = [
            self.arm_curse(lane.source, lane.dest).await?,
            self.arm_curse(lane.dest, lane.source).await?,
        ]
        .into_iter()
        .flatten()
        .collect();
        Ok((!found.is_empty()).then(|| found.join(", ")))
    }

    /// Whether chain `index`'s ARM is globally cursed or curses chain `remote`.
    async fn arm_curse(&self, index: usize, remote: usize) -> Result<Option<String>> {
        let chain = self.chain_at(index);
        let remote = self.chain_at(remote);
        let arm = ARM::new(chain.contracts.arm, self.reader_at(index));
        let global = arm
            .isCursed_1()
            .call()
            .await
            .map_err(|e| self.call_error(index, "ARM.isCursed()", e))?;
        if global {
            return Ok(Some(format!("{} ARM is globally cursed", chain.name)));
        }
        let cursed = arm
            .isCursed_0(chain_subject(remote.chain_selector))
            .call()
            .await
            .map_err(|e| self.call_error(index, "ARM.isCursed(subject)", e))?;
        Ok(cursed.then(|| format!("{} ARM curses {}", chain.name, remote.name)))
    }

    /// Sends `request`: refuses what could only be lost or fail on arrival (tokens to the zero
    /// address, a receiver gas limit below its `ccipReceive` estimate unless forced), checks that
    /// the source ARM lets it leave (a curse on the destination side
    /// only shows in [`Client::status`]) and the balances, approves the Router for tokens and a
    /// token fee as needed, quotes the fee, calls `Router.ccipSend` and reads the message from the
    /// OnRamp's `CCIPSendRequested` event in the receipt.
    pub async fn send(&self, request: SendRequest) -> Result<SendReceipt> {
        let (lane, message) = self.build(&request).await?;
        self.preflight(&lane, &request, resolved_receiver(&message)?)
            .await?;
        let src = self.chain_at(lane.source);
        let dst = self.chain_at(lane.dest);
        if let Some(detail) = self.arm_curse(lane.source, lane.dest).await? {
            return Err(ClientError::LaneCursed {
                from: src.name.clone(),
                to: dst.name.clone(),
                detail,
            });
        }
        let router = src.contracts.router;
        let me = self.address();

        // What the Router will pull from the sender, per token.
        let fee = Router::new(router, self.reader_at(lane.source))
            .getFee(dst.chain_selector, message.clone())
            .call()
            .await
            .map_err(|e| self.call_error(lane.source, "Router.getFee", e))?;
        let mut pulls: Vec<(Address, U256)> = Vec::new();
        for t in &message.tokenAmounts {
            add_pull(&mut pulls, t.token, t.amount);
        }
        if message.feeToken != Address::ZERO {
            add_pull(&mut pulls, message.feeToken, fee);
        }
        for (token, amount) in pulls {
            self.ensure_balance_and_allowance(lane.source, token, amount, router)
                .await?;
        }

        let pays_native = message.feeToken == Address::ZERO;
        let value = if pays_native { fee } else { U256::ZERO };
        let tx = Router::new(router, self.user_at(lane.source))
            .ccipSend(dst.chain_selector, message)
            .value(value)
            .into_transaction_request();
        let action = format!("ccipSend {} -> {}", src.name, dst.name);
        if pays_native {
            self.ensure_native(lane.source, &tx, value).await?;
        }
        let receipt = match self
            .transact(lane.source, self.user_at(lane.source), me, &action, tx)
            .await
        {
            // A curse that landed between the check and the send.
            Err(e @ ClientError::Reverted { .. }) if e.reverted_with::<OnRamp::CursedByARM>() => {
                let ClientError::Reverted { reason, .. } = e else {
                    unreachable!("matched above")
                };
                return Err(ClientError::LaneCursed {
                    from: src.name.clone(),
                    to: dst.name.clone(),
                    detail: reason,
                });
            }
            Err(ClientError::Reverted { data, action, .. })
                if data.starts_with(&SafeTransfer::TransferFailed::SELECTOR) =>
            {
                return Err(self
                    .explain_transfer(lane.source, action, &data, router)
                    .await);
            }
            other => other?,
        };
        let event = receipt
            .inner
            .logs()
            .iter()
            .filter(|log| log.address() == lane.on_ramp)
            .find_map(|log| log.log_decode::<OnRamp::CCIPSendRequested>().ok())
            .ok_or(ClientError::MissingEvent {
                action,
                tx: receipt.transaction_hash,
                event: OnRamp::CCIPSendRequested::SIGNATURE,
            })?;
        let data = event.inner.data;
        let message: EVM2EVMMessage = ccip_bindings::abi_convert(&data.message)?;
        tracing::info!(
            id = %message.messageId,
            seq = message.sequenceNumber,
            lane = %format!("{} -> {}", src.name, dst.name),
            "sent"
        );
        Ok(SendReceipt {
            message_id: message.messageId,
            sequence_number: message.sequenceNumber,
            nonce: message.nonce,
            source: src.name.clone(),
            source_selector: src.chain_selector,
            dest: dst.name.clone(),
            dest_selector: dst.chain_selector,
            lane,
            tx_hash: receipt.transaction_hash,
            block_number: receipt.block_number.unwrap_or_default(),
            fee_token: data.feeToken,
            fee_paid: data.feeTokenAmount,
            message,
        })
    }

    /// Checks the user can pay `value` plus the gas of `tx` in the native coin.
    async fn ensure_native(
        &self,
        index: usize,
        tx: &alloy::rpc::types::TransactionRequest,
        value: U256,
    ) -> Result<()> {
        let me = self.address();
        let reader = self.reader_at(index);
        let balance = reader
            .get_balance(me)
            .await
            .map_err(|e| self.rpc_error(index, "eth_getBalance", e))?;
        let gas_price = reader
            .get_gas_price()
            .await
            .map_err(|e| self.rpc_error(index, "eth_gasPrice", e))?;
        // The gas estimate itself fails without the funds; the Router's send stays below this.
        let gas = reader
            .estimate_gas(tx.clone().from(me).value(U256::ZERO))
            .await
            .unwrap_or(SEND_GAS_CEILING);
        let needed = value.saturating_add(U256::from(gas).saturating_mul(U256::from(gas_price)));
        if balance < needed {
            return Err(ClientError::InsufficientBalance(Box::new(Shortfall {
                account: me,
                token: Address::ZERO,
                chain: self.chain_at(index).name.clone(),
                balance,
                needed,
            })));
        }
        Ok(())
    }

    /// Turns a `TransferFailed(token, from, to, amount)` revert into what is short: the balance
    /// of `from`, or its allowance to `spender`.
    async fn explain_transfer(
        &self,
        index: usize,
        action: String,
        data: &[u8],
        spender: Address,
    ) -> ClientError {
        let Ok(failed) = SafeTransfer::TransferFailed::abi_decode(data) else {
            return ClientError::TransferFailed {
                action,
                token: Address::ZERO,
                from: Address::ZERO,
                amount: U256::ZERO,
                explanation: "undecodable TransferFailed".into(),
            };
        };
        let (token, from, amount) = (failed.token, failed.from, failed.amount);
        let balance = self.balance_of(index, token, from).await.ok();
        let allowance = IERC20::new(token, self.reader_at(index))
            .allowance(from, spender)
            .call()
            .await
            .ok();
        let explanation = match (balance, allowance) {
            (Some(b), _) if b < amount => format!(
                "the balance is {b}, {} short: mint or transfer some to {from} first",
                amount - b
            ),
            (_, Some(a)) if a < amount => format!(
                "the allowance to {spender} is {a}, below {amount}: approve it first (`approve({spender}, {amount})`)"
            ),
            (Some(b), Some(a)) => format!(
                "balance {b} and allowance {a} both suffice: the token itself refused the transfer (paused, blocked account or fee on transfer?)"
            ),
            _ => "balance and allowance could not be read".into(),
        };
        ClientError::TransferFailed {
            action,
            token,
            from,
            amount,
            explanation,
        }
    }

    /// Checks the user holds `amount` of `token` and that `spender` may pull it, approving when
    /// the allowance is short.
    async fn ensure_balance_and_allowance(
        &self,
        index: usize,
        token: Address,
        amount: U256,
        spender: Address,
    ) -> Result<()> {
        let me = self.address();
        let balance = self.balance_of(index, token, me).await?;
        if balance < amount {
            return Err(ClientError::InsufficientBalance(Box::new(Shortfall {
                account: me,
                token,
                chain: self.chain_at(index).name.clone(),
                balance,
                needed: amount,
            })));
        }
        let allowance = IERC20::new(token, self.reader_at(index))
            .allowance(me, spender)
            .call()
            .await
            .map_err(|e| self.call_error(index, "allowance", e))?;
        if allowance < amount {
            let tx = IERC20::new(token, self.user_at(index))
                .approve(spender, amount)
                .into_transaction_request();
            self.transact(index, self.user_at(index), me, "approve", tx)
                .await?;
        }
        Ok(())
    }
}

/// The receiver address of a message `build` made (an `abi.encode(address)`).
fn resolved_receiver(message: &Ccip::EVM2AnyMessage) -> Result<Address> {
    Ok(Address::abi_decode(&message.receiver)?)
}

fn add_pull(pulls: &mut Vec<(Address, U256)>, token: Address, amount: U256) {
    match pulls.iter_mut().find(|(t, _)| *t == token) {
        Some((_, total)) => *total += amount,
        None => pulls.push((token, amount)),
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
