//! Price observation: the source chain's gas price in USD per unit of gas (for the destination's
//! OnRamps back to the source), and the destination's fee tokens in USD.

use std::{
    collections::HashMap,
    sync::RwLock,
    time::{SystemTime, UNIX_EPOCH},
};

use alloy::primitives::{Address, U256, aliases::U224};
use ccip_protocol::{GasPriceUpdate, PriceUpdates, TokenPriceUpdate};

use crate::PriceConfig;

const ETH: u128 = 1_000_000_000_000_000_000;

/// USD prices the committing network reports, 18 decimals. A local network has no markets: the
/// feed starts at the prices the deployer wrote and a test or an operator moves them.
#[derive(Debug)]
pub struct PriceFeed {
    native_usd: RwLock<HashMap<u64, U256>>,
    default_native_usd: U256,
    link_usd: RwLock<U256>,
}

impl Default for PriceFeed {
    fn default() -> Self {
        Self {
            native_usd: RwLock::new(HashMap::new()),
            default_native_usd: U256::from(2_000 * ETH),
            link_usd: RwLock::new(U256::from(15 * ETH)),
        }
    }
}

impl PriceFeed {
    /// USD per whole native coin of the chain `selector`.
    pub fn native_usd(&self, selector: u64) -> U256 {
        self.native_usd
            .read()
            .ok()
            .and_then(|m| m.get(&selector).copied())
            .unwrap_or(self.default_native_usd)
    }

    /// Sets the native coin's USD price of chain `selector` (18 decimals).
    pub fn set_native_usd(&self, selector: u64, usd: U256) {
        if let Ok(mut m) = self.native_usd.write() {
            m.insert(selector, usd);
        }
    }

    /// USD per whole LINK-like token.
    pub fn link_usd(&self) -> U256 {
        self.link_usd.read().map(|v| *v).unwrap_or_default()
    }

    /// Sets the LINK-like token's USD price (18 decimals).
    pub fn set_link_usd(&self, usd: U256) {
        if let Ok(mut v) = self.link_usd.write() {
            *v = usd;
        }
    }
}

/// What a node observed, to compare with what the destination's PriceRegistry holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Observation {
    /// USD per unit of source gas (1e18 USD).
    pub(crate) usd_per_unit_gas: U256,
    /// (fee token on the destination, USD per 1e18 of its units).
    pub(crate) tokens: Vec<(Address, U256)>,
}

/// A price as stored on chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OnChainPrice {
    /// Value.
    pub(crate) value: U256,
    /// When it was written (unix seconds).
    pub(crate) timestamp: u64,
}

/// USD per unit of gas from a gas price in wei and the native coin's USD price.
pub(crate) fn usd_per_unit_gas(gas_price_wei: u128, native_usd: U256) -> U256 {
    U256::from(gas_price_wei) * native_usd / U256::from(ETH)
}

