//! The transaction list of each chain, built before anything is sent: every address is known
//! up front, since contract `k` of a chain lands at `deployer.create(start_nonce + k)`
//! ([`Layout`]); deployments come first in that order, then the configuration (which needs the
//! remote chains' layouts), with the lane parameters of the profile.

use alloy::{
    primitives::{Address, Bytes, U256},
    sol_types::{SolCall, SolConstructor},
};
use ccip_bindings::{
    arm::ARM, burn_mint_test_token::BurnMintTestToken, burn_mint_token_pool as bm_pool,
    commit_store::CommitStore, faucet_token::FaucetToken, lock_release_token_pool as lr_pool,
    messenger::Messenger, off_ramp::OffRamp, on_ramp::OnRamp, price_registry as prices,
    router::Router, token_admin_registry::TokenAdminRegistry, wrapped_native::WrappedNative,
};

use ccip_core::Keys;

use crate::{chains::Chain, error::DeployError, profile::LaneProfile};

/// One ether, in wei.
pub(crate) const ETH: u128 = 1_000_000_000_000_000_000;
/// Native balance of test accounts and off-chain operators.
pub(crate) const ACCOUNT_BALANCE: u128 = 1_000 * ETH;
/// LINK, BnM and LnM given to every test account.
const USER_TOKENS: u128 = 1_000 * ETH;

/// One planned transaction.
#[derive(Debug, Clone)]
pub(crate) struct Tx {
    pub(crate) contract: String,
    pub(crate) step: String,
    pub(crate) to: Option<Address>,
    pub(crate) input: Bytes,
    pub(crate) value: U256,
    pub(crate) gas: u64,
    /// For deployments: where the contract must land.
    pub(crate) creates: Option<Address>,
}

/// The addresses of one chain's contracts, all predicted from the deployer's nonces.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub(crate) weth: Address,
    pub(crate) link: Address,
    pub(crate) arm: Address,
    pub(crate) price_registry: Address,
    pub(crate) registry: Address,
    pub(crate) router: Address,
    pub(crate) bnm: Address,
    pub(crate) bnm_pool: Address,
    pub(crate) lnm: Address,
    pub(crate) lnm_pool: Address,
    pub(crate) messenger: Address,
    /// (remote chain index, onRamp to it, commitStore from it, offRamp from it)
    pub(crate) lanes: Vec<(usize, Address, Address, Address)>,
}

const SHARED_CONTRACTS: u64 = 11;

impl Layout {
    pub(crate) fn new(deployer: Address, start_nonce: u64, index: usize, n: usize) -> Self {
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

pub(crate) fn deploy_tx(
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

pub(crate) fn call_tx(
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
pub(crate) fn plan_chain(
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

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
