//! `ccip manual-exec`: execute a committed, blessed message by hand (e.g. after it failed).

use alloy::primitives::B256;
use ccip_client::ExecutionState;
use clap::Args;
use eyre::{Result, bail};

use crate::user_options::UserOptions;

#[derive(Debug, Args)]
pub(crate) struct ManualExecArgs {
    /// Message id.
    id: B256,
    /// Receiver gas limit for this execution (at least the message's own).
    #[arg(long)]
    gas_limit: Option<u64>,
    #[command(flatten)]
    user: UserOptions,
}

pub(crate) async fn manual_exec(args: ManualExecArgs) -> Result<()> {
    let client = args.user.client()?;
    let outcome = client.manual_execute(args.id, args.gas_limit).await?;
    match outcome.state {
        ExecutionState::Success => println!(
            "executed {}  tx {}",
            outcome.message_id,
            outcome.tx_hash.map(|t| t.to_string()).unwrap_or_default()
        ),
        _ => bail!(
            "message {} would fail again (nothing sent): {}",
            outcome.message_id,
            outcome.reason.unwrap_or_default()
        ),
    }
    Ok(())
}
