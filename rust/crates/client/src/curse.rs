//! Owner curses and uncurses on a chain's ARM, signed with the deployer key.

use alloy::primitives::{B256, FixedBytes};
use ccip_bindings::arm::ARM;
use ccip_protocol::chain_subject;

use crate::{
    client::{ChainRef, Client},
    error::Result,
};

pub use ccip_protocol::GLOBAL_CURSE_SUBJECT;

/// What to curse on a chain's ARM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CurseSubject {
    /// The lanes to and from the remote chain with this selector.
    Lane(u64),
    /// Every lane of the chain.
    Global,
}

impl CurseSubject {
    /// The ARM's `bytes16` subject.
    pub fn bytes(self) -> FixedBytes<16> {
        match self {
            Self::Lane(selector) => chain_subject(selector),
            Self::Global => GLOBAL_CURSE_SUBJECT,
        }
    }
}

impl Client {
    /// `ARM.ownerCurse([subject])` on `chain` with the deployer key; returns the transaction.
    pub async fn curse(&self, chain: impl Into<ChainRef>, subject: CurseSubject) -> Result<B256> {
        self.owner_curse(chain.into(), subject, true).await
    }

    /// `ARM.ownerUncurse([subject])` on `chain` with the deployer key; returns the transaction.
    pub async fn uncurse(&self, chain: impl Into<ChainRef>, subject: CurseSubject) -> Result<B256> {
        self.owner_curse(chain.into(), subject, false).await
    }

    /// The subjects cursed on `chain`'s ARM right now.
    pub async fn cursed_subjects(&self, chain: impl Into<ChainRef>) -> Result<Vec<FixedBytes<16>>> {
        let index = self.chain_index(&chain.into())?;
        ARM::new(self.chain_at(index).contracts.arm, self.reader_at(index))
            .getCursedSubjects()
            .call()
            .await
            .map_err(|e| self.call_error(index, "ARM.getCursedSubjects", e))
    }

    async fn owner_curse(
        &self,
        chain: ChainRef,
        subject: CurseSubject,
        curse: bool,
    ) -> Result<B256> {
        let index = self.chain_index(&chain)?;
        let deployer = self.deployer_key()?;
        let provider = self.signing_provider(index, &deployer)?;
        let arm = ARM::new(self.chain_at(index).contracts.arm, &provider);
        let subjects = vec![subject.bytes()];
        let (action, tx) = if curse {
            (
                "ARM.ownerCurse",
                arm.ownerCurse(subjects).into_transaction_request(),
            )
        } else {
            (
                "ARM.ownerUncurse",
                arm.ownerUncurse(subjects).into_transaction_request(),
            )
        };
        let receipt = self
            .transact(index, &provider, deployer.address(), action, tx)
            .await?;
        tracing::info!(chain = %self.chain_at(index).name, ?subject, curse, "ARM updated");
        Ok(receipt.transaction_hash)
    }
}
