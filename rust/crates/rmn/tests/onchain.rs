//! The risk network against two real anvil chains with the full deployment: the test plays the
//! committing network (builds commit reports with `ccip_protocol` and signs them with the commit
//! signer keys derived from the seed) and watches what three RMN nodes do on the ARMs.

use std::{
    future::Future,
    time::{Duration, Instant},
};

use alloy::{
    network::EthereumWallet,
    primitives::{Address, B256, Bytes, U256, keccak256},
    providers::{DynProvider, Provider, ProviderBuilder, ext::AnvilApi},
    rpc::types::anvil::ReorgOptions,
    signers::{SignerSync, local::PrivateKeySigner},
    sol_types::SolValue,
};
use ccip_bindings::{
    arm::{ARM, IARM::TaggedRoot},
    burn_mint_token_pool::{BurnMintTokenPool, IPool as PoolTypes},
    commit_store::CommitStore,
    i_erc20::IERC20,
    on_ramp::OnRamp,
    router::{Client, Router},
};
use ccip_deploy::{DeployOptions, KeyConfig, Keys, LocalNetwork, NetworkFile, up};
use ccip_protocol::{CommitReport, Interval, MerkleTree, commit_report_digest};
use ccip_rmn::{NetworkSpec, NodeSettings, ONE_USD, RmnNetwork, chain_subject};
use tokio::sync::watch;

const TIMEOUT: Duration = Duration::from_secs(20);

struct Env {
    local: LocalNetwork,
    keys: Keys,
    rmn: RmnNetwork,
    stop: watch::Sender<bool>,
}

