"""The mock interview's clock text: a countdown or a time spent, as a stopwatch shows it."""

from __future__ import annotations


def clock(seconds: float) -> str:
    """``mm:ss``, or ``h:mm:ss`` from an hour on (negative times show as ``00:00``)."""
    s = max(0, int(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"
