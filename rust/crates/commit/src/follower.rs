//! A node as a follower: it answers a leader's proposal with its signature only if, from its own
//! observation, it would have proposed the same. The decisions are pure functions of what the
//! node read ([`check_context`], [`check_interval`]), unit-tested without a chain; [`CommitNode`]
//! gathers the facts and signs.

use std::sync::Arc;

use alloy::primitives::B256;
use ccip_protocol::Interval;
use tokio::{
    sync::{mpsc, watch},
    time::Instant,
};
use tracing::debug;

use crate::{
    Behaviour, CommitError, CommitMetrics,
    node::{CommitNode, Proposal, ReportSignature, leader_for},
    prices::check_proposed,
    transport::SignRequest,
};

/// What a follower knows about a lane when a proposal arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaneFacts {
    /// The CommitStore's config digest.
    pub config_digest: B256,
    /// The CommitStore's next expected sequence number.
    pub expected: u64,
    /// The CommitStore's latest price epoch and round.
    pub latest_epoch: u64,
    /// Whether the proposer's turn as leader for `expected` has come.
    pub leader_turn: bool,
    /// Another leader whose interval from `expected` this node signed within the leader timeout.
    pub in_flight_with: Option<usize>,
}

/// The checks that need no observation of messages: the right CommitStore config, a fresh epoch,
/// and (for an interval) the proposer's turn, with no other leader's interval in flight.
pub fn check_context(proposal: &Proposal, facts: &LaneFacts) -> Result<(), String> {
    if proposal.config_digest != facts.config_digest {
        return Err(format!(
            "config digest {} is not {}",
            proposal.config_digest, facts.config_digest
        ));
    }
    if proposal.epoch_and_round <= facts.latest_epoch {
        return Err(format!(
            "epoch and round {} is not above {}",
            proposal.epoch_and_round, facts.latest_epoch
        ));
    }
    if proposal.report.is_price_only() {
        return Ok(());
    }
    if !facts.leader_turn {
        return Err(format!(
            "node {} is not the leader for {} at {}",
            proposal.leader, proposal.lane, facts.expected
        ));
    }
    if let Some(leader) = facts.in_flight_with.filter(|&l| l != proposal.leader) {
        return Err(format!(
            "interval from {} is in flight with node {leader}",
            facts.expected
        ));
    }
    Ok(())
}

/// The interval check: it starts where the CommitStore expects, is not too long, and its root is
/// the one this node computed from the messages it observed (`observed`, over the same interval).
pub fn check_interval(
    interval: Interval,
    root: B256,
    expected: u64,
    max_interval: u64,
    observed: B256,
) -> Result<(), String> {
    let Interval { min, max } = interval;
    if min != expected || max < min || max - min + 1 > max_interval {
        return Err(format!(
            "interval {min}..={max} does not start at {expected} or is too long"
        ));
    }
    if observed != root {
        return Err(format!(
            "root {root} does not match the observed {observed}"
        ));
    }
    Ok(())
}

impl CommitNode {
    /// Answers peers' proposals until `shutdown` turns true.
    pub(crate) async fn answer_loop(
        self: Arc<Self>,
        mut inbox: mpsc::Receiver<SignRequest>,
        mut shutdown: watch::Receiver<bool>,
    ) {
        loop {
            let request = tokio::select! {
                r = inbox.recv() => match r { Some(r) => r, None => return },
                _ = shutdown.changed() => return,
            };
            if self.behaviour.get() == Behaviour::Silent {
                // Dropping the reply is what a dead peer looks like.
                continue;
            }
            // Each answer is its own task: a slow lane must not hold up the others.
            let node = self.clone();
            tokio::spawn(async move {
                let answer = node.answer(&request.proposal).await;
                if let Err(reason) = &answer {
                    CommitMetrics::add(&node.metrics.refusals, 1);
                    debug!(node = node.index, lane = %request.proposal.lane, %reason, "refused to sign");
                }
                let _ = request.reply.send(answer.map_err(|e| e.to_string()));
            });
        }
    }

