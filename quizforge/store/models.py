"""The store's domain objects: what a table row means, with no SQL in sight."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any


class Phase(IntEnum):
    """Where a card is in its life. 1–3 are py-fsrs's ``State`` values; ``NEW`` means never reviewed."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


class Source(StrEnum):
    """Where a review-log row came from. Only ``SCHEDULED_SOURCES`` move a card's schedule."""

    STUDY = "study"
    CRAM = "cram"  # a topic reviewed ahead of time: logged, never scheduled
    QUIZ = "quiz"
    MOCK = "mock"
    IMPORT = "import"  # from another tool (an Anki log, say); scheduled like study


# A quiz or a mock interview is a real recall attempt, so the schedule learns from it (issues 6 and 7);
# cramming is practice ahead of time and leaves the schedule alone.
SCHEDULED_SOURCES: frozenset[str] = frozenset({Source.STUDY, Source.QUIZ, Source.MOCK, Source.IMPORT})


@dataclass(frozen=True, slots=True)
class Memory:
    """A card's FSRS state: a cache, rebuildable at any time by replaying the card's review log."""

    phase: Phase = Phase.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0


@dataclass(frozen=True, slots=True)
class Card:
    """One question's row: its memory plus the user's flags (which are not in the log)."""

    card_id: str
    topic: str = ""
    position: int = 0  # order of the question in the bank; new cards are introduced in this order
    memory: Memory = field(default_factory=Memory)
    leech: bool = False
    suspended: bool = False
    buried_until: datetime | None = None

    @property
    def is_new(self) -> bool:
        return self.memory.phase == Phase.NEW


@dataclass(frozen=True, slots=True)
class Review:
    """One row of the append-only review log: the source of truth."""

    id: str  # UUID
    card_id: str
    rating: int  # 1 Again, 2 Hard, 3 Good, 4 Easy
    reviewed_at: datetime  # timezone-aware UTC
    source: str = Source.STUDY
    seed: int | None = None  # the instance's seed, for generated questions
    answer: str = ""
    correct: bool | None = None
    score: float | None = None
    duration_ms: int | None = None
    level: int | None = None  # a generated question's difficulty level (schema 3)
    mistake: str | None = None  # the named mistake a wrong generated answer was diagnosed as (schema 3)
    # the device that logged it (None: this one, when it is saved); provenance, not part of equality
    device: str | None = field(default=None, compare=False)

    @property
    def scheduled(self) -> bool:
        return self.source in SCHEDULED_SOURCES


class EventKind(StrEnum):
    """The kinds of events in the log (besides reviews, which keep their own table, ``review_log``).

    Every user-visible change is one event. Kinds this version does not know are kept and passed on
    by import, export and sync, so that a newer quizforge on another device loses nothing.
    """

    UNDO = "review.undo"  # key: the review id taken back
    SUSPEND = "card.suspend"  # key: card id; data: {"suspended": bool}
    LEECH = "card.leech"  # key: card id; data: {"leech": bool}
    BURY = "card.bury"  # key: card id; data: {"until": ISO time or null}
    SETTING = "setting"  # key: setting name; data: {"value": JSON value}
    MOCK_RESULT = "mock.result"  # key: mock id; data: started_at, finished_at, score, details
    QUIZ_RESULT = "quiz.result"  # key: quiz id; data: free-form summary (the answers are reviews)
    PLAN_SET = "plan.set"  # key: ""; data: the interview plan
    PLAN_CLEAR = "plan.clear"  # key: ""
    DRILL_ATTEMPT = "drill.attempt"  # key: card id; data: the attempt (append-only)


# Last-writer-wins state: an event of one of these kinds replaces the earlier ones of the same register
# and key; the winner is the latest by (time, id). Kinds sharing a register (plan.set, plan.clear)
# overwrite each other.
REGISTERS: dict[str, str] = {
    EventKind.SUSPEND: "card.suspend",
    EventKind.LEECH: "card.leech",
    EventKind.BURY: "card.bury",
    EventKind.SETTING: "setting",
    EventKind.MOCK_RESULT: "mock.result",
    EventKind.QUIZ_RESULT: "quiz.result",
    EventKind.PLAN_SET: "plan",
    EventKind.PLAN_CLEAR: "plan",
}


