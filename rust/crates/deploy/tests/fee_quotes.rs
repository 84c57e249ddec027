//! `ccip up` quotes the forge kit's fees: a mesh deployed by this crate on two anvils (chain ids
//! 1000 and 1001, `ccip up`'s first two) answers `Router.getFee` for each fixed message of
//! `test/vectors/lane_profile.json` with the fee `CCIPLocalNetwork` quoted for it on chains with the
//! same selectors (`test/vectors/LaneProfileVectors.t.sol`). Both sides take their lane parameters
//! from `LaneProfile.sol`; this checks they also deploy and price them the same way.

use alloy::{primitives::Address, providers::ProviderBuilder};
use ccip_bindings::router::{Client, Router};
use ccip_deploy::{ChainDeployment, DeployOptions, lane_profile_file, up};

/// A role's address on `chain`, as the kit's vectors test resolves it.
fn role(chain: &ChainDeployment, role: &str) -> eyre::Result<Address> {
    Ok(match role {
        "native" => Address::ZERO,
        "link" => chain.contracts.link_token,
        "bnm" => chain.tokens.bnm.token,
        "lnm" => chain.tokens.lnm.token,
        other => eyre::bail!("unknown role {other:?} in lane_profile.json"),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ccip_up_quotes_the_kits_fees() -> eyre::Result<()> {
    let quotes = &lane_profile_file()?.fee_quotes;
    let local = up(2, None, 0, &DeployOptions::default()).await?;
    let network = &local.deployment.network;
    let (source, dest) = (&network.chains[0], &network.chains[1]);
    // The kit quoted on these chains' selectors; fees do not depend on them today, but a lane
    // parameter keyed by chain would.
    assert_eq!(source.chain_id, quotes.source_chain_id);
    assert_eq!(dest.chain_id, quotes.dest_chain_id);
    assert_eq!(source.chain_selector, quotes.source_chain_selector);
    assert_eq!(dest.chain_selector, quotes.dest_chain_selector);

    let provider = ProviderBuilder::new().connect_http(source.rpc_url.parse()?);
    let router = Router::new(source.contracts.router, &provider);
    for quote in &quotes.quotes {
        let message = Client::EVM2AnyMessage {
            receiver: quote.receiver.clone(),
            data: quote.data.clone(),
            tokenAmounts: quote
                .token_amounts
                .iter()
                .map(|t| {
                    Ok(Client::EVMTokenAmount {
                        token: role(source, &t.token)?,
                        amount: t.amount,
                    })
                })
                .collect::<eyre::Result<_>>()?,
            feeToken: role(source, &quote.fee_token)?,
            extraArgs: quote.extra_args.clone(),
        };
        let fee = router.getFee(dest.chain_selector, message).call().await?;
        assert_eq!(fee, quote.fee, "{}: ccip up vs the kit", quote.name);
    }
    local.chains.shutdown();
    Ok(())
}
