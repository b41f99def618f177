"""The reports' reads: the whole review log and card table as NumPy columns, in a few SQL statements.

A report looks at every row, so it does not build a ``Review`` per row (1,000,000 dataclasses and
datetimes take seconds). SQLite hands each column over as one ``group_concat`` string that NumPy
parses in milliseconds. Times are whole POSIX seconds from ``strftime('%s')`` (any SQLite version;
``unixepoch`` needs 3.38), enough to place a review in a study day. The SQL is read-only and lives
here, beside the store's own statements in ``quizforge.store.repository``, through the one
accessor :func:`read`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from quizforge.store.repository import Store

# The integer that stands for each review source in ReviewColumns.source. The numbering is this
# table's own (not the order of quizforge.store.models.Source); the review log's CHECK constraint
# allows no other source.
SOURCE_CODES: dict[str, int] = {"study": 0, "import": 1, "cram": 2, "quiz": 3, "mock": 4}
# The study queue's reviews (study, and an imported study log): the only ones true retention counts.
# Quiz and mock answers move the schedule too, but are chosen by the user, not by the schedule.
STUDY_QUEUE_CODES = (SOURCE_CODES["study"], SOURCE_CODES["import"])
_SEP = "\x1f"  # the ASCII unit separator: never in a question id


def read(store: Store, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run one read-only statement through the store's private ``_query`` (the store's lock, and its one-line
    errors for a locked or damaged database). Every report query is in this module; none writes."""
    return store._query(sql, params)


@dataclass(frozen=True)
class CardColumns:
    """The ``cards`` table as columns, one entry per row (index = card code)."""

    ids: list[str]
    topic: list[str]
    phase: np.ndarray  # int
    stability: np.ndarray  # float, NaN for never reviewed
    last_review_s: np.ndarray  # float POSIX seconds, NaN for never reviewed
    due_s: np.ndarray  # float POSIX seconds, NaN for never reviewed
    lapses: np.ndarray  # int
    leech: np.ndarray  # bool
    suspended: np.ndarray  # bool

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class ReviewColumns:
    """The review log as columns. ``card`` is an index into :class:`CardColumns`."""

    card: np.ndarray  # int64
    at_s: np.ndarray  # int64 POSIX seconds
    rating: np.ndarray  # int8, 1..4
    source: np.ndarray  # int8, SOURCE_CODES
    generated: np.ndarray  # bool: the review has a seed (a generated question)
    correct: np.ndarray  # int8: 1 right, 0 wrong, -1 unknown
    duration_ms: np.ndarray  # int64, 0 when unknown

    def __len__(self) -> int:
        return len(self.card)

    def take(self, mask: np.ndarray) -> ReviewColumns:
        return ReviewColumns(*(getattr(self, f)[mask] for f in _REVIEW_FIELDS))


_REVIEW_FIELDS = ("card", "at_s", "rating", "source", "generated", "correct", "duration_ms")


def _ints(text: str | None, n: int) -> np.ndarray:
    if not n or text is None:
        return np.zeros(0, dtype=np.int64)
    out = np.fromstring(text, dtype=np.int64, sep=",")
    if len(out) != n:
        raise ValueError("review log column could not be parsed")
    return out


def _floats(text: str | None, n: int) -> np.ndarray:
    if not n or text is None:
        return np.zeros(0, dtype=float)
    out = np.fromstring(text, dtype=float, sep=",")
    if len(out) != n:
        raise ValueError("card column could not be parsed")
    return out


def load_cards(store: Store) -> CardColumns:
    """Every card row; a NULL stability or time becomes NaN."""
    rows = read(
        store,
        "SELECT card_id, topic, phase, stability, (julianday(last_review) - 2440587.5) * 86400.0, "
        "(julianday(due) - 2440587.5) * 86400.0, lapses, leech, suspended FROM cards",
    )
    if not rows:
        f, i, b = np.zeros(0, dtype=float), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
        return CardColumns([], [], i, f, f, f, i, b, b)
    ids, topics, phase, stab, last, due, lapses, leech, susp = zip(*rows, strict=True)
    return CardColumns(
        ids=list(ids),
        topic=list(topics),
        phase=np.asarray(phase, dtype=np.int64),
        stability=np.asarray(stab, dtype=float),
        last_review_s=np.asarray(last, dtype=float),
        due_s=np.asarray(due, dtype=float),
        lapses=np.asarray(lapses, dtype=np.int64),
        leech=np.asarray(leech, dtype=bool),
        suspended=np.asarray(susp, dtype=bool),
    )


