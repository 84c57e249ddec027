//! The planned transactions carry `LaneProfile.sol`'s values: compared with the encodings the
//! Solidity side wrote into `test/vectors/lane_profile.json`, not with this crate's own conversions.

use alloy::sol_types::{SolCall, SolValue};

use ccip_core::KeyConfig;

use super::*;
use crate::{FIRST_CHAIN_ID, chain_name, chain_selector, profile::lane_profile_file};

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Chain 0's plan in a two-chain mesh with `profile`. Planning needs addresses only: no chain is
/// contacted.
fn plan(profile: &LaneProfile) -> (Vec<Chain>, Vec<Layout>, Vec<Tx>) {
    let chains: Vec<Chain> = (0..2u64)
        .map(|i| Chain {
            name: chain_name(i as usize),
            rpc_url: "http://127.0.0.1:1".parse().expect("url"),
            chain_id: FIRST_CHAIN_ID + i,
            selector: chain_selector(FIRST_CHAIN_ID + i),
            is_anvil: true,
        })
        .collect();
    let keys = Keys::derive("plan-test", KeyConfig::default()).expect("keys");
    let deployer = keys.deployer.address();
    let layouts: Vec<Layout> = (0..2).map(|i| Layout::new(deployer, 0, i, 2)).collect();
    let txs = plan_chain(0, &chains, &layouts, &keys, deployer, profile).expect("plan");
    (chains, layouts, txs)
}

#[test]
fn planned_transactions_carry_the_lane_profile() {
    let file = lane_profile_file().expect("the embedded lane profile parses");
    let encoded = &file.abi_encoded;
    let (chains, layouts, txs) = plan(&file.profile);
    let me = &layouts[0];
    let (_, on_ramp, _, off_ramp) = me.lanes[0];
    let deployment = |at: Address| {
        txs.iter()
            .find(|t| t.creates == Some(at))
            .expect("deployment planned")
    };

    // Static structs are encoded in place among the constructor arguments.
    assert!(
        contains(&deployment(on_ramp).input, &encoded.on_ramp_dynamic_config),
        "OnRamp dynamic config"
    );
    // The OffRamp's sits between this chain's router and price registry (words 1 to 5 of 7).
    assert!(
        contains(
            &deployment(off_ramp).input,
            &encoded.off_ramp_dynamic_config[32..6 * 32]
        ),
        "OffRamp dynamic config"
    );

    let update = txs
        .iter()
        .find(|t| t.step == "updatePrices")
        .expect("prices planned");
    let planned = prices::PriceRegistry::updatePricesCall::abi_decode(&update.input)
        .expect("updatePrices")
        .priceUpdates;
    let solidity = prices::Internal::PriceUpdates::abi_decode(&encoded.initial_prices)
        .expect("initialPrices encoding");
    let tokens = |u: &prices::Internal::PriceUpdates| {
        u.tokenPriceUpdates
            .iter()
            .map(|t| (t.sourceToken, t.usdPerToken))
            .collect::<Vec<_>>()
    };
    let s = &encoded.stand_ins;
    let on_chain = |a: Address| {
        [
            (s.wrapped_native, me.weth),
            (s.link, me.link),
            (s.bnm, me.bnm),
            (s.lnm, me.lnm),
        ]
        .into_iter()
        .find(|(stand_in, _)| *stand_in == a)
        .map(|(_, real)| real)
        .expect("a stand-in")
    };
    let expected: Vec<_> = tokens(&solidity)
        .into_iter()
        .map(|(t, usd)| (on_chain(t), usd))
        .collect();
    assert_eq!(tokens(&planned), expected, "token prices");
    assert_eq!(planned.gasPriceUpdates.len(), 1);
    assert_eq!(
        planned.gasPriceUpdates[0].destChainSelector,
        chains[1].selector
    );
    assert_eq!(
        planned.gasPriceUpdates[0].usdPerUnitGas, solidity.gasPriceUpdates[0].usdPerUnitGas,
        "gas price"
    );

    let pools = txs
        .iter()
        .filter(|t| t.step == "applyChainUpdates")
        .collect::<Vec<_>>();
    assert_eq!(pools.len(), 2, "both pools");
    for pool in pools {
        let call = bm_pool::BurnMintTokenPool::applyChainUpdatesCall::abi_decode(&pool.input)
            .expect("applyChainUpdates");
        for update in call.chains {
            for limit in [
                update.outboundRateLimiterConfig,
                update.inboundRateLimiterConfig,
            ] {
                assert_eq!(
                    Bytes::from(limit.abi_encode()),
                    encoded.pool_rate_limiter,
                    "pool limit"
                );
            }
        }
    }
}

#[test]
fn the_ramp_limit_is_set_only_when_the_profile_enables_it() {
    let file = lane_profile_file().expect("the embedded lane profile parses");
    let count = |txs: &[Tx]| {
        txs.iter()
            .filter(|t| t.step == "setRateLimiterConfig")
            .count()
    };
    let (_, _, txs) = plan(&file.profile);
    let expected = if file.profile.ramp_rate_limiter.is_enabled {
        2
    } else {
        0
    };
    assert_eq!(count(&txs), expected, "the profile's own");

    let mut enabled = file.profile.clone();
    enabled.ramp_rate_limiter.is_enabled = true;
    enabled.ramp_rate_limiter.capacity = 1_000;
    enabled.ramp_rate_limiter.rate = 1;
    let (_, layouts, txs) = plan(&enabled);
    assert_eq!(count(&txs), 2, "the OnRamp and the OffRamp of the one lane");
    let (_, on_ramp, _, off_ramp) = layouts[0].lanes[0];
    for (ramp, tx) in [on_ramp, off_ramp]
        .into_iter()
        .zip(txs.iter().filter(|t| t.step == "setRateLimiterConfig"))
    {
        assert_eq!(tx.to, Some(ramp));
        let call = OnRamp::setRateLimiterConfigCall::abi_decode(&tx.input).expect("decode");
        assert!(call.config.isEnabled);
        assert_eq!((call.config.capacity, call.config.rate), (1_000, 1));
    }
}