/// Whether `observed` moved past the deviation threshold from `current`.
pub(crate) fn deviates(observed: U256, current: U256, deviation_ppb: u64) -> bool {
    if current.is_zero() {
        return !observed.is_zero();
    }
    let diff = observed.abs_diff(current);
    diff * U256::from(1_000_000_000u64) > current * U256::from(deviation_ppb)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

fn due(observed: U256, current: OnChainPrice, config: &PriceConfig) -> bool {
    deviates(observed, current.value, config.deviation_ppb)
        || now().saturating_sub(current.timestamp) >= config.heartbeat.as_secs()
}

/// The updates due: each observed price whose on-chain value deviates or is past the heartbeat.
pub(crate) fn due_updates(
    source_selector: u64,
    observed: &Observation,
    gas_on_chain: OnChainPrice,
    tokens_on_chain: &[OnChainPrice],
    config: &PriceConfig,
) -> PriceUpdates {
    let mut updates = PriceUpdates::default();
    if due(observed.usd_per_unit_gas, gas_on_chain, config) {
        updates.gasPriceUpdates.push(GasPriceUpdate {
            destChainSelector: source_selector,
            usdPerUnitGas: U224::saturating_from(observed.usd_per_unit_gas),
        });
    }
    for (&(token, value), &current) in observed.tokens.iter().zip(tokens_on_chain) {
        if due(value, current, config) {
            updates.tokenPriceUpdates.push(TokenPriceUpdate {
                sourceToken: token,
                usdPerToken: U224::saturating_from(value),
            });
        }
    }
    updates
}

/// Why a follower refuses a leader's prices, if it does: every proposed price must be one the
/// follower observed itself, within the deviation threshold.
pub(crate) fn check_proposed(
    source_selector: u64,
    proposed: &PriceUpdates,
    own: &Observation,
    config: &PriceConfig,
) -> Result<(), String> {
    for g in &proposed.gasPriceUpdates {
        if g.destChainSelector != source_selector {
            return Err(format!(
                "gas price for chain {} on a lane from {source_selector}",
                g.destChainSelector
            ));
        }
        let value = U256::from(g.usdPerUnitGas);
        if deviates(value, own.usd_per_unit_gas, config.deviation_ppb) {
            return Err(format!(
                "gas price {value} is too far from the observed {}",
                own.usd_per_unit_gas
            ));
        }
    }
    for t in &proposed.tokenPriceUpdates {
        let Some(&(_, mine)) = own.tokens.iter().find(|(a, _)| *a == t.sourceToken) else {
            return Err(format!("{} is not a fee token of this lane", t.sourceToken));
        };
        let value = U256::from(t.usdPerToken);
        if deviates(value, mine, config.deviation_ppb) {
            return Err(format!(
                "price {value} of {} is too far from the observed {mine}",
                t.sourceToken
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> PriceConfig {
        PriceConfig::default()
    }

    #[test]
    fn gas_price_in_usd_matches_the_deployers_convention() {
        // 20 gwei at $2000 per ETH is 4e13 (1e18 USD per unit of gas).
        assert_eq!(
            usd_per_unit_gas(20_000_000_000, U256::from(2_000 * ETH)),
            U256::from(40_000_000_000_000u64)
        );
    }

    #[test]
    fn deviation_threshold_is_exclusive() {
        let cur = U256::from(1_000u64);
        assert!(!deviates(U256::from(1_100u64), cur, 100_000_000));
        assert!(deviates(U256::from(1_101u64), cur, 100_000_000));
        assert!(deviates(U256::from(899u64), cur, 100_000_000));
        assert!(deviates(U256::from(1u64), U256::ZERO, 1));
    }

    #[test]
    fn only_moved_or_old_prices_are_due() {
        let token = Address::repeat_byte(1);
        let other = Address::repeat_byte(2);
        let fresh = |value: u64| OnChainPrice {
            value: U256::from(value),
            timestamp: now(),
        };
        let obs = Observation {
            usd_per_unit_gas: U256::from(1_000u64),
            tokens: vec![(token, U256::from(50u64)), (other, U256::from(70u64))],
        };
        let u = due_updates(9, &obs, fresh(1_000), &[fresh(50), fresh(100)], &cfg());
        assert!(u.gasPriceUpdates.is_empty());
        assert_eq!(u.tokenPriceUpdates.len(), 1);
        assert_eq!(u.tokenPriceUpdates[0].sourceToken, other);
        let old = OnChainPrice {
            value: U256::from(1_000u64),
            timestamp: now() - 601,
        };
        let u = due_updates(9, &obs, old, &[fresh(50), fresh(70)], &cfg());
        assert_eq!(u.gasPriceUpdates.len(), 1);
        assert_eq!(u.gasPriceUpdates[0].destChainSelector, 9);
        assert!(u.tokenPriceUpdates.is_empty());
    }

    #[test]
    fn followers_refuse_prices_they_did_not_observe() {
        let token = Address::repeat_byte(1);
        let own = Observation {
            usd_per_unit_gas: U256::from(1_000u64),
            tokens: vec![(token, U256::from(50u64))],
        };
        let mut p = PriceUpdates::default();
        p.gasPriceUpdates.push(GasPriceUpdate {
            destChainSelector: 9,
            usdPerUnitGas: U224::from(1_050u64),
        });
        assert!(check_proposed(9, &p, &own, &cfg()).is_ok());
        assert!(check_proposed(8, &p, &own, &cfg()).is_err());
        p.gasPriceUpdates[0].usdPerUnitGas = U224::from(5_000u64);
        assert!(check_proposed(9, &p, &own, &cfg()).is_err());
        let mut p = PriceUpdates::default();
        p.tokenPriceUpdates.push(TokenPriceUpdate {
            sourceToken: Address::repeat_byte(7),
            usdPerToken: U224::from(50u64),
        });
        assert!(check_proposed(9, &p, &own, &cfg()).is_err());
    }
}
