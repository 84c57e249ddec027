//! What the commands that act on a network file share: reading it with a message naming the
//! file, finding a chain by name (listing the names there are), and the control API of the
//! running `ccip up` (or saying there is none).

use std::path::Path;

use ccip_deploy::{ChainDeployment, NetworkFile};
use eyre::{Context, Result};

/// Reads the network file at `path`.
pub(crate) fn read(path: &Path) -> Result<NetworkFile> {
    NetworkFile::read(path).wrap_err_with(|| format!("reading {}", path.display()))
}

/// The chain called `name` in `network` (read from `path`).
pub(crate) fn chain<'a>(
    network: &'a NetworkFile,
    path: &Path,
    name: &str,
) -> Result<&'a ChainDeployment> {
    network.chain(name).ok_or_else(|| {
        let names: Vec<&str> = network.chains.iter().map(|c| c.name.as_str()).collect();
        eyre::eyre!(
            "no chain {name:?} in {} (chains: {})",
            path.display(),
            names.join(", ")
        )
    })
}

/// The control API of the `ccip up` running `network`; `what` says what needs it.
pub(crate) fn control_url<'a>(
    network: &'a NetworkFile,
    path: &Path,
    what: &str,
) -> Result<&'a str> {
    network
        .control_url
        .as_deref()
        .ok_or_else(|| eyre::eyre!("{} has no running `ccip up` ({what})", path.display()))
}
