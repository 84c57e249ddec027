//! Node behaviour that needs no chain: key derivation agrees with the deployment's, and a node
//! whose RPC is down keeps polling, counting the errors.

use std::time::Duration;

use ccip_deploy::keys::{derive_key, role};
use ccip_rmn::{ARM_VOTER_ROLE, NetworkSpec, NodeSettings, RmnNetwork, arm_voter_key};
use tokio::sync::watch;

#[test]
fn voter_keys_are_the_deployments_arm_voter_keys() -> eyre::Result<()> {
    assert_eq!(ARM_VOTER_ROLE, role::ARM_VOTER);
    for seed in ["", "ccip-local", "another seed"] {
        for i in 0..4 {
            assert_eq!(
                arm_voter_key(seed, i)?.address(),
                derive_key(seed, role::ARM_VOTER, i)?.address()
            );
        }
    }
    assert_ne!(
        arm_voter_key("s", 0)?.address(),
        arm_voter_key("s", 1)?.address()
    );
    Ok(())
}

#[tokio::test]
async fn a_node_survives_rpc_errors() -> eyre::Result<()> {
    // Port 9 (discard) on localhost: nothing answers JSON-RPC there.
    let spec = NetworkSpec::from_json(
        r#"{"chains":[{"name":"down","rpcUrl":"http://127.0.0.1:9","chainSelector":7,
        "contracts":{"arm":"0x0000000000000000000000000000000000000001",
        "priceRegistry":"0x0000000000000000000000000000000000000002"},"lanes":[]}]}"#,
    )?;
    let settings = NodeSettings {
        poll_interval: Duration::from_millis(20),
        ..Default::default()
    };
    let (stop, shutdown) = watch::channel(false);
    let rmn = RmnNetwork::start(&spec, "s", 1, &settings, shutdown)?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let m = rmn.nodes[0].metrics.snapshot();
    assert!(m.polls >= 3, "{m:?}");
    assert!(m.rpc_errors >= 3, "{m:?}");
    assert!(!rmn.nodes[0].join.is_finished());
    stop.send(true)?;
    tokio::time::timeout(Duration::from_secs(5), rmn.join()).await?;
    Ok(())
}
