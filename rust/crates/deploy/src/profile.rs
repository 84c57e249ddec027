//! The lane parameters `ccip up` deploys with (fees, gas overheads, limits, initial prices, price
//! staleness, rate limits, pool liquidity). They are written once, in Solidity:
//! `contracts/libraries/LaneProfile.sol`, which the forge kit, the forge script and the forge test
//! setups use directly. `test/vectors/LaneProfileVectors.t.sol` writes them to
//! `test/vectors/lane_profile.json` (and fails when that file is stale); this module embeds the file
//! at compile time and turns it into the contracts' config structs. No value is repeated here, and
//! the tests below fail when this side's encodings drift from Solidity's.

use std::{fmt::Display, str::FromStr, sync::LazyLock};

use alloy::primitives::{Address, Bytes, U256, aliases::U224};
use ccip_bindings::{
    burn_mint_token_pool as bm_pool, off_ramp::OffRamp, on_ramp, on_ramp::OnRamp,
    price_registry as prices,
};
use serde::{Deserialize, Serialize};

use crate::error::DeployError;

/// `test/vectors/lane_profile.json`, as generated from `LaneProfile.sol`.
const LANE_PROFILE_JSON: &str = include_str!("../../../../test/vectors/lane_profile.json");

static LANE_PROFILE: LazyLock<Result<LaneProfileFile, String>> =
    LazyLock::new(|| serde_json::from_str(LANE_PROFILE_JSON).map_err(|e| e.to_string()));

/// The parsed `test/vectors/lane_profile.json`.
pub fn lane_profile_file() -> Result<&'static LaneProfileFile, DeployError> {
    LANE_PROFILE.as_ref().map_err(|e| {
        DeployError::Setup(format!(
            "test/vectors/lane_profile.json (embedded at build time) does not parse: {e}"
        ))
    })
}

/// The lane parameters every `ccip up` lane is deployed with.
pub fn lane_profile() -> Result<&'static LaneProfile, DeployError> {
    lane_profile_file().map(|file| &file.profile)
}

/// Everything `test/vectors/lane_profile.json` holds; unknown fields are refused so that nothing the
/// Solidity side writes goes unread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LaneProfileFile {
    /// The parameters.
    pub profile: LaneProfile,
    /// `abi.encode` of each config struct over stand-in addresses, to check this side's conversions.
    pub abi_encoded: AbiEncodings,
    /// The forge kit's `getFee` for fixed messages, which a `ccip up` deployment must repeat.
    pub fee_quotes: FeeQuotes,
}

/// `LaneProfile.sol`'s values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LaneProfile {
    /// `LaneProfile.onRampDynamicConfig()`.
    pub on_ramp_dynamic_config: OnRampDynamicConfig,
    /// `LaneProfile.offRampDynamicConfig(router, priceRegistry)` without the two addresses.
    pub off_ramp_dynamic_config: OffRampDynamicConfig,
    /// `LaneProfile.feeTokenConfigs(wrappedNative, link)`.
    pub fee_tokens: FeeTokens,
    /// `LaneProfile.PRICE_STALENESS`, seconds.
    #[serde(with = "decimal")]
    pub price_staleness_threshold: u32,
    /// `LaneProfile.initialPrices(...)`'s prices.
    pub initial_prices: InitialPrices,
    /// `LaneProfile.poolRateLimiterConfig()`: every pool, every remote chain, both directions.
    pub pool_rate_limiter: RateLimiterConfig,
    /// `LaneProfile.rampRateLimiterConfig()`: the OnRamps' and OffRamps' aggregate limit.
    pub ramp_rate_limiter: RateLimiterConfig,
    /// `LaneProfile.POOL_LIQUIDITY`: what each lock/release pool starts with.
    #[serde(with = "decimal")]
    pub pool_liquidity: U256,
}

/// `OnRamp.DynamicConfig`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(missing_docs)]
pub struct OnRampDynamicConfig {
    #[serde(with = "decimal")]
    pub max_data_bytes: u32,
    #[serde(with = "decimal")]
    pub max_per_msg_gas_limit: u32,
    #[serde(with = "decimal")]
    pub default_tx_gas_limit: u32,
    #[serde(with = "decimal")]
    pub max_number_of_tokens_per_msg: u16,
    #[serde(with = "decimal")]
    pub dest_gas_overhead: u32,
    #[serde(with = "decimal")]
    pub dest_gas_per_payload_byte: u16,
    #[serde(with = "decimal")]
    pub dest_gas_per_data_availability_byte: u16,
    #[serde(rename = "networkFeeUSDCents", with = "decimal")]
    pub network_fee_usd_cents: u16,
    #[serde(with = "decimal")]
    pub default_token_dest_gas_overhead: u32,
    pub enforce_out_of_order: bool,
}

