//! `bench-delivery`: send-to-executed latency and sustained throughput over all six lanes of three
//! automining anvils with every off-chain network running.
//!
//! - Latency: messages sent one at a time, round robin over the lanes; for each, the time from
//!   handing the send transaction to the chain until its `ExecutionStateChanged(SUCCESS)` is seen
//!   on the destination. Prints p50 / p99 / max against the targets (p50 <= 100 ms, p99 <= 500 ms).
//! - Throughput: a burst of messages from several accounts per chain; prints how fast the chains
//!   took the send transactions in (their raw ingest rate for this load) and how fast the
//!   networks delivered them (first send to last execution).
//!
//! `cargo run --release -p ccip-e2e --bin bench-delivery -- [latency messages] [burst messages]`

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use alloy::{
    network::TransactionBuilder,
    primitives::{Address, B256, Bytes, U256},
    providers::{DynProvider, Provider, ProviderBuilder},
    rpc::types::{Filter, TransactionRequest},
    signers::local::PrivateKeySigner,
    sol_types::{SolCall, SolEvent, SolValue},
};
use ccip_bindings::{off_ramp::OffRamp, on_ramp::OnRamp, router::Router};
use ccip_deploy::NetworkFile;
use ccip_e2e::Harness;
use ccip_protocol::ExtraArgs;
use ccip_runner::RunnerConfig;
use clap::Parser;
use eyre::{Result, eyre};

/// Send-to-executed latency and burst throughput over the six lanes of three automining anvils
/// with every off-chain network running. Prints figures; never fails on a timing.
#[derive(Debug, Parser)]
#[command(name = "bench-delivery")]
struct Args {
    /// Messages sent one at a time, round robin over the lanes, for the latency figures.
    #[arg(default_value_t = 120)]
    latency_messages: usize,
    /// Messages sent at once from every account, for the throughput figures.
    #[arg(default_value_t = 600)]
    burst_messages: usize,
}

/// Executions seen on every destination, by message id, with when they were seen.
type Seen = Arc<Mutex<HashMap<B256, Instant>>>;

