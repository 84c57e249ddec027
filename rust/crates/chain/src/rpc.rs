//! HTTP JSON-RPC clients whose every request ends: a timeout on the whole request and on
//! connecting, so a blackholed endpoint (connection accepted, never answered) turns into an
//! error the caller handles instead of a task that waits forever.

use std::time::Duration;

use alloy::{
    providers::{DynProvider, Provider, ProviderBuilder},
    rpc::client::RpcClient,
    signers::local::PrivateKeySigner,
    transports::http::reqwest::{self, Url},
};

use crate::{ChainError, Result};

/// Limits of one JSON-RPC request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RpcSettings {
    /// Longest a request may take, connecting included.
    pub timeout: Duration,
    /// Longest a TCP connect may take.
    pub connect_timeout: Duration,
}

impl Default for RpcSettings {
    /// Suited to local chains, which answer in milliseconds: a request that takes 2 s is stuck.
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(2),
            connect_timeout: Duration::from_secs(1),
        }
    }
}

pub(crate) fn parse_url(url: &str) -> Result<Url> {
    url.parse::<Url>().map_err(|e| ChainError::Rpc {
        url: url.to_owned(),
        method: "connect",
        reason: e.to_string(),
    })
}

fn client(url: &str, settings: RpcSettings) -> Result<RpcClient> {
    let http = reqwest::Client::builder()
        .timeout(settings.timeout)
        .connect_timeout(settings.connect_timeout)
        .build()
        .map_err(|e| ChainError::Rpc {
            url: url.to_owned(),
            method: "connect",
            reason: e.to_string(),
        })?;
    let parsed = parse_url(url)?;
    Ok(RpcClient::new_http_with_client(http, parsed))
}

/// A read-only HTTP provider with the default [`RpcSettings`].
pub fn http_provider(url: &str) -> Result<DynProvider> {
    http_provider_with(url, RpcSettings::default())
}

/// A read-only HTTP provider with these limits.
pub fn http_provider_with(url: &str, settings: RpcSettings) -> Result<DynProvider> {
    Ok(ProviderBuilder::new()
        .connect_client(client(url, settings)?)
        .erased())
}

/// A provider that signs with `signer` and fills nothing itself: nonce, gas, fees and chain id are
/// the transaction manager's to set, so a failed send can never consume a nonce behind its back.
pub(crate) fn signing_provider(
    url: &str,
    signer: PrivateKeySigner,
    settings: RpcSettings,
) -> Result<DynProvider> {
    Ok(ProviderBuilder::new()
        .disable_recommended_fillers()
        .wallet(signer)
        .connect_client(client(url, settings)?)
        .erased())
}
