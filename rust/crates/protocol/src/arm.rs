//! Curse subjects of the ARM.

use alloy_primitives::{FixedBytes, fixed_bytes};

/// `ARM.GLOBAL_CURSE_SUBJECT`: curses every lane of the chain.
pub const GLOBAL_CURSE_SUBJECT: FixedBytes<16> = fixed_bytes!("0x01000000000000000000000000000001");

/// The subject that curses one chain: `bytes16(uint128(chainSelector))`, i.e. the selector
/// big-endian in the last 8 of the 16 bytes.
pub fn chain_subject(chain_selector: u64) -> FixedBytes<16> {
    FixedBytes::from(u128::from(chain_selector).to_be_bytes())
}

/// The chain selector a subject names, if it is a chain subject (upper 8 bytes zero).
pub fn subject_chain_selector(subject: FixedBytes<16>) -> Option<u64> {
    u64::try_from(u128::from_be_bytes(subject.0)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_is_the_selector_right_aligned() {
        assert_eq!(
            chain_subject(0x0102),
            fixed_bytes!("0x00000000000000000000000000000102")
        );
        assert_eq!(
            subject_chain_selector(chain_subject(u64::MAX)),
            Some(u64::MAX)
        );
        assert_eq!(subject_chain_selector(FixedBytes::repeat_byte(1)), None);
    }
}
