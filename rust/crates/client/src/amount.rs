//! Token amounts as people type them (`1.5`, `100wei`), parsed exactly: a typo must never become
//! a different amount of money.

use alloy::primitives::U256;

use crate::error::{ClientError, Result};

/// Parses `text` as an amount of a token with `decimals` decimals into base units.
///
/// `1.5` is whole tokens (at most `decimals` fractional digits), `100wei` base units. Refused with
/// [`ClientError::InvalidAmount`], naming the problem: an empty amount, a sign, anything but
/// digits and one point, more fractional digits than the token has (they would be dropped), an
/// amount above 2^256 - 1, and zero (the OnRamp refuses empty token transfers).
pub fn parse_token_amount(text: &str, decimals: u8) -> Result<U256> {
    let invalid = |why: String| ClientError::InvalidAmount {
        amount: text.to_owned(),
        why,
    };
    let trimmed = text.trim();
    let (number, base_units) = match trimmed.strip_suffix("wei") {
        Some(raw) => (raw.trim_end(), true),
        None => (trimmed, false),
    };
    if number.is_empty() {
        return Err(invalid("no amount given".into()));
    }
    if number.starts_with(['-', '+']) {
        return Err(invalid("amounts are unsigned: no sign allowed".into()));
    }
    let (whole, fraction) = match number.split_once('.') {
        Some((w, f)) if !base_units => (w, f),
        Some(_) => return Err(invalid("base units (`wei`) have no fraction".into())),
        None => (number, ""),
    };
    if whole.is_empty() && fraction.is_empty() {
        return Err(invalid("no digits".into()));
    }
    if let Some(bad) = whole
        .chars()
        .chain(fraction.chars())
        .find(|c| !c.is_ascii_digit())
    {
        return Err(invalid(format!("{bad:?} is not a digit")));
    }
    if fraction.len() > usize::from(decimals) {
        return Err(invalid(format!(
            "{} fractional digits, but the token has {decimals} decimals (the rest would be lost)",
            fraction.len()
        )));
    }
    let overflow = || invalid("larger than 2^256 - 1 base units".into());
    let scale = if base_units { 0 } else { usize::from(decimals) };
    let digits = format!("{whole}{fraction:0<scale$}");
    let digits = digits.trim_start_matches('0');
    let amount = if digits.is_empty() {
        U256::ZERO
    } else {
        U256::from_str_radix(digits, 10).map_err(|_| overflow())?
    };
    if amount.is_zero() {
        return Err(invalid("zero: send a positive amount".into()));
    }
    Ok(amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str, decimals: u8) -> U256 {
        parse_token_amount(text, decimals).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn why(text: &str, decimals: u8) -> String {
        match parse_token_amount(text, decimals) {
            Err(ClientError::InvalidAmount { why, .. }) => why,
            other => panic!("{text}: expected InvalidAmount, got {other:?}"),
        }
    }

    #[test]
    fn whole_tokens_fractions_and_base_units() {
        assert_eq!(ok("1", 18), U256::from(10).pow(U256::from(18)));
        assert_eq!(
            ok("1.5", 18),
            U256::from(15) * U256::from(10).pow(U256::from(17))
        );
        assert_eq!(ok(".25", 2), U256::from(25));
        assert_eq!(ok("3.", 6), U256::from(3_000_000));
        assert_eq!(ok("0.000000000000000001", 18), U256::from(1));
        assert_eq!(ok("100wei", 18), U256::from(100));
        assert_eq!(ok(" 7 wei ", 18), U256::from(7));
        assert_eq!(ok("007", 0), U256::from(7));
    }

    #[test]
    fn refuses_what_would_send_a_different_amount() {
        assert!(why("-1", 18).contains("sign"));
        assert!(why("+1", 18).contains("sign"));
        assert!(why("1.0000000000000000001", 18).contains("19 fractional digits"));
        assert!(why("0.5", 0).contains("0 decimals"));
        assert!(why("1e18", 18).contains("'e'"));
        assert!(why("1,5", 18).contains("','"));
        assert!(why("abc", 18).contains("'a'"));
        assert!(why("", 18).contains("no amount"));
        assert!(why("wei", 18).contains("no amount"));
        assert!(why(".", 18).contains("no digits"));
        assert!(why("1.5wei", 18).contains("no fraction"));
        assert!(why("0", 18).contains("zero"));
        assert!(why("0.000", 18).contains("zero"));
        assert!(why(&"9".repeat(79), 0).contains("2^256"));
        // The largest amount still parses.
        assert_eq!(ok(&U256::MAX.to_string(), 0), U256::MAX);
        assert!(why(&format!("{}wei", "1".repeat(80)), 18).contains("2^256"));
    }
}
