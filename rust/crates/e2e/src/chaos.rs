//! Chaos scenarios shared by the chaos suite (tests, 60 messages each) and the soak bench
//! (1,000 each): three anvil chains with every network running behind [`crate::FaultProxy`]s,
//! traffic on all six lanes while a fault is on, then the outcome counted on chain — each sent
//! message's `ExecutionStateChanged(Success)` events on its destination OffRamp — and the time
//! from the end of the fault until every lane delivered a fresh message.

use std::{collections::HashMap, time::Duration};

use alloy::{primitives::B256, providers::Provider, rpc::types::Filter, sol_types::SolEvent};
use ccip_bindings::off_ramp::OffRamp;
use ccip_client::{ClientError, CurseSubject, SendReceipt, SendRequest};
use ccip_runner::RunnerConfig;
use eyre::{Result, eyre};
use tokio::time::Instant;

use crate::{Fault, Harness};

/// Every lane of three chains.
pub const LANES: [(&str, &str); 6] = [
    ("alpha", "beta"),
    ("alpha", "gamma"),
    ("beta", "alpha"),
    ("beta", "gamma"),
    ("gamma", "alpha"),
    ("gamma", "beta"),
];

/// `Internal.MessageExecutionState.SUCCESS`.
const SUCCESS: u8 = 2;

/// A fault to put the networks through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// 30 % of alpha's RPC connections dropped for 20 s.
    Drop,
    /// Every alpha RPC request answered HTTP 500 for 20 s.
    Http500,
    /// alpha's RPC accepts connections and never answers, for 5 s.
    Blackhole,
    /// alpha's RPC answers 300 ms late, for 10 s.
    Delay,
    /// The owner curses gamma on alpha's ARM for 8 s, then lifts it.
    Curse,
}

impl Scenario {
    /// Every scenario.
    pub const ALL: [Self; 5] = [
        Self::Drop,
        Self::Http500,
        Self::Blackhole,
        Self::Delay,
        Self::Curse,
    ];

    /// A short name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Drop => "drop-30%",
            Self::Http500 => "http-500",
            Self::Blackhole => "blackhole",
            Self::Delay => "delay-300ms",
            Self::Curse => "curse",
        }
    }

    /// How long the fault lasts.
    pub fn duration(self) -> Duration {
        Duration::from_secs(match self {
            Self::Drop | Self::Http500 => 20,
            Self::Blackhole => 5,
            Self::Delay => 10,
            Self::Curse => 8,
        })
    }

    /// Puts the fault on after a second of normal traffic, holds it, lifts it.
    async fn inflict(self, h: &Harness) -> Result<()> {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let time = self.duration();
        if self == Self::Curse {
            let gamma = h
                .network()
                .chain("gamma")
                .ok_or_else(|| eyre!("gamma"))?
                .chain_selector;
            h.client.curse("alpha", CurseSubject::Lane(gamma)).await?;
            tokio::time::sleep(time).await;
            h.client.uncurse("alpha", CurseSubject::Lane(gamma)).await?;
            return Ok(());
        }
        let fault = match self {
            Self::Drop => Fault::Drop(30),
            Self::Http500 => Fault::Http500,
            Self::Blackhole => Fault::Blackhole,
            _ => Fault::Delay(Duration::from_millis(300)),
        };
        let proxy = h.proxies.first().ok_or_else(|| eyre!("no proxies"))?;
        proxy.inject_for(fault, time).await;
        eyre::ensure!(proxy.faulted() > 0, "the fault never hit a request");
        Ok(())
    }
}

/// What a scenario came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The scenario.
    pub scenario: Scenario,
    /// Messages sent (probes included).
    pub sent: usize,
    /// Sends refused before signing (a cursed lane), nothing sent for them.
    pub refused: usize,
    /// Messages without a successful execution at the deadline.
    pub lost: usize,
    /// Messages executed successfully more than once.
    pub duplicated: usize,
    /// From the end of the fault until a fresh message had executed on every lane.
    pub recovery: Duration,
    /// RPC requests the proxies delayed, dropped, failed or blackholed.
    pub faulted: u64,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:<12} sent {:>5}  lost {:>3}  duplicated {:>3}  refused {:>3}  lanes live {:>6.2} s after the fault  ({} requests faulted)",
            self.scenario.name(),
            self.sent,
            self.lost,
            self.duplicated,
            self.refused,
            self.recovery.as_secs_f64(),
            self.faulted
        )
    }
}

