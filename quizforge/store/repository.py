"""The repository: every SQL statement of quizforge, and the mapping between rows and domain objects."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quizforge.store.database import StoreError, connect
from quizforge.store.models import SCHEDULED_SOURCES, Card, Memory, MockResult, Phase, Review, Settings

_BANK_DIGEST = "_bank_digest"  # internal key in `settings`: which bank the card rows last matched
_SCHEDULED = tuple(sorted(SCHEDULED_SOURCES))
_SCHEDULED_SQL = "(" + ", ".join(f"'{s}'" for s in _SCHEDULED) + ")"
_MAX_LIMIT = (1 << 63) - 1  # SQLite's largest INTEGER


def _limit(n: int) -> int:
    """A LIMIT that SQLite takes: a huge ``--new`` is "all", and a negative one (SQLite: no limit) is none."""
    return max(0, min(int(n), _MAX_LIMIT))


def iso(dt: datetime) -> str:
    """A UTC timestamp as fixed-width ISO 8601 text (which sorts like the time it names)."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime: quizforge stores timezone-aware UTC times only")
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


def parse_iso(text: str) -> datetime:
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        raise ValueError(f"{text!r} has no timezone")
    return dt.astimezone(UTC)


def _opt_iso(dt: datetime | None) -> str | None:
    return None if dt is None else iso(dt)


def _opt_dt(text: str | None) -> datetime | None:
    return None if text is None else parse_iso(text)


_CARD_COLUMNS = (
    "card_id, topic, position, phase, step, stability, difficulty, due, last_review, reps, lapses, "
    "leech, suspended, buried_until"
)
_REVIEW_COLUMNS = "id, card_id, rating, reviewed_at, source, seed, answer, correct, score, duration_ms"


def _card_from_row(row: Sequence[Any]) -> Card:
    return Card(
        card_id=row[0],
        topic=row[1],
        position=row[2],
        memory=Memory(
            phase=Phase(row[3]),
            step=row[4],
            stability=row[5],
            difficulty=row[6],
            due=_opt_dt(row[7]),
            last_review=_opt_dt(row[8]),
            reps=row[9],
            lapses=row[10],
        ),
        leech=bool(row[11]),
        suspended=bool(row[12]),
        buried_until=_opt_dt(row[13]),
    )


def _card_to_row(card: Card) -> tuple[Any, ...]:
    m = card.memory
    return (
        card.card_id,
        card.topic,
        card.position,
        int(m.phase),
        m.step,
        m.stability,
        m.difficulty,
        _opt_iso(m.due),
        _opt_iso(m.last_review),
        m.reps,
        m.lapses,
        int(card.leech),
        int(card.suspended),
        _opt_iso(card.buried_until),
    )


def review_from_row(row: Sequence[Any]) -> Review:
    return Review(
        id=row[0],
        card_id=row[1],
        rating=row[2],
        reviewed_at=parse_iso(row[3]),
        source=row[4],
        seed=row[5],
        answer=row[6],
        correct=None if row[7] is None else bool(row[7]),
        score=row[8],
        duration_ms=row[9],
    )


