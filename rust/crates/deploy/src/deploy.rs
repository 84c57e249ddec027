//! Deploys the suite on every chain and wires the full mesh of lanes.
//!
//! Every address is known before anything is sent: contract `k` of a chain lands at
//! `deployer.create(start_nonce + k)`. So the whole transaction list of a chain (deployments, then
//! configuration, which needs remote chains' addresses) is built up front, signed locally with
//! explicit nonces, gas limits and fees, and sent back to back without waiting for receipts; the
//! chains run in parallel. Receipts are checked at the end (status and deployed address).

use std::time::{Duration, Instant};

use alloy::{
    network::{EthereumWallet, TransactionBuilder},
    primitives::{Address, Bytes, TxHash, U256},
    providers::{Provider, ProviderBuilder, ext::AnvilApi},
    rpc::types::TransactionRequest,
    signers::local::PrivateKeySigner,
    sol_types::{SolCall, SolConstructor},
    transports::TransportError,
};
use ccip_bindings::{
    arm::ARM, burn_mint_test_token::BurnMintTestToken, burn_mint_token_pool as bm_pool,
    commit_store::CommitStore, faucet_token::FaucetToken, lock_release_token_pool as lr_pool,
    messenger::Messenger, off_ramp::OffRamp, on_ramp::OnRamp, price_registry as prices,
    router::Router, token_admin_registry::TokenAdminRegistry, wrapped_native::WrappedNative,
};
use futures::future::try_join_all;
use tracing::{debug, info};

use ccip_core::{
    Account, ChainDeployment, Contracts, KeyConfig, Keys, LaneContracts, NetworkFile, Roles,
    TokenDeployment, Tokens,
};

use crate::{
    chains::Chain,
    error::DeployError,
    profile::{LaneProfile, lane_profile},
};

/// Default seed of `ccip up`.
pub const DEFAULT_SEED: &str = "ccip-local";

const ETH: u128 = 1_000_000_000_000_000_000;
/// Native balance of the deployer on anvil chains.
const DEPLOYER_BALANCE: u128 = 1_000_000 * ETH;
/// Native balance of test accounts and off-chain operators.
const ACCOUNT_BALANCE: u128 = 1_000 * ETH;
/// LINK, BnM and LnM given to every test account.
const USER_TOKENS: u128 = 1_000 * ETH;
/// Receipts not there after this long are an error.
const RECEIPT_TIMEOUT: Duration = Duration::from_secs(120);

/// What to deploy with.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// Seed of every derived key.
    pub seed: String,
    /// Key counts and thresholds.
    pub keys: KeyConfig,
    /// Deployer key; `None` uses the one derived from the seed (funded with `anvil_setBalance`,
    /// so only on anvil chains).
    pub deployer: Option<PrivateKeySigner>,
}

impl Default for DeployOptions {
    fn default() -> Self {
        Self {
            seed: DEFAULT_SEED.to_owned(),
            keys: KeyConfig::default(),
            deployer: None,
        }
    }
}

/// Wall-clock phases of a deployment (the slowest chain's for send and confirm).
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Nonces, fees, balances, planning.
    pub prepare: Duration,
    /// Signing and sending every transaction.
    pub send: Duration,
    /// Waiting for and checking receipts.
    pub confirm: Duration,
    /// Everything.
    pub total: Duration,
}

/// A finished deployment.
#[derive(Debug, Clone)]
pub struct Deployment {
    /// What was deployed where.
    pub network: NetworkFile,
    /// Every key used.
    pub keys: Keys,
    /// How long it took.
    pub timings: Timings,
    /// Transactions sent, over all chains.
    pub transactions: usize,
}

/// One planned transaction.
#[derive(Debug, Clone)]
struct Tx {
    contract: String,
    step: String,
    to: Option<Address>,
    input: Bytes,
    value: U256,
    gas: u64,
    /// For deployments: where the contract must land.
    creates: Option<Address>,
}

/// The addresses of one chain's contracts, all predicted from the deployer's nonces.
#[derive(Debug, Clone)]
struct Layout {
    weth: Address,
    link: Address,
    arm: Address,
    price_registry: Address,
    registry: Address,
    router: Address,
    bnm: Address,
    bnm_pool: Address,
    lnm: Address,
    lnm_pool: Address,
    messenger: Address,
    /// (remote chain index, onRamp to it, commitStore from it, offRamp from it)
    lanes: Vec<(usize, Address, Address, Address)>,
}

