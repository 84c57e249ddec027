//! A Prometheus text endpoint over the networks' counters. One tiny HTTP/1.1 responder: every
//! request gets the current exposition, which is all a scraper (or `curl`) needs.

use std::{fmt::Write as _, net::SocketAddr, sync::Arc};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
    sync::watch,
};
use tracing::{info, warn};

/// Something that renders Prometheus text exposition lines.
pub trait Exposition: Send + Sync {
    /// Appends `# HELP`/`# TYPE` and sample lines to `out`.
    fn render(&self, out: &mut String);
}

/// Appends one metric family with its samples (`labels` without braces, may be empty).
pub fn family(out: &mut String, name: &str, kind: &str, help: &str, samples: &[(String, u64)]) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
    for (labels, value) in samples {
        if labels.is_empty() {
            let _ = writeln!(out, "{name} {value}");
        } else {
            let _ = writeln!(out, "{name}{{{labels}}} {value}");
        }
    }
}

/// Renders every source into one exposition.
pub fn render_all(sources: &[Arc<dyn Exposition>]) -> String {
    let mut out = String::new();
    for s in sources {
        s.render(&mut out);
    }
    out
}

/// Serves `sources` on `addr` until `shutdown` turns true; returns the bound address at once.
pub async fn serve(
    addr: SocketAddr,
    sources: Vec<Arc<dyn Exposition>>,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    info!(%bound, "metrics endpoint listening");
    let handle = tokio::spawn(async move {
        loop {
            let (mut socket, _) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(a) => a,
                    Err(e) => { warn!(error = %e, "metrics accept failed"); continue; }
                },
                _ = shutdown.changed() => return,
            };
            let body = render_all(&sources);
            tokio::spawn(async move {
                // The request itself does not matter: read what is there and answer.
                let mut buf = [0u8; 1024];
                let _ = socket.read(&mut buf).await;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/plain; version=0.0.4\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    Ok((bound, handle))
}
