//! The executing network: for every lane, each node watches the roots committed on the
//! destination, waits for the ARM's blessing, proves the messages of a root not yet executed with
//! one multi-proof per gas-bounded batch and sends `OffRamp.execute`.
//!
//! * A cursed lane (its source subject or the global subject cursed on the destination ARM) gets
//!   no transaction until the curse is lifted.
//! * A message that fails on chain is logged (message id, lane, decoded reason), recorded in the
//!   node's store and left for manual execution; it is never retried automatically.
//! * Messages skipped for nonce order stay UNTOUCHED and are tried again later; failed
//!   transactions are retried with exponential backoff.
//! * Two nodes do not race: a root's leader (`root[0] % nodes`) executes at once, the others only
//!   if the root is still unexecuted [`ExecConfig::leader_grace`] after they saw it blessed.
//! * Each node keeps a per-lane watermark (everything below is final) in its store, so a restart
//!   resumes where it stopped; the chain (`OffRamp.getExecutionState`) stays the truth.
//!
//! ```ignore
//! let (stop, shutdown) = tokio::sync::watch::channel(false);
//! let exec = ExecNetwork::start(&network, Some(Path::new(".network/exec")), ExecConfig::default(), shutdown)?;
//! // ... exec.metrics().snapshot() ...
//! stop.send(true)?;
//! exec.join().await?;
//! ```

mod batch;
mod config;
mod error;
mod lane;
mod metrics;
mod node;

pub use batch::{build_report, message_gas, pack};
pub use config::ExecConfig;
pub use error::{ExecError, Result};
pub use metrics::{ExecMetrics, ExecMetricsSnapshot, LaneSnapshot};
pub use node::{ExecNetwork, ExecNode, NodeKey};
