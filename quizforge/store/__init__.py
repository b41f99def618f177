"""SQLite persistence: the event log (reviews and every other change) and the caches a replay rebuilds."""

from __future__ import annotations

from quizforge.store.database import StoreError
from quizforge.store.models import (
    SCHEDULED_SOURCES,
    Card,
    Event,
    EventKind,
    Memory,
    MockResult,
    Phase,
    Review,
    Settings,
    Source,
)
from quizforge.store.repository import Store, iso, parse_iso

__all__ = [
    "SCHEDULED_SOURCES",
    "Card",
    "Event",
    "EventKind",
    "Memory",
    "MockResult",
    "Phase",
    "Review",
    "Settings",
    "Source",
    "Store",
    "StoreError",
    "iso",
    "parse_iso",
]