/// Polls every OffRamp's `ExecutionStateChanged` logs every 2 ms and timestamps successes.
fn watch_executions(network: &NetworkFile, seen: Seen) -> Result<Vec<tokio::task::JoinHandle<()>>> {
    let mut handles = Vec::new();
    for chain in &network.chains {
        let provider = ProviderBuilder::new()
            .connect_http(chain.rpc_url.parse()?)
            .erased();
        let ramps: Vec<Address> = chain.lanes.iter().map(|l| l.off_ramp).collect();
        let seen = seen.clone();
        handles.push(tokio::spawn(async move {
            let mut from = 0u64;
            loop {
                let Ok(head) = provider.get_block_number().await else {
                    continue;
                };
                if head >= from {
                    let filter = Filter::new()
                        .address(ramps.clone())
                        .event_signature(OffRamp::ExecutionStateChanged::SIGNATURE_HASH)
                        .from_block(from)
                        .to_block(head);
                    if let Ok(logs) = provider.get_logs(&filter).await {
                        let now = Instant::now();
                        if let Ok(mut seen) = seen.lock() {
                            for log in logs {
                                if let Ok(e) =
                                    OffRamp::ExecutionStateChanged::decode_log(&log.inner)
                                    && e.state == 2
                                {
                                    seen.entry(e.messageId).or_insert(now);
                                }
                            }
                        }
                        from = head + 1;
                    }
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }));
    }
    Ok(handles)
}

/// One account sending data-only messages through one chain's Router, paying in native.
struct Sender {
    provider: DynProvider,
    router: Address,
    from: Address,
}

fn message(dest_messenger: Address) -> ccip_bindings::router::Client::EVM2AnyMessage {
    ccip_bindings::router::Client::EVM2AnyMessage {
        receiver: Bytes::from(dest_messenger.into_word().to_vec()),
        data: Bytes::from("bench".to_string().abi_encode()),
        tokenAmounts: vec![],
        feeToken: Address::ZERO,
        // Out of order: the burst's messages from one sender need not wait for each other.
        extraArgs: ExtraArgs::v2(U256::from(200_000u64), true).encode().into(),
    }
}

impl Sender {
    fn new(url: &str, router: Address, key: &str) -> Result<Self> {
        let signer: PrivateKeySigner = key.parse()?;
        let from = signer.address();
        let provider = ProviderBuilder::new()
            .with_cached_nonce_management()
            .wallet(signer)
            .connect_http(url.parse()?)
            .erased();
        Ok(Self {
            provider,
            router,
            from,
        })
    }

    async fn fee(&self, dest: u64, messenger: Address) -> Result<U256> {
        Ok(Router::new(self.router, &self.provider)
            .getFee(dest, message(messenger))
            .call()
            .await?)
    }

    /// Submits a send; returns its transaction hash without waiting for it.
    async fn submit(&self, dest: u64, messenger: Address, value: U256) -> Result<B256> {
        let call = Router::ccipSendCall {
            destinationChainSelector: dest,
            message: message(messenger),
        };
        let tx = TransactionRequest::default()
            .with_from(self.from)
            .with_to(self.router)
            .with_value(value)
            .with_input(call.abi_encode())
            .with_gas_limit(500_000);
        Ok(*self.provider.send_transaction(tx).await?.tx_hash())
    }

    /// Waits for a send's receipt and returns the message id.
    async fn message_id(&self, tx: B256) -> Result<B256> {
        loop {
            if let Some(receipt) = self.provider.get_transaction_receipt(tx).await? {
                let event = receipt
                    .decoded_log::<OnRamp::CCIPSendRequested>()
                    .ok_or_else(|| eyre!("send {tx} emitted no CCIPSendRequested"))?;
                return Ok(event.data.message.messageId);
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

async fn wait_all(seen: &Seen, ids: &[B256], timeout: Duration) -> Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        let done = seen.lock().map_err(|_| eyre!("poisoned"))?.len();
        let all = {
            let seen = seen.lock().map_err(|_| eyre!("poisoned"))?;
            ids.iter().all(|id| seen.contains_key(id))
        };
        if all {
            return Ok(());
        }
        if Instant::now() > deadline {
            eyre::bail!("only {done} executions seen after {timeout:?}");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let Args {
        latency_messages,
        burst_messages,
    } = Args::parse();

    let h = Harness::up("bench-delivery", 3, RunnerConfig::local(0)).await?;
    let network = h.network().clone();
    let seen: Seen = Arc::default();
    let watchers = watch_executions(&network, seen.clone())?;

    // Every lane: (sender per account on the source, dest selector, dest messenger, fee).
    let mut lanes = Vec::new();
    for src in &network.chains {
        for lane in &src.lanes {
            let dest = network
                .chain_by_selector(lane.remote_chain_selector)
                .ok_or_else(|| eyre!("unknown chain {}", lane.remote_chain_selector))?;
            lanes.push((src.clone(), dest.chain_selector, dest.contracts.messenger));
        }
    }
    let senders: Vec<Vec<Sender>> = network
        .chains
        .iter()
        .map(|c| {
            c.accounts
                .iter()
                .map(|a| Sender::new(&c.rpc_url, c.contracts.router, &a.private_key))
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<_>>()?;
    let index = |name: &str| {
        network
            .chains
            .iter()
            .position(|c| c.name == name)
            .unwrap_or(0)
    };
    let mut fees = Vec::new();
    for (src, dest, messenger) in &lanes {
        // Pay three times the quote: the committing network may push gas prices meanwhile.
        fees.push(senders[index(&src.name)][0].fee(*dest, *messenger).await? * U256::from(3));
    }

    println!("bench-delivery: 3 chains (automine), 6 lanes, all networks polling every 20 ms");
    // ---- latency: one message at a time
    let mut latencies = Vec::with_capacity(latency_messages);
    for i in 0..latency_messages {
        let l = i % lanes.len();
        let (src, dest, messenger) = &lanes[l];
        let sender = &senders[index(&src.name)][0];
        let started = Instant::now();
        let tx = sender.submit(*dest, *messenger, fees[l]).await?;
        let id = sender.message_id(tx).await?;
        wait_all(&seen, &[id], Duration::from_secs(30)).await?;
        let at = *seen
            .lock()
            .map_err(|_| eyre!("poisoned"))?
            .get(&id)
            .ok_or_else(|| eyre!("lost {id}"))?;
        latencies.push(at.duration_since(started));
    }
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "latency send->executed over {latency_messages} messages: p50 {:.1} ms (target <= 100), p99 {:.1} ms (target <= 500), max {:.1} ms",
        ms(percentile(&latencies, 50.0)),
        ms(percentile(&latencies, 99.0)),
        ms(percentile(&latencies, 100.0)),
    );

    // ---- throughput: a burst from every account of every chain
    let started = Instant::now();
    let mut submitted = Vec::with_capacity(burst_messages);
    let mut tasks = Vec::new();
    let per_task = burst_messages.div_ceil(lanes.len() * 3);
    let senders = Arc::new(senders);
    let lanes = Arc::new(lanes);
    let fees = Arc::new(fees);
    for l in 0..lanes.len() {
        for account in 0..3 {
            let (senders, lanes, fees) = (senders.clone(), lanes.clone(), fees.clone());
            let chain = index(&lanes[l].0.name);
            tasks.push(tokio::spawn(async move {
                let (_, dest, messenger) = &lanes[l];
                let sender = &senders[chain][account];
                let mut txs = Vec::new();
                for _ in 0..per_task {
                    txs.push(sender.submit(*dest, *messenger, fees[l]).await?);
                }
                eyre::Ok((chain, account, txs))
            }));
        }
    }
    for t in tasks {
        submitted.push(t.await??);
    }
    let mut ids = Vec::new();
    for (chain, account, txs) in &submitted {
        for tx in txs {
            ids.push(senders[*chain][*account].message_id(*tx).await?);
        }
    }
    // All sends are mined once their receipts are in (they were fetched after the last submit).
    let ingested = started.elapsed();
    wait_all(&seen, &ids, Duration::from_secs(300)).await?;
    let last_execution = {
        let seen = seen.lock().map_err(|_| eyre!("poisoned"))?;
        ids.iter()
            .filter_map(|id| seen.get(id))
            .max()
            .copied()
            .ok_or_else(|| eyre!("no executions"))?
    };
    let delivered = last_execution.duration_since(started);
    let n = ids.len() as f64;
    println!(
        "throughput over {} messages from {} accounts: the chains took the sends in at {:.0} msg/s (all mined {:.2} s after the first submit); the networks executed them all at {:.0} msg/s (last execution {:.2} s after the first submit)",
        ids.len(),
        lanes.len() * 3,
        n / ingested.as_secs_f64(),
        ingested.as_secs_f64(),
        n / delivered.as_secs_f64().max(ingested.as_secs_f64()),
        delivered.as_secs_f64(),
    );
    for w in watchers {
        w.abort();
    }
    let mut h = h;
    h.stop().await;
    Ok(())
}
