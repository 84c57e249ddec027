//! Outbound value per lane over a sliding window of source block time.

use std::collections::VecDeque;

use alloy::primitives::U256;

/// The USD value (18 decimals) of `amount` smallest units at `usd_per_token` (the PriceRegistry's
/// unit: 1e18 USD per 1e18 smallest units).
pub fn usd_value(amount: U256, usd_per_token: U256) -> U256 {
    amount.saturating_mul(usd_per_token) / crate::config::ONE_USD
}

/// Token transfers of one lane in the last `window` seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolumeWindow {
    entries: VecDeque<(u64, U256)>,
    total: U256,
}

impl VolumeWindow {
    /// Adds a transfer worth `usd` at source block time `timestamp` and drops what fell out of
    /// the window ending there; returns the window's total.
    pub fn record(&mut self, timestamp: u64, usd: U256, window_secs: u64) -> U256 {
        self.entries.push_back((timestamp, usd));
        self.total = self.total.saturating_add(usd);
        let start = timestamp.saturating_sub(window_secs);
        while let Some(&(t, v)) = self.entries.front() {
            if t > start || t == timestamp {
                break;
            }
            self.total = self.total.saturating_sub(v);
            self.entries.pop_front();
        }
        self.total
    }

    /// The current total.
    pub fn total(&self) -> U256 {
        self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_slides() {
        let mut w = VolumeWindow::default();
        assert_eq!(w.record(100, U256::from(5), 10), U256::from(5));
        assert_eq!(w.record(105, U256::from(5), 10), U256::from(10));
        // 100 is exactly window seconds old at 110: out.
        assert_eq!(w.record(110, U256::from(1), 10), U256::from(6));
        assert_eq!(w.record(200, U256::from(2), 10), U256::from(2));
        assert_eq!(w.total(), U256::from(2));
    }

    #[test]
    fn value_uses_price_registry_units() {
        let one = crate::config::ONE_USD;
        // 3 tokens of 18 decimals at $2 = $6.
        assert_eq!(
            usd_value(U256::from(3) * one, U256::from(2) * one),
            U256::from(6) * one
        );
    }
}