const SHARED_CONTRACTS: u64 = 11;

impl Layout {
    fn new(deployer: Address, start_nonce: u64, index: usize, n: usize) -> Self {
        let at = |k: u64| deployer.create(start_nonce + k);
        let lanes = (0..n)
            .filter(|&j| j != index)
            .enumerate()
            .map(|(slot, j)| {
                let base = SHARED_CONTRACTS + 3 * slot as u64;
                (j, at(base), at(base + 1), at(base + 2))
            })
            .collect();
        Self {
            weth: at(0),
            link: at(1),
            arm: at(2),
            price_registry: at(3),
            registry: at(4),
            router: at(5),
            bnm: at(6),
            bnm_pool: at(7),
            lnm: at(8),
            lnm_pool: at(9),
            messenger: at(10),
            lanes,
        }
    }
}

fn deploy_tx(
    contract: &str,
    bytecode: &Bytes,
    runtime_len: usize,
    args: Vec<u8>,
    at: Address,
) -> Tx {
    let mut input = bytecode.to_vec();
    input.extend_from_slice(&args);
    // Intrinsic + calldata + code deposit, plus room for the constructor's storage writes. The
    // limit only caps; unused gas is not paid.
    let gas = 53_000 + 16 * input.len() as u64 + 200 * runtime_len as u64 + 1_500_000;
    Tx {
        contract: contract.to_owned(),
        step: "deploy".to_owned(),
        to: None,
        input: input.into(),
        value: U256::ZERO,
        gas,
        creates: Some(at),
    }
}

fn call_tx(
    contract: &str,
    step: impl Into<String>,
    to: Address,
    call: impl SolCall,
    gas: u64,
) -> Tx {
    Tx {
        contract: contract.to_owned(),
        step: step.into(),
        to: Some(to),
        input: call.abi_encode().into(),
        value: U256::ZERO,
        gas,
        creates: None,
    }
}

