//! `ccip behave commit NODE honest|silent|lie`: make one committing node of a running `ccip up`
//! misbehave (or behave again), to see the f-tolerance at work: a report needs f+1 valid
//! signatures, so lying nodes never get a wrong root committed, and silent ones stop commits only
//! when fewer than f+1 nodes are left honest.

use std::path::PathBuf;

use ccip_deploy::DEFAULT_NETWORK_FILE;
use clap::{Args, ValueEnum};
use eyre::Result;

use crate::{control, target_network};

/// Which off-chain network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Which {
    /// The committing network.
    Commit,
    /// The executing network.
    Execute,
    /// The risk management network.
    Risk,
}

/// How the node behaves from now on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum How {
    /// Follow the protocol.
    Honest,
    /// Never answer and never lead (a crashed or partitioned node).
    Silent,
    /// Sign garbage and, as leader, propose roots the source never produced.
    Lie,
}

#[derive(Debug, Args)]
pub(crate) struct BehaveArgs {
    /// The network of the node.
    which: Which,
    /// The node's index (0-based).
    node: usize,
    /// Its behaviour from now on.
    how: How,
    /// The network file of the running `ccip up`.
    #[arg(long, default_value = DEFAULT_NETWORK_FILE)]
    network: PathBuf,
}

pub(crate) async fn behave(args: BehaveArgs) -> Result<()> {
    if args.which != Which::Commit {
        eyre::bail!(
            "only committing nodes can be told to misbehave so far (`ccip behave commit NODE ...`)"
        );
    }
    let network = target_network::read(&args.network)?;
    let nodes = network.roles.commit_signers.len();
    if args.node >= nodes {
        eyre::bail!(
            "no committing node {} (there are {nodes}: 0..{})",
            args.node,
            nodes.saturating_sub(1)
        );
    }
    let url = target_network::control_url(
        &network,
        &args.network,
        "behave acts on the nodes `ccip up` runs",
    )?;
    let how = match args.how {
        How::Honest => "honest",
        How::Silent => "silent",
        How::Lie => "lie",
    };
    let answer = control::call(url, &format!("/behave/commit/{}/{how}", args.node)).await?;
    println!("{}", answer.trim());
    Ok(())
}
