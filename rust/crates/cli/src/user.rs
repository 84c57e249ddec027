//! The user commands: `send`, `status`, `manual-exec`, `curse`, `uncurse`.

use std::{path::PathBuf, time::Duration};

use alloy::{
    hex,
    primitives::{Address, B256, utils::format_units},
    sol_types::SolValue,
};
use ccip_bindings::faucet_token::FaucetToken;
use ccip_client::{
    Client, CurseSubject, ExecutionState, FeeToken, MessageState, SendRequest, TokenRef,
    parse_token_amount,
};
use ccip_deploy::DEFAULT_NETWORK_FILE;
use clap::Args;
use eyre::{Context, Result, bail, eyre};

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
    fn client(&self) -> Result<Client> {
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

#[derive(Debug, Args)]
pub(crate) struct SendArgs {
    /// Source chain (name or selector).
    #[arg(long)]
    from: String,
    /// Destination chain (name or selector).
    #[arg(long)]
    to: String,
    /// Data: `0x…` hex is sent as is; any other text is sent as `abi.encode(string)`, which the
    /// Messenger example (the default receiver) decodes.
    #[arg(long)]
    data: Option<String>,
    /// A token to carry, `SYMBOL:amount` or `0xTOKEN:amount` (BnM, LnM, LINK; amount in whole
    /// tokens, decimals allowed, or in base units with a `wei` suffix). Repeatable.
    #[arg(long = "token")]
    tokens: Vec<String>,
    /// Receiver on the destination (default: its Messenger without tokens, your own address with).
    #[arg(long)]
    receiver: Option<Address>,
    /// Receiver gas limit (extraArgs V2).
    #[arg(long)]
    gas_limit: Option<u64>,
    /// Allow out-of-order execution (extraArgs V2).
    #[arg(long)]
    out_of_order: bool,
    /// Fee token: native, link or a token address.
    #[arg(long, default_value = "native")]
    fee_token: String,
    /// Send even if the receiver's ccipReceive is estimated to need more gas than the limit (the
    /// message then fails on arrival and waits for `manual-exec`).
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    user: UserOptions,
}

#[derive(Debug, Args)]
pub(crate) struct StatusArgs {
    /// Message id.
    id: B256,
    /// Wait until the message reaches this state (sent, committed, blessed, failed, executed)
    /// or ends (`done`: executed or failed).
    #[arg(long)]
    wait: Option<String>,
    /// Seconds to wait at most.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    #[command(flatten)]
    user: UserOptions,
}

#[derive(Debug, Args)]
pub(crate) struct ManualExecArgs {
    /// Message id.
    id: B256,
    /// Receiver gas limit for this execution (at least the message's own).
    #[arg(long)]
    gas_limit: Option<u64>,
    #[command(flatten)]
    user: UserOptions,
}

#[derive(Debug, Args)]
pub(crate) struct CurseArgs {
    /// Chain whose ARM is changed.
    #[arg(long)]
    chain: String,
    /// Curse only the lanes to and from this chain.
    #[arg(long, required_unless_present = "global", conflicts_with = "global")]
    remote: Option<String>,
    /// Curse every lane of the chain.
    #[arg(long)]
    global: bool,
    /// The network file.
    #[arg(long, default_value = DEFAULT_NETWORK_FILE)]
    network: PathBuf,
}

pub(crate) async fn send(args: SendArgs) -> Result<()> {
    let client = args.user.client()?;
    let mut request = SendRequest::new(args.from.as_str(), args.to.as_str())
        .fee_token(args.fee_token.parse::<FeeToken>()?)
        .out_of_order(args.out_of_order);
    if let Some(data) = &args.data {
        request = match data.strip_prefix("0x") {
            Some(h) => request.data(hex::decode(h).wrap_err("--data: bad hex")?),
            None => request.data(data.clone().abi_encode()),
        };
    }
    for spec in &args.tokens {
        let (token, amount) = spec
            .rsplit_once(':')
            .ok_or_else(|| eyre!("--token {spec:?}: expected SYMBOL:amount"))?;
        let token: TokenRef = token.into();
        let decimals = match amount.trim().ends_with("wei") {
            true => 0,
            false => token_decimals(&client, &args.from, &token).await?,
        };
        let amount =
            parse_token_amount(amount, decimals).wrap_err_with(|| format!("--token {spec:?}"))?;
        request = request.token(token, amount);
    }
    if let Some(receiver) = args.receiver {
        request = request.receiver(receiver);
    }
    if let Some(gas) = args.gas_limit {
        request = request.gas_limit(gas);
    }
    request = request.force(args.force);
    let sent = client.send(request).await?;
    println!("{}", sent.message_id);
    println!(
        "lane {} -> {}  seq {}  nonce {}  fee {} (token {})  tx {}  block {}",
        sent.source,
        sent.dest,
        sent.sequence_number,
        sent.nonce,
        format_units(sent.fee_paid, 18).unwrap_or_else(|_| sent.fee_paid.to_string()),
        sent.fee_token,
        sent.tx_hash,
        sent.block_number
    );
    Ok(())
}

async fn token_decimals(client: &Client, chain: &str, token: &TokenRef) -> Result<u8> {
    let address = client.token_address(chain, token)?;
    FaucetToken::new(address, client.provider(chain)?)
        .decimals()
        .call()
        .await
        .wrap_err_with(|| format!("decimals() of {address}"))
}

fn parse_state(s: &str) -> Result<Option<MessageState>> {
    Ok(Some(match s.to_ascii_lowercase().as_str() {
        "sent" => MessageState::Sent,
        "committed" => MessageState::Committed,
        "blessed" => MessageState::Blessed,
        "failed" => MessageState::Failed,
        "executed" => MessageState::Executed,
        "done" => return Ok(None),
        other => bail!("--wait {other:?}: use sent, committed, blessed, failed, executed or done"),
    }))
}

pub(crate) async fn status(args: StatusArgs) -> Result<()> {
    let client = args.user.client()?;
    let timeout = Duration::from_secs(args.timeout);
    let status = match args.wait.as_deref().map(parse_state).transpose()? {
        None => client.status(args.id).await?,
        Some(None) => client.wait_for_outcome(args.id, timeout).await?,
        Some(Some(target)) => client.wait_for_state(args.id, target, timeout).await?,
    };
    print!("{status}");
    Ok(())
}

pub(crate) async fn manual_exec(args: ManualExecArgs) -> Result<()> {
    let client = args.user.client()?;
    let outcome = client.manual_execute(args.id, args.gas_limit).await?;
    match outcome.state {
        ExecutionState::Success => println!(
            "executed {}  tx {}",
            outcome.message_id,
            outcome.tx_hash.map(|t| t.to_string()).unwrap_or_default()
        ),
        _ => bail!(
            "message {} would fail again (nothing sent): {}",
            outcome.message_id,
            outcome.reason.unwrap_or_default()
        ),
    }
    Ok(())
}

pub(crate) async fn curse(args: CurseArgs, curse: bool) -> Result<()> {
    let client = Client::from_file(&args.network)
        .wrap_err_with(|| format!("reading {}", args.network.display()))?;
    let subject = match &args.remote {
        Some(remote) if !args.global => {
            CurseSubject::Lane(client.chain(remote.as_str())?.chain_selector)
        }
        _ => CurseSubject::Global,
    };
    let chain = client.chain(args.chain.as_str())?.name.clone();
    let tx = if curse {
        client.curse(chain.as_str(), subject).await?
    } else {
        client.uncurse(chain.as_str(), subject).await?
    };
    let what = match (&args.remote, subject) {
        (Some(remote), CurseSubject::Lane(_)) => format!("lanes with {remote}"),
        _ => "every lane (global)".to_owned(),
    };
    println!(
        "{} {what} on {chain}'s ARM  tx {tx}",
        if curse { "cursed" } else { "uncursed" }
    );
    let cursed = client.cursed_subjects(chain.as_str()).await?;
    println!("cursed subjects on {chain} now: {}", cursed.len());
    Ok(())
}
