//! The control API of a running `ccip up`: a small HTTP endpoint on 127.0.0.1 through which the
//! `ccip chain ...` and `ccip rpc ...` commands act on the chains `up` owns and on the proxies
//! between them and the networks. `POST /chain/<kill|restart>/<name>`,
//! `POST /rpc/<name>/<delay/MS | drop/PCT | http500 | blackhole/SECS | heal>`; the answer is one
//! line of text (200: what changed; 400/404: why not).

use std::{net::SocketAddr, time::Duration};

use ccip_faults::Fault;

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::{mpsc, oneshot},
};

/// What a control request asks of `up`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    /// Stop a chain (its state saved) and keep it down.
    Kill(String),
    /// Start a stopped chain again from its state.
    Restart(String),
    /// Degrade (or heal) what the networks see of a chain's RPC; a blackhole lasts `secs`.
    Rpc {
        /// The chain.
        name: String,
        /// What its proxy does from now on.
        fault: Fault,
        /// Heal after this many seconds (blackholes).
        secs: Option<u64>,
    },
    /// Make committing node `node` behave as `behaviour`.
    Behave {
        /// The node's index.
        node: usize,
        /// How.
        behaviour: ccip_commit::Behaviour,
    },
}

/// A request with the way back to its caller.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) action: Action,
    pub(crate) reply: oneshot::Sender<Result<String, String>>,
}

/// Serves the control API on a free local port; requests arrive on the returned channel.
pub(crate) async fn serve() -> std::io::Result<(SocketAddr, mpsc::Receiver<Request>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = mpsc::channel(8);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(answer(socket, tx.clone()));
        }
    });
    Ok((addr, rx))
}

/// The action of a request line such as `POST /chain/kill/beta HTTP/1.1`.
fn parse(request_line: &str) -> Result<Action, String> {
    let mut parts = request_line.split_whitespace();
    let (method, path) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    if method != "POST" {
        return Err(format!("{method} {path}: only POST is served"));
    }
    match path
        .trim_matches('/')
        .split('/')
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["chain", "kill", name] if !name.is_empty() => Ok(Action::Kill((*name).to_owned())),
        ["chain", "restart", name] if !name.is_empty() => Ok(Action::Restart((*name).to_owned())),
        ["rpc", name, rest @ ..] if !name.is_empty() => {
            let number = |v: &str| {
                v.parse::<u64>()
                    .map_err(|_| format!("{path}: {v:?} is not a number"))
            };
            let (fault, secs) = match rest {
                ["delay", ms] => (Fault::Delay(Duration::from_millis(number(ms)?)), None),
                ["drop", pct] => {
                    let pct = number(pct)?;
                    if pct > 100 {
                        return Err(format!("{path}: drop {pct} % is above 100"));
                    }
                    (Fault::Drop(pct as u8), None)
                }
                ["http500"] => (Fault::Http500, None),
                ["blackhole", secs] => (Fault::Blackhole, Some(number(secs)?)),
                ["heal"] => (Fault::None, None),
                _ => return Err(format!("{path}: no such rpc fault")),
            };
            Ok(Action::Rpc {
                name: (*name).to_owned(),
                fault,
                secs,
            })
        }
        ["behave", "commit", node, how] => {
            let node = node
                .parse()
                .map_err(|_| format!("{path}: node {node:?} is not a number"))?;
            let behaviour = match *how {
                "honest" => ccip_commit::Behaviour::Honest,
                "silent" => ccip_commit::Behaviour::Silent,
                "lie" => ccip_commit::Behaviour::SignGarbage,
                other => return Err(format!("{path}: {other:?} is not honest, silent or lie")),
            };
            Ok(Action::Behave { node, behaviour })
        }
        _ => Err(format!("{path}: no such control action")),
    }
}

async fn answer(mut socket: TcpStream, requests: mpsc::Sender<Request>) {
    let mut buf = vec![0u8; 2048];
    let n = socket.read(&mut buf).await.unwrap_or(0);
    let text = String::from_utf8_lossy(&buf[..n]);
    let line = text.lines().next().unwrap_or_default();
    let (status, body) = match parse(line) {
        Err(e) => ("404 Not Found", e),
        Ok(action) => {
            let (reply, answer) = oneshot::channel();
            let outcome = match requests.send(Request { action, reply }).await {
                Ok(()) => answer
                    .await
                    .unwrap_or_else(|_| Err("ccip up is stopping".into())),
                Err(_) => Err("ccip up is stopping".into()),
            };
            match outcome {
                Ok(done) => ("200 OK", done),
                Err(why) => ("400 Bad Request", why),
            }
        }
    };
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = socket.write_all(response.as_bytes()).await;
    let _ = socket.shutdown().await;
}

/// Sends `POST <path>` to the control API at `url` (`http://127.0.0.1:PORT`); the answer's body,
/// or an error with it.
pub(crate) async fn call(url: &str, path: &str) -> eyre::Result<String> {
    let authority = url.trim_start_matches("http://").trim_end_matches('/');
    let mut socket = TcpStream::connect(authority).await.map_err(|e| {
        eyre::eyre!("the `ccip up` of this network file does not answer at {url} ({e}); is it still running?")
    })?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nhost: {authority}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    );
    socket.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    socket.read_to_string(&mut response).await?;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    if head.starts_with("HTTP/1.1 200") {
        Ok(body.to_owned())
    } else {
        Err(eyre::eyre!("{}", body.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines_map_to_actions() {
        assert_eq!(
            parse("POST /chain/kill/beta HTTP/1.1"),
            Ok(Action::Kill("beta".into()))
        );
        assert_eq!(
            parse("POST /chain/restart/alpha HTTP/1.1"),
            Ok(Action::Restart("alpha".into()))
        );
        assert!(parse("GET /chain/kill/beta HTTP/1.1").is_err());
        assert!(parse("POST /chain/kill/ HTTP/1.1").is_err());
        assert!(parse("POST /chain/explode/beta HTTP/1.1").is_err());
        assert_eq!(
            parse("POST /rpc/beta/drop/30 HTTP/1.1"),
            Ok(Action::Rpc {
                name: "beta".into(),
                fault: Fault::Drop(30),
                secs: None
            })
        );
        assert_eq!(
            parse("POST /rpc/beta/blackhole/5 HTTP/1.1"),
            Ok(Action::Rpc {
                name: "beta".into(),
                fault: Fault::Blackhole,
                secs: Some(5)
            })
        );
        assert!(parse("POST /rpc/beta/drop/101 HTTP/1.1").is_err());
        assert!(parse("POST /rpc/beta/delay/soon HTTP/1.1").is_err());
        assert_eq!(
            parse("POST /behave/commit/2/lie HTTP/1.1"),
            Ok(Action::Behave {
                node: 2,
                behaviour: ccip_commit::Behaviour::SignGarbage
            })
        );
        assert!(parse("POST /behave/commit/2/sing HTTP/1.1").is_err());
    }
}
