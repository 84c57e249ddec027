//! One `ccip up` / `ccip deploy` / `ccip run` per network file and per data dir: a second one
//! would overwrite the file a running network's nodes and users read, or clear (or write beside
//! them) the databases its nodes write.
//!
//! The lock is an OS advisory lock on `<path>.lock`, so it is released however the holder
//! ends (Ctrl-C, a crash, kill -9) and a stale file never blocks a new start. The file holds the
//! holder's pid and command line, which a refused start prints.

use std::{
    fs::{File, OpenOptions, TryLockError},
    io::{Read, Seek, Write},
    path::{Path, PathBuf},
};

use eyre::{Context, Result, bail};

/// Held for as long as the command runs.
#[derive(Debug)]
pub(crate) struct NetworkLock {
    _file: File,
}

impl NetworkLock {
    /// The lock path of a network file or data dir.
    pub(crate) fn path_for(locked: &Path) -> PathBuf {
        let mut name = locked.as_os_str().to_owned();
        name.push(".lock");
        PathBuf::from(name)
    }

    /// Takes the lock of `locked` (a network file or data dir) for `command`, or says who holds
    /// it.
    pub(crate) fn acquire(locked: &Path, command: &str) -> Result<Self> {
        let path = Self::path_for(locked);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).wrap_err_with(|| format!("creating {}", dir.display()))?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .wrap_err_with(|| format!("opening {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                // Best effort: the holder wrote its pid and command when it took the lock.
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                bail!(
                    "{} is in use by a running network ({}); stop it first, or give a second \
                     network its own --out / --network and --data-dir",
                    locked.display(),
                    if holder.is_empty() {
                        "holder unknown"
                    } else {
                        holder
                    }
                );
            }
            Err(TryLockError::Error(e)) => {
                return Err(e).wrap_err_with(|| format!("locking {}", path.display()));
            }
        }
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| writeln!(file, "pid {}: ccip {command}", std::process::id()))
            .wrap_err_with(|| format!("writing {}", path.display()))?;
        Ok(Self { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_and_told_who_holds_it() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let network = dir.path().join("sub/network.json");
        let first = NetworkLock::acquire(&network, "up")?;
        let second = NetworkLock::acquire(&network, "deploy").expect_err("already held");
        let text = second.to_string();
        assert!(text.contains("in use by a running network"), "{text}");
        assert!(
            text.contains(&format!("pid {}: ccip up", std::process::id())),
            "{text}"
        );
        drop(first);
        // Released with its holder: the next start takes it.
        let _again = NetworkLock::acquire(&network, "up")?;
        Ok(())
    }
}
