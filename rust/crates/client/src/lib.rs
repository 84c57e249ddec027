//! The user side of a deployed network: send messages and tokens on any lane, follow a message
//! from sent to executed by reading the chains, execute a failed message by hand, curse and
//! uncurse lanes.
//!
//! ```ignore
//! use ccip_client::{Client, MessageState, SendRequest};
//!
//! let client = Client::from_file(ccip_core::DEFAULT_NETWORK_FILE)?.with_account(1)?;
//! let sent = client.send(SendRequest::new("alpha", "beta").text("hello")).await?;
//! let status = client
//!     .wait_for_state(sent.message_id, MessageState::Executed, Duration::from_secs(30))
//!     .await?;
//! println!("{status}");
//! ```
//!
//! Everything is read from the chains (OnRamp, CommitStore, ARM and OffRamp logs and views);
//! nothing is remembered between calls, so any client sees what any other did.

mod amount;
mod client;
mod curse;
mod error;
mod manual;
mod preflight;
mod recovery;
mod request;
mod send;
mod status;
#[cfg(feature = "testing")]
pub mod testing;

pub use amount::parse_token_amount;
pub use ccip_bindings::decode_revert;
pub use client::{ChainEvent, ChainRef, Client, LaneRef, SentMessage};
pub use curse::{CurseSubject, GLOBAL_CURSE_SUBJECT};
pub use error::{ClientError, Result, Shortfall};
pub use manual::{ManualExecution, execution_gas};
pub use recovery::LaneReset;
pub use send::{DEFAULT_GAS_LIMIT, FeeToken, SendReceipt, SendRequest, TokenAmount, TokenRef};
pub use status::{
    Commit, Execution, ExecutionState, MessageState, MessageStatus, POLL_INTERVAL, utc,
};
