//! A fault-injecting JSON-RPC proxy: it listens on a local port, forwards each HTTP request to
//! one upstream chain, and can be told to misbehave as a flaky RPC provider does: answer late,
//! drop connections, answer HTTP 500, or accept and never answer (a blackhole).
//!
//! Every request travels on a connection of its own (the proxy answers with
//! `Connection: close`), so a fault applies to requests, not to whole keep-alive sessions.

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    task::JoinHandle,
};

/// How the proxy treats requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fault {
    /// Forward everything.
    #[default]
    None,
    /// Forward each request after this delay.
    Delay(Duration),
    /// Close the connection without an answer for this percentage of requests (0..=100).
    Drop(u8),
    /// Answer every request with HTTP 500.
    Http500,
    /// Read the request and never answer (the connection stays open until the client gives up).
    Blackhole,
}

/// Counts of what the proxy did.
#[derive(Debug, Default)]
struct Counts {
    requests: AtomicU64,
    faulted: AtomicU64,
}

#[derive(Debug)]
struct Shared {
    upstream: SocketAddr,
    fault: Mutex<Fault>,
    counts: Counts,
    /// Drives the drop percentage deterministically (every n-th request), so a run is repeatable.
    ticket: AtomicU64,
}

/// A running proxy in front of one chain. Dropping it stops accepting connections.
#[derive(Debug)]
pub struct FaultProxy {
    /// `http://127.0.0.1:PORT`, to give the networks instead of the chain's URL.
    pub url: String,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl FaultProxy {
    /// Starts a proxy on a free local port in front of `upstream` (`http://host:port`).
    pub async fn start(upstream: &str) -> std::io::Result<Self> {
        let authority = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let upstream = tokio::net::lookup_host(&authority)
            .await?
            .next()
            .ok_or_else(|| std::io::Error::other(format!("no address for {authority}")))?;
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let shared = Arc::new(Shared {
            upstream,
            fault: Mutex::new(Fault::None),
            counts: Counts::default(),
            ticket: AtomicU64::new(0),
        });
        let accept = tokio::spawn(accept_loop(listener, shared.clone()));
        Ok(Self {
            url,
            shared,
            accept,
        })
    }

    /// Applies `fault` to requests from now on.
    pub fn set(&self, fault: Fault) {
        if let Ok(mut current) = self.shared.fault.lock() {
            *current = fault;
        }
    }

    /// The fault in force.
    pub fn fault(&self) -> Fault {
        self.shared.fault.lock().map_or(Fault::None, |f| *f)
    }

    /// Applies `fault` for `duration`, then heals.
    pub async fn inject_for(&self, fault: Fault, duration: Duration) {
        self.set(fault);
        tokio::time::sleep(duration).await;
        self.set(Fault::None);
    }

    /// Requests received so far.
    pub fn requests(&self) -> u64 {
        self.shared.counts.requests.load(Ordering::Relaxed)
    }

    /// Requests that were delayed, dropped, failed or blackholed so far.
    pub fn faulted(&self) -> u64 {
        self.shared.counts.faulted.load(Ordering::Relaxed)
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(serve(stream, shared.clone()));
    }
}

/// One HTTP request as read off the wire.
struct Request {
    head: String,
    body: Vec<u8>,
}

/// Reads one request: the head up to the blank line, then `Content-Length` bytes of body.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Request>> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    Ok(Some(Request { head, body }))
}

/// The request head with `Connection: close`, so the upstream ends its answer with EOF.
fn closing_head(head: &str) -> String {
    let mut lines: Vec<&str> = head
        .trim_end_matches("\r\n")
        .split("\r\n")
        .filter(|line| {
            !line
                .split_once(':')
                .is_some_and(|(name, _)| name.trim().eq_ignore_ascii_case("connection"))
        })
        .collect();
    lines.push("Connection: close");
    format!("{}\r\n\r\n", lines.join("\r\n"))
}

async fn serve(mut client: TcpStream, shared: Arc<Shared>) {
    let Ok(Some(request)) = read_request(&mut client).await else {
        return;
    };
    shared.counts.requests.fetch_add(1, Ordering::Relaxed);
    let fault = shared.fault.lock().map_or(Fault::None, |f| *f);
    let faulted = || shared.counts.faulted.fetch_add(1, Ordering::Relaxed);
    match fault {
        Fault::None => {}
        Fault::Delay(delay) => {
            faulted();
            tokio::time::sleep(delay).await;
        }
        Fault::Drop(percent) => {
            let ticket = shared.ticket.fetch_add(1, Ordering::Relaxed);
            if ticket % 100 < u64::from(percent.min(100)) {
                faulted();
                return;
            }
        }
        Fault::Http500 => {
            faulted();
            let body = "internal error (injected)";
            let answer = format!(
                "HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = client.write_all(answer.as_bytes()).await;
            let _ = client.shutdown().await;
            return;
        }
        Fault::Blackhole => {
            faulted();
            // Hold the connection until the client closes it.
            let mut sink = [0u8; 256];
            while matches!(client.read(&mut sink).await, Ok(n) if n > 0) {}
            return;
        }
    }
    let Ok(mut upstream) = TcpStream::connect(shared.upstream).await else {
        return;
    };
    let head = closing_head(&request.head);
    if upstream.write_all(head.as_bytes()).await.is_err()
        || upstream.write_all(&request.body).await.is_err()
    {
        return;
    }
    let mut answer = Vec::new();
    if upstream.read_to_end(&mut answer).await.is_err() {
        return;
    }
    let _ = client.write_all(&answer).await;
    let _ = client.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forwarded_head_asks_to_close_once() {
        let head =
            "POST / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\ncontent-length: 2\r\n\r\n";
        let out = closing_head(head);
        assert_eq!(
            out,
            "POST / HTTP/1.1\r\nHost: x\r\ncontent-length: 2\r\nConnection: close\r\n\r\n"
        );
    }
}