def storable_text(text: str) -> str:
    """``text`` as SQLite can store it: lone surrogates (undecodable bytes read from a pipe with Python's
    ``surrogateescape``) become U+FFFD instead of failing the whole save."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape" if _escaped_only(text) else "replace").decode("utf-8", "replace")
    return text


def _escaped_only(text: str) -> bool:
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in text)


def review_to_row(r: Review) -> tuple[Any, ...]:
    return (
        r.id,
        r.card_id,
        int(r.rating),
        iso(r.reviewed_at),
        str(r.source),
        r.seed,
        storable_text(r.answer),
        None if r.correct is None else int(r.correct),
        r.score,
        r.duration_ms,
    )


def _topic_clause(topics: Sequence[str] | None, params: list[Any]) -> str:
    """``topic = T`` or a topic under the area prefix ``T.``; empty when no filter."""
    if not topics:
        return ""
    parts = []
    for t in topics:
        parts.append("(topic = ? OR topic LIKE ? ESCAPE '\\')")
        params.extend([t, t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ".%"])
    return " AND (" + " OR ".join(parts) + ")"


class _Rows:
    """Rows already fetched, with the two cursor methods the queries use."""

    __slots__ = ("_rows",)

    def __init__(self, rows: list[Any]) -> None:
        self._rows = rows

    def fetchall(self) -> list[Any]:
        return self._rows

    def fetchone(self) -> Any:
        return self._rows[0] if self._rows else None


class Store:
    """The quizforge database. One instance per process (it is safe to share between threads).

    Every write is one short transaction (``BEGIN IMMEDIATE`` … ``COMMIT``): when a method returns,
    its change is on disk and survives the process being killed.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = threading.RLock()
        self._in_tx = False

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open or create the database file ``path`` (see :func:`quizforge.store.database.connect`)."""
        return cls(connect(path), path)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; nested calls join the outer one. Rolls back on any exception."""
        with self._lock:
            if self._in_tx:
                yield
                return
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(f"{self.path}: cannot write ({exc})") from None
            self._in_tx = True
            try:
                yield
                self._conn.execute("COMMIT")
            except BaseException as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):  # disk full, I/O error, lock timeout
                    raise StoreError(f"{self.path}: cannot write ({exc})") from None
                if type(exc) is sqlite3.DatabaseError:  # SQLITE_CORRUPT / SQLITE_NOTADB, found past page 1
                    raise StoreError(f"{self.path}: unreadable or corrupt database ({exc})") from None
                raise
            finally:
                self._in_tx = False

    def _q(self, sql: str, params: Sequence[Any] = ()) -> _Rows:
        """Run a read and fetch its rows while holding the lock (threads share one connection)."""
        with self._lock:
            try:
                return _Rows(self._conn.execute(sql, params).fetchall())
            except sqlite3.OperationalError as exc:
                raise StoreError(f"{self.path}: cannot read ({exc})") from None
            except sqlite3.DatabaseError as exc:
                if type(exc) is not sqlite3.DatabaseError:  # a programming error (closed connection, bad SQL)
                    raise
                # SQLITE_CORRUPT / SQLITE_NOTADB past the pages that opening the file read
                raise StoreError(f"{self.path}: unreadable or corrupt database ({exc})") from None

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run one read-only statement (``SELECT`` / ``WITH``) for a module that reads in bulk (reports).

        Raises:
            ValueError: the statement is not a read.
        """
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            raise ValueError("Store.query runs reads only")
        return self._q(sql, params).fetchall()

    # -- cards -------------------------------------------------------------------------------------

    def sync_bank(self, questions: Iterable[tuple[str, str]]) -> int:
        """Make sure every bank question has a card row, with its current topic and position.

        Cards of questions no longer in the bank are kept (with their history). Progress is never
        touched: only ``topic`` and ``position`` follow the bank.

        Args:
            questions: ``(question_id, topic)`` in bank order.

        Returns:
            The number of rows inserted or updated.
        """
        rows = [(qid, topic, i) for i, (qid, topic) in enumerate(questions)]
        digest = hashlib.sha1("\n".join(f"{q}\t{t}" for q, t, _ in rows).encode()).hexdigest()
        with self.transaction():
            if self.get_value(_BANK_DIGEST) == digest:
                return 0  # the same bank as last time: nothing to do (a 100k-question sync costs ~0.3 s)
            self._conn.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (_BANK_DIGEST, json.dumps(digest))
            )
            cur = self._conn.executemany(
                "INSERT INTO cards (card_id, topic, position) VALUES (?, ?, ?) "
                "ON CONFLICT (card_id) DO UPDATE SET topic = excluded.topic, position = excluded.position "
                "WHERE topic IS NOT excluded.topic OR position IS NOT excluded.position",
                rows,
            )
            return cur.rowcount

    def card(self, card_id: str) -> Card | None:
        row = self._q(f"SELECT {_CARD_COLUMNS} FROM cards WHERE card_id = ?", (card_id,)).fetchone()
        return None if row is None else _card_from_row(row)

    def cards(self, card_ids: Sequence[str] | None = None) -> list[Card]:
        if card_ids is None:
            rows = self._q(f"SELECT {_CARD_COLUMNS} FROM cards ORDER BY position").fetchall()
        else:
            rows = []
            for i in range(0, len(card_ids), 500):
                chunk = card_ids[i : i + 500]
                marks = ", ".join("?" * len(chunk))
                rows += self._q(f"SELECT {_CARD_COLUMNS} FROM cards WHERE card_id IN ({marks})", chunk).fetchall()
        return [_card_from_row(r) for r in rows]

    def put_card(self, card: Card) -> None:
        """Insert or replace a card row (memory and flags)."""
        with self.transaction():
            self._conn.execute(
                f"INSERT OR REPLACE INTO cards ({_CARD_COLUMNS}) VALUES ({', '.join('?' * 14)})", _card_to_row(card)
            )

    def put_cards(self, cards: Iterable[Card]) -> None:
        with self.transaction():
            self._conn.executemany(
                f"INSERT OR REPLACE INTO cards ({_CARD_COLUMNS}) VALUES ({', '.join('?' * 14)})",
                [_card_to_row(c) for c in cards],
            )

    def set_suspended(self, card_id: str, suspended: bool) -> None:
        with self.transaction():
            self._conn.execute("UPDATE cards SET suspended = ? WHERE card_id = ?", (int(suspended), card_id))

    def bury(self, card_ids: Iterable[str], until: datetime) -> None:
        with self.transaction():
            self._conn.executemany(
                "UPDATE cards SET buried_until = ? WHERE card_id = ?", [(iso(until), c) for c in card_ids]
            )

    def due_cards(self, before: datetime, now: datetime, limit: int, topics: Sequence[str] | None = None) -> list[Card]:
        """Reviewed, unsuspended, unburied cards due before ``before``, oldest due first."""
        params: list[Any] = [iso(before), iso(now)]
        where = _topic_clause(topics, params)
        params.append(_limit(limit))
        rows = self._q(
            f"SELECT {_CARD_COLUMNS} FROM cards INDEXED BY cards_due WHERE phase > 0 AND suspended = 0 "
            f"AND due < ? AND (buried_until IS NULL OR buried_until <= ?){where} ORDER BY due LIMIT ?",
            params,
        ).fetchall()
        return [_card_from_row(r) for r in rows]

    def new_cards(self, now: datetime, limit: int, topics: Sequence[str] | None = None) -> list[Card]:
        """Never-reviewed, unsuspended, unburied cards in bank order."""
        params: list[Any] = [iso(now)]
        where = _topic_clause(topics, params)
        params.append(_limit(limit))
        rows = self._q(
            f"SELECT {_CARD_COLUMNS} FROM cards INDEXED BY cards_new WHERE phase = 0 AND suspended = 0 "
            f"AND (buried_until IS NULL OR buried_until <= ?){where} ORDER BY position LIMIT ?",
            params,
        ).fetchall()
        return [_card_from_row(r) for r in rows]

    def count_due(self, before: datetime, now: datetime, topics: Sequence[str] | None = None) -> int:
        params: list[Any] = [iso(before), iso(now)]
        where = _topic_clause(topics, params)
        return int(
            self._q(
                "SELECT count(*) FROM cards INDEXED BY cards_due WHERE phase > 0 AND suspended = 0 AND due < ? "
                f"AND (buried_until IS NULL OR buried_until <= ?){where}",
                params,
            ).fetchone()[0]
        )

    def count_new(self, now: datetime, topics: Sequence[str] | None = None) -> int:
        params: list[Any] = [iso(now)]
        where = _topic_clause(topics, params)
        return int(
            self._q(
                "SELECT count(*) FROM cards INDEXED BY cards_new WHERE phase = 0 AND suspended = 0 "
                f"AND (buried_until IS NULL OR buried_until <= ?){where}",
                params,
            ).fetchone()[0]
        )

    def memory_columns(self) -> tuple[list[str], list[str], list[float], list[float]]:
        """``(card_ids, topics, stabilities, last review as POSIX seconds)`` of every reviewed card.

        For vectorised maths over the whole collection; the times are converted by SQLite.
        """
        rows = self._q(
            "SELECT card_id, topic, stability, (julianday(last_review) - 2440587.5) * 86400.0 FROM cards "
            "WHERE stability IS NOT NULL AND last_review IS NOT NULL"
        ).fetchall()
        if not rows:
            return [], [], [], []
        ids, topics, stab, last = zip(*rows, strict=True)
        return list(ids), list(topics), list(stab), list(last)

    # -- review log --------------------------------------------------------------------------------

    def record_review(self, review: Review, card: Card) -> None:
        """Append ``review`` to the log and store the card's new state, in one transaction."""
        with self.transaction():
            self._conn.execute(
                f"INSERT INTO review_log ({_REVIEW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                review_to_row(review),
            )
            self._conn.execute(
                f"INSERT OR REPLACE INTO cards ({_CARD_COLUMNS}) VALUES ({', '.join('?' * 14)})", _card_to_row(card)
            )

    def undo_review(self, review_id: str, card: Card, now: datetime) -> None:
        """Take back a review: delete its row, remember its id as undone, restore ``card``."""
        with self.transaction():
            self._conn.execute("DELETE FROM review_log WHERE id = ?", (review_id,))
            self._conn.execute("INSERT OR IGNORE INTO undone (id, undone_at) VALUES (?, ?)", (review_id, iso(now)))
            self._conn.execute(
                f"INSERT OR REPLACE INTO cards ({_CARD_COLUMNS}) VALUES ({', '.join('?' * 14)})", _card_to_row(card)
            )

    def add_reviews(self, reviews: Iterable[Review], undone: Iterable[str] = ()) -> list[str]:
        """Union ``reviews`` into the log by id (existing ids are kept) and drop the ``undone`` ids.

        Returns:
            The card ids whose history changed (to be replayed).
        """
        changed: set[str] = set()
        with self.transaction():
            for uid in undone:
                row = self._conn.execute("SELECT card_id FROM review_log WHERE id = ?", (uid,)).fetchone()
                if row is not None:
                    changed.add(row[0])
                    self._conn.execute("DELETE FROM review_log WHERE id = ?", (uid,))
                self._conn.execute(
                    "INSERT OR IGNORE INTO undone (id, undone_at) VALUES (?, ?)", (uid, iso(datetime.now(UTC)))
                )
            for r in reviews:
                cur = self._conn.execute(
                    f"INSERT OR IGNORE INTO review_log ({_REVIEW_COLUMNS}) "
                    "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM undone WHERE id = ?)",
                    (*review_to_row(r), r.id),
                )
                if cur.rowcount:
                    changed.add(r.card_id)
        return sorted(changed)

    def reviews(self, card_id: str | None = None, *, scheduled_only: bool = False) -> list[Review]:
        """Log rows in replay order (time, then id), for one card or all."""
        where, params = [], []
        if card_id is not None:
            where.append("card_id = ?")
            params.append(card_id)
        if scheduled_only:
            where.append(f"source IN {_SCHEDULED_SQL}")
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        rows = self._q(f"SELECT {_REVIEW_COLUMNS} FROM review_log{clause} ORDER BY reviewed_at, id", params)
        return [review_from_row(r) for r in rows.fetchall()]

    def undone_ids(self) -> list[str]:
        return [r[0] for r in self._q("SELECT id FROM undone ORDER BY id").fetchall()]

    def review_count(self) -> int:
        return int(self._q("SELECT count(*) FROM review_log").fetchone()[0])

    def count_reviews_between(self, start: datetime, end: datetime, *, scheduled_only: bool = True) -> int:
        src = f" AND source IN {_SCHEDULED_SQL}" if scheduled_only else ""
        return int(
            self._q(
                f"SELECT count(*) FROM review_log WHERE reviewed_at >= ? AND reviewed_at < ?{src}",
                (iso(start), iso(end)),
            ).fetchone()[0]
        )

    def day_counts(self, start: datetime, end: datetime) -> tuple[int, int]:
        """``(new, review)``: distinct cards studied in ``[start, end)`` that were new / not new by ``start``."""
        row = self._q(
            f"""
            WITH today AS (
                SELECT DISTINCT card_id FROM review_log
                WHERE reviewed_at >= ? AND reviewed_at < ? AND source IN {_SCHEDULED_SQL}
            )
            SELECT
                count(*) FILTER (WHERE NOT EXISTS (
                    SELECT 1 FROM review_log p WHERE p.card_id = today.card_id AND p.reviewed_at < ?
                    AND p.source IN {_SCHEDULED_SQL})),
                count(*)
            FROM today
            """,
            (iso(start), iso(end), iso(start)),
        ).fetchone()
        new = int(row[0])
        return new, int(row[1]) - new

    def any_review_between(self, start: datetime, end: datetime) -> bool:
        return (
            self._q(
                "SELECT 1 FROM review_log WHERE reviewed_at >= ? AND reviewed_at < ? LIMIT 1", (iso(start), iso(end))
            ).fetchone()
            is not None
        )

    # -- settings ----------------------------------------------------------------------------------

    def settings(self) -> Settings:
        values: dict[str, Any] = {}
        for key, value in self._q("SELECT key, value FROM settings").fetchall():
            try:
                values[key] = json.loads(value)
            except ValueError:
                continue  # a damaged value falls back to its default
            if key in Settings.names() and Settings.problem(key, values[key]) is not None:
                del values[key]  # so does a value of the wrong type or range (hand-edited, or an old import)
        return Settings.from_values(values)

    def raw_settings(self) -> dict[str, Any]:
        """The user settings that were explicitly stored (internal ``_`` keys left out)."""
        rows = self._q("SELECT key, value FROM settings WHERE key NOT LIKE '\\_%' ESCAPE '\\' ORDER BY key")
        out: dict[str, Any] = {}
        for key, raw in rows.fetchall():
            try:
                value = json.loads(raw)
            except ValueError:
                continue  # damaged: as if never stored (see settings())
            if key in Settings.names() and Settings.problem(key, value) is not None:
                continue
            out[key] = value
        return out

    def set_settings(self, **values: Any) -> Settings:
        """Store the given settings (names of :class:`Settings` fields) and return them all."""
        unknown = set(values) - set(Settings.names())
        if unknown:
            raise KeyError(f"unknown settings: {', '.join(sorted(unknown))}")
        with self.transaction():
            self._conn.executemany(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                [(k, json.dumps(list(v) if isinstance(v, tuple) else v)) for k, v in values.items()],
            )
        return self.settings()

    def get_value(self, key: str) -> Any:
        """An internal key/value (not a user setting), or ``None``."""
        row = self._q("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def set_value(self, key: str, value: Any) -> None:
        with self.transaction():
            self._conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, json.dumps(value)))

    # -- mock interviews ---------------------------------------------------------------------------

    def add_mock_result(self, result: MockResult) -> None:
        """Store a new mock result (its id must be new)."""
        self._write_mock_result(result, "INSERT")

    def put_mock_result(self, result: MockResult) -> None:
        """Store ``result``, replacing the row with its id (a re-save after the user changed ticks)."""
        self._write_mock_result(result, "INSERT OR REPLACE")

    def _write_mock_result(self, result: MockResult, verb: str) -> None:
        with self.transaction():
            self._conn.execute(
                f"{verb} INTO mock_results (id, started_at, finished_at, score, details) VALUES (?, ?, ?, ?, ?)",
                (result.id, iso(result.started_at), iso(result.finished_at), result.score, json.dumps(result.details)),
            )

    def mock_results(self) -> list[MockResult]:
        rows = self._q("SELECT id, started_at, finished_at, score, details FROM mock_results ORDER BY started_at")
        return [MockResult(r[0], parse_iso(r[1]), parse_iso(r[2]), r[3], json.loads(r[4])) for r in rows.fetchall()]

    # -- maintenance -------------------------------------------------------------------------------

    def integrity_check(self) -> str:
        return str(self._q("PRAGMA integrity_check").fetchone()[0])
