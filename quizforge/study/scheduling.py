"""FSRS scheduling through py-fsrs, with fuzz that is a pure function of the review's UUID.

py-fsrs fuzzes intervals with the unseeded ``random`` module, so replaying a log through it would
not reproduce the due dates. We review with fuzz off and apply the same fuzz rule (py-fsrs's
``_get_fuzzed_interval``: the same ranges, one uniform draw) with the draw taken from a
``random.Random`` seeded by the review's UUID. Cached state therefore always equals replayed state.
"""

from __future__ import annotations

import random
import uuid
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS, FUZZ_RANGES

from quizforge.store.models import Card, Memory, Phase, Review, Settings

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Rating", "Scheduling", "fuzz_draw", "retrievability"]


def fuzz_draw(review_id: str) -> float:
    """The uniform [0, 1) draw that fuzzes the interval of review ``review_id``."""
    try:
        seed = uuid.UUID(review_id).int
    except ValueError:
        seed = zlib.crc32(review_id.encode())
    return random.Random(seed).random()


class Scheduling:
    """FSRS with the user's settings. Pure: time and the review id come in as arguments."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.scheduler = Scheduler(
            parameters=settings.fsrs_parameters or DEFAULT_PARAMETERS,
            desired_retention=settings.desired_retention,
            learning_steps=tuple(timedelta(seconds=s) for s in settings.learning_steps_s),
            relearning_steps=tuple(timedelta(seconds=s) for s in settings.relearning_steps_s),
            maximum_interval=settings.maximum_interval,
            enable_fuzzing=False,
        )
        self.decay = -self.scheduler.parameters[20]
        self.factor = 0.9 ** (1 / self.decay) - 1

    # -- one review --------------------------------------------------------------------------------

    def review(self, memory: Memory, rating: int, at: datetime, review_id: str) -> Memory:
        """The memory after reviewing with ``rating`` at ``at`` (UTC); fuzz drawn from ``review_id``."""
        at = at.astimezone(UTC)
        card = self._to_fsrs(memory)
        reviewed, _ = self.scheduler.review_card(card, Rating(rating), at)
        due = reviewed.due
        if self.settings.enable_fuzzing and reviewed.state == State.Review:
            due = at + self._fuzzed(due - at, fuzz_draw(review_id))
        lapse = memory.phase == Phase.REVIEW and rating == Rating.Again
        return Memory(
            phase=Phase(int(reviewed.state)),
            step=reviewed.step,
            stability=reviewed.stability,
            difficulty=reviewed.difficulty,
            due=due,
            last_review=at,
            reps=memory.reps + 1,
            lapses=memory.lapses + int(lapse),
        )

    def preview(self, memory: Memory, at: datetime, review_id: str) -> dict[Rating, Memory]:
        """The memory each of the four ratings would give: what ``rate`` will save, fuzz included."""
        return {r: self.review(memory, r, at, review_id) for r in Rating}

    def _fuzzed(self, interval: timedelta, draw: float) -> timedelta:
        days = interval.days
        if days < 2.5:
            return interval
        delta = 1.0
        for fr in FUZZ_RANGES:
            delta += fr["factor"] * max(min(float(days), fr["end"]) - fr["start"], 0.0)
        min_ivl = max(2, round(days - delta))
        max_ivl = min(round(days + delta), self.settings.maximum_interval)
        min_ivl = min(min_ivl, max_ivl)
        fuzzed = min(round(draw * (max_ivl - min_ivl + 1) + min_ivl), self.settings.maximum_interval)
        return timedelta(days=fuzzed)

    def _to_fsrs(self, memory: Memory) -> FsrsCard:
        if memory.phase == Phase.NEW:
            return FsrsCard(card_id=0, state=State.Learning, step=0, due=datetime(1970, 1, 1, tzinfo=UTC))
        return FsrsCard(
            card_id=0,
            state=State(int(memory.phase)),
            step=memory.step,
            stability=memory.stability,
            difficulty=memory.difficulty,
            due=memory.due,
            last_review=memory.last_review,
        )

    # -- replay ------------------------------------------------------------------------------------

    def replay(self, reviews: Iterable[Review]) -> Memory:
        """A card's memory rebuilt from its log (rows of one card, any order; unscheduled ones skipped)."""
        memory = Memory()
        for r in sorted(reviews, key=lambda r: (r.reviewed_at, r.id)):
            if r.scheduled:
                memory = self.review(memory, r.rating, r.reviewed_at, r.id)
        return memory

    def is_leech_lapse(self, before: Memory, after: Memory) -> bool:
        """Whether this review's lapse made the card a leech (at N lapses, then every N/2 more, like Anki)."""
        n = self.settings.leech_lapses
        if n <= 0 or after.lapses == before.lapses or after.lapses < n:
            return False
        return (after.lapses - n) % max(1, n // 2) == 0

    def apply(self, card: Card, rating: int, at: datetime, review_id: str) -> Card:
        """The card after a scheduled review: new memory, and leech flag plus suspension when it lapses too often."""
        memory = self.review(card.memory, rating, at, review_id)
        if self.is_leech_lapse(card.memory, memory):
            return replace(card, memory=memory, leech=True, suspended=True)
        return replace(card, memory=memory)

    # -- retrievability ----------------------------------------------------------------------------

    def retrievability(self, memory: Memory, at: datetime) -> float:
        """py-fsrs's retrievability of one card (0 for a card never reviewed)."""
        if memory.last_review is None or memory.stability is None:
            return 0.0
        elapsed = max(0, (at - memory.last_review).days)
        return float((1 + self.factor * elapsed / memory.stability) ** self.decay)


def retrievability(
    stability: np.ndarray, last_review_s: np.ndarray, now: datetime, parameters: Sequence[float] = DEFAULT_PARAMETERS
) -> np.ndarray:
    """Retrievability of many cards at once (~100× faster than a Python loop).

    Args:
        stability: Stabilities; NaN for cards never reviewed.
        last_review_s: Last review times as POSIX seconds; NaN for cards never reviewed.
        now: The time to evaluate at (timezone-aware).
        parameters: FSRS parameters (only the decay, ``parameters[20]``, is used).

    Returns:
        Retrievabilities in [0, 1]; 0 where a card was never reviewed. Elapsed time counts in whole
        days, as py-fsrs does.
    """
    decay = -float(parameters[20])
    factor = 0.9 ** (1 / decay) - 1
    import numpy as np  # deferred: only the dashboard's mastery and reports need it

    elapsed = np.maximum(0.0, np.floor((now.timestamp() - last_review_s) / 86400.0))
    with np.errstate(invalid="ignore"):
        r = (1.0 + factor * elapsed / stability) ** decay
    return np.where(np.isnan(r), 0.0, r)
