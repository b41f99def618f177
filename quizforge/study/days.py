"""Study days: "today" starts at a configurable local hour, not at midnight UTC."""

from __future__ import annotations

import os
from datetime import UTC, datetime, time, timedelta, tzinfo


def day_bounds(now: datetime, day_start_hour: int, tz: tzinfo | None = None) -> tuple[datetime, datetime]:
    """The study day containing ``now``: ``[start, end)`` in UTC.

    Args:
        now: A timezone-aware time.
        day_start_hour: The local hour (0–23) at which a new day begins (4: studying at 1 a.m.
            still counts for the evening before).
        tz: The local time zone (``None``: the system's).

    Returns:
        The start and end of the day as UTC datetimes.
    """
    local = now.astimezone(tz)
    zone = tz if tz is not None else local.tzinfo
    day = (local - timedelta(hours=day_start_hour)).date()
    start = datetime.combine(day, time(day_start_hour)).replace(tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(day_start_hour)).replace(tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


_shift: tuple[str, timedelta] | None = None  # QUIZFORGE_NOW's text and the offset it gives


def clock_shift(value: str | None, real: datetime) -> timedelta:
    """The offset that makes the clock read ``value`` (ISO date-time; naive means UTC) at ``real``; zero
    for no value.

    Raises:
        ValueError: ``value`` is not an ISO date-time.
    """
    if not value:
        return timedelta(0)
    at = datetime.fromisoformat(value)
    return (at if at.tzinfo is not None else at.replace(tzinfo=UTC)) - real


def utc_now() -> datetime:
    """The real clock, timezone-aware (sessions take a clock argument; tests inject their own).

    ``$QUIZFORGE_NOW`` (an ISO date-time) is a testing and trial aid: the clock starts at that time when
    first read in a process and runs on from there, so "day 2" can be studied today (README).
    """
    global _shift
    real = datetime.now(UTC)
    value = os.environ.get("QUIZFORGE_NOW") or ""
    if not value:
        return real
    if _shift is None or _shift[0] != value:
        try:
            _shift = (value, clock_shift(value, real))
        except ValueError:
            _shift = (value, timedelta(0))  # a malformed value is ignored: the real clock
    return real + _shift[1]