def with_cards(cards: CardColumns, ids: Sequence[str]) -> CardColumns:
    """``cards`` plus never-reviewed rows for ``ids`` (logged cards that have no row, as after a raw import)."""
    n = len(ids)
    nan = np.full(n, np.nan)
    return CardColumns(
        ids=cards.ids + list(ids),
        topic=cards.topic + [""] * n,
        phase=np.concatenate([cards.phase, np.zeros(n, dtype=np.int64)]),
        stability=np.concatenate([cards.stability, nan]),
        last_review_s=np.concatenate([cards.last_review_s, nan]),
        due_s=np.concatenate([cards.due_s, nan]),
        lapses=np.concatenate([cards.lapses, np.zeros(n, dtype=np.int64)]),
        leech=np.concatenate([cards.leech, np.zeros(n, dtype=bool)]),
        suspended=np.concatenate([cards.suspended, np.zeros(n, dtype=bool)]),
    )


def load_reviews(store: Store, cards: CardColumns) -> tuple[ReviewColumns, CardColumns]:
    """The whole review log as columns, in table order (not sorted).

    Returns:
        The reviews, and ``cards`` extended with a never-reviewed row for every logged card that
        has none, so that every review's ``card`` is a valid index.
    """
    case = " ".join(f"WHEN '{s}' THEN {c}" for s, c in SOURCE_CODES.items())
    row = read(
        store,
        f"""SELECT count(*), group_concat(card_id, char(31)), group_concat(strftime('%s', reviewed_at)),
        group_concat(rating + 8 * (CASE source {case} ELSE 4 END) + 64 * (seed IS NOT NULL)
                     + 128 * coalesce(correct, 2)),
        group_concat(coalesce(duration_ms, 0)) FROM review_log""",
    )[0]
    count, card_ids, times, packed_flags, durations = row
    n = int(count)
    if n == 0:
        z = np.zeros(0, dtype=np.int64)
        return ReviewColumns(z, z, z.astype(np.int8), z.astype(np.int8), z.astype(bool), z.astype(np.int8), z), cards
    ids = str(card_ids).split(_SEP)
    if len(ids) != n:
        raise ValueError("review log card ids could not be parsed")
    index = {c: i for i, c in enumerate(cards.ids)}
    try:
        card = np.fromiter(map(index.__getitem__, ids), dtype=np.int64, count=n)
    except KeyError:  # logged cards without a row (rare): give them one
        missing = sorted(set(ids) - index.keys())
        index.update({c: len(cards) + i for i, c in enumerate(missing)})
        cards = with_cards(cards, missing)
        card = np.fromiter(map(index.__getitem__, ids), dtype=np.int64, count=n)
    packed = _ints(packed_flags, n)
    correct = (packed >> 7).astype(np.int8)
    reviews = ReviewColumns(
        card=card,
        at_s=_ints(times, n),
        rating=(packed & 7).astype(np.int8),
        source=((packed >> 3) & 7).astype(np.int8),
        generated=((packed >> 6) & 1).astype(bool),
        correct=np.where(correct == 2, -1, correct).astype(np.int8),
        duration_ms=_ints(durations, n),
    )
    return reviews, cards


def quiz_scores(store: Store) -> list[tuple[int, float, str]]:
    """``(POSIX seconds, score 0..1, card id)`` of every quiz answer (its score, else 1/0 from ``correct``)."""
    rows = read(
        store,
        "SELECT CAST(strftime('%s', reviewed_at) AS INTEGER), coalesce(score, correct, rating > 1), card_id "
        "FROM review_log "
        "WHERE source = 'quiz' ORDER BY reviewed_at",
    )
    return [(int(t), float(s), str(c)) for t, s, c in rows]