def register_kinds(kind: str) -> tuple[str, ...]:
    """The kinds that share ``kind``'s last-writer-wins register (``(kind,)`` for an append-only kind)."""
    reg = REGISTERS.get(kind)
    if reg is None:
        return (kind,)
    return tuple(sorted(k for k, r in REGISTERS.items() if r == reg))


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of the event log: what changed, when, and on which device."""

    id: str  # UUID
    kind: str  # an EventKind value, or a kind from a newer version (kept as it is)
    key: str  # what it is about: a card id, a setting name, a mock id, a review id; "" for none
    at: datetime  # timezone-aware UTC
    device: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MockResult:
    id: str  # UUID
    started_at: datetime
    finished_at: datetime
    score: float  # 0..1
    details: dict[str, Any] = field(default_factory=dict)  # questions, per-question scores, options


_MAX_INT = (1 << 63) - 1
_MAX_STEP_S = 10 * 365 * 86400
# integer settings with a narrower range (the hour becomes a datetime.time; an interval is a day or more)
_INT_RANGES: dict[str, tuple[int, int]] = {
    "day_start_hour": (0, 23),
    "maximum_interval": (1, 10**6),
    "mock_questions": (1, 50),
    "mock_minutes": (1, 600),
}
# tuples of short strings (topic ids; the focus's tokens, study/focus.py), not of seconds
_TEXT_LISTS = frozenset({"mock_topics", "focus"})
NEW_ORDERS = ("interleaved", "by_topic", "random")  # the values of Settings.new_order


@dataclass(frozen=True, slots=True)
class Settings:
    """User settings (table ``settings``, one JSON value per key); a missing key takes its default."""

    new_per_day: int = 20
    reviews_per_day: int = 200
    desired_retention: float = 0.9
    day_start_hour: int = 4  # local time at which "today" begins
    language: str = "en"
    learning_steps_s: tuple[int, ...] = (60, 600)
    relearning_steps_s: tuple[int, ...] = (600,)
    maximum_interval: int = 36500
    enable_fuzzing: bool = True
    leech_lapses: int = 8
    # the mock interview dialog's last choice (docs/mock.md)
    mock_questions: int = 8
    mock_minutes: int = 30
    mock_topics: tuple[str, ...] = ()  # topic ids or area prefixes; empty: every topic
    mock_weakest: bool = False
    mock_code: bool = False
    fsrs_parameters: tuple[float, ...] | None = None  # None: py-fsrs defaults; set by `quizforge optimize`
    new_order: str = "interleaved"  # how new cards are introduced: one of NEW_ORDERS (study/order.py)
    focus: tuple[str, ...] = ()  # the last study focus chosen in the TUI, as study/focus.py's tokens

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> Settings:
        """Settings from stored JSON values; unknown keys are ignored (a newer version may add some)."""
        known: dict[str, Any] = {}
        for f in fields(cls):
            if f.name in values:
                v = values[f.name]
                known[f.name] = tuple(v) if isinstance(v, list) else v
        return cls(**known)

    @classmethod
    def problem(cls, name: str, value: Any) -> str | None:
        """Why ``value`` cannot be setting ``name`` (its type or range is wrong), or ``None`` when it can.

        Stored and imported values are checked with this: a wrong one would break every later session.
        """
        default = getattr(cls(), name)
        if name == "fsrs_parameters" and value is None:
            return None
        if name == "new_order":
            ok = value in NEW_ORDERS
        elif isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, int):
            lo, hi = _INT_RANGES.get(name, (0, _MAX_INT))
            ok = isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi
        elif isinstance(default, float):  # desired_retention
            ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 1
        elif isinstance(default, str):  # language
            ok = value in ("en", "zh")
        elif name in _TEXT_LISTS:
            ok = (
                isinstance(value, list | tuple)
                and len(value) <= 100
                and all(isinstance(x, str) and 0 < len(x) <= 200 for x in value)
            )
        elif name == "fsrs_parameters":
            ok = isinstance(value, list | tuple) and all(
                isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in value
            )
        else:  # learning steps, whole seconds
            ok = isinstance(value, list | tuple) and all(
                isinstance(x, int) and not isinstance(x, bool) and 0 < x <= _MAX_STEP_S for x in value
            )
        return None if ok else f"setting {name} has a wrong value {value!r}"[:200]

    def to_values(self) -> dict[str, Any]:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v) for f in fields(self)}