impl Env {
    async fn start(seed: &str, settings: NodeSettings) -> eyre::Result<Self> {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| "ccip_rmn=info".into()),
            )
            .with_test_writer()
            .try_init();
        let options = DeployOptions {
            seed: seed.into(),
            ..Default::default()
        };
        let local = up(2, None, 0, &options).await?;
        // The nodes read the network file through their own structs: go through its JSON.
        let json = serde_json::to_string(&local.deployment.network)?;
        let spec = NetworkSpec::from_json(&json)?;
        let (stop, shutdown) = watch::channel(false);
        let rmn = RmnNetwork::start(&spec, seed, 3, &settings, shutdown)?;
        let keys = Keys::derive(seed, KeyConfig::default())?;
        // The nodes are the ARM voters the deployment configured.
        let voters: Vec<Address> = rmn.nodes.iter().map(|n| n.address).collect();
        assert_eq!(voters, local.deployment.network.roles.arm_voters);
        Ok(Self {
            local,
            keys,
            rmn,
            stop,
        })
    }

    fn network(&self) -> &NetworkFile {
        &self.local.deployment.network
    }

    fn provider(
        &self,
        chain: usize,
        signer: Option<&PrivateKeySigner>,
    ) -> eyre::Result<DynProvider> {
        let url = self.network().chains[chain].rpc_url.parse()?;
        Ok(match signer {
            Some(s) => ProviderBuilder::new()
                .wallet(EthereumWallet::from(s.clone()))
                .connect_http(url)
                .erased(),
            None => ProviderBuilder::new().connect_http(url).erased(),
        })
    }

    fn arm(&self, chain: usize) -> eyre::Result<ARM::ARMInstance<DynProvider>> {
        Ok(ARM::new(
            self.network().chains[chain].contracts.arm,
            self.provider(chain, None)?,
        ))
    }

    /// The CommitStore on `dest` for messages from `source`.
    fn commit_store(&self, source: usize, dest: usize) -> Address {
        let sel = self.network().chains[source].chain_selector;
        self.network().chains[dest]
            .lanes
            .iter()
            .find(|l| l.remote_chain_selector == sel)
            .map(|l| l.commit_store)
            .unwrap_or_default()
    }

    fn subject(&self, chain: usize) -> alloy::primitives::FixedBytes<16> {
        chain_subject(self.network().chains[chain].chain_selector)
    }

    /// Sends a message from `source` to `dest` as test user 0, with `bnm` CCIP-BnM (smallest
    /// units) if non-zero. Returns the sequence number and message id.
    async fn send(&self, source: usize, dest: usize, bnm: U256) -> eyre::Result<(u64, B256)> {
        let chain = &self.network().chains[source];
        let user: PrivateKeySigner = chain.accounts[0].private_key.parse()?;
        let provider = self.provider(source, Some(&user))?;
        let router = Router::new(chain.contracts.router, &provider);
        let message = Client::EVM2AnyMessage {
            receiver: user.address().abi_encode().into(),
            data: Bytes::from_static(b"hello rmn"),
            tokenAmounts: if bnm.is_zero() {
                Vec::new()
            } else {
                vec![Client::EVMTokenAmount {
                    token: chain.tokens.bnm.token,
                    amount: bnm,
                }]
            },
            feeToken: chain.contracts.link_token,
            extraArgs: Bytes::new(),
        };
        let selector = self.network().chains[dest].chain_selector;
        let fee = router.getFee(selector, message.clone()).call().await?;
        let link = IERC20::new(chain.contracts.link_token, &provider);
        assert!(
            link.approve(chain.contracts.router, fee)
                .send()
                .await?
                .get_receipt()
                .await?
                .status()
        );
        if !bnm.is_zero() {
            let token = IERC20::new(chain.tokens.bnm.token, &provider);
            assert!(
                token
                    .approve(chain.contracts.router, bnm)
                    .send()
                    .await?
                    .get_receipt()
                    .await?
                    .status()
            );
        }
        let receipt = router
            .ccipSend(selector, message)
            .send()
            .await?
            .get_receipt()
            .await?;
        assert!(receipt.status(), "ccipSend reverted");
        let event = receipt
            .inner
            .logs()
            .iter()
            .find_map(|l| l.log_decode::<OnRamp::CCIPSendRequested>().ok())
            .ok_or_else(|| eyre::eyre!("no CCIPSendRequested"))?;
        let m = &event.inner.data.message;
        Ok((m.sequenceNumber, m.messageId))
    }

    /// Commits `root` for `min..=max` on the lane `source -> dest`, signed by f+1 commit signers
    /// and sent by a commit transmitter: exactly what the committing network would do.
    async fn commit(
        &self,
        source: usize,
        dest: usize,
        min: u64,
        max: u64,
        root: B256,
    ) -> eyre::Result<()> {
        let transmitter = &self.keys.commit_transmitters[0];
        let provider = self.provider(dest, Some(transmitter))?;
        let store = CommitStore::new(self.commit_store(source, dest), &provider);
        let config_digest = store.latestConfigDetails().call().await?.configDigest;
        let report = CommitReport {
            priceUpdates: Default::default(),
            interval: Interval { min, max },
            merkleRoot: root,
        }
        .encode();
        let epoch_and_round = 1u64;
        let digest = commit_report_digest(config_digest, epoch_and_round, &report)?;
        let (mut rs, mut ss, mut vs) = (Vec::new(), Vec::new(), [0u8; 32]);
        let f = usize::from(self.keys.config.f);
        for (i, signer) in self.keys.commit_signers.iter().take(f + 1).enumerate() {
            let sig = signer.sign_hash_sync(&digest)?;
            rs.push(B256::from(sig.r()));
            ss.push(B256::from(sig.s()));
            vs[i] = u8::from(sig.v());
        }
        let receipt = store
            .commit(
                [config_digest, B256::from(U256::from(epoch_and_round))],
                report.into(),
                rs,
                ss,
                B256::from(vs),
            )
            .send()
            .await?
            .get_receipt()
            .await?;
        assert!(receipt.status(), "commit reverted");
        Ok(())
    }

    /// Waits until every node has completed `n` more polls.
    async fn polls(&self, n: u64) -> eyre::Result<()> {
        let start: Vec<u64> = self
            .rmn
            .nodes
            .iter()
            .map(|n| n.metrics.snapshot().polls)
            .collect();
        wait_until("nodes polled", || async {
            Ok(self
                .rmn
                .nodes
                .iter()
                .zip(&start)
                .all(|(node, s)| node.metrics.snapshot().polls >= s + n))
        })
        .await
    }

    async fn stop(self) {
        let _ = self.stop.send(true);
        self.rmn.join().await;
        self.local.chains.shutdown();
    }
}

