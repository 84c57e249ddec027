//! The embedded database behind every off-chain node: one SQLite file per node, never shared.
//!
//! What a node keeps here is what it observed itself (source messages, committed roots), where it
//! stopped reading each log stream (cursors, with the hash of the block it stopped at so that a
//! reorganisation is noticed), what it already signed (so that it never signs two different
//! roots for the same interval), and the failures it saw. Everything else is read from the chains.
//!
//! Writes that belong together (a page of logs and the cursor after it) go in one transaction, so
//! a node killed at any point restarts from a consistent state.

use std::{
    path::Path,
    sync::{Mutex, MutexGuard},
};

use alloy_primitives::B256;
use rusqlite::{Connection, OptionalExtension, params};

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A lock holder panicked; the connection may be mid-transaction.
    #[error("database lock poisoned")]
    Poisoned,
    /// A stored value does not decode.
    #[error("corrupt value in column {column}: {reason}")]
    Corrupt {
        /// Where.
        column: &'static str,
        /// Why.
        reason: String,
    },
    /// A batch of messages does not continue the stored sequence.
    #[error("lane {lane}: expected sequence number {expected}, got {got}")]
    Gap {
        /// The lane.
        lane: LaneKey,
        /// Next expected sequence number.
        expected: u64,
        /// The one offered.
        got: u64,
    },
    /// The node already signed a different root for this interval.
    #[error(
        "lane {lane}: already signed root {signed} for sequence numbers {min}..={max}, refusing {offered}"
    )]
    Equivocation {
        /// The lane.
        lane: LaneKey,
        /// Interval start.
        min: u64,
        /// Interval end.
        max: u64,
        /// What was signed before.
        signed: B256,
        /// What was asked now.
        offered: B256,
    },
}

/// Result alias of this crate.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub use ccip_core::LaneKey;

/// Where a log stream was read up to: the last block included, and its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// Last block read (inclusive).
    pub block: u64,
    /// Its hash when it was read.
    pub hash: B256,
}

/// A message as a node observed it on the source chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    /// Sequence number on the lane.
    pub seq: u64,
    /// Message id (the leaf hash).
    pub message_id: B256,
    /// Source block.
    pub block_number: u64,
    /// ABI encoding of the `Internal.EVM2EVMMessage`.
    pub encoded: Vec<u8>,
}

/// A root committed on the destination chain, as a node observed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredCommit {
    /// Merkle root.
    pub root: B256,
    /// First sequence number.
    pub min: u64,
    /// Last sequence number.
    pub max: u64,
    /// Destination block of the commit.
    pub block_number: u64,
}

/// A message whose execution failed on chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFailure {
    /// Lane.
    pub lane: LaneKey,
    /// Sequence number.
    pub seq: u64,
    /// Message id.
    pub message_id: B256,
    /// Readable revert reason.
    pub reason: String,
}

/// One node's database.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS messages (
  source INTEGER NOT NULL, dest INTEGER NOT NULL, seq INTEGER NOT NULL,
  message_id BLOB NOT NULL, block_number INTEGER NOT NULL, encoded BLOB NOT NULL,
  PRIMARY KEY (source, dest, seq)
);
CREATE INDEX IF NOT EXISTS messages_by_id ON messages (message_id);
CREATE TABLE IF NOT EXISTS commits (
  source INTEGER NOT NULL, dest INTEGER NOT NULL, root BLOB NOT NULL,
  min_seq INTEGER NOT NULL, max_seq INTEGER NOT NULL, block_number INTEGER NOT NULL,
  PRIMARY KEY (source, dest, min_seq)
);
CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, block INTEGER NOT NULL, hash BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS signatures (
  source INTEGER NOT NULL, dest INTEGER NOT NULL, min_seq INTEGER NOT NULL, max_seq INTEGER NOT NULL,
  root BLOB NOT NULL, PRIMARY KEY (source, dest, min_seq, max_seq)
);
CREATE TABLE IF NOT EXISTS failures (
  source INTEGER NOT NULL, dest INTEGER NOT NULL, seq INTEGER NOT NULL,
  message_id BLOB NOT NULL, reason TEXT NOT NULL,
  PRIMARY KEY (source, dest, seq)
);
CREATE TABLE IF NOT EXISTS kv (name TEXT PRIMARY KEY, value BLOB NOT NULL);
";

