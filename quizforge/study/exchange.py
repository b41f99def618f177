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
import math
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from quizforge.store import Card, Review, Settings, Source, Store, iso, parse_iso
from quizforge.study.scheduling import Scheduling

FORMAT_VERSION = 1
_SOURCES = {s.value for s in Source}
MAX_LINE_BYTES = 16 << 20  # far above any answer a person types or pastes; a longer line is refused unread
_INT64 = (-(1 << 63), (1 << 63) - 1)  # what an SQLite INTEGER holds


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
    if isinstance(value, int) and not isinstance(value, bool) and not _INT64[0] <= value <= _INT64[1]:
        raise ValueError(f"{key} is out of range")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{key} must be a finite number")
    return value


def _text(value: str, key: str) -> str:
    """``value`` if SQLite can store it (JSON's \\ud800 escapes decode to lone surrogates, which it cannot)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{key} is not valid Unicode (a lone surrogate)") from None
    return value


def review_from_json(obj: dict[str, Any]) -> Review:
    """A review from its JSON object; raises ``ValueError`` naming the bad field."""
    rid = _check_uuid(obj.get("id"))
    card_id = obj.get("card_id")
    if not isinstance(card_id, str) or not card_id:
        raise ValueError("card_id must be a non-empty string")
    _text(card_id, "card_id")
    rating = obj.get("rating")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 4:
        raise ValueError("rating must be an integer 1–4")
    at = obj.get("reviewed_at")
    if not isinstance(at, str):
        raise ValueError("reviewed_at must be an ISO 8601 string")
    try:
        reviewed_at = parse_iso(at)
    except (ValueError, OverflowError):
        raise ValueError(f"reviewed_at {at!r} is not an ISO 8601 time with a timezone") from None
    source = obj.get("source", Source.IMPORT) or Source.IMPORT
    if not isinstance(source, str) or source not in _SOURCES:
        raise ValueError(f"unknown source {source!r}")
    answer = obj.get("answer") or ""
    if not isinstance(answer, str):
        raise ValueError("answer must be a string")
    _text(answer, "answer")
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


def _check_settings(values: dict[str, Any]) -> dict[str, Any]:
    """The known settings in ``values``, each of its field's type; raises ``ValueError`` naming a bad one.

    An imported setting is stored and used by every later session, so a wrong type must be refused here.
    """
    known = {k: v for k, v in values.items() if k in Settings.names()}
    for key, value in known.items():
        problem = Settings.problem(key, value)
        if problem is not None:
            raise ValueError(problem)
    try:
        Scheduling(Settings.from_values(known))
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError(f"settings are not usable ({exc})"[:200]) from None
    return known


def _review_key(r: Review) -> tuple[Any, ...]:
    return (r.card_id, r.rating, r.reviewed_at, r.source, r.seed, r.answer, r.correct, r.score, r.duration_ms)


def _lines(f: BinaryIO) -> Iterator[str]:
    """The file's lines as text; a line that is too long or not UTF-8 raises ``ValueError``."""
    encoding = "utf-8-sig"  # a byte-order mark at the start (Windows editors) is not part of the JSON
    while True:
        raw = f.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        if len(raw) > MAX_LINE_BYTES:
            raise ValueError(f"line longer than {MAX_LINE_BYTES // (1 << 20)} MB")
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError:
            raise ValueError("not UTF-8 text") from None
        encoding = "utf-8"


def _parse(path: Path, lines: Iterable[str]) -> _Parsed:
    parsed = _Parsed(None, [], [])
    seen: dict[str, tuple[int, Review]] = {}
    number = 0
    content = False
    it = iter(lines)
    while True:
        number += 1
        try:
            line = next(it, None)
            if line is None:
                break
            if not line.strip():
                continue
            content = True
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("expected a JSON object")
            kind = obj.get("type", "review")
            if kind == "review":
                review = review_from_json(obj)
                first = seen.get(review.id)
                if first is None:
                    seen[review.id] = (number, review)
                    parsed.reviews.append(review)
                elif _review_key(first[1]) != _review_key(review):
                    raise ValueError(f"review {review.id} differs from the one with the same id on line {first[0]}")
            elif kind == "undone":
                parsed.undone.append(_check_uuid(obj.get("id")))
            elif kind == "settings":
                values = obj.get("settings")
                if not isinstance(values, dict):
                    raise ValueError("settings must be an object")
                _check_settings(values)
                parsed.settings = values
            else:
                raise ValueError(f"unknown line type {kind!r}"[:200])
        except RecursionError:
            raise ImportFileError(f"{path}:{number}: JSON nested too deeply") from None
        except (ValueError, TypeError, OverflowError) as exc:
            raise ImportFileError(f"{path}:{number}: {exc}") from None
    if not content:
        raise ImportFileError(f"{path}:1: the file is empty (an export has at least a settings line)")
    return parsed


def import_jsonl(store: Store, path: Path) -> ImportSummary:
    """Merge the file at ``path`` into ``store`` (union by review id, then replay of the changed cards).

    The file's settings are applied only to a database that has none stored yet (a fresh install),
    so that an import onto a new machine replays with the same parameters.

    Raises:
        ImportFileError: the file is unreadable or a line is malformed; nothing was written.
    """
    try:
        with path.open("rb") as f:
            parsed = _parse(path, _lines(f))
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    with store.transaction():
        apply_settings = parsed.settings is not None and not store.raw_settings()
        if apply_settings and parsed.settings is not None:
            store.set_settings(**_check_settings(parsed.settings))
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
