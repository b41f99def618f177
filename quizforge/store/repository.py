"""The repository: every SQL statement of quizforge, and the mapping between rows and domain objects."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from quizforge.store.database import StoreError, connect
from quizforge.store.models import (
    REGISTERS,
    SCHEDULED_SOURCES,
    Card,
    Event,
    EventKind,
    Memory,
    MockResult,
    Phase,
    Review,
    Settings,
    register_kinds,
)

_BANK_DIGEST = "_bank_digest"  # internal key in `settings`: which bank the card rows last matched
_DEVICE = "_device"  # internal key in `settings`: this data dir's device id (made once, by the migration)
_TICK = timedelta(microseconds=1)
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
_CARD_MARKS = ", ".join("?" * 14)
_REVIEW_COLUMNS = (
    "id, card_id, rating, reviewed_at, source, seed, answer, correct, score, duration_ms, level, mistake, device"
)
_REVIEW_MARKS = ", ".join("?" * 14)  # _REVIEW_COLUMNS and seq
_EVENT_COLUMNS = "id, kind, key, at, device, data"


def _card_from_row(row: Sequence[Any]) -> Card:
    (card_id, topic, position, phase, step, stability, difficulty, due, last_review, reps, lapses, leech, suspended,
     buried_until) = row  # fmt: skip
    return Card(
        card_id=card_id,
        topic=topic,
        position=position,
        memory=Memory(
            phase=Phase(phase),
            step=step,
            stability=stability,
            difficulty=difficulty,
            due=_opt_dt(due),
            last_review=_opt_dt(last_review),
            reps=reps,
            lapses=lapses,
        ),
        leech=bool(leech),
        suspended=bool(suspended),
        buried_until=_opt_dt(buried_until),
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
    """A review from a row of ``_REVIEW_COLUMNS``: the ten columns of schema 1, then ``level`` and
    ``mistake`` (schema 3) and ``device``; a shorter row (ten columns, or ten and ``device``) has none."""
    rid, card_id, rating, reviewed_at, source, seed, answer, correct, score, duration_ms, *rest = row
    level, mistake, device = (None, None, rest[0]) if len(rest) == 1 else (*rest, None, None, None)[:3]
    return Review(
        id=rid,
        card_id=card_id,
        rating=rating,
        reviewed_at=parse_iso(reviewed_at),
        source=source,
        seed=seed,
        answer=answer,
        correct=None if correct is None else bool(correct),
        score=score,
        duration_ms=duration_ms,
        level=level,
        mistake=mistake,
        device=device,
    )


def _event_from_row(row: Sequence[Any]) -> Event:
    eid, kind, key, at, device, data = row
    return Event(eid, kind, key, parse_iso(at), device, json.loads(data))


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
    """``_REVIEW_COLUMNS`` but the device (which the store fills in)."""
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
        r.level,
        r.mistake,
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


@dataclass
class Merged:
    """What a union of events changed: the caches to rebuild, and counts for the user."""

    reviews_added: int = 0
    reviews_known: int = 0
    events_added: int = 0
    events_known: int = 0
    cards: set[str] = field(default_factory=set)  # cards whose reviews or flags changed
    settings: set[str] = field(default_factory=set)  # setting names with a new event
    mocks: set[str] = field(default_factory=set)  # mock ids with a new event


class Store:
    """The quizforge database. One instance per process (it is safe to share between threads).

    Every write is one short transaction (``BEGIN IMMEDIATE`` … ``COMMIT``): when a method returns,
    its change is on disk and survives the process being killed. Every user-visible change is also
    logged as an event (a review row, or a row of ``events``) stamped with :attr:`device`; the card,
    settings and mock tables are caches that a replay of the log rebuilds (``docs/events.md``).
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = threading.RLock()
        self._in_tx = False
        # the last review_streak() answer: ((first day, limit), data_version, streak, end of the days it
        # covers); see _log_changed()
        self._streak_memo: tuple[tuple[str, int], int, int, str] | None = None
        try:
            try:
                device = self.get_value(_DEVICE)
            except ValueError:  # a damaged value (hand-edited)
                device = None
            if not isinstance(device, str):  # the migration makes one; a hand-edited file may lack it
                device = str(uuid.uuid4())
                self.set_value(_DEVICE, device)
        except BaseException:
            conn.close()  # a damaged file: leave no -wal/-shm behind
            raise
        self.device: str = device

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

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run one read-only statement (``SELECT`` / ``WITH``) for the bulk reads in ``store.columns``.

        Raises:
            ValueError: the statement is not a read.
        """
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            raise ValueError("Store._query runs reads only")
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
        import hashlib  # only here: not on the start path

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
        """Insert or replace a card row; a change of its flags (suspended, leech, buried) is logged."""
        self.put_cards([card])

    def put_cards(self, cards: Iterable[Card]) -> None:
        """:meth:`put_card` for many cards, in one transaction."""
        with self.transaction():
            self._write_cards(list(cards), log=True)

    def cache_cards(self, cards: Iterable[Card]) -> None:
        """Write card rows as a replay computed them: the cache only, nothing logged."""
        with self.transaction():
            self._write_cards(list(cards), log=False)

    def _write_cards(self, cards: list[Card], *, log: bool) -> None:
        if log:
            old = {c.card_id: c for c in self.cards([c.card_id for c in cards])}
            for card in cards:
                self._log_flags(old.get(card.card_id) or Card(card.card_id), card)
        self._conn.executemany(
            f"INSERT OR REPLACE INTO cards ({_CARD_COLUMNS}) VALUES ({_CARD_MARKS})", [_card_to_row(c) for c in cards]
        )

    def _log_flags(self, before: Card, after: Card) -> None:
        cid = after.card_id
        if after.suspended != before.suspended:
            self._emit(EventKind.SUSPEND, cid, {"suspended": after.suspended})
        if after.leech != before.leech:
            self._emit(EventKind.LEECH, cid, {"leech": after.leech})
        if after.buried_until != before.buried_until:
            self._emit(EventKind.BURY, cid, {"until": _opt_iso(after.buried_until)})

    def set_suspended(self, card_id: str, suspended: bool) -> None:
        """Suspend or unsuspend a card that has a row (logged as a ``card.suspend`` event)."""
        with self.transaction():
            card = self.card(card_id)
            if card is None or card.suspended == suspended:
                return
            self._emit(EventKind.SUSPEND, card_id, {"suspended": suspended})
            self._conn.execute("UPDATE cards SET suspended = ? WHERE card_id = ?", (int(suspended), card_id))

    def bury(self, card_ids: Iterable[str], until: datetime) -> None:
        """Hide cards from the queues until ``until`` (each logged as a ``card.bury`` event)."""
        with self.transaction():
            ids = list(card_ids)
            for card in self.cards(ids):
                if card.buried_until != until:
                    self._emit(EventKind.BURY, card.card_id, {"until": iso(until)})
            self._conn.executemany(
                "UPDATE cards SET buried_until = ? WHERE card_id = ?", [(iso(until), c) for c in ids]
            )

    def _due_rows(
        self, columns: str, before: datetime, now: datetime, limit: int, topics: Sequence[str] | None
    ) -> list[Any]:
        params: list[Any] = [iso(before), iso(now)]
        where = _topic_clause(topics, params)
        params.append(_limit(limit))
        return self._q(
            f"SELECT {columns} FROM cards INDEXED BY cards_due WHERE phase > 0 AND suspended = 0 "
            f"AND due < ? AND (buried_until IS NULL OR buried_until <= ?){where} ORDER BY due LIMIT ?",
            params,
        ).fetchall()

    def _new_rows(self, columns: str, now: datetime, limit: int, topics: Sequence[str] | None) -> list[Any]:
        params: list[Any] = [iso(now)]
        where = _topic_clause(topics, params)
        params.append(_limit(limit))
        return self._q(
            f"SELECT {columns} FROM cards INDEXED BY cards_new WHERE phase = 0 AND suspended = 0 "
            f"AND (buried_until IS NULL OR buried_until <= ?){where} ORDER BY position LIMIT ?",
            params,
        ).fetchall()

    def due_cards(self, before: datetime, now: datetime, limit: int, topics: Sequence[str] | None = None) -> list[Card]:
        """Reviewed, unsuspended, unburied cards due before ``before``, oldest due first."""
        return [_card_from_row(r) for r in self._due_rows(_CARD_COLUMNS, before, now, limit, topics)]

    def due_entries(
        self, before: datetime, now: datetime, limit: int, topics: Sequence[str] | None = None
    ) -> list[tuple[str, int, str]]:
        """``(card_id, phase, due)`` of the cards :meth:`due_cards` returns, in its order.

        For the day's queue: read from the covering index, without building cards or parsing times
        (``phase`` is a :class:`Phase` value, ``due`` is :func:`iso` text, which sorts like the time).
        """
        return [tuple(r) for r in self._due_rows("card_id, phase, due", before, now, limit, topics)]

    def new_cards(self, now: datetime, limit: int, topics: Sequence[str] | None = None) -> list[Card]:
        """Never-reviewed, unsuspended, unburied cards in bank order."""
        return [_card_from_row(r) for r in self._new_rows(_CARD_COLUMNS, now, limit, topics)]

    def new_entries(self, now: datetime, limit: int, topics: Sequence[str] | None = None) -> list[tuple[str, str]]:
        """``(card_id, topic)`` of the cards :meth:`new_cards` returns, in its order (from the covering index)."""
        return [tuple(r) for r in self._new_rows("card_id, topic", now, limit, topics)]

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
        """Append ``review`` to the log and store the card's new state, in one transaction.

        A change of the card's flags (a lapse that makes it a leech and suspends it) is logged too.
        """
        with self.transaction():
            self._conn.execute(
                f"INSERT INTO review_log ({_REVIEW_COLUMNS}, seq) VALUES ({_REVIEW_MARKS})",
                (*review_to_row(review), review.device or self.device, self._next_seq()),
            )
            self._log_changed(iso(review.reviewed_at))
            self._write_cards([card], log=True)

    def undo_review(self, review_id: str, card: Card, now: datetime) -> None:
        """Take back a review: log a ``review.undo`` event, delete its row, restore ``card``."""
        with self.transaction():
            self._emit(EventKind.UNDO, review_id, {}, at=now)
            self._drop_review(review_id, now)
            self._write_cards([card], log=True)

    def _drop_review(self, review_id: str, at: datetime) -> str | None:
        """Delete an undone review's row (its undo event is already logged); the card id it had, if any."""
        row = self._conn.execute("SELECT card_id, reviewed_at FROM review_log WHERE id = ?", (review_id,)).fetchone()
        if row is not None:
            self._conn.execute("DELETE FROM review_log WHERE id = ?", (review_id,))
            self._log_changed(row[1])
        self._conn.execute("INSERT OR IGNORE INTO undone (id, undone_at) VALUES (?, ?)", (review_id, iso(at)))
        return None if row is None else str(row[0])

    def add_reviews(self, reviews: Iterable[Review], undone: Iterable[str] = ()) -> list[str]:
        """Union ``reviews`` into the log by id (existing ids are kept) and take back the ``undone`` ids.

        An id not yet undone here gets a ``review.undo`` event from this device.

        Returns:
            The card ids whose history changed (to be replayed).
        """
        now = datetime.now(UTC)
        with self.transaction():
            known = set(self.undone_ids())
            undo = [
                Event(str(uuid.uuid4()), EventKind.UNDO, uid, now, self.device) for uid in undone if uid not in known
            ]
            return sorted(self.merge(reviews, undo).cards)

    def merge(self, reviews: Iterable[Review], events: Iterable[Event]) -> Merged:
        """Union reviews and events into the log by id, in one transaction, and apply the undo events.

        Nothing else is rebuilt here: the caller replays the returned cards (memory needs the
        scheduler) and calls :meth:`rebuild_caches`. Reviews without a device get this one's.
        """
        out = Merged()
        with self.transaction():
            seq = self._next_seq()
            for e in events:
                cur = self._conn.execute(
                    f"INSERT OR IGNORE INTO events (seq, {_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (seq, e.id, str(e.kind), e.key, iso(e.at), e.device, json.dumps(e.data)),
                )
                if not cur.rowcount:
                    out.events_known += 1
                    continue
                seq += 1
                out.events_added += 1
                if e.kind == EventKind.UNDO:
                    cid = self._drop_review(e.key, e.at)
                    if cid is not None:
                        out.cards.add(cid)
                elif e.kind in (EventKind.SUSPEND, EventKind.LEECH, EventKind.BURY):
                    out.cards.add(e.key)
                elif e.kind == EventKind.SETTING:
                    out.settings.add(e.key)
                elif e.kind == EventKind.MOCK_RESULT:
                    out.mocks.add(e.key)
            for r in reviews:
                cur = self._conn.execute(
                    f"INSERT OR IGNORE INTO review_log ({_REVIEW_COLUMNS}, seq) "
                    f"SELECT {_REVIEW_MARKS} WHERE NOT EXISTS (SELECT 1 FROM undone WHERE id = ?)",
                    (*review_to_row(r), r.device or self.device, seq, r.id),
                )
                if cur.rowcount:
                    self._log_changed(iso(r.reviewed_at))
                    seq += 1
                    out.reviews_added += 1
                    out.cards.add(r.card_id)
                else:
                    out.reviews_known += 1
        return out

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

    def iter_reviews(self, batch: int = 10_000) -> Iterator[Review]:
        """Every review in replay order, read in batches (an export of a million rows in bounded memory)."""
        last: tuple[str, str] = ("", "")
        while True:
            rows = self._q(
                f"SELECT {_REVIEW_COLUMNS} FROM review_log WHERE (reviewed_at, id) > (?, ?) "
                "ORDER BY reviewed_at, id LIMIT ?",
                (*last, batch),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield review_from_row(row)
            last = (rows[-1][3], rows[-1][0])

    def leveled_answers(self) -> list[tuple[str, int, bool | None, float | None, str | None]]:
        """``(card_id, level, correct, score, mistake)`` of every review that records a level (the
        generated questions' answers since schema 3), in replay order: the per-family ability and
        the report's tutoring section are replays of these."""
        rows = self._q(
            "SELECT card_id, level, correct, score, mistake FROM review_log WHERE level IS NOT NULL "
            "ORDER BY reviewed_at, id"
        ).fetchall()
        return [(c, int(lv), None if ok is None else bool(ok), sc, m) for c, lv, ok, sc, m in rows]

    def recent_durations(self, limit: int = 500) -> list[int]:
        """The answer times (ms) of the latest ``limit`` timed, scheduled reviews (the planner's seconds per card)."""
        rows = self._q(
            "SELECT duration_ms FROM review_log WHERE duration_ms > 0 AND source != 'cram' "
            "ORDER BY reviewed_at DESC LIMIT ?",
            (_limit(limit),),
        ).fetchall()
        return [int(r[0]) for r in rows]

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
        new, studied = int(row[0]), int(row[1])
        return new, studied - new

    def review_streak(self, first_day: datetime, limit: int) -> int:
        """How many consecutive 24-hour days, going back from ``[first_day, first_day + 1 day)``, have a review.

        One statement walks the days on the ``reviewed_at`` index (a probe per day, not a query per day).
        The answer depends only on reviews before ``first_day + 1 day``, so it is remembered until such a
        review is written or removed here, or another connection commits anything: the dashboard asks
        for the streak up to yesterday after every answer given today.

        Args:
            first_day: The start of the most recent day to look at (timezone-aware).
            limit: Count no further than this.
        """
        first = first_day.astimezone(UTC)
        lo = iso(first)
        key = (lo, _limit(limit))
        with self._lock:
            version = int(self._q("PRAGMA data_version").fetchone()[0])
            memo = self._streak_memo
            if memo is not None and memo[0] == key and memo[1] == version and not self._conn.in_transaction:
                return memo[2]
            hi = iso(first + timedelta(days=1))
            # day starts as iso() text: whole seconds from strftime, then the fixed ".ffffff+00:00" tail
            tail = lo[len("YYYY-MM-DDTHH:MM:SS") :]
            row = self._q(
                """
                WITH RECURSIVE walk(k, lo, hi) AS (
                    SELECT 0, ?, ?
                    UNION ALL
                    SELECT k + 1, strftime('%Y-%m-%dT%H:%M:%S', ? - (k + 1) * 86400, 'unixepoch') || ?, lo
                    FROM walk
                    WHERE k < ? AND EXISTS (
                        SELECT 1 FROM review_log WHERE reviewed_at >= walk.lo AND reviewed_at < walk.hi
                    )
                )
                SELECT max(k) FROM walk
                """,
                (lo, hi, int(first.replace(microsecond=0).timestamp()), tail, key[1]),
            ).fetchone()
            streak = int(row[0])
            if not self._conn.in_transaction:  # uncommitted rows may still be rolled back
                self._streak_memo = (key, version, streak, hi)
            return streak

    def _log_changed(self, reviewed_at: str) -> None:
        """A review row at ``reviewed_at`` (iso() text) was written or removed: forget a streak it is part of."""
        memo = self._streak_memo
        if memo is not None and reviewed_at < memo[3]:
            self._streak_memo = None

    # -- events ------------------------------------------------------------------------------------

    def add_event(
        self, kind: str, key: str = "", data: Mapping[str, Any] | None = None, *, at: datetime | None = None
    ) -> Event:
        """Log a change made on this device (for kinds without a method of their own: ``plan.set``,
        ``drill.attempt``, …) and return the event.

        Args:
            kind: An :class:`EventKind` value (or a new kind: it is kept and synced as it is).
            key: What it is about (a card id, …); ``""`` for none.
            data: A JSON object.
            at: The time (default: now). For a last-writer-wins kind it is moved past the latest event
                of its register this store knows, so a local change always wins here (see docs/events.md).
        """
        with self.transaction():
            event = self._emit(kind, key, dict(data or {}), at=at)
            if kind in (EventKind.SUSPEND, EventKind.LEECH, EventKind.BURY):
                self.refresh_flags([key])
            elif kind == EventKind.SETTING:
                self.rebuild_caches(settings=[key])
            elif kind == EventKind.MOCK_RESULT:
                self.rebuild_caches(mocks=[key])
            return event

    def refresh_flags(self, card_ids: Iterable[str]) -> None:
        """Set the flags of ``card_ids``' rows (made if missing) to what their flag events decide."""
        with self.transaction():
            flags = self.card_flags(card_ids)
            self._conn.executemany(
                "INSERT INTO cards (card_id, leech, suspended, buried_until) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (card_id) DO UPDATE SET leech = excluded.leech, suspended = excluded.suspended, "
                "buried_until = excluded.buried_until",
                [(cid, int(leech), int(susp), _opt_iso(until)) for cid, (leech, susp, until) in flags.items()],
            )

    def _emit(self, kind: str, key: str, data: dict[str, Any], *, at: datetime | None = None) -> Event:
        when = (at or datetime.now(UTC)).astimezone(UTC)
        if kind in REGISTERS:
            latest = self.latest_event(kind, key)
            if latest is not None and when <= latest.at:
                when = latest.at + _TICK
        event = Event(str(uuid.uuid4()), kind, key, when, self.device, data)
        self._conn.execute(
            f"INSERT INTO events (seq, {_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (self._next_seq(), event.id, str(kind), key, iso(when), self.device, json.dumps(data)),
        )
        return event

    def _next_seq(self) -> int:
        """The next local sequence number, shared by reviews and events (sync sends what is past its mark).

        A deleted review never lowers the maximum: its undo event is logged first, with a higher number.
        """
        row = self._conn.execute(
            "SELECT max((SELECT coalesce(max(seq), 0) FROM review_log), (SELECT coalesce(max(seq), 0) FROM events))"
        ).fetchone()
        return int(row[0]) + 1

    def last_seq(self) -> int:
        """The highest local sequence number in use."""
        with self._lock:
            return self._next_seq() - 1

    def latest_event(self, kind: str, key: str = "") -> Event | None:
        """The winning event of ``kind``'s register for ``key``: the latest by (time, id)."""
        kinds = register_kinds(kind)
        marks = ", ".join("?" * len(kinds))
        row = self._q(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE key = ? AND kind IN ({marks}) "
            "ORDER BY at DESC, id DESC LIMIT 1",
            (key, *kinds),
        ).fetchone()
        return None if row is None else _event_from_row(row)

    def events(self, kinds: Sequence[str] | None = None, key: str | None = None) -> list[Event]:
        """Logged events (not reviews) in replay order (time, then id), optionally of some kinds or one key."""
        where: list[str] = []
        params: list[Any] = []
        if kinds is not None:
            where.append(f"kind IN ({', '.join('?' * len(kinds))})")
            params.extend(str(k) for k in kinds)
        if key is not None:
            where.append("key = ?")
            params.append(key)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        rows = self._q(f"SELECT {_EVENT_COLUMNS} FROM events{clause} ORDER BY at, id", params).fetchall()
        return [_event_from_row(r) for r in rows]

    def event_count(self) -> int:
        return int(self._q("SELECT count(*) FROM events").fetchone()[0])

    def since(self, seq: int) -> tuple[list[Review], list[Event], int]:
        """Reviews and events that arrived in this store after sequence number ``seq``, and the highest number."""
        with self._lock:
            rows = self._q(f"SELECT {_REVIEW_COLUMNS} FROM review_log WHERE seq > ? ORDER BY seq", (seq,)).fetchall()
            reviews = [review_from_row(r) for r in rows]
            events = [
                _event_from_row(r)
                for r in self._q(f"SELECT {_EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq", (seq,)).fetchall()
            ]
            return reviews, events, self.last_seq()

    def card_flags(self, card_ids: Iterable[str]) -> dict[str, tuple[bool, bool, datetime | None]]:
        """``card_id -> (leech, suspended, buried_until)`` as the flag events decide (defaults without any)."""
        ids = list(card_ids)
        kinds = (EventKind.LEECH, EventKind.SUSPEND, EventKind.BURY)
        latest: dict[tuple[str, str], Event] = {}
        if len(ids) > 500:  # many cards: one pass over every flag event (in replay order, the last one wins)
            wanted = set(ids)
            for e in self.events(kinds):
                if e.key in wanted:
                    latest[(e.key, e.kind)] = e
        else:
            for cid in ids:
                for kind in kinds:
                    winner = self.latest_event(kind, cid)
                    if winner is not None:
                        latest[(cid, kind)] = winner
        out: dict[str, tuple[bool, bool, datetime | None]] = {}
        for cid in ids:
            leech, suspended, bury = (latest.get((cid, k)) for k in kinds)
            until = None if bury is None else bury.data.get("until")
            out[cid] = (
                bool(leech and leech.data.get("leech")),
                bool(suspended and suspended.data.get("suspended")),
                _opt_dt(until) if isinstance(until, str) else None,
            )
        return out

    def rebuild_caches(self, settings: Iterable[str] = (), mocks: Iterable[str] = ()) -> None:
        """Rebuild the settings and mock-result caches of the given keys from their winning events."""
        with self.transaction():
            for name in settings:
                event = self.latest_event(EventKind.SETTING, name)
                value = None if event is None else event.data.get("value")
                if event is None or name not in Settings.names() or Settings.problem(name, value) is not None:
                    # no event, or a setting this version does not know or cannot use: not in effect here
                    if name in Settings.names():
                        self._conn.execute("DELETE FROM settings WHERE key = ?", (name,))
                    continue
                self._conn.execute(
                    "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (name, json.dumps(value))
                )
            for mid in mocks:
                event = self.latest_event(EventKind.MOCK_RESULT, mid)
                if event is not None:
                    d = event.data
                    self._conn.execute(
                        "INSERT OR REPLACE INTO mock_results (id, started_at, finished_at, score, details) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (mid, d["started_at"], d["finished_at"], d["score"], json.dumps(d.get("details", {}))),
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
        """Store the given settings (names of :class:`Settings` fields) and return them all.

        Each value that differs from the stored one is logged as a ``setting`` event.
        """
        unknown = set(values) - set(Settings.names())
        if unknown:
            raise KeyError(f"unknown settings: {', '.join(sorted(unknown))}")
        with self.transaction():
            stored = self.raw_settings()
            for key, value in values.items():
                plain = list(value) if isinstance(value, tuple) else value
                if key in stored and stored[key] == plain:
                    continue
                self._emit(EventKind.SETTING, key, {"value": plain})
                self._conn.execute(
                    "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, json.dumps(plain))
                )
        return self.settings()

    def get_value(self, key: str) -> Any:
        """An internal key/value (not a user setting, not logged), or ``None``."""
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
        started, finished = iso(result.started_at), iso(result.finished_at)
        with self.transaction():
            self._conn.execute(
                f"{verb} INTO mock_results (id, started_at, finished_at, score, details) VALUES (?, ?, ?, ?, ?)",
                (result.id, started, finished, result.score, json.dumps(result.details)),
            )
            data = {"started_at": started, "finished_at": finished, "score": result.score, "details": result.details}
            self._emit(EventKind.MOCK_RESULT, result.id, data)

    def mock_results(self) -> list[MockResult]:
        rows = self._q("SELECT id, started_at, finished_at, score, details FROM mock_results ORDER BY started_at")
        return [
            MockResult(mid, parse_iso(started), parse_iso(finished), score, json.loads(details))
            for mid, started, finished, score, details in rows.fetchall()
        ]

    # -- maintenance -------------------------------------------------------------------------------

    def integrity_check(self) -> str:
        return str(self._q("PRAGMA integrity_check").fetchone()[0])