/// The transaction list of chain `index`, in nonce order, with `profile`'s lane parameters.
fn plan_chain(
    index: usize,
    chains: &[Chain],
    layouts: &[Layout],
    keys: &Keys,
    deployer: Address,
    profile: &LaneProfile,
) -> Result<Vec<Tx>, DeployError> {
    let chain = &chains[index];
    let me = &layouts[index];
    let remotes = me.lanes.len() as u64;
    let mut txs = Vec::new();
    let encode = |e: alloy::sol_types::Error| {
        DeployError::Setup(format!("{}: ABI conversion failed: {e}", chain.name))
    };

    // ---- deployments, in Layout order
    txs.push(deploy_tx(
        "WrappedNative",
        &WrappedNative::BYTECODE,
        WrappedNative::DEPLOYED_BYTECODE.len(),
        Vec::new(),
        me.weth,
    ));
    txs.push(deploy_tx(
        "LINK",
        &FaucetToken::BYTECODE,
        FaucetToken::DEPLOYED_BYTECODE.len(),
        FaucetToken::constructorCall {
            name_: "ChainLink Token".into(),
            symbol_: "LINK".into(),
            decimals_: 18,
            dripAmount: U256::from(10 * ETH),
        }
        .abi_encode(),
        me.link,
    ));
    let voters = keys
        .arm_voters
        .iter()
        .map(|v| ARM::Voter {
            blessVoteAddr: v.address(),
            curseVoteAddr: v.address(),
            blessWeight: 1,
            curseWeight: 1,
        })
        .collect();
    txs.push(deploy_tx(
        "ARM",
        &ARM::BYTECODE,
        ARM::DEPLOYED_BYTECODE.len(),
        ARM::constructorCall {
            owner: deployer,
            config: ARM::Config {
                voters,
                blessWeightThreshold: keys.config.arm_threshold,
                curseWeightThreshold: keys.config.arm_threshold,
            },
        }
        .abi_encode(),
        me.arm,
    ));
    txs.push(deploy_tx(
        "PriceRegistry",
        &prices::PriceRegistry::BYTECODE,
        prices::PriceRegistry::DEPLOYED_BYTECODE.len(),
        prices::PriceRegistry::constructorCall {
            // The CommitStores carry price updates from the commit network.
            priceUpdaters: me.lanes.iter().map(|l| l.2).collect(),
            feeTokens: LaneProfile::price_registry_fee_tokens(me.weth, me.link),
            stalenessThreshold: profile.price_staleness_threshold,
        }
        .abi_encode(),
        me.price_registry,
    ));
    txs.push(deploy_tx(
        "TokenAdminRegistry",
        &TokenAdminRegistry::BYTECODE,
        TokenAdminRegistry::DEPLOYED_BYTECODE.len(),
        Vec::new(),
        me.registry,
    ));
    txs.push(deploy_tx(
        "Router",
        &Router::BYTECODE,
        Router::DEPLOYED_BYTECODE.len(),
        Router::constructorCall {
            wrappedNative: me.weth,
            armProxy: me.arm,
        }
        .abi_encode(),
        me.router,
    ));
    txs.push(deploy_tx(
        "CCIP-BnM",
        &BurnMintTestToken::BYTECODE,
        BurnMintTestToken::DEPLOYED_BYTECODE.len(),
        BurnMintTestToken::constructorCall {
            name_: "CCIP-BnM".into(),
            symbol_: "CCIP-BnM".into(),
            decimals_: 18,
        }
        .abi_encode(),
        me.bnm,
    ));
    txs.push(deploy_tx(
        "BurnMintTokenPool",
        &bm_pool::BurnMintTokenPool::BYTECODE,
        bm_pool::BurnMintTokenPool::DEPLOYED_BYTECODE.len(),
        bm_pool::BurnMintTokenPool::constructorCall {
            token: me.bnm,
            localTokenDecimals: 18,
            allowlist: Vec::new(),
            arm: me.arm,
            router: me.router,
        }
        .abi_encode(),
        me.bnm_pool,
    ));
    txs.push(deploy_tx(
        "CCIP-LnM",
        &FaucetToken::BYTECODE,
        FaucetToken::DEPLOYED_BYTECODE.len(),
        FaucetToken::constructorCall {
            name_: "CCIP-LnM".into(),
            symbol_: "CCIP-LnM".into(),
            decimals_: 18,
            dripAmount: U256::from(ETH),
        }
        .abi_encode(),
        me.lnm,
    ));
    txs.push(deploy_tx(
        "LockReleaseTokenPool",
        &lr_pool::LockReleaseTokenPool::BYTECODE,
        lr_pool::LockReleaseTokenPool::DEPLOYED_BYTECODE.len(),
        lr_pool::LockReleaseTokenPool::constructorCall {
            token: me.lnm,
            localTokenDecimals: 18,
            allowlist: Vec::new(),
            arm: me.arm,
            router: me.router,
        }
        .abi_encode(),
        me.lnm_pool,
    ));
    txs.push(deploy_tx(
        "Messenger",
        &Messenger::BYTECODE,
        Messenger::DEPLOYED_BYTECODE.len(),
        Messenger::constructorCall { router: me.router }.abi_encode(),
        me.messenger,
    ));
    for &(j, on_ramp, commit_store, off_ramp) in &me.lanes {
        let remote = &chains[j];
        let them = &layouts[j];
        // The remote end of this chain's lanes: its onRamp towards us.
        let remote_on_ramp = them
            .lanes
            .iter()
            .find(|l| l.0 == index)
            .map(|l| l.1)
            .ok_or_else(|| {
                DeployError::Setup(format!("{}: no lane back to {}", remote.name, chain.name))
            })?;
        txs.push(deploy_tx(
            &format!("OnRamp({}->{})", chain.name, remote.name),
            &OnRamp::BYTECODE,
            OnRamp::DEPLOYED_BYTECODE.len(),
            OnRamp::constructorCall {
                staticConfig: OnRamp::StaticConfig {
                    sourceChainSelector: chain.selector,
                    destChainSelector: remote.selector,
                    router: me.router,
                    priceRegistry: me.price_registry,
                    arm: me.arm,
                    tokenAdminRegistry: me.registry,
                },
                dynamicConfig: profile.on_ramp_dynamic_config(),
                feeTokenConfigs: profile.fee_token_configs(me.weth, me.link),
            }
            .abi_encode(),
            on_ramp,
        ));
        txs.push(deploy_tx(
            &format!("CommitStore({}->{})", remote.name, chain.name),
            &CommitStore::BYTECODE,
            CommitStore::DEPLOYED_BYTECODE.len(),
            CommitStore::constructorCall {
                owner: deployer,
                staticConfig: CommitStore::StaticConfig {
                    chainSelector: chain.selector,
                    sourceChainSelector: remote.selector,
                    onRamp: remote_on_ramp,
                    arm: me.arm,
                },
                dynamicConfig: CommitStore::DynamicConfig {
                    priceRegistry: me.price_registry,
                },
            }
            .abi_encode(),
            commit_store,
        ));
        txs.push(deploy_tx(
            &format!("OffRamp({}->{})", remote.name, chain.name),
            &OffRamp::BYTECODE,
            OffRamp::DEPLOYED_BYTECODE.len(),
            OffRamp::constructorCall {
                staticConfig: OffRamp::StaticConfig {
                    commitStore: commit_store,
                    chainSelector: chain.selector,
                    sourceChainSelector: remote.selector,
                    onRamp: remote_on_ramp,
                    arm: me.arm,
                    tokenAdminRegistry: me.registry,
                },
                dynamicConfig: profile.off_ramp_dynamic_config(me.router, me.price_registry),
            }
            .abi_encode(),
            off_ramp,
        ));
    }

    // ---- configuration
    let call_gas = 1_000_000;
    let per_remote = 300_000 * remotes;
    txs.push(call_tx(
        "CCIP-BnM",
        "grantMintAndBurnRoles(pool)",
        me.bnm,
        BurnMintTestToken::grantMintAndBurnRolesCall { pool: me.bnm_pool },
        call_gas,
    ));
    // The deployer mints test accounts' BnM.
    txs.push(call_tx(
        "CCIP-BnM",
        "grantMintAndBurnRoles(deployer)",
        me.bnm,
        BurnMintTestToken::grantMintAndBurnRolesCall { pool: deployer },
        call_gas,
    ));
    for (symbol, token, pool) in [
        ("CCIP-BnM", me.bnm, me.bnm_pool),
        ("CCIP-LnM", me.lnm, me.lnm_pool),
    ] {
        let step = |s: &str| format!("{s}({symbol})");
        txs.push(call_tx(
            "TokenAdminRegistry",
            step("registerAdminViaOwner"),
            me.registry,
            TokenAdminRegistry::registerAdminViaOwnerCall { token },
            call_gas,
        ));
        txs.push(call_tx(
            "TokenAdminRegistry",
            step("acceptAdminRole"),
            me.registry,
            TokenAdminRegistry::acceptAdminRoleCall { token },
            call_gas,
        ));
        txs.push(call_tx(
            "TokenAdminRegistry",
            step("setPool"),
            me.registry,
            TokenAdminRegistry::setPoolCall { token, pool },
            call_gas,
        ));
    }
    let updates = |pool_of: fn(&Layout) -> Address, token_of: fn(&Layout) -> Address| {
        me.lanes
            .iter()
            .map(|&(j, ..)| bm_pool::TokenPool::ChainUpdate {
                remoteChainSelector: chains[j].selector,
                allowed: true,
                remotePoolAddress: pool_of(&layouts[j]),
                remoteTokenAddress: token_of(&layouts[j]),
                outboundRateLimiterConfig: profile.pool_rate_limiter(),
                inboundRateLimiterConfig: profile.pool_rate_limiter(),
            })
            .collect::<Vec<_>>()
    };
    txs.push(call_tx(
        "BurnMintTokenPool",
        "applyChainUpdates",
        me.bnm_pool,
        bm_pool::BurnMintTokenPool::applyChainUpdatesCall {
            chains: updates(|l| l.bnm_pool, |l| l.bnm),
        },
        call_gas + per_remote,
    ));
    let lnm_updates: Vec<lr_pool::TokenPool::ChainUpdate> = updates(|l| l.lnm_pool, |l| l.lnm)
        .iter()
        .map(ccip_bindings::abi_convert)
        .collect::<Result<_, _>>()
        .map_err(encode)?;
    txs.push(call_tx(
        "LockReleaseTokenPool",
        "applyChainUpdates",
        me.lnm_pool,
        lr_pool::LockReleaseTokenPool::applyChainUpdatesCall {
            chains: lnm_updates,
        },
        call_gas + per_remote,
    ));
    txs.push(call_tx(
        "LockReleaseTokenPool",
        "setRebalancer",
        me.lnm_pool,
        lr_pool::LockReleaseTokenPool::setRebalancerCall {
            rebalancer: deployer,
        },
        call_gas,
    ));
    txs.push(call_tx(
        "CCIP-LnM",
        "mint(liquidity)",
        me.lnm,
        FaucetToken::mintCall {
            to: deployer,
            amount: profile.pool_liquidity,
        },
        call_gas,
    ));
    txs.push(call_tx(
        "CCIP-LnM",
        "approve(pool)",
        me.lnm,
        FaucetToken::approveCall {
            spender: me.lnm_pool,
            amount: profile.pool_liquidity,
        },
        call_gas,
    ));
    txs.push(call_tx(
        "LockReleaseTokenPool",
        "provideLiquidity",
        me.lnm_pool,
        lr_pool::LockReleaseTokenPool::provideLiquidityCall {
            amount: profile.pool_liquidity,
        },
        call_gas,
    ));
    txs.push(call_tx(
        "Router",
        "applyRampUpdates",
        me.router,
        Router::applyRampUpdatesCall {
            onRampUpdates: me
                .lanes
                .iter()
                .map(|&(j, on_ramp, ..)| Router::OnRamp {
                    destChainSelector: chains[j].selector,
                    onRamp: on_ramp,
                })
                .collect(),
            offRampRemoves: Vec::new(),
            offRampAdds: me
                .lanes
                .iter()
                .map(|&(j, _, _, off_ramp)| Router::OffRamp {
                    sourceChainSelector: chains[j].selector,
                    offRamp: off_ramp,
                })
                .collect(),
        },
        call_gas + per_remote,
    ));
    let signers: Vec<Address> = keys.commit_signers.iter().map(|k| k.address()).collect();
    let commit_transmitters: Vec<Address> = keys
        .commit_transmitters
        .iter()
        .map(|k| k.address())
        .collect();
    let exec_transmitters: Vec<Address> =
        keys.exec_transmitters.iter().map(|k| k.address()).collect();
    for &(j, _, commit_store, off_ramp) in &me.lanes {
        let remote = &chains[j].name;
        txs.push(call_tx(
            &format!("CommitStore({remote}->{})", chain.name),
            "setConfig",
            commit_store,
            CommitStore::setConfigCall {
                signers: signers.clone(),
                transmitters: commit_transmitters.clone(),
                f: keys.config.f,
            },
            2_000_000,
        ));
        txs.push(call_tx(
            &format!("OffRamp({remote}->{})", chain.name),
            "applyTransmitterUpdates",
            off_ramp,
            OffRamp::applyTransmitterUpdatesCall {
                removes: Vec::new(),
                adds: exec_transmitters.clone(),
            },
            call_gas,
        ));
    }
    let dest_chains: Vec<u64> = me.lanes.iter().map(|&(j, ..)| chains[j].selector).collect();
    txs.push(call_tx(
        "PriceRegistry",
        "updatePrices",
        me.price_registry,
        prices::PriceRegistry::updatePricesCall {
            priceUpdates: profile.initial_prices(me.weth, me.link, &[me.bnm, me.lnm], &dest_chains),
        },
        call_gas + per_remote,
    ));
    // The contracts start with the aggregate limit off; set it only if the profile turns it on.
    let ramp_limit = profile.ramp_rate_limiter();
    if ramp_limit.isEnabled {
        let off_ramp_limit: ccip_bindings::off_ramp::RateLimiter::Config =
            ccip_bindings::abi_convert(&ramp_limit).map_err(encode)?;
        for &(j, on_ramp, _, off_ramp) in &me.lanes {
            let remote = &chains[j].name;
            txs.push(call_tx(
                &format!("OnRamp({}->{remote})", chain.name),
                "setRateLimiterConfig",
                on_ramp,
                OnRamp::setRateLimiterConfigCall {
                    config: ramp_limit.clone(),
                },
                call_gas,
            ));
            txs.push(call_tx(
                &format!("OffRamp({remote}->{})", chain.name),
                "setRateLimiterConfig",
                off_ramp,
                OffRamp::setRateLimiterConfigCall {
                    config: off_ramp_limit.clone(),
                },
                call_gas,
            ));
        }
    }

    // ---- test accounts
    for user in &keys.users {
        let to = user.address();
        txs.push(call_tx(
            "LINK",
            "mint(user)",
            me.link,
            FaucetToken::mintCall {
                to,
                amount: U256::from(USER_TOKENS),
            },
            call_gas,
        ));
        txs.push(call_tx(
            "CCIP-LnM",
            "mint(user)",
            me.lnm,
            FaucetToken::mintCall {
                to,
                amount: U256::from(USER_TOKENS),
            },
            call_gas,
        ));
        txs.push(call_tx(
            "CCIP-BnM",
            "mint(user)",
            me.bnm,
            BurnMintTestToken::mintCall {
                account: to,
                amount: U256::from(USER_TOKENS),
            },
            call_gas,
        ));
    }
    if !chain.is_anvil {
        // No anvil_setBalance: the deployer pays test accounts and operators.
        for to in keys
            .users
            .iter()
            .map(|u| u.address())
            .chain(keys.operators())
        {
            txs.push(Tx {
                contract: "native".to_owned(),
                step: format!("fund {to}"),
                to: Some(to),
                input: Bytes::new(),
                value: U256::from(ACCOUNT_BALANCE),
                gas: 21_000,
                creates: None,
            });
        }
    }
    Ok(txs)
}

