//! The supply invariant: on every lane and for every token, what the destination pool mints or
//! releases from the source must not exceed what the source pool burned or locked toward that
//! destination (compared in destination token units).

use std::collections::BTreeMap;

use alloy::primitives::U256;

/// A token on a lane.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SupplyKey {
    /// Source chain selector.
    pub source: u64,
    /// Destination chain selector.
    pub dest: u64,
    /// The token's name in the network file (the same on both chains).
    pub token: String,
}

/// A broken invariant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplyViolation {
    /// Lane and token.
    pub key: SupplyKey,
    /// Burned or locked on the source toward the destination (destination units).
    pub sent: U256,
    /// Minted or released on the destination from the source.
    pub received: U256,
}

/// Running totals per lane and token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SupplyLedger {
    sent: BTreeMap<SupplyKey, U256>,
    received: BTreeMap<SupplyKey, U256>,
}

/// Converts `amount` between decimals, rounding down (as the destination pool does).
pub fn convert_decimals(amount: U256, from: u8, to: u8) -> U256 {
    use std::cmp::Ordering;
    match from.cmp(&to) {
        Ordering::Equal => amount,
        Ordering::Less => amount.saturating_mul(U256::from(10).pow(U256::from(to - from))),
        Ordering::Greater => amount / U256::from(10).pow(U256::from(from - to)),
    }
}

impl SupplyLedger {
    /// Records a burn or lock on the source, already in destination units.
    pub fn record_sent(&mut self, key: SupplyKey, amount: U256) {
        add(&mut self.sent, key, amount);
    }

    /// Records a mint or release on the destination.
    pub fn record_received(&mut self, key: SupplyKey, amount: U256) {
        add(&mut self.received, key, amount);
    }

    /// Forgets everything read from the pools of chain `selector` (its burns and locks toward
    /// others, and its mints and releases from others), before that chain is read again.
    pub fn forget_chain(&mut self, selector: u64) {
        self.sent.retain(|key, _| key.source != selector);
        self.received.retain(|key, _| key.dest != selector);
    }

    /// Total sent on `key`.
    pub fn sent(&self, key: &SupplyKey) -> U256 {
        self.sent.get(key).copied().unwrap_or_default()
    }

    /// Total received on `key`.
    pub fn received(&self, key: &SupplyKey) -> U256 {
        self.received.get(key).copied().unwrap_or_default()
    }

    /// Every (lane, token) whose received total exceeds its sent total plus `unconfirmed_sent`
    /// (burns and locks seen on the source but not yet at finality depth: a destination may
    /// legitimately deliver them already, and they must not read as a violation).
    pub fn violations(&self, unconfirmed_sent: &BTreeMap<SupplyKey, U256>) -> Vec<SupplyViolation> {
        self.received
            .iter()
            .filter_map(|(key, &received)| {
                let sent = self
                    .sent(key)
                    .saturating_add(unconfirmed_sent.get(key).copied().unwrap_or_default());
                (received > sent).then(|| SupplyViolation {
                    key: key.clone(),
                    sent,
                    received,
                })
            })
            .collect()
    }
}

/// Adds to a running total (saturating: an overflow is not a number a pool can emit).
pub(crate) fn add(map: &mut BTreeMap<SupplyKey, U256>, key: SupplyKey, amount: U256) {
    let total = map.entry(key).or_default();
    *total = total.saturating_add(amount);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(token: &str) -> SupplyKey {
        SupplyKey {
            source: 1,
            dest: 2,
            token: token.into(),
        }
    }

    #[test]
    fn received_up_to_sent_is_fine_and_more_is_a_violation() {
        let mut ledger = SupplyLedger::default();
        ledger.record_sent(key("bnm"), U256::from(100));
        ledger.record_received(key("bnm"), U256::from(60));
        ledger.record_received(key("bnm"), U256::from(40));
        assert!(ledger.violations(&BTreeMap::new()).is_empty());

        ledger.record_received(key("bnm"), U256::from(1));
        let v = ledger.violations(&BTreeMap::new());
        assert_eq!(
            v,
            vec![SupplyViolation {
                key: key("bnm"),
                sent: U256::from(100),
                received: U256::from(101)
            }]
        );
    }

    #[test]
    fn tokens_and_directions_are_separate() {
        let mut ledger = SupplyLedger::default();
        ledger.record_sent(key("bnm"), U256::from(100));
        // Another token on the same lane gets nothing from bnm's budget.
        ledger.record_received(key("lnm"), U256::from(1));
        // The reverse lane neither.
        let reverse = SupplyKey {
            source: 2,
            dest: 1,
            token: "bnm".into(),
        };
        ledger.record_received(reverse.clone(), U256::from(5));
        let mut keys: Vec<SupplyKey> = ledger
            .violations(&BTreeMap::new())
            .into_iter()
            .map(|v| v.key)
            .collect();
        keys.sort();
        assert_eq!(keys, vec![key("lnm"), reverse]);
    }

    #[test]
    fn unconfirmed_burns_cover_early_deliveries() {
        let mut ledger = SupplyLedger::default();
        ledger.record_received(key("bnm"), U256::from(10));
        let mut tail = BTreeMap::new();
        add(&mut tail, key("bnm"), U256::from(10));
        assert!(ledger.violations(&tail).is_empty());
        assert_eq!(ledger.violations(&BTreeMap::new()).len(), 1);
    }

    #[test]
    fn decimals_convert_both_ways() {
        assert_eq!(convert_decimals(U256::from(1_500), 3, 1), U256::from(15));
        assert_eq!(convert_decimals(U256::from(15), 1, 3), U256::from(1_500));
        assert_eq!(convert_decimals(U256::from(7), 18, 18), U256::from(7));
        assert_eq!(convert_decimals(U256::from(19), 1, 0), U256::from(1));
    }
}
