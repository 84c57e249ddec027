//! Brings up three anvil chains, deploys the mesh and checks on-chain that all six lanes are wired
//! as the network file says; then checks that a second deployment from the same seed gives the
//! same addresses.

use alloy::{
    primitives::Address,
    providers::{Provider, ProviderBuilder},
};
use ccip_bindings::{
    arm::ARM, burn_mint_token_pool::BurnMintTokenPool, commit_store::CommitStore,
    lock_release_token_pool::LockReleaseTokenPool, off_ramp::OffRamp, on_ramp::OnRamp,
    price_registry::PriceRegistry, router::Router, token_admin_registry::TokenAdminRegistry,
};
use ccip_deploy::{DeployOptions, NetworkFile, up};

/// The network file minus what differs between runs (RPC URLs: ports are OS-chosen).
fn without_urls(network: &NetworkFile) -> NetworkFile {
    let mut network = network.clone();
    for chain in &mut network.chains {
        chain.rpc_url.clear();
    }
    network
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_chain_mesh_is_wired_as_the_network_file_says() -> eyre::Result<()> {
    let options = DeployOptions {
        seed: "mesh-test".into(),
        ..Default::default()
    };
    let local = up(3, None, 0, &options).await?;
    let network = &local.deployment.network;
    assert_eq!(network.chains.len(), 3);
    let lanes = network.lanes();
    assert_eq!(lanes.len(), 6);

    // The file round-trips.
    let dir = std::env::temp_dir().join(format!("ccip-mesh-{}", std::process::id()));
    let path = dir.join("network.json");
    network.write(&path)?;
    assert_eq!(&NetworkFile::read(&path)?, network);
    std::fs::remove_dir_all(&dir)?;

    for chain in &network.chains {
        let provider = ProviderBuilder::new().connect_http(chain.rpc_url.parse()?);
        assert_eq!(provider.get_chain_id().await?, chain.chain_id);
        let c = &chain.contracts;

        // ARM voters and thresholds.
        let arm = ARM::new(c.arm, &provider);
        let details = arm.getConfigDetails().call().await?;
        let voters: Vec<Address> = details
            .config
            .voters
            .iter()
            .map(|v| v.blessVoteAddr)
            .collect();
        assert_eq!(
            voters, network.roles.arm_voters,
            "{}: ARM voters",
            chain.name
        );
        assert_eq!(
            details.config.blessWeightThreshold,
            network.roles.bless_weight_threshold
        );
        assert_eq!(
            details.config.curseWeightThreshold,
            network.roles.curse_weight_threshold
        );

        // Registry: both tokens point at their pools.
        let registry = TokenAdminRegistry::new(c.token_admin_registry, &provider);
        for token in [&chain.tokens.bnm, &chain.tokens.lnm] {
            assert_eq!(
                registry.getPool(token.token).call().await?,
                token.pool,
                "{}: pool of {}",
                chain.name,
                token.symbol
            );
        }

        // Pools: every remote chain, with its pool and token.
        let bnm_pool = BurnMintTokenPool::new(chain.tokens.bnm.pool, &provider);
        let lnm_pool = LockReleaseTokenPool::new(chain.tokens.lnm.pool, &provider);
        for lane in &chain.lanes {
            let remote = network
                .chain_by_selector(lane.remote_chain_selector)
                .ok_or_else(|| eyre::eyre!("unknown remote {}", lane.remote_chain))?;
            let sel = lane.remote_chain_selector;
            assert!(bnm_pool.isSupportedChain(sel).call().await?);
            assert!(lnm_pool.isSupportedChain(sel).call().await?);
            assert_eq!(
                bnm_pool.getRemotePool(sel).call().await?,
                remote.tokens.bnm.pool
            );
            assert_eq!(
                bnm_pool.getRemoteToken(sel).call().await?,
                remote.tokens.bnm.token
            );
            assert_eq!(
                lnm_pool.getRemotePool(sel).call().await?,
                remote.tokens.lnm.pool
            );
            assert_eq!(
                lnm_pool.getRemoteToken(sel).call().await?,
                remote.tokens.lnm.token
            );
        }
        assert!(
            !bnm_pool
                .isSupportedChain(chain.chain_selector)
                .call()
                .await?
        );

        // Prices: fee tokens and a gas price for every remote chain.
        let prices = PriceRegistry::new(c.price_registry, &provider);
        let fee_tokens = prices.getFeeTokens().call().await?;
        assert!(fee_tokens.contains(&c.link_token) && fee_tokens.contains(&c.wrapped_native));
        for lane in &chain.lanes {
            let gas = prices
                .getDestinationChainGasPrice(lane.remote_chain_selector)
                .call()
                .await?;
            assert!(gas.value > alloy::primitives::aliases::U224::ZERO);
        }
        let updaters = prices.getPriceUpdaters().call().await?;
        for lane in &chain.lanes {
            assert!(updaters.contains(&lane.commit_store));
        }
    }

    for lane in &lanes {
        let (src, dst) = (lane.source, lane.dest);
        let name = format!("{} -> {}", src.name, dst.name);
        let src_provider = ProviderBuilder::new().connect_http(src.rpc_url.parse()?);
        let dst_provider = ProviderBuilder::new().connect_http(dst.rpc_url.parse()?);

        // Routers.
        let src_router = Router::new(src.contracts.router, &src_provider);
        assert_eq!(
            src_router.getOnRamp(dst.chain_selector).call().await?,
            lane.on_ramp,
            "{name}: source router onRamp"
        );
        let dst_router = Router::new(dst.contracts.router, &dst_provider);
        assert!(
            dst_router
                .isOffRamp(src.chain_selector, lane.off_ramp)
                .call()
                .await?,
            "{name}: destination router offRamp"
        );

        // OnRamp.
        let on_ramp = OnRamp::new(lane.on_ramp, &src_provider)
            .getStaticConfig()
            .call()
            .await?;
        assert_eq!(on_ramp.sourceChainSelector, src.chain_selector, "{name}");
        assert_eq!(on_ramp.destChainSelector, dst.chain_selector, "{name}");
        assert_eq!(on_ramp.router, src.contracts.router, "{name}");
        assert_eq!(on_ramp.arm, src.contracts.arm, "{name}");
        assert_eq!(
            on_ramp.priceRegistry, src.contracts.price_registry,
            "{name}"
        );
        assert_eq!(
            on_ramp.tokenAdminRegistry, src.contracts.token_admin_registry,
            "{name}"
        );

        // CommitStore.
        let commit_store = CommitStore::new(lane.commit_store, &dst_provider);
        let cs = commit_store.getStaticConfig().call().await?;
        assert_eq!(cs.sourceChainSelector, src.chain_selector, "{name}");
        assert_eq!(cs.chainSelector, dst.chain_selector, "{name}");
        assert_eq!(cs.onRamp, lane.on_ramp, "{name}");
        assert_eq!(cs.arm, dst.contracts.arm, "{name}");
        assert_eq!(
            commit_store.getSigners().call().await?,
            network.roles.commit_signers
        );
        assert_eq!(
            commit_store.getTransmitters().call().await?,
            network.roles.commit_transmitters
        );
        assert_eq!(commit_store.getF().call().await?, network.roles.f);

        // OffRamp.
        let off_ramp = OffRamp::new(lane.off_ramp, &dst_provider);
        let or = off_ramp.getStaticConfig().call().await?;
        assert_eq!(or.commitStore, lane.commit_store, "{name}");
        assert_eq!(or.onRamp, lane.on_ramp, "{name}");
        assert_eq!(or.sourceChainSelector, src.chain_selector, "{name}");
        assert_eq!(or.chainSelector, dst.chain_selector, "{name}");
        let dynamic = off_ramp.getDynamicConfig().call().await?;
        assert_eq!(dynamic.router, dst.contracts.router, "{name}");
        assert_eq!(
            dynamic.priceRegistry, dst.contracts.price_registry,
            "{name}"
        );
        assert_eq!(
            off_ramp.getTransmitters().call().await?,
            network.roles.exec_transmitters
        );

        // A fee quote works end to end (router -> onRamp -> prices).
        let message = ccip_bindings::router::Client::EVM2AnyMessage {
            receiver: alloy::sol_types::SolValue::abi_encode(&dst.contracts.messenger).into(),
            data: b"hello".to_vec().into(),
            tokenAmounts: Vec::new(),
            feeToken: src.contracts.link_token,
            extraArgs: Default::default(),
        };
        let fee = src_router
            .getFee(dst.chain_selector, message)
            .call()
            .await?;
        assert!(!fee.is_zero(), "{name}: fee");
    }

    // Same seed, fresh chains: same addresses.
    let again = up(3, None, 0, &options).await?;
    assert_eq!(
        without_urls(&again.deployment.network),
        without_urls(network)
    );
    again.chains.shutdown();
    local.chains.shutdown();
    Ok(())
}
