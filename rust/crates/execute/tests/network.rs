//! The executing network against two anvils with the full mesh deployed; the test commits,
//! blesses and curses in place of the other networks (`common`).

mod common;

use std::time::Duration;

use ccip_bindings::off_ramp::OffRamp;
use ccip_deploy::keys::{derive_key, role};
use ccip_execute::{ExecConfig, ExecMetrics, ExecNetwork, ExecNode, NodeKey};
use ccip_store::Store;
use common::{FAILURE, SUCCESS, UNTOUCHED, config, harness};
use eyre::Result;
use tokio::sync::watch;

const GAS: u64 = 200_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blessed_roots_are_executed_in_one_batch_and_not_before() -> Result<()> {
    let h = harness("exec-basic").await?;
    let (ab, ba) = (h.lane(0, 1)?, h.lane(1, 0)?);
    for text in ["one", "two", "three"] {
        h.send(&ab, text, GAS).await?;
    }
    h.send(&ba, "back", GAS).await?;
    let root_ab = h.commit(&ab, 1, 3).await?;
    let root_ba = h.commit(&ba, 1, 1).await?;

    let (stop, shutdown) = watch::channel(false);
    let exec = ExecNetwork::start(h.network(), None, config(), shutdown)?;
    // Committed but not blessed: nothing moves.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(h.states(&ab, 1..=3).await?, vec![UNTOUCHED; 3]);
    assert_eq!(h.received(&ab).await?.0, 0);
    assert_eq!(exec.metrics().snapshot().transactions, 0);
    let lane = exec.metrics().snapshot();
    assert_eq!(
        lane.lane(ab.key).map(|l| (l.highest_sent, l.lag)),
        Some((3, 3))
    );

    h.bless(&ab, root_ab).await?;
    let latency = h.wait_final(&ab, 1..=3).await?;
    h.bless(&ba, root_ba).await?;
    h.wait_final(&ba, 1..=1).await?;
    eprintln!("blessed -> executed: {latency:?}");

    assert_eq!(h.states(&ab, 1..=3).await?, vec![SUCCESS; 3]);
    assert_eq!(h.received(&ab).await?, (3, "three".to_owned()));
    assert_eq!(h.received(&ba).await?, (1, "back".to_owned()));
    // One root, one transaction for its three messages.
    let executions = h.executions(&ab).await?;
    assert_eq!(executions.len(), 3);
    assert!(executions.iter().all(|e| e.2 == executions[0].2));

    // Past the leader grace, still one execute transaction per lane: the other node did not race.
    tokio::time::sleep(config().leader_grace + Duration::from_millis(200)).await;
    for lane in [&ab, &ba] {
        assert_eq!(h.exec_nonces(lane).await?.iter().sum::<u64>(), 1);
    }
    let m = exec.metrics().snapshot();
    assert_eq!((m.executed(), m.failed(), m.transactions), (4, 0, 2));
    let l = m.lane(ab.key).expect("lane metrics");
    assert_eq!((l.highest_sent, l.highest_executed, l.lag), (3, 3, 0));
    stop.send(true)?;
    exec.join().await?;
    h.local.chains.shutdown();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_receiver_is_recorded_and_not_retried() -> Result<()> {
    let h = harness("exec-failure").await?;
    let ab = h.lane(0, 1)?;
    // Far too little gas for the Messenger to store the text: the receiver fails.
    h.send(&ab, "starved", 5_000).await?;
    h.send(&ab, "fed", GAS).await?;
    let root = h.commit(&ab, 1, 2).await?;

    let (stop, shutdown) = watch::channel(false);
    let exec = ExecNetwork::start(h.network(), None, config(), shutdown)?;
    h.bless(&ab, root).await?;
    h.wait_final(&ab, 1..=2).await?;
    // The failure consumed the sender's nonce, so the next ordered message went through.
    assert_eq!(h.states(&ab, 1..=2).await?, vec![FAILURE, SUCCESS]);
    assert_eq!(h.received(&ab).await?, (1, "fed".to_owned()));

    let failures = exec.failures()?;
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!((failures[0].lane, failures[0].seq), (ab.key, 1));
    assert!(
        failures[0].reason.contains("ReceiverError"),
        "{}",
        failures[0].reason
    );
    let m = exec.metrics().snapshot();
    assert_eq!((m.executed(), m.failed()), (1, 1));

    // Well past the leader grace: no node tries the failed message again.
    let nonces = h.exec_nonces(&ab).await?;
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(h.exec_nonces(&ab).await?, nonces);
    assert!(
        h.off_ramp_logs::<OffRamp::AlreadyAttempted>(&ab)
            .await?
            .is_empty()
    );
    assert_eq!(h.executions(&ab).await?.len(), 2);
    stop.send(true)?;
    exec.join().await?;
    h.local.chains.shutdown();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cursed_lane_gets_no_execute_transaction_until_uncursed() -> Result<()> {
    let h = harness("exec-curse").await?;
    let (ab, ba) = (h.lane(0, 1)?, h.lane(1, 0)?);
    h.send(&ab, "held", GAS).await?;
    let root = h.commit(&ab, 1, 1).await?;
    // Sent first: beta's OnRamp refuses to send to a chain its ARM curses.
    h.send(&ba, "free", GAS).await?;
    let root_ba = h.commit(&ba, 1, 1).await?;
    // Cursed before it is blessed: the blessing alone must not make anyone execute it.
    h.curse(&ab, true).await?;
    h.bless(&ab, root).await?;

    let (stop, shutdown) = watch::channel(false);
    let exec = ExecNetwork::start(h.network(), None, config(), shutdown)?;
    let nonces = h.exec_nonces(&ab).await?;

    // The other lane is not cursed (alpha's ARM curses nothing) and keeps working meanwhile.
    h.bless(&ba, root_ba).await?;
    h.wait_final(&ba, 1..=1).await?;
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    assert_eq!(
        h.exec_nonces(&ab).await?,
        nonces,
        "a transaction on the cursed lane"
    );
    assert_eq!(h.state(&ab, 1).await?, UNTOUCHED);
    assert_eq!(exec.metrics().snapshot().tx_errors, 0);

    h.curse(&ab, false).await?;
    h.wait_final(&ab, 1..=1).await?;
    assert_eq!(h.received(&ab).await?, (1, "held".to_owned()));
    stop.send(true)?;
    exec.join().await?;
    h.local.chains.shutdown();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_network_executes_what_remains_exactly_once() -> Result<()> {
    let h = harness("exec-restart").await?;
    let ab = h.lane(0, 1)?;
    let dir = tempfile::tempdir()?;

    let (stop, shutdown) = watch::channel(false);
    let exec = ExecNetwork::start(h.network(), Some(dir.path()), config(), shutdown)?;
    h.send(&ab, "a", GAS).await?;
    h.send(&ab, "b", GAS).await?;
    let first = h.commit(&ab, 1, 2).await?;
    h.bless(&ab, first).await?;
    h.wait_final(&ab, 1..=2).await?;
    // Committed, not yet blessed when the network goes down.
    h.send(&ab, "c", GAS).await?;
    let second = h.commit(&ab, 3, 3).await?;
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(true)?;
    exec.join().await?;

    // While it is down: the pending root is blessed, another one committed and blessed.
    h.bless(&ab, second).await?;
    h.send(&ab, "d", GAS).await?;
    let third = h.commit(&ab, 4, 4).await?;
    h.bless(&ab, third).await?;
    assert_eq!(h.states(&ab, 3..=4).await?, vec![UNTOUCHED; 2]);

    let (stop, shutdown) = watch::channel(false);
    let exec = ExecNetwork::start(h.network(), Some(dir.path()), config(), shutdown)?;
    h.wait_final(&ab, 3..=4).await?;
    assert_eq!(h.received(&ab).await?, (4, "d".to_owned()));
    let mut seqs: Vec<u64> = h.executions(&ab).await?.iter().map(|e| e.0).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, vec![1, 2, 3, 4], "each message exactly once");
    // The restarted nodes started from their watermark: they executed only what remained.
    let m = exec.metrics().snapshot();
    assert_eq!(m.executed(), 2);
    assert_eq!(m.lane(ab.key).map(|l| l.lag), Some(0));
    stop.send(true)?;
    exec.join().await?;
    h.local.chains.shutdown();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_root_over_the_gas_budget_is_split_across_transactions() -> Result<()> {
    let h = harness("exec-budget").await?;
    let ab = h.lane(0, 1)?;
    for i in 0..5 {
        h.send(&ab, &format!("m{i}"), GAS).await?;
    }
    let root = h.commit(&ab, 1, 5).await?;
    let config = ExecConfig {
        // Two messages' worth per transaction.
        gas_budget: 2 * (GAS + ExecConfig::default().per_message_gas),
        ..config()
    };
    let (stop, shutdown) = watch::channel(false);
    let exec = ExecNetwork::start(h.network(), None, config, shutdown)?;
    h.bless(&ab, root).await?;
    h.wait_final(&ab, 1..=5).await?;
    assert_eq!(h.states(&ab, 1..=5).await?, vec![SUCCESS; 5]);
    assert_eq!(h.received(&ab).await?, (5, "m4".to_owned()));
    // Each transaction proved its own subset of the one root: [1, 2], [3, 4], [5].
    let executions = h.executions(&ab).await?;
    let mut txs: Vec<_> = executions.iter().map(|e| e.2).collect();
    txs.dedup();
    assert_eq!(txs.len(), 3, "{executions:?}");
    assert_eq!(executions[0].2, executions[1].2);
    assert_eq!(executions[2].2, executions[3].2);
    assert_eq!(exec.metrics().snapshot().transactions, 3);
    stop.send(true)?;
    exec.join().await?;
    h.local.chains.shutdown();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_non_leader_executes_only_after_the_grace_period() -> Result<()> {
    let h = harness("exec-leader").await?;
    let ab = h.lane(0, 1)?;
    h.send(&ab, "late", GAS).await?;
    let root = h.commit(&ab, 1, 1).await?;
    // Only the node that does not lead this root runs.
    let nodes = h.network().roles.exec_transmitters.len();
    let index = (usize::from(root[0]) + 1) % nodes;
    let signer = derive_key(&h.network().seed, role::EXEC_TRANSMITTER, index as u32)?;
    let config = config();
    let metrics = std::sync::Arc::new(ExecMetrics::new(&ccip_chain::lanes(h.network())));
    let (stop, shutdown) = watch::channel(false);
    let node = ExecNode::start(
        h.network(),
        NodeKey {
            index,
            nodes,
            signer,
        },
        Store::in_memory()?,
        config,
        metrics.clone(),
        shutdown,
    )?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    h.bless(&ab, root).await?;
    let took = h.wait_final(&ab, 1..=1).await?;
    assert!(took >= config.leader_grace, "executed after {took:?}");
    assert!(
        took < config.leader_grace + Duration::from_secs(3),
        "executed after {took:?}"
    );
    assert_eq!(h.exec_nonces(&ab).await?[index], 1);
    assert_eq!(metrics.snapshot().executed(), 1);
    stop.send(true)?;
    node.join().await?;
    h.local.chains.shutdown();
    Ok(())
}