/// `OffRamp.DynamicConfig` without `router` and `priceRegistry` (each deployment's own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(missing_docs)]
pub struct OffRampDynamicConfig {
    #[serde(with = "decimal")]
    pub permission_less_execution_threshold_seconds: u32,
    #[serde(with = "decimal")]
    pub max_data_bytes: u32,
    #[serde(with = "decimal")]
    pub max_number_of_tokens_per_msg: u16,
    #[serde(with = "decimal")]
    pub gas_for_call_exact_check: u16,
    #[serde(with = "decimal")]
    pub max_pool_release_or_mint_gas: u32,
}

/// The OnRamp's two fee tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FeeTokens {
    /// The wrapped native token (fees paid in native are wrapped).
    pub wrapped_native: FeeTokenConfig,
    /// The LINK-like fee token.
    pub link: FeeTokenConfig,
}

/// `OnRamp.FeeTokenConfig`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FeeTokenConfig {
    /// Whether the token pays fees.
    pub enabled: bool,
    /// 1e18 is no premium.
    #[serde(with = "decimal")]
    pub premium_multiplier_wei_per_eth: u64,
}

/// A chain's first prices, 1e18 USD per 1e18 of the token (per unit of gas for `usd_per_unit_gas`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InitialPrices {
    /// The wrapped native token.
    #[serde(with = "decimal")]
    pub wrapped_native: U224,
    /// The LINK-like fee token.
    #[serde(with = "decimal")]
    pub link: U224,
    /// Each test token (CCIP-BnM, CCIP-LnM).
    #[serde(with = "decimal")]
    pub test_token: U224,
    /// Gas on every remote chain.
    #[serde(with = "decimal")]
    pub usd_per_unit_gas: U224,
}

/// `RateLimiter.Config`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateLimiterConfig {
    /// Off: every request passes (capacity and rate are then 0).
    pub is_enabled: bool,
    /// Largest burst.
    #[serde(with = "decimal")]
    pub capacity: u128,
    /// Refill per second.
    #[serde(with = "decimal")]
    pub rate: u128,
}

/// `abi.encode` of LaneProfile's structs over [`StandIns`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(missing_docs)]
pub struct AbiEncodings {
    pub stand_ins: StandIns,
    pub on_ramp_dynamic_config: Bytes,
    pub off_ramp_dynamic_config: Bytes,
    pub fee_token_configs: Bytes,
    pub price_registry_fee_tokens: Bytes,
    pub initial_prices: Bytes,
    pub pool_rate_limiter: Bytes,
    pub ramp_rate_limiter: Bytes,
}

/// The addresses and selectors the encodings were made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(missing_docs)]
pub struct StandIns {
    pub wrapped_native: Address,
    pub link: Address,
    pub bnm: Address,
    pub lnm: Address,
    pub router: Address,
    pub price_registry: Address,
    #[serde(with = "decimal")]
    pub dest_chain_selector_a: u64,
    #[serde(with = "decimal")]
    pub dest_chain_selector_b: u64,
}

/// What the forge kit quoted, on chains with `ccip up`'s selectors for chain ids 1000 and 1001.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FeeQuotes {
    /// The quoting chain's id.
    #[serde(with = "decimal")]
    pub source_chain_id: u64,
    /// The destination chain's id.
    #[serde(with = "decimal")]
    pub dest_chain_id: u64,
    /// The quoting chain's selector.
    #[serde(with = "decimal")]
    pub source_chain_selector: u64,
    /// The destination chain's selector (`getFee`'s first argument).
    #[serde(with = "decimal")]
    pub dest_chain_selector: u64,
    /// The messages and their fees.
    pub quotes: Vec<FeeQuote>,
}

/// One `Client.EVM2AnyMessage`, its tokens named by role, and the kit's `getFee` for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FeeQuote {
    /// What the message exercises.
    pub name: String,
    /// `message.receiver` (ABI-encoded address).
    pub receiver: Bytes,
    /// `message.data`.
    pub data: Bytes,
    /// `message.tokenAmounts`, tokens by role.
    pub token_amounts: Vec<RoleAmount>,
    /// `"link"`, or `"native"` (`feeToken` = address(0)).
    pub fee_token: String,
    /// `message.extraArgs`.
    pub extra_args: Bytes,
    /// The fee the kit quoted, in the fee token's smallest unit.
    #[serde(with = "decimal")]
    pub fee: U256,
}

