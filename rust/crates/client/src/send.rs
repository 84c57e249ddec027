//! Sending: [`SendRequest`] in (see `request.rs`), [`SendReceipt`] out.

use alloy::{
    primitives::{Address, B256, U256},
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
use ccip_protocol::{EVM2EVMMessage, chain_subject};

pub use crate::request::{DEFAULT_GAS_LIMIT, FeeToken, SendRequest, TokenAmount, TokenRef};
use crate::{
    client::{ChainRef, Client, LaneRef},
    error::{ClientError, Result, Shortfall},
};

/// Gas assumed for a `ccipSend` whose estimate failed (for the native-balance check).
const SEND_GAS_CEILING: u64 = 1_000_000;

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
        // The Router's send stays below the ceiling: only a balance short of that is worth an
        // estimate (which itself fails without the funds).
        let ceiling = value
            .saturating_add(U256::from(SEND_GAS_CEILING).saturating_mul(U256::from(gas_price)));
        if balance >= ceiling {
            return Ok(());
        }
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
