"""SQLite persistence (docs/architecture.md §6): card state cache, append-only review log, mock results, settings."""

from __future__ import annotations

from quizforge.store.database import StoreError
from quizforge.store.models import SCHEDULED_SOURCES, Card, Memory, MockResult, Phase, Review, Settings, Source
from quizforge.store.repository import Store, iso, parse_iso

__all__ = [
    "SCHEDULED_SOURCES",
    "Card",
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