/// A token amount whose token is named by role (`"bnm"`, `"lnm"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoleAmount {
    /// The token's role.
    pub token: String,
    /// The amount.
    #[serde(with = "decimal")]
    pub amount: U256,
}

// The contracts' structs, built as LaneProfile.sol's functions build them.
impl LaneProfile {
    pub(crate) fn on_ramp_dynamic_config(&self) -> OnRamp::DynamicConfig {
        let c = &self.on_ramp_dynamic_config;
        OnRamp::DynamicConfig {
            maxDataBytes: c.max_data_bytes,
            maxPerMsgGasLimit: c.max_per_msg_gas_limit,
            defaultTxGasLimit: c.default_tx_gas_limit,
            maxNumberOfTokensPerMsg: c.max_number_of_tokens_per_msg,
            destGasOverhead: c.dest_gas_overhead,
            destGasPerPayloadByte: c.dest_gas_per_payload_byte,
            destGasPerDataAvailabilityByte: c.dest_gas_per_data_availability_byte,
            networkFeeUSDCents: c.network_fee_usd_cents,
            defaultTokenDestGasOverhead: c.default_token_dest_gas_overhead,
            enforceOutOfOrder: c.enforce_out_of_order,
        }
    }

    pub(crate) fn off_ramp_dynamic_config(
        &self,
        router: Address,
        price_registry: Address,
    ) -> OffRamp::DynamicConfig {
        let c = &self.off_ramp_dynamic_config;
        OffRamp::DynamicConfig {
            router,
            permissionLessExecutionThresholdSeconds: c.permission_less_execution_threshold_seconds,
            maxDataBytes: c.max_data_bytes,
            maxNumberOfTokensPerMsg: c.max_number_of_tokens_per_msg,
            gasForCallExactCheck: c.gas_for_call_exact_check,
            maxPoolReleaseOrMintGas: c.max_pool_release_or_mint_gas,
            priceRegistry: price_registry,
        }
    }

    /// Wrapped native first, then LINK, as `LaneProfile.feeTokenConfigs`.
    pub(crate) fn fee_token_configs(
        &self,
        wrapped_native: Address,
        link: Address,
    ) -> Vec<OnRamp::FeeTokenConfigArgs> {
        [
            (wrapped_native, &self.fee_tokens.wrapped_native),
            (link, &self.fee_tokens.link),
        ]
        .into_iter()
        .map(|(token, c)| OnRamp::FeeTokenConfigArgs {
            token,
            enabled: c.enabled,
            premiumMultiplierWeiPerEth: c.premium_multiplier_wei_per_eth,
        })
        .collect()
    }

    /// `LaneProfile.feeTokens`: the PriceRegistry's fee tokens, in `fee_token_configs`' order.
    pub(crate) fn price_registry_fee_tokens(
        wrapped_native: Address,
        link: Address,
    ) -> Vec<Address> {
        vec![wrapped_native, link]
    }

    /// `LaneProfile.initialPrices`: fee tokens, then `test_tokens`; a gas price per destination.
    pub(crate) fn initial_prices(
        &self,
        wrapped_native: Address,
        link: Address,
        test_tokens: &[Address],
        dest_chains: &[u64],
    ) -> prices::Internal::PriceUpdates {
        let p = &self.initial_prices;
        let tokens = [(wrapped_native, p.wrapped_native), (link, p.link)]
            .into_iter()
            .chain(test_tokens.iter().map(|&t| (t, p.test_token)));
        prices::Internal::PriceUpdates {
            tokenPriceUpdates: tokens
                .map(|(token, usd)| prices::Internal::TokenPriceUpdate {
                    sourceToken: token,
                    usdPerToken: usd,
                })
                .collect(),
            gasPriceUpdates: dest_chains
                .iter()
                .map(|&selector| prices::Internal::GasPriceUpdate {
                    destChainSelector: selector,
                    usdPerUnitGas: p.usd_per_unit_gas,
                })
                .collect(),
        }
    }

    pub(crate) fn pool_rate_limiter(&self) -> bm_pool::RateLimiter::Config {
        let c = &self.pool_rate_limiter;
        bm_pool::RateLimiter::Config {
            isEnabled: c.is_enabled,
            capacity: c.capacity,
            rate: c.rate,
        }
    }

