"""The dashboard's counts: a few indexed queries, with no NumPy or FSRS import (start-up path)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from quizforge.store import Settings, Store
from quizforge.study.days import day_bounds

STREAK_LIMIT = 36500  # days: a bound on the walk back, never reached by a person


@dataclass(frozen=True)
class Counts:
    """The dashboard's numbers for the study day containing ``now``."""

    due: int  # reviews due by the end of today (before the daily review limit)
    new: int  # new cards still available today (after the daily new limit)
    done: int  # reviews answered today
    streak: int  # consecutive days with at least one review, ending today (or yesterday)


def counts(
    store: Store, settings: Settings, now: datetime, tz: tzinfo | None = None, topics: Sequence[str] | None = None
) -> Counts:
    """The dashboard counts for the study day containing ``now`` (a few indexed queries)."""
    start, end = day_bounds(now, settings.day_start_hour, tz)
    new_done, _ = store.day_counts(start, end)
    new_left = max(0, settings.new_per_day - new_done)
    done = store.count_reviews_between(start, end, scheduled_only=False)
    # today (when studied) and the days before it: the streak up to yesterday does not change with today's answers
    streak = int(done > 0) + store.review_streak(start - timedelta(days=1), limit=STREAK_LIMIT - int(done > 0))
    return Counts(
        due=store.count_due(end, now, topics),
        new=min(new_left, store.count_new(now, topics)),
        done=done,
        streak=streak,
    )
