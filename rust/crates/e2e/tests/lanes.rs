//! Every lane of a three-chain mesh, with all three networks running: data-only messages,
//! burn/mint and lock/release token transfers, a programmable token transfer, strictly ordered
//! and out-of-order sequences, and a receiver that fails and then succeeds on manual execution
//! with more gas. Each asserts the destination's state, not only the status.

use alloy::primitives::U256;
use ccip_bindings::messenger::Messenger;
use ccip_client::{MessageState, SendRequest, TokenRef};
use ccip_e2e::Harness;
use ccip_runner::RunnerConfig;

const ONE: u128 = 1_000_000_000_000_000_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_kind_of_message_is_delivered_on_all_six_lanes() -> eyre::Result<()> {
    let h = Harness::up("e2e-lanes", 3, RunnerConfig::local(0)).await?;
    let names: Vec<String> = h.network().chains.iter().map(|c| c.name.clone()).collect();
    let bnm = TokenRef::from("BnM");
    let lnm = TokenRef::from("LnM");
    let mut lanes = 0;
    for src in &names {
        for dst in &names {
            if src == dst {
                continue;
            }
            lanes += 1;
            let lane = format!("{src}->{dst}");
            let dest = h
                .network()
                .chain(dst)
                .ok_or_else(|| eyre::eyre!("no {dst}"))?;
            let messenger =
                Messenger::new(dest.contracts.messenger, h.client.provider(dst.as_str())?);
            let count_before = messenger.getReceivedCount().call().await?;
            let bnm_before = h.client.balance(dst.as_str(), &bnm).await?;
            let lnm_before = h.client.balance(dst.as_str(), &lnm).await?;
            let messenger_bnm = || async {
                let token = h.client.token_address(dst.as_str(), &bnm)?;
                let erc20 =
                    ccip_bindings::i_erc20::IERC20::new(token, h.client.provider(dst.as_str())?);
                eyre::Ok(erc20.balanceOf(dest.contracts.messenger).call().await?)
            };
            let vault_before = messenger_bnm().await?;

            // Strictly ordered: nonces 1, 2, 3 from this sender on this lane.
            let mut ordered = Vec::new();
            for i in 0..3 {
                let r = h
                    .client
                    .send(
                        SendRequest::new(src.as_str(), dst.as_str())
                            .text(&format!("{lane} ordered {i}")),
                    )
                    .await?;
                ordered.push(r);
            }
            for pair in ordered.windows(2) {
                assert_eq!(pair[1].nonce, pair[0].nonce + 1, "{lane}: nonces");
            }
            // Out of order: nonce 0, executable whatever comes before.
            let ooo = h
                .client
                .send(
                    SendRequest::new(src.as_str(), dst.as_str())
                        .text(&format!("{lane} out of order"))
                        .out_of_order(true),
                )
                .await?;
            assert_eq!(ooo.nonce, 0, "{lane}: out-of-order nonce");
            // Burn/mint and lock/release to an EOA (the sender's own address there).
            let burn = h
                .client
                .send(SendRequest::new(src.as_str(), dst.as_str()).token("BnM", U256::from(ONE)))
                .await?;
            let lock = h
                .client
                .send(
                    SendRequest::new(src.as_str(), dst.as_str()).token("LnM", U256::from(2 * ONE)),
                )
                .await?;
            // Tokens and data together into a contract.
            let programmable = h
                .client
                .send(
                    SendRequest::new(src.as_str(), dst.as_str())
                        .text(&format!("{lane} with tokens"))
                        .token("BnM", U256::from(3 * ONE))
                        .receiver(dest.contracts.messenger),
                )
                .await?;
            // Too little gas for the receiver: fails on chain, is kept for manual execution.
            let starved = h
                .client
                .send(
                    SendRequest::new(src.as_str(), dst.as_str())
                        .text(&format!("{lane} starved"))
                        .gas_limit(5_000)
                        // Past the client's gas check on purpose: the failure is the point.
                        .force(true),
                )
                .await?;

            for r in ordered.iter().chain([&ooo, &burn, &lock, &programmable]) {
                h.wait(r.message_id, MessageState::Executed).await?;
            }
            h.wait(starved.message_id, MessageState::Failed).await?;
            let status = h.client.status(starved.message_id).await?;
            assert!(
                status
                    .failure_reason()
                    .is_some_and(|r| r.contains("ReceiverError")),
                "{lane}: {:?}",
                status.failure_reason()
            );
            let manual = h
                .client
                .manual_execute(starved.message_id, Some(200_000))
                .await?;
            assert_eq!(
                manual.state,
                ccip_client::ExecutionState::Success,
                "{lane}: manual execution"
            );
            h.wait(starved.message_id, MessageState::Executed).await?;

            // The destination's state: five texts received (3 ordered, 1 out of order, 1 with
            // tokens) plus the starved one after manual execution; tokens where they belong.
            assert_eq!(
                messenger.getReceivedCount().call().await?,
                count_before + U256::from(6),
                "{lane}"
            );
            assert_eq!(
                messenger.getLastReceived().call().await?.text,
                format!("{lane} starved"),
                "{lane}: last text is the manually executed one"
            );
            assert_eq!(
                h.client.balance(dst.as_str(), &bnm).await?,
                bnm_before + U256::from(ONE),
                "{lane}: BnM minted"
            );
            assert_eq!(
                h.client.balance(dst.as_str(), &lnm).await?,
                lnm_before + U256::from(2 * ONE),
                "{lane}: LnM released"
            );
            assert_eq!(
                messenger_bnm().await?,
                vault_before + U256::from(3 * ONE),
                "{lane}: tokens reached the contract"
            );
            // Each message executed exactly once, and the failed one twice in all.
            for r in ordered.iter().chain([&ooo, &burn, &lock, &programmable]) {
                assert_eq!(
                    h.client.status(r.message_id).await?.executions.len(),
                    1,
                    "{lane}"
                );
            }
            assert_eq!(
                h.client.status(starved.message_id).await?.executions.len(),
                2,
                "{lane}"
            );
        }
    }
    assert_eq!(lanes, 6);
    Ok(())
}
