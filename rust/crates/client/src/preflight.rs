//! Checks a send must pass before anything is signed: a message that can only be lost (tokens to
//! the zero address) or can only fail on arrival (a receiver gas limit its `ccipReceive` cannot
//! run in) is refused with an error that says what to change.

use alloy::{
    network::TransactionBuilder,
    primitives::{Address, B256, U256},
    providers::Provider,
    rpc::types::TransactionRequest,
    sol_types::{SolCall, SolValue},
};
use ccip_bindings::i_any2_evm_message_receiver::{Client as Dest, IAny2EVMMessageReceiver};

use crate::{
    client::{Client, LaneRef},
    error::{ClientError, Result},
    send::{DEFAULT_GAS_LIMIT, SendRequest},
};

/// Intrinsic cost of any transaction; an estimate of a call includes it, the receiver's gas
/// limit does not.
const TX_BASE_GAS: u64 = 21_000;
/// The most a calldata byte costs (EIP-2028); subtracting it for every byte keeps the estimate of
/// the receiver's own gas on the low side, so a refusal is never a false alarm.
const CALLDATA_BYTE_GAS: u64 = 16;

impl Client {
    /// Refuses `request` when it cannot be delivered as asked. `receiver` is the resolved
    /// receiver. With [`SendRequest::force`], only the checks that guard funds stay (the gas check
    /// is skipped).
    pub(crate) async fn preflight(
        &self,
        lane: &LaneRef,
        request: &SendRequest,
        receiver: Address,
    ) -> Result<()> {
        if receiver == Address::ZERO {
            return Err(ClientError::ZeroReceiver);
        }
        if request.force || request.extra_args.is_some() || request.data.is_empty() {
            return Ok(());
        }
        let gas_limit = request.gas_limit.unwrap_or(DEFAULT_GAS_LIMIT);
        let dest = self.chain_at(lane.dest);
        let reader = self.reader_at(lane.dest);
        let code = match reader.get_code_at(receiver).await {
            Ok(code) => code,
            Err(error) => {
                // The message leaves from the source either way and waits for the destination;
                // what cannot be checked is said, not made a reason to refuse.
                tracing::warn!(chain = %dest.name, %error, "destination unreachable: the receiver's gas need is not checked");
                return Ok(());
            }
        };
        if code.is_empty() {
            return Ok(());
        }
        if gas_limit == 0 {
            return Err(ClientError::GasLimitTooLow {
                gas_limit,
                estimate: 1,
                receiver,
                chain: dest.name.clone(),
            });
        }
        let message = Dest::Any2EVMMessage {
            messageId: B256::repeat_byte(0x11),
            sourceChainSelector: self.chain_at(lane.source).chain_selector,
            sender: self.address().abi_encode().into(),
            data: request.data.clone(),
            destTokenAmounts: Vec::new(),
        };
        let input = IAny2EVMMessageReceiver::ccipReceiveCall { message }.abi_encode();
        let calldata_gas = CALLDATA_BYTE_GAS * input.len() as u64;
        let call = TransactionRequest::default()
            .with_from(dest.contracts.router)
            .with_to(receiver)
            .with_value(U256::ZERO)
            .with_input(input);
        // A receiver that reverts outside the real delivery (it may check tokens, or state the
        // message itself sets up) tells nothing about gas: only a successful estimate can refuse.
        let Ok(estimate) = reader.estimate_gas(call).await else {
            return Ok(());
        };
        let needed = estimate.saturating_sub(TX_BASE_GAS + calldata_gas);
        if needed > gas_limit {
            return Err(ClientError::GasLimitTooLow {
                gas_limit,
                estimate: needed,
                receiver,
                chain: dest.name.clone(),
            });
        }
        Ok(())
    }
}