struct ChainPlan {
    chain: Chain,
    start_nonce: u64,
    txs: Vec<Tx>,
}

/// Deploys the suite on every chain and wires every lane. The chains must be reachable and the
/// deployer funded (it is funded here on anvil chains).
pub async fn deploy(chains: &[Chain], options: &DeployOptions) -> Result<Deployment, DeployError> {
    let started = Instant::now();
    if chains.len() < 2 {
        return Err(DeployError::Setup(format!(
            "a mesh needs at least two chains, got {}",
            chains.len()
        )));
    }
    let keys = Keys::derive(&options.seed, options.keys)?;
    let profile = lane_profile()?;
    let deployer_key = options
        .deployer
        .clone()
        .unwrap_or_else(|| keys.deployer.clone());
    let deployer = deployer_key.address();

    // Balances first (anvil), then nonces: both per chain, in parallel.
    let start_nonces = try_join_all(
        chains
            .iter()
            .map(|chain| prepare_chain(chain, &keys, deployer)),
    )
    .await?;
    let layouts: Vec<Layout> = (0..chains.len())
        .map(|i| Layout::new(deployer, start_nonces[i], i, chains.len()))
        .collect();
    let mut plans = Vec::with_capacity(chains.len());
    for (i, chain) in chains.iter().enumerate() {
        plans.push(ChainPlan {
            chain: chain.clone(),
            start_nonce: start_nonces[i],
            txs: plan_chain(i, chains, &layouts, &keys, deployer, profile)?,
        });
    }
    let prepare = started.elapsed();
    let transactions = plans.iter().map(|p| p.txs.len()).sum();

    let phases = try_join_all(plans.iter().map(|plan| execute(plan, &deployer_key))).await?;
    let send = phases.iter().map(|p| p.0).max().unwrap_or_default();
    let confirm = phases.iter().map(|p| p.1).max().unwrap_or_default();

    let network = network_file(chains, &layouts, &keys, deployer);
    let timings = Timings {
        prepare,
        send,
        confirm,
        total: started.elapsed(),
    };
    info!(
        chains = chains.len(),
        transactions,
        elapsed_ms = timings.total.as_millis() as u64,
        "deployment complete"
    );
    Ok(Deployment {
        network,
        keys,
        timings,
        transactions,
    })
}