    /// In the OnRamp's binding types; the OffRamp's are the same ABI type (`abi_convert`).
    pub(crate) fn ramp_rate_limiter(&self) -> on_ramp::RateLimiter::Config {
        let c = &self.ramp_rate_limiter;
        on_ramp::RateLimiter::Config {
            isEnabled: c.is_enabled,
            capacity: c.capacity,
            rate: c.rate,
        }
    }
}

/// Integers as decimal strings, as the vectors write them (JSON numbers cannot hold a uint256).
mod decimal {
    use super::{Display, FromStr};
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    pub(super) fn serialize<S: Serializer, T: Display>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub(super) fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: FromStr,
        T::Err: Display,
    {
        let text = String::deserialize(deserializer)?;
        // Digits only: a 0x prefix or a sign would parse for some types and not others.
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(D::Error::custom(format!(
                "{text:?} is not a decimal integer"
            )));
        }
        text.parse()
            .map_err(|e| D::Error::custom(format!("{text:?}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use alloy::sol_types::SolValue;

    use super::*;

    fn file() -> &'static LaneProfileFile {
        lane_profile_file().expect("the embedded lane_profile.json parses")
    }

    #[test]
    fn file_parses_completely() {
        // Every field is typed and unknown ones are refused; written back, the parsed file is the
        // file: nothing was skipped, defaulted or misread.
        let raw: serde_json::Value = serde_json::from_str(LANE_PROFILE_JSON).expect("JSON");
        let reparsed = serde_json::to_value(file()).expect("serialize");
        assert_eq!(reparsed, raw);
    }

    #[test]
    fn conversions_encode_as_solidity_does() {
        let f = file();
        let p = &f.profile;
        let e = &f.abi_encoded;
        let s = &e.stand_ins;
        assert_eq!(
            Bytes::from(p.on_ramp_dynamic_config().abi_encode()),
            e.on_ramp_dynamic_config,
            "onRampDynamicConfig"
        );
        assert_eq!(
            Bytes::from(
                p.off_ramp_dynamic_config(s.router, s.price_registry)
                    .abi_encode()
            ),
            e.off_ramp_dynamic_config,
            "offRampDynamicConfig"
        );
        assert_eq!(
            Bytes::from(p.fee_token_configs(s.wrapped_native, s.link).abi_encode()),
            e.fee_token_configs,
            "feeTokenConfigs"
        );
        assert_eq!(
            Bytes::from(
                LaneProfile::price_registry_fee_tokens(s.wrapped_native, s.link).abi_encode()
            ),
            e.price_registry_fee_tokens,
            "priceRegistryFeeTokens"
        );
        let prices = p.initial_prices(
            s.wrapped_native,
            s.link,
            &[s.bnm, s.lnm],
            &[s.dest_chain_selector_a, s.dest_chain_selector_b],
        );
        assert_eq!(
            Bytes::from(prices.abi_encode()),
            e.initial_prices,
            "initialPrices"
        );
        assert_eq!(
            Bytes::from(p.pool_rate_limiter().abi_encode()),
            e.pool_rate_limiter,
            "poolRateLimiter"
        );
        assert_eq!(
            Bytes::from(p.ramp_rate_limiter().abi_encode()),
            e.ramp_rate_limiter,
            "rampRateLimiter"
        );
    }

    #[test]
    fn quotes_are_on_ccip_up_selectors() {
        let q = &file().fee_quotes;
        assert_eq!(q.source_chain_id, crate::FIRST_CHAIN_ID);
        assert_eq!(q.dest_chain_id, crate::FIRST_CHAIN_ID + 1);
        assert_eq!(
            q.source_chain_selector,
            crate::chain_selector(q.source_chain_id)
        );
        assert_eq!(
            q.dest_chain_selector,
            crate::chain_selector(q.dest_chain_id)
        );
        assert!(!q.quotes.is_empty());
    }

    #[test]
    fn decimals_are_strict() {
        #[derive(Debug, Deserialize)]
        struct N(#[serde(with = "decimal")] u64);
        assert_eq!(serde_json::from_str::<N>("\"42\"").expect("decimal").0, 42);
        for bad in [
            "42",
            "\"\"",
            "\"0x2a\"",
            "\"-1\"",
            "\"+1\"",
            "\"18446744073709551616\"",
        ] {
            assert!(serde_json::from_str::<N>(bad).is_err(), "{bad}");
        }
    }
}