// SQLite integers are signed 64-bit; block numbers and sequence numbers stay far below 2^63.
fn int(v: u64) -> i64 {
    v as i64
}

fn uint(v: i64) -> u64 {
    v as u64
}

fn b256(column: &'static str, bytes: Vec<u8>) -> Result<B256> {
    B256::try_from(bytes.as_slice()).map_err(|e| StoreError::Corrupt {
        column,
        reason: e.to_string(),
    })
}

impl Store {
    /// Opens (creating if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        Self::init(Connection::open(path)?)
    }

    /// A database in memory, for tests and throwaway nodes.
    pub fn in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Self> {
        // WAL keeps readers and the single writer apart; NORMAL sync is durable across process
        // crashes (what a killed node needs), only a power loss may drop the last transaction.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> Result<MutexGuard<'_, Connection>> {
        self.conn.lock().map_err(|_| StoreError::Poisoned)
    }

    /// The cursor called `name`.
    pub fn cursor(&self, name: &str) -> Result<Option<Cursor>> {
        let conn = self.conn()?;
        let row = conn
            .query_row(
                "SELECT block, hash FROM cursors WHERE name = ?1",
                params![name],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)),
            )
            .optional()?;
        row.map(|(block, hash)| {
            Ok(Cursor {
                block: uint(block),
                hash: b256("cursors.hash", hash)?,
            })
        })
        .transpose()
    }

    /// Sets the cursor called `name`.
    pub fn set_cursor(&self, name: &str, cursor: Cursor) -> Result<()> {
        let conn = self.conn()?;
        put_cursor(&conn, name, cursor)
    }

    /// Appends messages of one lane (in sequence order, continuing the stored ones) and moves the
    /// cursor, atomically. Messages already stored with the same id are skipped, so replaying a
    /// range is harmless.
    pub fn append_messages(
        &self,
        lane: LaneKey,
        messages: &[StoredMessage],
        cursor_name: &str,
        cursor: Cursor,
    ) -> Result<()> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        let mut last = last_seq(&tx, lane)?;
        for m in messages {
            if last.is_some_and(|l| m.seq <= l) {
                let known: Option<Vec<u8>> = tx
                    .query_row(
                        "SELECT message_id FROM messages WHERE source = ?1 AND dest = ?2 AND seq = ?3",
                        params![int(lane.source), int(lane.dest), int(m.seq)],
                        |r| r.get(0),
                    )
                    .optional()?;
                if known.as_deref() == Some(m.message_id.as_slice()) {
                    continue;
                }
            }
            let expected = last.map_or(1, |l| l + 1);
            if m.seq != expected {
                return Err(StoreError::Gap {
                    lane,
                    expected,
                    got: m.seq,
                });
            }
            tx.execute(
                "INSERT INTO messages (source, dest, seq, message_id, block_number, encoded)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    int(lane.source),
                    int(lane.dest),
                    int(m.seq),
                    m.message_id.as_slice(),
                    int(m.block_number),
                    m.encoded
                ],
            )?;
            last = Some(m.seq);
        }
        put_cursor(&tx, cursor_name, cursor)?;
        tx.commit()?;
        Ok(())
    }

    /// Drops the messages of `lane` observed in blocks after `block` (the source reorganised
    /// deeper than the confirmation depth) and rewinds the cursor to `cursor`, atomically.
    pub fn rewind_messages(
        &self,
        lane: LaneKey,
        block: u64,
        cursor_name: &str,
        cursor: Cursor,
    ) -> Result<usize> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        let removed = tx.execute(
            "DELETE FROM messages WHERE source = ?1 AND dest = ?2 AND block_number > ?3",
            params![int(lane.source), int(lane.dest), int(block)],
        )?;
        put_cursor(&tx, cursor_name, cursor)?;
        tx.commit()?;
        Ok(removed)
    }

    /// The highest sequence number stored for `lane`.
    pub fn last_seq(&self, lane: LaneKey) -> Result<Option<u64>> {
        let conn = self.conn()?;
        last_seq(&conn, lane)
    }

    /// Messages of `lane` with sequence numbers in `min..=max`, in order.
    pub fn messages(&self, lane: LaneKey, min: u64, max: u64) -> Result<Vec<StoredMessage>> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT seq, message_id, block_number, encoded FROM messages
             WHERE source = ?1 AND dest = ?2 AND seq BETWEEN ?3 AND ?4 ORDER BY seq",
        )?;
        let rows = stmt.query_map(
            params![int(lane.source), int(lane.dest), int(min), int(max)],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            },
        )?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, id, block, encoded) = row?;
            out.push(StoredMessage {
                seq: uint(seq),
                message_id: b256("messages.message_id", id)?,
                block_number: uint(block),
                encoded,
            });
        }
        Ok(out)
    }

    /// Records roots committed on `lane` (idempotent) and moves the cursor, atomically.
    pub fn append_commits(
        &self,
        lane: LaneKey,
        commits: &[StoredCommit],
        cursor_name: &str,
        cursor: Cursor,
    ) -> Result<()> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        for c in commits {
            tx.execute(
                "INSERT OR REPLACE INTO commits (source, dest, root, min_seq, max_seq, block_number)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    int(lane.source),
                    int(lane.dest),
                    c.root.as_slice(),
                    int(c.min),
                    int(c.max),
                    int(c.block_number)
                ],
            )?;
        }
        put_cursor(&tx, cursor_name, cursor)?;
        tx.commit()?;
        Ok(())
    }

    /// Committed roots of `lane` whose interval ends at or after `from_seq`, in order.
    pub fn commits_from(&self, lane: LaneKey, from_seq: u64) -> Result<Vec<StoredCommit>> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT root, min_seq, max_seq, block_number FROM commits
             WHERE source = ?1 AND dest = ?2 AND max_seq >= ?3 ORDER BY min_seq",
        )?;
        let rows = stmt.query_map(
            params![int(lane.source), int(lane.dest), int(from_seq)],
            |r| {
                Ok((
                    r.get::<_, Vec<u8>>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            },
        )?;
        let mut out = Vec::new();
        for row in rows {
            let (root, min, max, block) = row?;
            out.push(StoredCommit {
                root: b256("commits.root", root)?,
                min: uint(min),
                max: uint(max),
                block_number: uint(block),
            });
        }
        Ok(out)
    }

    /// Records that this node signs `root` for the interval `min..=max`. Signing the same root
    /// again is fine; a different root for the same interval is refused.
    pub fn record_signature(&self, lane: LaneKey, min: u64, max: u64, root: B256) -> Result<()> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        let signed: Option<Vec<u8>> = tx
            .query_row(
                "SELECT root FROM signatures
                 WHERE source = ?1 AND dest = ?2 AND min_seq = ?3 AND max_seq = ?4",
                params![int(lane.source), int(lane.dest), int(min), int(max)],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(signed) = signed {
            let signed = b256("signatures.root", signed)?;
            if signed != root {
                return Err(StoreError::Equivocation {
                    lane,
                    min,
                    max,
                    signed,
                    offered: root,
                });
            }
            return Ok(());
        }
        tx.execute(
            "INSERT INTO signatures (source, dest, min_seq, max_seq, root)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                int(lane.source),
                int(lane.dest),
                int(min),
                int(max),
                root.as_slice()
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Forgets signatures for intervals that reach sequence number `min` or beyond (after a
    /// reorganisation past the confirmation depth dropped those messages from the source).
    pub fn forget_signatures_from(&self, lane: LaneKey, min: u64) -> Result<usize> {
        let conn = self.conn()?;
        Ok(conn.execute(
            "DELETE FROM signatures WHERE source = ?1 AND dest = ?2 AND max_seq >= ?3",
            params![int(lane.source), int(lane.dest), int(min)],
        )?)
    }

    /// Records a failed execution (idempotent).
    pub fn record_failure(&self, failure: &StoredFailure) -> Result<bool> {
        let conn = self.conn()?;
        let n = conn.execute(
            "INSERT OR IGNORE INTO failures (source, dest, seq, message_id, reason)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                int(failure.lane.source),
                int(failure.lane.dest),
                int(failure.seq),
                failure.message_id.as_slice(),
                failure.reason
            ],
        )?;
        Ok(n == 1)
    }

    /// Every failure recorded.
    pub fn failures(&self) -> Result<Vec<StoredFailure>> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT source, dest, seq, message_id, reason FROM failures ORDER BY source, dest, seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Vec<u8>>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (source, dest, seq, id, reason) = row?;
            out.push(StoredFailure {
                lane: LaneKey {
                    source: uint(source),
                    dest: uint(dest),
                },
                seq: uint(seq),
                message_id: b256("failures.message_id", id)?,
                reason,
            });
        }
        Ok(out)
    }

    /// A small named value (node bookkeeping).
    pub fn get(&self, name: &str) -> Result<Option<Vec<u8>>> {
        let conn = self.conn()?;
        Ok(conn
            .query_row("SELECT value FROM kv WHERE name = ?1", params![name], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets a small named value.
    pub fn put(&self, name: &str, value: &[u8]) -> Result<()> {
        let conn = self.conn()?;
        conn.execute(
            "INSERT OR REPLACE INTO kv (name, value) VALUES (?1, ?2)",
            params![name, value],
        )?;
        Ok(())
    }
}

fn put_cursor(conn: &Connection, name: &str, cursor: Cursor) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO cursors (name, block, hash) VALUES (?1, ?2, ?3)",
        params![name, int(cursor.block), cursor.hash.as_slice()],
    )?;
    Ok(())
}

fn last_seq(conn: &Connection, lane: LaneKey) -> Result<Option<u64>> {
    let max: Option<i64> = conn.query_row(
        "SELECT MAX(seq) FROM messages WHERE source = ?1 AND dest = ?2",
        params![int(lane.source), int(lane.dest)],
        |r| r.get(0),
    )?;
    Ok(max.map(uint))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LANE: LaneKey = LaneKey { source: 7, dest: 9 };

    fn msg(seq: u64, block: u64) -> StoredMessage {
        StoredMessage {
            seq,
            message_id: B256::with_last_byte(seq as u8),
            block_number: block,
            encoded: vec![seq as u8; 3],
        }
    }

    fn cur(block: u64) -> Cursor {
        Cursor {
            block,
            hash: B256::with_last_byte(block as u8),
        }
    }

    #[test]
    fn messages_append_in_order_and_refuse_gaps() {
        let store = Store::in_memory().expect("store");
        store
            .append_messages(LANE, &[msg(1, 10), msg(2, 10)], "c", cur(10))
            .expect("append");
        // Replaying a range already stored is harmless.
        store
            .append_messages(LANE, &[msg(2, 10), msg(3, 11)], "c", cur(11))
            .expect("replay");
        assert_eq!(store.last_seq(LANE).expect("last"), Some(3));
        let err = store
            .append_messages(LANE, &[msg(5, 12)], "c", cur(12))
            .expect_err("gap");
        assert!(matches!(
            err,
            StoreError::Gap {
                expected: 4,
                got: 5,
                ..
            }
        ));
        // The failed append moved nothing.
        assert_eq!(store.cursor("c").expect("cursor"), Some(cur(11)));
        let got = store.messages(LANE, 2, 3).expect("range");
        assert_eq!(got, vec![msg(2, 10), msg(3, 11)]);
        // Another lane is independent.
        let other = LaneKey { source: 9, dest: 7 };
        assert_eq!(store.last_seq(other).expect("last"), None);
    }

    #[test]
    fn a_different_message_at_a_stored_sequence_number_is_a_gap_error() {
        let store = Store::in_memory().expect("store");
        store
            .append_messages(LANE, &[msg(1, 10)], "c", cur(10))
            .expect("append");
        let mut forged = msg(1, 10);
        forged.message_id = B256::repeat_byte(0xee);
        assert!(matches!(
            store.append_messages(LANE, &[forged], "c", cur(11)),
            Err(StoreError::Gap { .. })
        ));
    }

    #[test]
    fn rewind_drops_messages_after_the_block_and_moves_the_cursor() {
        let store = Store::in_memory().expect("store");
        store
            .append_messages(LANE, &[msg(1, 10), msg(2, 11), msg(3, 12)], "c", cur(12))
            .expect("append");
        assert_eq!(
            store.rewind_messages(LANE, 10, "c", cur(10)).expect("rw"),
            2
        );
        assert_eq!(store.last_seq(LANE).expect("last"), Some(1));
        assert_eq!(store.cursor("c").expect("cursor"), Some(cur(10)));
    }

    #[test]
    fn signatures_refuse_equivocation() {
        let store = Store::in_memory().expect("store");
        let a = B256::repeat_byte(1);
        let b = B256::repeat_byte(2);
        store.record_signature(LANE, 1, 3, a).expect("first");
        store.record_signature(LANE, 1, 3, a).expect("same again");
        assert!(matches!(
            store.record_signature(LANE, 1, 3, b),
            Err(StoreError::Equivocation { .. })
        ));
        // A longer interval from the same start is another report.
        store
            .record_signature(LANE, 1, 4, b)
            .expect("other interval");
        // Messages from 4 on were dropped: only the interval reaching 4 is forgotten.
        assert_eq!(store.forget_signatures_from(LANE, 4).expect("forget"), 1);
        assert!(store.record_signature(LANE, 1, 3, b).is_err());
        assert_eq!(store.forget_signatures_from(LANE, 3).expect("forget"), 1);
        store.record_signature(LANE, 1, 3, b).expect("after forget");
    }

    #[test]
    fn state_survives_reopening_the_file() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("node.sqlite");
        {
            let store = Store::open(&path).expect("open");
            store
                .append_messages(LANE, &[msg(1, 10)], "c", cur(10))
                .expect("append");
            let commit = StoredCommit {
                root: B256::repeat_byte(3),
                min: 1,
                max: 1,
                block_number: 5,
            };
            store
                .append_commits(LANE, &[commit], "k", cur(5))
                .expect("commit");
            store
                .record_failure(&StoredFailure {
                    lane: LANE,
                    seq: 1,
                    message_id: B256::with_last_byte(1),
                    reason: "boom".into(),
                })
                .expect("failure");
            store.put("epoch", &[4]).expect("kv");
        }
        let store = Store::open(&path).expect("reopen");
        assert_eq!(store.messages(LANE, 1, 1).expect("m"), vec![msg(1, 10)]);
        assert_eq!(store.commits_from(LANE, 1).expect("c").len(), 1);
        assert!(store.commits_from(LANE, 2).expect("c").is_empty());
        assert_eq!(store.failures().expect("f")[0].reason, "boom");
        assert_eq!(store.get("epoch").expect("kv"), Some(vec![4]));
        assert_eq!(store.cursor("k").expect("cursor"), Some(cur(5)));
    }
}