/// Funds the deployer and operators on anvil chains and returns the deployer's next nonce.
async fn prepare_chain(chain: &Chain, keys: &Keys, deployer: Address) -> Result<u64, DeployError> {
    let provider = ProviderBuilder::new().connect_http(chain.rpc_url.clone());
    let rpc = |step: &str| {
        let chain = chain.name.clone();
        let step = step.to_owned();
        move |source: TransportError| DeployError::Rpc {
            chain,
            step,
            source: Box::new(source),
        }
    };
    if chain.is_anvil {
        let fund = std::iter::once((deployer, DEPLOYER_BALANCE)).chain(
            keys.users
                .iter()
                .map(|u| u.address())
                .chain(keys.operators())
                .map(|a| (a, ACCOUNT_BALANCE)),
        );
        try_join_all(fund.map(|(address, amount)| {
            let provider = &provider;
            let err = rpc("anvil_setBalance");
            async move {
                provider
                    .anvil_set_balance(address, U256::from(amount))
                    .await
                    .map_err(err)
            }
        }))
        .await?;
    }
    let nonce = provider
        .get_transaction_count(deployer)
        .pending()
        .await
        .map_err(rpc("eth_getTransactionCount(deployer)"))?;
    info!(chain = %chain.name, chain_id = chain.chain_id, selector = chain.selector, nonce, "prepared");
    Ok(nonce)
}