/// Sends `n` messages round-robin over the lanes, spread over `over`; returns what was sent and
/// how many sends a cursed lane refused.
async fn traffic(
    h: &Harness,
    tag: &str,
    n: usize,
    over: Duration,
) -> Result<(Vec<SendReceipt>, usize)> {
    let pause = over / n.max(1) as u32;
    let (mut sent, mut refused) = (Vec::with_capacity(n), 0);
    for i in 0..n {
        let (src, dst) = LANES[i % LANES.len()];
        let text = format!("{tag} #{i} {src}->{dst}");
        match h.client.send(SendRequest::new(src, dst).text(&text)).await {
            Ok(receipt) => sent.push(receipt),
            // Refused before signing while the lane is cursed, as a user would be: nothing sent.
            Err(ClientError::LaneCursed { .. }) => refused += 1,
            Err(e) => return Err(e.into()),
        }
        tokio::time::sleep(pause).await;
    }
    Ok((sent, refused))
}

/// Successful executions per message id on every lane's OffRamp, read from the chains.
pub async fn successes(h: &Harness) -> Result<HashMap<B256, usize>> {
    let mut count = HashMap::new();
    for (src, dst) in LANES {
        let lane = h.client.lane(src, dst)?;
        let filter = Filter::new()
            .address(lane.off_ramp)
            .event_signature(OffRamp::ExecutionStateChanged::SIGNATURE_HASH)
            .from_block(0u64);
        for log in h.client.provider(dst)?.get_logs(&filter).await? {
            let event = log.log_decode::<OffRamp::ExecutionStateChanged>()?;
            if event.inner.data.state == SUCCESS {
                *count.entry(event.inner.data.messageId).or_default() += 1;
            }
        }
    }
    Ok(count)
}

/// Waits until every id in `ids` executed (or `deadline` passes); returns the last count.
async fn wait_executed(
    h: &Harness,
    ids: &[B256],
    deadline: Duration,
) -> Result<HashMap<B256, usize>> {
    let until = Instant::now() + deadline;
    loop {
        let count = successes(h).await?;
        if ids.iter().all(|id| count.contains_key(id)) || Instant::now() > until {
            return Ok(count);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Runs `scenario` with `messages` messages of traffic on a fresh deployment from `seed`.
/// `deadline` bounds how long delivery may take after the fault.
pub async fn run(
    scenario: Scenario,
    messages: usize,
    seed: &str,
    deadline: Duration,
) -> Result<Outcome> {
    let h = Harness::up_proxied(seed, 3, RunnerConfig::local(0)).await?;
    let (sent, inflicted) = tokio::join!(
        traffic(&h, scenario.name(), messages, scenario.duration()),
        scenario.inflict(&h)
    );
    inflicted?;
    let (mut sent, refused) = sent?;
    // Every lane live again: one fresh message each, all executed.
    let healed = Instant::now();
    let (probes, _) = traffic(&h, "probe", LANES.len(), Duration::ZERO).await?;
    let probe_ids: Vec<B256> = probes.iter().map(|p| p.message_id).collect();
    wait_executed(&h, &probe_ids, deadline).await?;
    let recovery = healed.elapsed();
    sent.extend(probes);
    let ids: Vec<B256> = sent.iter().map(|s| s.message_id).collect();
    let count = wait_executed(&h, &ids, deadline).await?;
    Ok(Outcome {
        scenario,
        sent: sent.len(),
        refused,
        lost: ids.iter().filter(|&id| !count.contains_key(id)).count(),
        duplicated: ids
            .iter()
            .filter(|&id| count.get(id).is_some_and(|&n| n > 1))
            .count(),
        recovery,
        faulted: h.proxies.iter().map(|p| p.faulted()).sum(),
    })
}
