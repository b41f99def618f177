"""Study days: "today" starts at a configurable local hour, not at midnight UTC."""

from __future__ import annotations

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


def utc_now() -> datetime:
    """The real clock, timezone-aware (sessions take a clock argument; tests inject their own)."""
    return datetime.now(UTC)
