//! Which network file and which key a user command acts with.

use std::path::PathBuf;

use ccip_client::Client;
use ccip_deploy::DEFAULT_NETWORK_FILE;
use clap::Args;
use eyre::{Context, Result};

/// Which network and which key.
#[derive(Debug, Args)]
pub(crate) struct UserOptions {
    /// The network file written by `ccip up` / `ccip deploy`.
    #[arg(long, default_value = DEFAULT_NETWORK_FILE)]
    network: PathBuf,
    /// Index of the network file's funded test account to sign with.
    #[arg(long, default_value_t = 0)]
    account: usize,
    /// Sign with this private key (hex) instead of a test account.
    #[arg(long, conflicts_with = "account")]
    private_key: Option<String>,
}

impl UserOptions {
    pub(crate) fn client(&self) -> Result<Client> {
        let client = Client::from_file(&self.network).wrap_err_with(|| {
            format!(
                "reading {} (run `ccip up` first, or pass --network)",
                self.network.display()
            )
        })?;
        Ok(match &self.private_key {
            Some(key) => client.with_private_key(key)?,
            None => client.with_account(self.account)?,
        })
    }
}
