//! What the `ccip` binary tests share: the binary, a running `ccip up`/`ccip run` that is stopped
//! as a user stops it (Ctrl-C) when the test ends, and its output lines.

#![allow(dead_code, unreachable_pub)]

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::mpsc,
    time::{Duration, Instant},
};

/// The `ccip` binary under test.
pub fn ccip() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ccip"))
}

/// Sends `signal` (`INT`, `KILL`, ...) to `pid`.
pub fn signal(pid: u32, signal: &str) -> eyre::Result<()> {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()?;
    eyre::ensure!(status.success(), "kill -{signal} {pid} failed");
    Ok(())
}

/// A running `ccip` process with its stdout lines. Dropping it sends Ctrl-C (SIGINT) and waits,
/// so `up` stops its anvils; a process that does not stop within 60 s is killed.
pub struct Running {
    pub child: Option<Child>,
    lines: mpsc::Receiver<String>,
}

impl Running {
    /// Starts `ccip ARGS` with stdout captured (stderr discarded unless `RUST_LOG` is set).
    pub fn spawn(mut command: Command) -> eyre::Result<Self> {
        let mut child = command
            .env(
                "RUST_LOG",
                std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| eyre::eyre!("no stdout"))?;
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Self {
            child: Some(child),
            lines,
        })
    }

    /// The process id.
    pub fn pid(&self) -> eyre::Result<u32> {
        Ok(self
            .child
            .as_ref()
            .ok_or_else(|| eyre::eyre!("already stopped"))?
            .id())
    }

    /// Waits (up to `timeout`) for an output line starting with `prefix`; returns the rest.
    pub fn wait_for_line(&self, prefix: &str, timeout: Duration) -> eyre::Result<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .lines
                .recv_timeout(left)
                .map_err(|_| eyre::eyre!("no line starting with {prefix:?} within {timeout:?}"))?;
            if let Some(rest) = line.strip_prefix(prefix) {
                return Ok(rest.to_owned());
            }
        }
    }

    /// Sends Ctrl-C and waits for the exit; returns how long it took and whether it succeeded.
    pub fn interrupt(&mut self, timeout: Duration) -> eyre::Result<(Duration, bool)> {
        let mut child = self
            .child
            .take()
            .ok_or_else(|| eyre::eyre!("already stopped"))?;
        let start = Instant::now();
        signal(child.id(), "INT")?;
        loop {
            if let Some(status) = child.try_wait()? {
                return Ok((start.elapsed(), status.success()));
            }
            if start.elapsed() > timeout {
                let _ = child.kill();
                let _ = child.wait();
                eyre::bail!("still running {timeout:?} after Ctrl-C");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the process at once (SIGKILL), as a crash would: nothing is cleaned up.
    pub fn kill_9(&mut self) -> eyre::Result<()> {
        let mut child = self
            .child
            .take()
            .ok_or_else(|| eyre::eyre!("already stopped"))?;
        child.kill()?;
        child.wait()?;
        Ok(())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.child.is_some() {
            let _ = self.interrupt(Duration::from_secs(60));
        }
    }
}

/// A scratch directory with the network file and data dir of one test.
pub struct Scratch {
    _dir: tempfile::TempDir,
    pub network: PathBuf,
    pub data: PathBuf,
}

impl Scratch {
    pub fn new() -> eyre::Result<Self> {
        let dir = tempfile::tempdir()?;
        let network = dir.path().join("network.json");
        let data = dir.path().join("data");
        Ok(Self {
            _dir: dir,
            network,
            data,
        })
    }

    /// `ccip up` on OS-chosen ports with this scratch's files, plus `extra` arguments.
    pub fn up(&self, chains: u16, extra: &[&str]) -> Command {
        let mut command = ccip();
        command
            .args([
                "up",
                "--chains",
                &chains.to_string(),
                "--base-port",
                "0",
                "--metrics-port",
                "0",
            ])
            .arg("--out")
            .arg(&self.network)
            .arg("--data-dir")
            .arg(&self.data)
            .args(extra);
        command
    }

    /// `ccip run` on this scratch's files.
    pub fn run(&self) -> Command {
        let mut command = ccip();
        command
            .args(["run", "--metrics-port", "0"])
            .arg("--network")
            .arg(&self.network)
            .arg("--data-dir")
            .arg(&self.data);
        command
    }

    /// `ccip ARGS --network FILE`, run to the end.
    pub fn ccip(&self, args: &[&str]) -> eyre::Result<std::process::Output> {
        Ok(ccip()
            .args(args)
            .arg("--network")
            .arg(&self.network)
            .output()?)
    }
}

/// Whether something accepts TCP connections at `url` (`http://host:port`).
pub fn listening(url: &str) -> bool {
    let authority = url.trim_start_matches("http://").trim_end_matches('/');
    std::net::TcpStream::connect(authority).is_ok()
}

/// The path of a file in the same directory as `path`.
pub fn beside(path: &Path, name: &str) -> PathBuf {
    path.with_file_name(name)
}

/// Waits (up to `deadline` each) until every message in `sent` executed, then checks each
/// executed exactly once.
pub async fn executed_exactly_once(
    client: &ccip_client::Client,
    sent: &[ccip_client::SendReceipt],
    deadline: Duration,
) -> eyre::Result<()> {
    for r in sent {
        client
            .wait_for_state(r.message_id, ccip_client::MessageState::Executed, deadline)
            .await?;
    }
    for r in sent {
        let executions = client.status(r.message_id).await?.executions.len();
        eyre::ensure!(
            executions == 1,
            "message {} executed {executions} times",
            r.message_id
        );
    }
    Ok(())
}
