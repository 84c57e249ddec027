//! Commit-report signatures in the CommitStore's calldata format: `rs` and `ss` arrays and the
//! recovery ids packed one byte each, in signer order, into the 32-byte `rawVs` word.

use alloy_primitives::{Address, B256, Signature};

/// The CommitStore accepts at most this many signatures (one `rawVs` byte each).
pub const MAX_SIGNATURES: usize = 32;

/// One signer's signature of a commit report digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportSignature {
    /// Who signed.
    pub signer: Address,
    /// r.
    pub r: B256,
    /// s.
    pub s: B256,
    /// Recovery id (0 or 1).
    pub v: u8,
}

impl ReportSignature {
    /// From a signature by `signer`.
    pub fn new(signer: Address, signature: &Signature) -> Self {
        Self {
            signer,
            r: B256::from(signature.r()),
            s: B256::from(signature.s()),
            v: u8::from(signature.v()),
        }
    }

    /// Whether this is `expected`'s signature of `digest`.
    pub fn is_by(&self, expected: Address, digest: &B256) -> bool {
        Signature::from_scalars_and_parity(self.r, self.s, self.v == 1)
            .recover_address_from_prehash(digest)
            .is_ok_and(|recovered| recovered == self.signer && recovered == expected)
    }
}

/// The `rs`, `ss` and `rawVs` arguments of `CommitStore.commit`. Signatures past
/// [`MAX_SIGNATURES`] are left out (the CommitStore could not take them).
pub fn pack_signatures(signatures: &[ReportSignature]) -> (Vec<B256>, Vec<B256>, B256) {
    let used = &signatures[..signatures.len().min(MAX_SIGNATURES)];
    let mut raw_vs = [0u8; 32];
    for (slot, s) in raw_vs.iter_mut().zip(used) {
        *slot = s.v;
    }
    (
        used.iter().map(|s| s.r).collect(),
        used.iter().map(|s| s.s).collect(),
        B256::from(raw_vs),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_ids_are_packed_in_signer_order_from_the_first_byte() {
        let sig = |v: u8, byte: u8| ReportSignature {
            signer: Address::repeat_byte(byte),
            r: B256::repeat_byte(byte),
            s: B256::repeat_byte(byte + 1),
            v,
        };
        let (rs, ss, vs) = pack_signatures(&[sig(1, 1), sig(0, 3), sig(1, 5)]);
        assert_eq!(
            rs,
            vec![
                B256::repeat_byte(1),
                B256::repeat_byte(3),
                B256::repeat_byte(5)
            ]
        );
        assert_eq!(ss[2], B256::repeat_byte(6));
        assert_eq!(&vs[..4], &[1, 0, 1, 0]);
        assert!(vs[3..].iter().all(|&b| b == 0));
    }

    #[test]
    fn at_most_32_signatures_are_packed() {
        let many = vec![
            ReportSignature {
                signer: Address::ZERO,
                r: B256::ZERO,
                s: B256::ZERO,
                v: 1
            };
            40
        ];
        let (rs, _, vs) = pack_signatures(&many);
        assert_eq!(rs.len(), MAX_SIGNATURES);
        assert!(vs.iter().all(|&b| b == 1));
    }
}
