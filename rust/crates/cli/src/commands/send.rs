//! `ccip send`: data and/or tokens on a lane; prints the message id.

use alloy::{
    hex,
    primitives::{Address, utils::format_units},
    sol_types::SolValue,
};
use ccip_bindings::faucet_token::FaucetToken;
use ccip_client::{Client, FeeToken, SendRequest, TokenRef, parse_token_amount};
use clap::Args;
use eyre::{Context, Result, eyre};

use crate::user_options::UserOptions;

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
