"""Export and import of the review log as JSONL: backup, moving machines, merging two histories.

A file holds one JSON object per line: ``{"type": "settings", "settings": {...}}``, then one
``{"type": "review", "id", "card_id", "rating", "reviewed_at", ...}`` per review (``type`` may be
left out by other tools), then ``{"type": "undone", "id"}`` for each review taken back with undo.

Import is a union by review id followed by a replay of every card whose history changed, so it is
idempotent and commutative, and it is all-or-nothing: the whole file is checked before anything is
written, and a malformed line aborts with its number.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from quizforge.store import Card, Review, Settings, Source, Store, iso, parse_iso
from quizforge.study.scheduling import Scheduling

FORMAT_VERSION = 1
_SOURCES = {s.value for s in Source}


class ImportFileError(Exception):
    """A malformed import file: ``FILE:LINE: what is wrong`` (nothing was written)."""


@dataclass(frozen=True)
class ImportSummary:
    added: int  # reviews new to this database
    known: int  # reviews it already had
    cards_replayed: int
    settings_applied: bool


def review_to_json(r: Review) -> dict[str, Any]:
    return {
        "type": "review",
        "id": r.id,
        "card_id": r.card_id,
        "rating": r.rating,
        "reviewed_at": iso(r.reviewed_at),
        "source": r.source,
        "seed": r.seed,
        "answer": r.answer,
        "correct": r.correct,
        "score": r.score,
        "duration_ms": r.duration_ms,
    }


def export_jsonl(store: Store, out: TextIO) -> int:
    """Write settings, every review (in replay order) and every undone id. Returns the review count."""
    header = {"type": "settings", "format": FORMAT_VERSION, "settings": store.raw_settings()}
    out.write(json.dumps(header, ensure_ascii=False) + "\n")
    n = 0
    for r in store.reviews():
        out.write(json.dumps(review_to_json(r), ensure_ascii=False) + "\n")
        n += 1
    for uid in store.undone_ids():
        out.write(json.dumps({"type": "undone", "id": uid}) + "\n")
    return n


def _check_uuid(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("id must be a UUID string")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueError(f"id {value!r} is not a UUID") from None


def _optional(obj: dict[str, Any], key: str, types: tuple[type, ...]) -> Any:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) and bool not in types:
        raise ValueError(f"{key} has the wrong type")
    if not isinstance(value, types):
        raise ValueError(f"{key} has the wrong type")
    return value


def review_from_json(obj: dict[str, Any]) -> Review:
    """A review from its JSON object; raises ``ValueError`` naming the bad field."""
    rid = _check_uuid(obj.get("id"))
    card_id = obj.get("card_id")
    if not isinstance(card_id, str) or not card_id:
        raise ValueError("card_id must be a non-empty string")
    rating = obj.get("rating")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 4:
        raise ValueError("rating must be an integer 1–4")
    at = obj.get("reviewed_at")
    if not isinstance(at, str):
        raise ValueError("reviewed_at must be an ISO 8601 string")
    try:
        reviewed_at = parse_iso(at)
    except ValueError:
        raise ValueError(f"reviewed_at {at!r} is not an ISO 8601 time with a timezone") from None
    source = obj.get("source", Source.IMPORT) or Source.IMPORT
    if source not in _SOURCES:
        raise ValueError(f"unknown source {source!r}")
    answer = obj.get("answer") or ""
    if not isinstance(answer, str):
        raise ValueError("answer must be a string")
    score = _optional(obj, "score", (int, float))
    return Review(
        id=rid,
        card_id=card_id,
        rating=rating,
        reviewed_at=reviewed_at,
        source=source,
        seed=_optional(obj, "seed", (int,)),
        answer=answer,
        correct=_optional(obj, "correct", (bool,)),
        score=None if score is None else float(score),
        duration_ms=_optional(obj, "duration_ms", (int,)),
    )


@dataclass
class _Parsed:
    settings: dict[str, Any] | None
    reviews: list[Review]
    undone: list[str]


def _parse(path: Path, lines: Iterable[str]) -> _Parsed:
    parsed = _Parsed(None, [], [])
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("expected a JSON object")
            kind = obj.get("type", "review")
            if kind == "review":
                parsed.reviews.append(review_from_json(obj))
            elif kind == "undone":
                parsed.undone.append(_check_uuid(obj.get("id")))
            elif kind == "settings":
                values = obj.get("settings")
                if not isinstance(values, dict):
                    raise ValueError("settings must be an object")
                Settings.from_values({k: v for k, v in values.items() if k in Settings.names()})
                parsed.settings = values
            else:
                raise ValueError(f"unknown line type {kind!r}")
        except (ValueError, TypeError) as exc:
            raise ImportFileError(f"{path}:{number}: {exc}") from None
    return parsed


def import_jsonl(store: Store, path: Path) -> ImportSummary:
    """Merge the file at ``path`` into ``store`` (union by review id, then replay of the changed cards).

    The file's settings are applied only to a database that has none stored yet (a fresh install),
    so that an import onto a new machine replays with the same parameters.

    Raises:
        ImportFileError: the file is unreadable or a line is malformed; nothing was written.
    """
    try:
        with path.open(encoding="utf-8") as f:
            parsed = _parse(path, f)
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ImportFileError(f"{path}: not UTF-8 text") from None
    with store.transaction():
        apply_settings = parsed.settings is not None and not store.raw_settings()
        if apply_settings and parsed.settings is not None:
            store.set_settings(**{k: v for k, v in parsed.settings.items() if k in Settings.names()})
        before = store.review_count()
        changed = store.add_reviews(parsed.reviews, parsed.undone)
        added = store.review_count() - before
        replay_cards(store, changed)
    return ImportSummary(added, len(parsed.reviews) - max(0, added), len(changed), apply_settings)


def replay_cards(store: Store, card_ids: Iterable[str], scheduling: Scheduling | None = None) -> int:
    """Rebuild the memory of ``card_ids`` from the log (flags are kept; a new leech is suspended)."""
    sched = scheduling or Scheduling(store.settings())
    threshold = sched.settings.leech_lapses
    n = 0
    with store.transaction():
        updated: list[Card] = []
        for cid in card_ids:
            card = store.card(cid) or Card(cid)
            memory = sched.replay(store.reviews(cid, scheduled_only=True))
            newly_leech = threshold > 0 and memory.lapses >= threshold > card.memory.lapses
            updated.append(
                replace(card, memory=memory, leech=card.leech or newly_leech, suspended=card.suspended or newly_leech)
            )
            n += 1
        store.put_cards(updated)
    return n
