use std::time::Duration;

use ccip_chain::StreamConfig;

/// How an executing node works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExecConfig {
    /// Pause between two looks at a lane when the previous one changed nothing.
    pub poll_interval: Duration,
    /// How the source messages and the committed roots are read.
    pub stream: StreamConfig,
    /// Most gas one execute transaction may plan for: the sum over its messages of the gas limit,
    /// the tokens' `destGasAmount`s and [`ExecConfig::per_message_gas`].
    pub gas_budget: u64,
    /// The OffRamp's own gas per message besides what the message asks for (hashing, proof,
    /// state, receiver check, routing).
    pub per_message_gas: u64,
    /// Most messages in one execute transaction.
    pub max_batch: usize,
    /// First delay after a failed transaction (or one that left messages waiting); doubles.
    pub backoff_min: Duration,
    /// Longest such delay.
    pub backoff_max: Duration,
    /// A node that is not a root's leader executes it only if it is still not executed this long
    /// after the node saw it blessed.
    pub leader_grace: Duration,
}

impl Default for ExecConfig {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_millis(20),
            stream: StreamConfig::default(),
            gas_budget: 8_000_000,
            per_message_gas: 100_000,
            max_batch: 64,
            backoff_min: Duration::from_millis(100),
            backoff_max: Duration::from_secs(10),
            leader_grace: Duration::from_secs(1),
        }
    }
}