    /// Signs a peer's proposal only if this node, from its own observation, would have proposed
    /// the same interval and root, the proposer's turn has come, and the prices are ones it sees.
    async fn answer(&self, proposal: &Proposal) -> Result<ReportSignature, CommitError> {
        if self.behaviour.get() == Behaviour::SignGarbage {
            return self.sign(proposal);
        }
        let lane = self
            .lanes
            .get(&proposal.lane)
            .ok_or(CommitError::UnknownLane(proposal.lane))?;
        let expected = self.next_expected(lane).await?;
        let latest_epoch = self.latest_epoch(lane).await?;
        let (leader_turn, in_flight_with) = {
            let mut round = lane.round.lock().map_err(|_| CommitError::Poisoned)?;
            let (attempt, _) = round.attempt(expected, self.config.leader_timeout);
            let turn = (0..=attempt + 1)
                .any(|a| leader_for(proposal.lane, expected, a, self.n) == proposal.leader);
            let in_flight = round
                .last_signed
                .filter(|&(min, _, at)| {
                    min == expected && at.elapsed() < self.config.leader_timeout
                })
                .map(|(_, leader, _)| leader);
            (turn, in_flight)
        };
        let facts = LaneFacts {
            config_digest: lane.config_digest,
            expected,
            latest_epoch,
            leader_turn,
            in_flight_with,
        };
        check_context(proposal, &facts).map_err(CommitError::Refused)?;
        let report = &proposal.report;
        if !report.is_price_only() {
            let Interval { min, max } = report.interval;
            if max >= min && self.store.last_seq(proposal.lane)?.unwrap_or(0) < max {
                self.poll_source(lane).await?;
            }
            let observed = match max >= min && min == expected {
                true => self.root(proposal.lane, min, max)?,
                false => B256::ZERO,
            };
            check_interval(
                report.interval.clone(),
                report.merkleRoot,
                expected,
                self.config.max_interval,
                observed,
            )
            .map_err(CommitError::Refused)?;
            self.store
                .record_signature(proposal.lane, min, max, observed)?;
        }
        if !report.priceUpdates.gasPriceUpdates.is_empty()
            || !report.priceUpdates.tokenPriceUpdates.is_empty()
        {
            let own = self.observe_prices(lane).await?;
            check_proposed(
                proposal.lane.source,
                &report.priceUpdates,
                &own,
                &self.config.prices,
            )
            .map_err(CommitError::Refused)?;
        }
        if !report.is_price_only()
            && let Ok(mut round) = lane.round.lock()
        {
            round.last_signed = Some((expected, proposal.leader, Instant::now()));
        }
        self.sign(proposal)
    }
}

#[cfg(test)]
mod tests {
    use ccip_protocol::CommitReport;
    use ccip_store::LaneKey;

    use super::*;

    fn proposal(min: u64, max: u64, leader: usize) -> Proposal {
        Proposal {
            lane: LaneKey { source: 1, dest: 2 },
            leader,
            config_digest: B256::repeat_byte(7),
            epoch_and_round: 5,
            report: CommitReport {
                interval: Interval { min, max },
                merkleRoot: B256::repeat_byte(9),
                ..Default::default()
            },
        }
    }

    fn facts() -> LaneFacts {
        LaneFacts {
            config_digest: B256::repeat_byte(7),
            expected: 3,
            latest_epoch: 4,
            leader_turn: true,
            in_flight_with: None,
        }
    }

    #[test]
    fn a_proposal_in_turn_on_the_right_config_passes() {
        assert_eq!(check_context(&proposal(3, 4, 1), &facts()), Ok(()));
        // The same leader re-proposing its own interval is fine.
        let again = LaneFacts {
            in_flight_with: Some(1),
            ..facts()
        };
        assert_eq!(check_context(&proposal(3, 4, 1), &again), Ok(()));
    }

    #[test]
    fn wrong_config_stale_epoch_wrong_turn_and_a_rival_in_flight_are_refused() {
        let p = proposal(3, 4, 1);
        let wrong = |f: LaneFacts| check_context(&p, &f).is_err();
        assert!(wrong(LaneFacts {
            config_digest: B256::ZERO,
            ..facts()
        }));
        assert!(wrong(LaneFacts {
            latest_epoch: 5,
            ..facts()
        }));
        assert!(wrong(LaneFacts {
            leader_turn: false,
            ..facts()
        }));
        assert!(wrong(LaneFacts {
            in_flight_with: Some(2),
            ..facts()
        }));
    }

    #[test]
    fn price_only_reports_need_no_turn() {
        let mut p = proposal(0, 0, 3);
        p.report = CommitReport::default();
        assert!(p.report.is_price_only());
        let f = LaneFacts {
            leader_turn: false,
            in_flight_with: Some(1),
            ..facts()
        };
        assert_eq!(check_context(&p, &f), Ok(()));
    }

    #[test]
    fn intervals_must_start_where_expected_fit_and_match_the_observed_root() {
        let root = B256::repeat_byte(9);
        let ok = |i: Interval, observed: B256| check_interval(i, root, 3, 4, observed);
        assert_eq!(ok(Interval { min: 3, max: 6 }, root), Ok(()));
        assert!(ok(Interval { min: 4, max: 6 }, root).is_err(), "gap");
        assert!(ok(Interval { min: 3, max: 7 }, root).is_err(), "too long");
        assert!(ok(Interval { min: 3, max: 2 }, root).is_err(), "empty");
        assert!(
            ok(Interval { min: 3, max: 6 }, B256::ZERO).is_err(),
            "other root"
        );
    }
}
