//! Voter keys from the deployment seed. The formula is the deployment's convention (the deployer
//! derives the ARM voter addresses it configures the same way):
//! `keccak256("ccip-local/key" || u64be(len seed) || seed || u64be(len role) || role ||
//! u32be(index) || u32be(counter))`, the counter bumped while the hash is not a valid scalar.

use alloy::{primitives::keccak256, signers::local::PrivateKeySigner};

use crate::RmnError;

/// The role name of ARM voters in the key derivation.
pub const ARM_VOTER_ROLE: &str = "arm-voter";

/// The key of ARM voter `index` for `seed`: the key of RMN node `index`.
pub fn arm_voter_key(seed: &str, index: u32) -> Result<PrivateKeySigner, RmnError> {
    for counter in 0u32..16 {
        let mut preimage = Vec::with_capacity(64 + seed.len());
        preimage.extend_from_slice(b"ccip-local/key");
        preimage.extend_from_slice(&(seed.len() as u64).to_be_bytes());
        preimage.extend_from_slice(seed.as_bytes());
        preimage.extend_from_slice(&(ARM_VOTER_ROLE.len() as u64).to_be_bytes());
        preimage.extend_from_slice(ARM_VOTER_ROLE.as_bytes());
        preimage.extend_from_slice(&index.to_be_bytes());
        preimage.extend_from_slice(&counter.to_be_bytes());
        if let Ok(signer) = PrivateKeySigner::from_bytes(&keccak256(&preimage)) {
            return Ok(signer);
        }
    }
    Err(RmnError::Key(index))
}