async fn wait_until<F, Fut>(what: &str, mut check: F) -> eyre::Result<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = eyre::Result<bool>>,
{
    let start = Instant::now();
    while start.elapsed() < TIMEOUT {
        if check().await? {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eyre::bail!("timed out waiting: {what}")
}

fn fast() -> NodeSettings {
    NodeSettings {
        poll_interval: Duration::from_millis(200),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_root_is_blessed_and_nothing_is_cursed() -> eyre::Result<()> {
    let env = Env::start("rmn-bless", fast()).await?;
    // Two messages in one root, one of them carrying tokens.
    let (s1, id1) = env.send(0, 1, U256::ZERO).await?;
    let (s2, id2) = env.send(0, 1, U256::from(3) * ONE_USD).await?;
    assert_eq!((s1, s2), (1, 2));
    let root = MerkleTree::new(vec![id1, id2])?.root();
    env.commit(0, 1, 1, 2, root).await?;

    let arm = env.arm(1)?;
    let tagged = TaggedRoot {
        commitStore: env.commit_store(0, 1),
        root,
    };
    wait_until("root blessed", || async {
        Ok(arm.isBlessed(tagged.clone()).call().await?)
    })
    .await?;
    env.polls(3).await?;

    for chain in 0..2 {
        assert!(env.arm(chain)?.getCursedSubjects().call().await?.is_empty());
    }
    let progress = arm.getBlessVoteProgress(tagged).call().await?;
    assert!(progress.blessed && progress.accumulatedWeight >= 2);
    let mut bless_votes = 0;
    for (node, m) in env.rmn.metrics() {
        assert_eq!(m.roots_mismatched, 0, "node {node}");
        assert_eq!(m.curse_votes, 0, "node {node}");
        assert_eq!(m.roots_matched, 1, "node {node}");
        assert!(m.messages_indexed >= 2, "node {node}");
        bless_votes += m.bless_votes;
    }
    // Threshold 2 of 3: two or three votes, never a repeat.
    assert!((2..=3).contains(&bless_votes), "{bless_votes}");
    assert!(
        env.rmn
            .render_prometheus()
            .contains("ccip_rmn_bless_votes_total{node=\"0\"}")
    );
    env.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_root_curses_the_lane_and_is_never_blessed() -> eyre::Result<()> {
    let env = Env::start("rmn-forged", fast()).await?;
    let (seq, real_id) = env.send(0, 1, U256::ZERO).await?;
    let forged = keccak256(b"a root the source never produced");
    assert_ne!(forged, real_id);
    env.commit(0, 1, seq, seq, forged).await?;

    let arm = env.arm(1)?;
    let subject = env.subject(0);
    wait_until("lane cursed", || async {
        Ok(arm.isCursed_0(subject).call().await?)
    })
    .await?;
    env.polls(2).await?;
    let tagged = TaggedRoot {
        commitStore: env.commit_store(0, 1),
        root: forged,
    };
    assert!(!arm.isBlessed(tagged.clone()).call().await?);
    assert_eq!(
        arm.getBlessVoteProgress(tagged).call().await?.votersBitmap,
        0
    );
    // The lane is stopped on the destination; the reverse lane's destination is untouched.
    let store = CommitStore::new(env.commit_store(0, 1), env.provider(1, None)?);
    assert!(!store.isUnpausedAndNotCursed().call().await?);
    assert!(!env.arm(0)?.isCursed_0(env.subject(1)).call().await?);
    for (node, m) in env.rmn.metrics() {
        assert_eq!(m.bless_votes, 0, "node {node}");
        assert_eq!(m.roots_mismatched, 1, "node {node}");
    }

    // A root over messages chain B never sent (its OnRamp has issued none): cursed on A at once,
    // without waiting for messages that will never come.
    let phantom = keccak256(b"phantom messages");
    env.commit(1, 0, 1, 3, phantom).await?;
    let arm_a = env.arm(0)?;
    let subject_b = env.subject(1);
    wait_until("reverse lane cursed", || async {
        Ok(arm_a.isCursed_0(subject_b).call().await?)
    })
    .await?;
    let tagged = TaggedRoot {
        commitStore: env.commit_store(1, 0),
        root: phantom,
    };
    assert!(!arm_a.isBlessed(tagged).call().await?);
    env.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outbound_volume_above_the_limit_curses_the_lane() -> eyre::Result<()> {
    let settings = NodeSettings {
        volume_limit_usd: Some(U256::from(5) * ONE_USD),
        volume_window: Duration::from_secs(3600),
        ..fast()
    };
    let env = Env::start("rmn-volume", settings).await?;
    let arm = env.arm(1)?;
    let subject = env.subject(0);
    // $3 of CCIP-BnM (priced at $1 by the deployment): under the limit.
    env.send(0, 1, U256::from(3) * ONE_USD).await?;
    env.polls(3).await?;
    assert!(!arm.isCursed_0(subject).call().await?);
    // Another $3 within the window: $6 > $5.
    env.send(0, 1, U256::from(3) * ONE_USD).await?;
    wait_until("lane cursed", || async {
        Ok(arm.isCursed_0(subject).call().await?)
    })
    .await?;
    for (node, m) in env.rmn.metrics() {
        assert_eq!(m.volume_violations, 1, "node {node}");
    }
    env.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reorg_past_finality_curses_every_lane_from_the_source() -> eyre::Result<()> {
    let settings = NodeSettings {
        confirmations: 2,
        ..fast()
    };
    let env = Env::start("rmn-reorg", settings).await?;
    let source = env.provider(0, None)?;
    let arm = env.arm(1)?;
    let subject = env.subject(0);
    env.polls(2).await?;

    // Within the finality depth: tolerated.
    source
        .anvil_reorg(ReorgOptions {
            depth: 2,
            tx_block_pairs: Vec::new(),
        })
        .await?;
    env.polls(3).await?;
    assert!(!arm.isCursed_0(subject).call().await?);
    for (node, m) in env.rmn.metrics() {
        assert_eq!(m.deep_reorgs, 0, "node {node}");
    }

    // Deeper than the finality depth: cursed.
    source
        .anvil_reorg(ReorgOptions {
            depth: 5,
            tx_block_pairs: Vec::new(),
        })
        .await?;
    wait_until("lane cursed", || async {
        Ok(arm.isCursed_0(subject).call().await?)
    })
    .await?;
    for (node, m) in env.rmn.metrics() {
        assert_eq!(m.deep_reorgs, 1, "node {node}");
    }
    // Chain B did not reorganise: nothing from it is cursed on A.
    assert!(!env.arm(0)?.isCursed_0(env.subject(1)).call().await?);
    env.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn minting_more_than_was_burned_curses_the_lane() -> eyre::Result<()> {
    let env = Env::start("rmn-supply", fast()).await?;
    let amount = U256::from(2) * ONE_USD;
    env.send(0, 1, amount).await?;

    // The owner of chain B registers itself as an OffRamp for A on B's Router, then mints on B's
    // CCIP-BnM pool as if delivering: first exactly what A burned (fine), then one unit more.
    let deployer = &env.keys.deployer;
    let b = &env.network().chains[1];
    let a = &env.network().chains[0];
    let provider = env.provider(1, Some(deployer))?;
    let router = Router::new(b.contracts.router, &provider);
    let receipt = router
        .applyRampUpdates(
            Vec::new(),
            Vec::new(),
            vec![Router::OffRamp {
                sourceChainSelector: a.chain_selector,
                offRamp: deployer.address(),
            }],
        )
        .send()
        .await?
        .get_receipt()
        .await?;
    assert!(receipt.status());
    let pool = BurnMintTokenPool::new(b.tokens.bnm.pool, &provider);
    let mint = |amount: U256| PoolTypes::ReleaseOrMintIn {
        originalSender: deployer.address().abi_encode().into(),
        remoteChainSelector: a.chain_selector,
        receiver: deployer.address(),
        amount,
        localToken: b.tokens.bnm.token,
        sourcePoolAddress: a.tokens.bnm.pool,
        sourcePoolData: Bytes::new(),
        offchainTokenData: Bytes::new(),
        messageId: B256::ZERO,
    };
    let arm = env.arm(1)?;
    let subject = env.subject(0);
    assert!(
        pool.releaseOrMint(mint(amount))
            .send()
            .await?
            .get_receipt()
            .await?
            .status()
    );
    env.polls(3).await?;
    assert!(!arm.isCursed_0(subject).call().await?);

    assert!(
        pool.releaseOrMint(mint(U256::from(1)))
            .send()
            .await?
            .get_receipt()
            .await?
            .status()
    );
    wait_until("lane cursed", || async {
        Ok(arm.isCursed_0(subject).call().await?)
    })
    .await?;
    for (node, m) in env.rmn.metrics() {
        assert_eq!(m.supply_violations, 1, "node {node}");
    }
    env.stop().await;
    Ok(())
}
