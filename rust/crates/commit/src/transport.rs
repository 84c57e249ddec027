//! How a leader reaches its peers for signatures: the seam between the committing nodes. Today
//! every node of a network runs in one process and [`InProcess`] carries requests over channels;
//! a network transport for independent operators implements the same trait.

use std::sync::Arc;

use futures::future::BoxFuture;
use tokio::sync::{mpsc, oneshot};

use crate::node::{Proposal, ReportSignature};

/// A peer's request to sign, as a follower receives it.
#[derive(Debug)]
pub struct SignRequest {
    /// What to sign.
    pub proposal: Arc<Proposal>,
    /// Where the answer goes.
    pub reply: oneshot::Sender<Result<ReportSignature, String>>,
}

/// Carries a leader's proposals to the other nodes and their answers back.
pub trait Transport: Send + Sync + std::fmt::Debug {
    /// How many nodes there are (peers are numbered `0..nodes()`, in signer order).
    fn nodes(&self) -> usize;

    /// Asks node `peer` to sign `proposal`: its signature, or why there is none (a refusal, an
    /// unreachable or silent peer).
    fn ask(
        &self,
        peer: usize,
        proposal: Arc<Proposal>,
    ) -> BoxFuture<'static, Result<ReportSignature, String>>;
}

/// Every node's link to the others.
pub type Peers = Arc<dyn Transport>;

/// Nodes in one process: one channel into each node's follower task.
#[derive(Debug)]
pub struct InProcess {
    inboxes: Vec<mpsc::Sender<SignRequest>>,
}

impl InProcess {
    /// A transport between `n` nodes and, for node `i`, the receiving end of its requests.
    pub fn new(n: usize) -> (Arc<Self>, Vec<mpsc::Receiver<SignRequest>>) {
        let (inboxes, receivers) = (0..n).map(|_| mpsc::channel(64)).unzip();
        (Arc::new(Self { inboxes }), receivers)
    }
}

impl Transport for InProcess {
    fn nodes(&self) -> usize {
        self.inboxes.len()
    }

    fn ask(
        &self,
        peer: usize,
        proposal: Arc<Proposal>,
    ) -> BoxFuture<'static, Result<ReportSignature, String>> {
        let inbox = self.inboxes.get(peer).cloned();
        Box::pin(async move {
            let inbox = inbox.ok_or_else(|| format!("no node {peer}"))?;
            let (reply, answer) = oneshot::channel();
            inbox
                .send(SignRequest { proposal, reply })
                .await
                .map_err(|_| format!("node {peer} is stopped"))?;
            answer
                .await
                .map_err(|_| format!("node {peer} dropped the request"))?
        })
    }
}