/// Signs and sends a chain's transactions back to back, then checks every receipt. Returns the
/// time spent sending and confirming.
async fn execute(
    plan: &ChainPlan,
    signer: &PrivateKeySigner,
) -> Result<(Duration, Duration), DeployError> {
    let chain = &plan.chain;
    let deployer = signer.address();
    let provider = ProviderBuilder::new()
        .disable_recommended_fillers()
        .wallet(EthereumWallet::from(signer.clone()))
        .connect_http(chain.rpc_url.clone());
    let rpc = |step: &str| {
        let chain = chain.name.clone();
        let step = step.to_owned();
        move |source: TransportError| DeployError::Rpc {
            chain,
            step,
            source: Box::new(source),
        }
    };
    let gas_price = provider
        .get_gas_price()
        .await
        .map_err(rpc("eth_gasPrice"))?;
    // Room for the base fee to climb while the deployment fills blocks.
    let max_fee = gas_price.saturating_mul(3).saturating_add(1_000_000_000);
    let priority_fee = 1_000_000_000u128.min(max_fee);

    let sending = Instant::now();
    let mut hashes: Vec<TxHash> = Vec::with_capacity(plan.txs.len());
    for (k, tx) in plan.txs.iter().enumerate() {
        let nonce = plan.start_nonce + k as u64;
        let mut request = TransactionRequest::default()
            .with_from(deployer)
            .with_nonce(nonce)
            .with_chain_id(chain.chain_id)
            .with_gas_limit(tx.gas)
            .with_max_fee_per_gas(max_fee)
            .with_max_priority_fee_per_gas(priority_fee)
            .with_value(tx.value)
            .with_input(tx.input.clone());
        request = match tx.to {
            Some(to) => request.with_to(to),
            None => request.into_create(),
        };
        let pending =
            provider
                .send_transaction(request)
                .await
                .map_err(|source| DeployError::Send {
                    chain: chain.name.clone(),
                    contract: tx.contract.clone(),
                    step: tx.step.clone(),
                    nonce,
                    source: Box::new(source),
                })?;
        debug!(chain = %chain.name, contract = %tx.contract, step = %tx.step, nonce, "sent");
        hashes.push(*pending.tx_hash());
    }
    let send = sending.elapsed();
    info!(chain = %chain.name, transactions = hashes.len(), ms = send.as_millis() as u64, "sent");

    let confirming = Instant::now();
    let (Some(last_hash), Some(last_tx)) = (hashes.last().copied(), plan.txs.last()) else {
        return Ok((send, Duration::ZERO));
    };
    // Nonce order: once the last transaction is mined, all are.
    loop {
        let receipt = provider
            .get_transaction_receipt(last_hash)
            .await
            .map_err(rpc("eth_getTransactionReceipt"))?;
        if receipt.is_some() {
            break;
        }
        if confirming.elapsed() > RECEIPT_TIMEOUT {
            return Err(DeployError::Timeout {
                chain: chain.name.clone(),
                contract: last_tx.contract.clone(),
                step: last_tx.step.clone(),
                tx: last_hash,
                seconds: RECEIPT_TIMEOUT.as_secs(),
            });
        }
        // No anvil_mine here: racing anvil's interval miner with it has been seen to drop a
        // transaction. Automine answers at once; interval-mined chains take a few blocks.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let receipts = try_join_all(hashes.iter().map(|hash| {
        let provider = &provider;
        let err = rpc("eth_getTransactionReceipt");
        async move { provider.get_transaction_receipt(*hash).await.map_err(err) }
    }))
    .await?;
    for ((tx, hash), receipt) in plan.txs.iter().zip(&hashes).zip(receipts) {
        let Some(receipt) = receipt else {
            return Err(DeployError::Timeout {
                chain: chain.name.clone(),
                contract: tx.contract.clone(),
                step: tx.step.clone(),
                tx: *hash,
                seconds: confirming.elapsed().as_secs(),
            });
        };
        if !receipt.status() {
            return Err(DeployError::Reverted {
                chain: chain.name.clone(),
                contract: tx.contract.clone(),
                step: tx.step.clone(),
                tx: *hash,
                gas_used: receipt.gas_used,
                gas_limit: tx.gas,
            });
        }
        if let Some(expected) = tx.creates
            && receipt.contract_address != Some(expected)
        {
            return Err(DeployError::AddressMismatch {
                chain: chain.name.clone(),
                contract: tx.contract.clone(),
                expected,
                actual: receipt.contract_address.unwrap_or_default(),
            });
        }
    }
    let confirm = confirming.elapsed();
    info!(chain = %chain.name, ms = confirm.as_millis() as u64, "confirmed");
    Ok((send, confirm))
}

