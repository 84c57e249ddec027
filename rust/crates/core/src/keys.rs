//! Deterministic keys: every account the deployment and the off-chain networks use is derived from
//! one seed string, so the same seed gives the same addresses on every run and nothing is
//! hard-coded anywhere.
//!
//! `key(seed, role, index) = keccak256("ccip-local/key" || len(seed) || seed || len(role) || role ||
//! index (u32 BE) || counter (u32 BE))`, with `counter` starting at 0 and bumped in the (negligible)
//! case that the hash is not a valid secp256k1 scalar. These keys are for local test networks only.

use alloy::{
    primitives::{Address, B256, keccak256},
    signers::local::PrivateKeySigner,
};

use crate::error::CoreError;

/// Role names that enter the key derivation; changing one changes every derived address.
pub mod role {
    /// Owns and configures every contract.
    pub const DEPLOYER: &str = "deployer";
    /// Signs commit reports (the CommitStore's OCR signers).
    pub const COMMIT_SIGNER: &str = "commit-signer";
    /// Sends commit reports to the CommitStores.
    pub const COMMIT_TRANSMITTER: &str = "commit-transmitter";
    /// Sends execution reports to the OffRamps.
    pub const EXEC_TRANSMITTER: &str = "exec-transmitter";
    /// Votes to bless and to curse on every ARM.
    pub const ARM_VOTER: &str = "arm-voter";
    /// Funded test account for dApp developers.
    pub const USER: &str = "user";
}

/// How many keys of each role, and the thresholds that go with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyConfig {
    /// CommitStore signers; more than `3 * f` are required.
    pub commit_signers: usize,
    /// A commit report needs `f + 1` signatures.
    pub f: u8,
    /// CommitStore transmitters.
    pub commit_transmitters: usize,
    /// OffRamp transmitters.
    pub exec_transmitters: usize,
    /// ARM voters, each with bless and curse weight 1.
    pub arm_voters: usize,
    /// Bless and curse weight thresholds of the ARM.
    pub arm_threshold: u16,
    /// Funded test accounts.
    pub users: usize,
}

impl Default for KeyConfig {
    fn default() -> Self {
        Self {
            commit_signers: 4,
            f: 1,
            commit_transmitters: 4,
            exec_transmitters: 2,
            arm_voters: 3,
            arm_threshold: 2,
            users: 3,
        }
    }
}

/// Every key of a deployment.
#[derive(Debug, Clone)]
pub struct Keys {
    /// The seed they were derived from.
    pub seed: String,
    /// The thresholds and counts used.
    pub config: KeyConfig,
    /// Owner of every contract (may be replaced by an external key for `connect`).
    pub deployer: PrivateKeySigner,
    /// CommitStore signers.
    pub commit_signers: Vec<PrivateKeySigner>,
    /// CommitStore transmitters.
    pub commit_transmitters: Vec<PrivateKeySigner>,
    /// OffRamp transmitters.
    pub exec_transmitters: Vec<PrivateKeySigner>,
    /// ARM voters.
    pub arm_voters: Vec<PrivateKeySigner>,
    /// Funded test accounts.
    pub users: Vec<PrivateKeySigner>,
}

impl Keys {
    /// Derives every key of `config` from `seed`.
    pub fn derive(seed: &str, config: KeyConfig) -> Result<Self, CoreError> {
        let many = |role: &str, n: usize| -> Result<Vec<PrivateKeySigner>, CoreError> {
            (0..n).map(|i| derive_key(seed, role, i as u32)).collect()
        };
        Ok(Self {
            seed: seed.to_owned(),
            config,
            deployer: derive_key(seed, role::DEPLOYER, 0)?,
            commit_signers: many(role::COMMIT_SIGNER, config.commit_signers)?,
            commit_transmitters: many(role::COMMIT_TRANSMITTER, config.commit_transmitters)?,
            exec_transmitters: many(role::EXEC_TRANSMITTER, config.exec_transmitters)?,
            arm_voters: many(role::ARM_VOTER, config.arm_voters)?,
            users: many(role::USER, config.users)?,
        })
    }

    /// Accounts that send transactions and so need native balance besides the deployer.
    pub fn operators(&self) -> impl Iterator<Item = Address> + '_ {
        self.commit_transmitters
            .iter()
            .chain(&self.exec_transmitters)
            .chain(&self.arm_voters)
            .map(PrivateKeySigner::address)
    }
}

/// The key of `role` number `index` for `seed` (see the module docs for the formula).
pub fn derive_key(seed: &str, role: &str, index: u32) -> Result<PrivateKeySigner, CoreError> {
    for counter in 0u32..16 {
        let mut preimage = Vec::with_capacity(32 + seed.len() + role.len());
        preimage.extend_from_slice(b"ccip-local/key");
        preimage.extend_from_slice(&(seed.len() as u64).to_be_bytes());
        preimage.extend_from_slice(seed.as_bytes());
        preimage.extend_from_slice(&(role.len() as u64).to_be_bytes());
        preimage.extend_from_slice(role.as_bytes());
        preimage.extend_from_slice(&index.to_be_bytes());
        preimage.extend_from_slice(&counter.to_be_bytes());
        let hash: B256 = keccak256(&preimage);
        if let Ok(signer) = PrivateKeySigner::from_bytes(&hash) {
            return Ok(signer);
        }
    }
    Err(CoreError::Key {
        role: role.to_owned(),
        index,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivation_is_deterministic_and_role_separated() {
        let a = derive_key("s", role::USER, 0).expect("key");
        let b = derive_key("s", role::USER, 0).expect("key");
        let c = derive_key("s", role::USER, 1).expect("key");
        let d = derive_key("s", role::DEPLOYER, 0).expect("key");
        let e = derive_key("t", role::USER, 0).expect("key");
        assert_eq!(a.address(), b.address());
        for other in [&c, &d, &e] {
            assert_ne!(a.address(), other.address());
        }
        let keys = Keys::derive("s", KeyConfig::default()).expect("keys");
        assert_eq!(keys.commit_signers.len(), 4);
        assert_eq!(keys.users[0].address(), a.address());
    }
}
