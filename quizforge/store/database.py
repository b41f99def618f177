"""Opening the SQLite file: pragmas, schema migrations, and the errors a user can act on."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

BUSY_TIMEOUT_MS = 10_000

# A namespace for the ids of events that a migration derives from older tables: the same old row gives
# the same event id on every device, so merging two migrated stores does not double them.
MIGRATION_NAMESPACE = uuid.UUID("0b6f7c1e-3f1a-4c55-9d8e-5a1f2b7c9e40")


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """Schema 2: one event log. Reviews stay in ``review_log`` (now with the device that made them and a
    local sequence number for sync); every other change is a row of ``events``. What schema 1 kept only
    as state (undone ids, flags, settings, mock results) becomes events, so that nothing is lost and a
    replay of the log gives the same state."""
    for statement in (
        "ALTER TABLE review_log ADD COLUMN device TEXT",
        "ALTER TABLE review_log ADD COLUMN seq INTEGER",
        """CREATE TABLE events (
            seq    INTEGER PRIMARY KEY,          -- local order of arrival (sync sends what is past its mark)
            id     TEXT NOT NULL UNIQUE,         -- UUID
            kind   TEXT NOT NULL,                -- quizforge.store.models.EventKind, or a newer version's kind
            key    TEXT NOT NULL DEFAULT '',     -- card id, setting name, mock id, review id, or ''
            at     TEXT NOT NULL,                -- ISO 8601 UTC
            device TEXT NOT NULL,
            data   TEXT NOT NULL DEFAULT '{}'    -- JSON object
        )""",
        "CREATE INDEX events_key ON events (key, kind, at, id)",
    ):
        conn.execute(statement)
    device = str(uuid.uuid4())
    now = datetime.now(UTC).isoformat(timespec="microseconds")
    conn.execute("UPDATE review_log SET device = ?, seq = rowid", (device,))
    conn.execute("CREATE INDEX review_log_seq ON review_log (seq)")
    conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('_device', ?)", (json.dumps(device),))

    def derived(what: str) -> str:
        return str(uuid.uuid5(MIGRATION_NAMESPACE, what))

    rows: list[tuple[str, str, str, str, str]] = []  # id, kind, key, at, data
    for rid, undone_at in conn.execute("SELECT id, undone_at FROM undone ORDER BY id"):
        rows.append((derived(f"undo {rid}"), "review.undo", rid, undone_at, "{}"))
    for cid, leech, suspended, buried in conn.execute(
        "SELECT card_id, leech, suspended, buried_until FROM cards "
        "WHERE leech != 0 OR suspended != 0 OR buried_until IS NOT NULL ORDER BY card_id"
    ):
        if leech or suspended:
            rows.append((str(uuid.uuid4()), "card.leech", cid, now, json.dumps({"leech": bool(leech)})))
            rows.append((str(uuid.uuid4()), "card.suspend", cid, now, json.dumps({"suspended": bool(suspended)})))
        if buried is not None:
            rows.append((str(uuid.uuid4()), "card.bury", cid, now, json.dumps({"until": buried})))
    for key, value in conn.execute("SELECT key, value FROM settings WHERE substr(key, 1, 1) != '_' ORDER BY key"):
        try:
            data = json.dumps({"value": json.loads(value)})
        except ValueError:
            continue  # a damaged value was never in effect (it read as the default)
        rows.append((str(uuid.uuid4()), "setting", key, now, data))
    for mid, started, finished, score, details in conn.execute(
        "SELECT id, started_at, finished_at, score, details FROM mock_results ORDER BY started_at, id"
    ):
        try:
            parsed = json.loads(details)
        except ValueError:
            parsed = {}
        data = json.dumps({"started_at": started, "finished_at": finished, "score": score, "details": parsed})
        rows.append((derived(f"mock {mid} {finished}"), "mock.result", mid, finished, data))
    start = int(conn.execute("SELECT coalesce(max(seq), 0) FROM review_log").fetchone()[0])
    conn.executemany(
        "INSERT INTO events (seq, id, kind, key, at, device, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(start + 1 + i, eid, kind, key, at, device, data) for i, (eid, kind, key, at, data) in enumerate(rows)],
    )


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """Schema 3: a generated question's review records the instance's difficulty level (the per-family
    ability is a replay of these) and the named mistake its wrong answer was diagnosed as. Older rows
    keep NULL in both: their level is unknown and no mistake was diagnosed."""
    conn.execute("ALTER TABLE review_log ADD COLUMN level INTEGER")
    conn.execute("ALTER TABLE review_log ADD COLUMN mistake TEXT")
    # Partial and covering: the ability replay reads only the generated answers, in replay order,
    # without touching the rows of the rest of the log (a 500,000-row log: ~2 s without it).
    conn.execute(
        "CREATE INDEX review_log_leveled ON review_log (reviewed_at, id, card_id, level, correct, score, mistake) "
        "WHERE level IS NOT NULL"
    )


# Forward migrations: MIGRATIONS[i] takes a database from user_version i to i + 1. Append, never edit.
MIGRATIONS: list[str | Callable[[sqlite3.Connection], None]] = [
    """
    CREATE TABLE cards (
        card_id      TEXT PRIMARY KEY,          -- the question id (stable forever)
        topic        TEXT NOT NULL DEFAULT '',  -- copied from the bank at sync, for topic filters
        position     INTEGER NOT NULL DEFAULT 0,
        phase        INTEGER NOT NULL DEFAULT 0 CHECK (phase BETWEEN 0 AND 3),
        step         INTEGER,
        stability    REAL,
        difficulty   REAL,
        due          TEXT,                      -- ISO 8601 UTC, fixed width: sorts as text
        last_review  TEXT,
        reps         INTEGER NOT NULL DEFAULT 0,
        lapses       INTEGER NOT NULL DEFAULT 0,
        leech        INTEGER NOT NULL DEFAULT 0,
        suspended    INTEGER NOT NULL DEFAULT 0,
        buried_until TEXT
    ) WITHOUT ROWID;
    -- Partial, covering indexes: the queue and the dashboard counts never touch the table (phase and
    -- suspended are repeated as columns: SQLite counts an index as covering only when it holds them).
    CREATE INDEX cards_due ON cards (due, buried_until, topic, phase, suspended) WHERE phase > 0 AND suspended = 0;
    CREATE INDEX cards_new ON cards (position, buried_until, topic, phase, suspended) WHERE phase = 0 AND suspended = 0;
    CREATE INDEX cards_topic ON cards (topic);

    CREATE TABLE review_log (
        id          TEXT PRIMARY KEY,           -- UUID
        card_id     TEXT NOT NULL,
        rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        reviewed_at TEXT NOT NULL,              -- ISO 8601 UTC
        source      TEXT NOT NULL CHECK (source IN ('study', 'cram', 'quiz', 'mock', 'import')),
        seed        INTEGER,
        answer      TEXT NOT NULL DEFAULT '',
        correct     INTEGER,
        score       REAL,
        duration_ms INTEGER
    );
    CREATE INDEX review_log_card ON review_log (card_id, reviewed_at);
    CREATE INDEX review_log_time ON review_log (reviewed_at);

    -- Reviews taken back with "undo": kept so that a merge does not bring them back.
    CREATE TABLE undone (id TEXT PRIMARY KEY, undone_at TEXT NOT NULL);

    CREATE TABLE mock_results (
        id          TEXT PRIMARY KEY,
        started_at  TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        score       REAL NOT NULL,
        details     TEXT NOT NULL DEFAULT '{}'  -- JSON
    );

    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);  -- value: JSON
    """,
    _v1_to_v2,
    _v2_to_v3,
]


class StoreError(Exception):
    """The database cannot be used (corrupt, from a newer quizforge, unwritable): a one-line message."""


def schema_version() -> int:
    return len(MIGRATIONS)


def _fail(path: Path, what: str, exc: BaseException | None = None) -> StoreError:
    detail = f" ({exc})" if exc is not None else ""
    return StoreError(f"{path}: {what}{detail}")


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date.

    Nothing is written to a file that is not a quizforge database, or that comes from a newer
    version: those raise before any change. Before migrating an existing database, a copy is saved
    beside it as ``<name>.v<old>.bak``.

    Raises:
        StoreError: the directory cannot be created or written, or the file is unreadable, corrupt,
            or newer than this version of quizforge.
    """
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _fail(directory, "cannot create the data directory", exc) from None
    if not os.access(directory, os.W_OK | os.X_OK):
        # SQLite needs the directory for its -wal and -shm files, even to read.
        raise _fail(directory, "the data directory is not writable (use --data-dir to choose another)")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise _fail(path, "the database file is not readable and writable")
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    except sqlite3.Error as exc:
        raise _fail(path, "cannot open the database", exc) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if version > schema_version():
            raise _fail(path, f"written by a newer quizforge (schema {version}, this version knows {schema_version()})")
        if version > 0 and not _has_table(conn, "review_log"):
            raise _fail(path, "not a quizforge database")
        if version == 0 and _has_any_table(conn):
            raise _fail(path, "not a quizforge database (it has tables but no quizforge schema)")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise _fail(path, f"cannot switch to WAL mode (got {mode})")
        # NORMAL in WAL mode: a committed transaction survives a killed process; only a power cut
        # may lose the last commits (never corrupt the file).
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        if version < schema_version():
            _migrate(conn, path, version)
    except StoreError:
        conn.close()
        raise
    except sqlite3.OperationalError as exc:
        # an I/O error, a full disk or a lock: the file may be fine, so do not call it corrupt
        conn.close()
        raise _fail(path, "cannot open the database" + _disk_full_hint(directory), exc) from None
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _fail(path, "unreadable or corrupt database", exc) from None
    return conn


def _disk_full_hint(directory: Path) -> str:
    try:
        free = shutil.disk_usage(directory).free
    except OSError:
        return ""
    return ": the disk is full" if free < 256 * 1024 else ""


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def _has_any_table(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'").fetchone() is not None


def backup_path(path: Path, version: int) -> Path:
    return path.with_name(f"{path.name}.v{version}.bak")


def _migrate(conn: sqlite3.Connection, path: Path, version: int) -> None:
    if version > 0:
        # Outside the write transaction: sqlite's online backup cannot read through our own lock.
        try:
            dest = sqlite3.connect(backup_path(path, version))
            try:
                conn.backup(dest)
            finally:
                dest.close()
        except sqlite3.Error as exc:
            raise _fail(path, "cannot write a backup before migrating", exc) from None
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Re-read under the write lock: another process may have migrated meanwhile.
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version >= schema_version():
            conn.execute("COMMIT")
            return
        for target in range(version + 1, schema_version() + 1):
            step = MIGRATIONS[target - 1]
            if callable(step):
                step(conn)
            else:
                for statement in _statements(step):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (``executescript`` would commit our transaction)."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
