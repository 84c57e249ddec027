//! `ccip status`: a message's progress (sent, committed, blessed, executed or failed), optionally
//! waiting for a state.

use std::time::Duration;

use alloy::primitives::B256;
use ccip_client::MessageState;
use clap::{Args, ValueEnum};
use eyre::Result;

use crate::user_options::UserOptions;

#[derive(Debug, Args)]
pub(crate) struct StatusArgs {
    /// Message id.
    id: B256,
    /// Wait until the message reaches this state, or ends (`done`: executed or failed).
    #[arg(long, value_enum)]
    wait: Option<WaitFor>,
    /// Seconds to wait at most.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    #[command(flatten)]
    user: UserOptions,
}

/// What `--wait` waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum WaitFor {
    Sent,
    Committed,
    Blessed,
    Failed,
    Executed,
    /// Executed or failed, whichever comes.
    Done,
}

impl WaitFor {
    /// The state to reach; `None` for `done`.
    fn state(self) -> Option<MessageState> {
        Some(match self {
            Self::Sent => MessageState::Sent,
            Self::Committed => MessageState::Committed,
            Self::Blessed => MessageState::Blessed,
            Self::Failed => MessageState::Failed,
            Self::Executed => MessageState::Executed,
            Self::Done => return None,
        })
    }
}

pub(crate) async fn status(args: StatusArgs) -> Result<()> {
    let client = args.user.client()?;
    let timeout = Duration::from_secs(args.timeout);
    let status = match args.wait.map(WaitFor::state) {
        None => client.status(args.id).await?,
        Some(None) => client.wait_for_outcome(args.id, timeout).await?,
        Some(Some(target)) => client.wait_for_state(args.id, target, timeout).await?,
    };
    print!("{status}");
    Ok(())
}