fn network_file(
    chains: &[Chain],
    layouts: &[Layout],
    keys: &Keys,
    deployer: Address,
) -> NetworkFile {
    let addresses = |v: &[PrivateKeySigner]| v.iter().map(PrivateKeySigner::address).collect();
    NetworkFile {
        seed: keys.seed.clone(),
        deployer,
        roles: Roles {
            commit_signers: addresses(&keys.commit_signers),
            commit_transmitters: addresses(&keys.commit_transmitters),
            f: keys.config.f,
            exec_transmitters: addresses(&keys.exec_transmitters),
            arm_voters: addresses(&keys.arm_voters),
            bless_weight_threshold: keys.config.arm_threshold,
            curse_weight_threshold: keys.config.arm_threshold,
        },
        chains: chains
            .iter()
            .zip(layouts)
            .map(|(chain, l)| ChainDeployment {
                name: chain.name.clone(),
                rpc_url: chain.rpc_url.to_string(),
                chain_id: chain.chain_id,
                chain_selector: chain.selector,
                contracts: Contracts {
                    router: l.router,
                    arm: l.arm,
                    price_registry: l.price_registry,
                    token_admin_registry: l.registry,
                    wrapped_native: l.weth,
                    link_token: l.link,
                    messenger: l.messenger,
                },
                tokens: Tokens {
                    bnm: TokenDeployment {
                        symbol: "CCIP-BnM".into(),
                        token: l.bnm,
                        pool: l.bnm_pool,
                        pool_kind: "burnMint".into(),
                        decimals: 18,
                    },
                    lnm: TokenDeployment {
                        symbol: "CCIP-LnM".into(),
                        token: l.lnm,
                        pool: l.lnm_pool,
                        pool_kind: "lockRelease".into(),
                        decimals: 18,
                    },
                },
                lanes: l
                    .lanes
                    .iter()
                    .map(|&(j, on_ramp, commit_store, off_ramp)| LaneContracts {
                        remote_chain: chains[j].name.clone(),
                        remote_chain_selector: chains[j].selector,
                        on_ramp,
                        commit_store,
                        off_ramp,
                    })
                    .collect(),
                accounts: keys
                    .users
                    .iter()
                    .map(|u| Account {
                        address: u.address(),
                        private_key: format!("0x{}", alloy::hex::encode(u.to_bytes())),
                    })
                    .collect(),
            })
            .collect(),
    }
}

// In its own file: this one is long already.
#[cfg(test)]
#[path = "deploy_tests.rs"]
mod tests;
