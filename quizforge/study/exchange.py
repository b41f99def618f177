"""Export and import of the event log as JSONL: backup, moving machines, merging two histories.

Format 2 (``docs/events.md`` describes it for other tools): a header line
``{"type": "header", "format": 2}``, then one ``{"type": "review", ...}`` line per review
(replay order), then one ``{"type": "event", "id", "kind", "key", "at", "device", "data"}`` line per
other event (undo, suspend, bury, leech, setting, mock result, plan, drill attempt, …).

Format 1 files still import: a ``{"type": "settings", "settings": {...}}`` line, review lines (``type``
may be left out by other tools), then ``{"type": "undone", "id"}`` lines. A file of a newer format is
refused before anything is written.

Import is a union by id followed by a replay of what changed (card memory from the reviews, flags,
settings and mock results from their latest events), so it is idempotent and commutative, and it is
all-or-nothing: the whole file is checked first, a malformed line aborts with its number, and the
merge is one transaction.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from quizforge.store import Card, Review, Settings, Source, Store, iso, parse_iso
from quizforge.store.models import Event, EventKind
from quizforge.study.scheduling import Scheduling

FORMAT_VERSION = 2
_SOURCES = {s.value for s in Source}
MAX_LINE_BYTES = 16 << 20  # far above any answer a person types or pastes; a longer line is refused unread
_INT64 = (-(1 << 63), (1 << 63) - 1)  # what an SQLite INTEGER holds
_KIND = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\Z")
_MAX_KEY = 4096
# settings whose change alters every card's schedule: a merge that changes one replays every card
_SCHEDULING = ("desired_retention", "learning_steps_s", "relearning_steps_s", "maximum_interval", "enable_fuzzing",
               "fsrs_parameters")  # fmt: skip
_BULK = 2000  # from this many cards on, a replay reads the whole log once instead of card by card


class ImportFileError(Exception):
    """A malformed import file: ``FILE:LINE: what is wrong`` (nothing was written)."""


@dataclass(frozen=True)
class ImportSummary:
    added: int  # reviews new to this database
    known: int  # reviews it already had
    cards_replayed: int
    settings_applied: bool
    events_added: int = 0  # other events new to this database
    events_known: int = 0


# -- JSON of one line ------------------------------------------------------------------------------


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
        "device": r.device,
    } | _tutoring_to_json(r)


def _tutoring_to_json(r: Review) -> dict[str, Any]:
    """A generated answer's ``level`` and ``mistake`` (schema 3), only when set: older files stay byte-identical."""
    out: dict[str, Any] = {}
    if r.level is not None:
        out["level"] = r.level
    if r.mistake is not None:
        out["mistake"] = r.mistake
    return out


def event_to_json(e: Event) -> dict[str, Any]:
    return {"type": "event", "id": e.id, "kind": e.kind, "key": e.key, "at": iso(e.at), "device": e.device,
            "data": e.data}  # fmt: skip


def header() -> dict[str, Any]:
    """The first line of an export or a sync file. It names no device or time: two stores holding the
    same events export the same bytes."""
    return {"type": "header", "format": FORMAT_VERSION}


def export_jsonl(store: Store, out: TextIO) -> int:
    """Write the header, every review (in replay order) and every other event. Returns the review count."""
    out.write(json.dumps(header()) + "\n")
    n = 0
    for r in store.iter_reviews():
        out.write(json.dumps(review_to_json(r), ensure_ascii=False) + "\n")
        n += 1
    for e in store.events():
        out.write(json.dumps(event_to_json(e), ensure_ascii=False) + "\n")
    return n


def _check_uuid(value: Any, what: str = "id") -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a UUID string")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a UUID"[:200]) from None


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


def _time(value: Any, key: str) -> str:
    """``value`` as the store's ISO text, if it is an ISO 8601 time with a timezone."""
    if not isinstance(value, str):
        raise ValueError(f"{key} must be an ISO 8601 string")
    try:
        return iso(parse_iso(value))
    except (ValueError, OverflowError):
        raise ValueError(f"{key} {value!r} is not an ISO 8601 time with a timezone"[:200]) from None


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
    reviewed_at = parse_iso(_time(obj.get("reviewed_at"), "reviewed_at"))
    source = obj.get("source", Source.IMPORT) or Source.IMPORT
    if not isinstance(source, str) or source not in _SOURCES:
        raise ValueError(f"unknown source {source!r}")
    answer = obj.get("answer") or ""
    if not isinstance(answer, str):
        raise ValueError("answer must be a string")
    _text(answer, "answer")
    score = _optional(obj, "score", (int, float))
    device = _optional(obj, "device", (str,))
    mistake = _optional(obj, "mistake", (str,))
    if mistake is not None:
        _text(mistake, "mistake")
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
        level=_optional(obj, "level", (int,)),
        mistake=mistake,
        device=None if device is None else _device(device),
    )


def _device(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > 100:
        raise ValueError("device must be a non-empty string of at most 100 characters")
    return _text(value, "device")


def _json_text(value: Any, where: str) -> None:
    """Refuse lone surrogates anywhere in a JSON value (SQLite cannot store them)."""
    if isinstance(value, str):
        _text(value, where)
    elif isinstance(value, dict):
        for k, v in value.items():
            _text(k, where)
            _json_text(v, where)
    elif isinstance(value, list):
        for v in value:
            _json_text(v, where)
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{where} holds a number that is not finite")


_KEYED = {EventKind.SUSPEND, EventKind.LEECH, EventKind.BURY, EventKind.SETTING, EventKind.MOCK_RESULT}
_FLAGS = {EventKind.SUSPEND.value: "suspended", EventKind.LEECH.value: "leech"}


def _check_data(kind: str, key: str, data: dict[str, Any]) -> str:
    """Check the data of the kinds this version understands; returns the (normalised) key."""
    if kind == EventKind.UNDO:
        return _check_uuid(key, "key")
    if kind in _KEYED and not key:
        raise ValueError(f"a {kind} event needs a key")
    flag = _FLAGS.get(kind)
    if flag is not None and not isinstance(data.get(flag), bool):
        raise ValueError(f"data.{flag} must be true or false")
    if kind == EventKind.BURY and data.get("until") is not None:
        data["until"] = _time(data["until"], "data.until")
    if kind == EventKind.SETTING:
        if "value" not in data:
            raise ValueError("a setting event needs data.value")
        if key in Settings.names():
            problem = Settings.problem(key, data["value"])
            if problem is not None:
                raise ValueError(problem)
    if kind == EventKind.MOCK_RESULT:
        data["started_at"] = _time(data.get("started_at"), "data.started_at")
        data["finished_at"] = _time(data.get("finished_at"), "data.finished_at")
        score = data.get("score")
        if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
            raise ValueError("data.score must be a number")
        if not isinstance(data.get("details", {}), dict):
            raise ValueError("data.details must be an object")
    return key


def event_from_json(obj: dict[str, Any]) -> Event:
    """An event from its JSON object; raises ``ValueError`` naming the bad field.

    Kinds this version does not know are accepted as they are (a newer quizforge made them).
    """
    eid = _check_uuid(obj.get("id"))
    kind = obj.get("kind")
    if not isinstance(kind, str) or len(kind) > 64 or not _KIND.match(kind):
        raise ValueError(f"kind {kind!r} is not an event kind (lowercase words joined by dots)"[:200])
    key = obj.get("key", "")
    if not isinstance(key, str) or len(key) > _MAX_KEY:
        raise ValueError(f"key must be a string of at most {_MAX_KEY} characters")
    _text(key, "key")
    at = parse_iso(_time(obj.get("at"), "at"))
    device = _device(obj.get("device"))
    data = obj.get("data", {})
    if not isinstance(data, dict):
        raise ValueError("data must be an object")
    _json_text(data, "data")
    key = _check_data(kind, key, data)
    return Event(eid, kind, key, at, device, data)


# -- reading a file --------------------------------------------------------------------------------


@dataclass
class Batch:
    """What one file (or a sync folder's new lines) carries, checked, before anything is written."""

    reviews: list[Review] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    undone: list[str] = field(default_factory=list)  # format 1
    settings: dict[str, Any] | None = None  # format 1
    legacy: bool = True  # no format-2 header seen
    _seen: dict[str, tuple[int, Any]] = field(default_factory=dict)

    def add(self, obj: Any, number: int) -> None:
        """Check one line's JSON object and add it; ``ValueError`` names what is wrong."""
        if not isinstance(obj, dict):
            raise ValueError("expected a JSON object")
        kind = obj.get("type", "review")
        if kind in ("header", "settings"):
            version = obj.get("format", 1)
            if isinstance(version, bool) or not isinstance(version, int):
                raise ValueError("format must be an integer")
            if version > FORMAT_VERSION:
                raise ValueError(
                    f"format {version} is newer than this quizforge reads ({FORMAT_VERSION}): update quizforge"
                )
        if kind == "header":
            self.legacy = False
        elif kind == "review":
            self._once(review_from_json(obj), number, self.reviews)
        elif kind == "event":
            self._once(event_from_json(obj), number, self.events)
        elif kind == "undone":
            self.undone.append(_check_uuid(obj.get("id")))
        elif kind == "settings":
            values = obj.get("settings")
            if not isinstance(values, dict):
                raise ValueError("settings must be an object")
            _check_settings(values)
            self.settings = values
        else:
            raise ValueError(f"unknown line type {kind!r}"[:200])

    def _once(self, item: Review | Event, number: int, into: list[Any]) -> None:
        first = self._seen.get(item.id)
        if first is None:
            self._seen[item.id] = (number, item)
            into.append(item)
        elif first[1] != item:
            raise ValueError(f"{item.id} differs from the line with the same id on line {first[0]}")


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


def parse_lines(name: Path | str, lines: Iterable[str], batch: Batch | None = None, first: int = 1) -> Batch:
    """Check every line into ``batch`` (a new one by default); ``ImportFileError`` names ``name:LINE``.

    Args:
        name: The file, for messages.
        lines: Its lines (from line number ``first`` on).
        batch: Where to add them (a sync adds several files to one batch).
        first: The number of the first line.
    """
    batch = batch if batch is not None else Batch()
    number = first - 1
    it = iter(lines)
    while True:
        number += 1
        try:
            line = next(it, None)
            if line is None:
                break
            if not line.strip():
                continue
            batch.add(json.loads(line), number)
        except RecursionError:
            raise ImportFileError(f"{name}:{number}: JSON nested too deeply") from None
        except (ValueError, TypeError, OverflowError) as exc:
            raise ImportFileError(f"{name}:{number}: {exc}") from None
    return batch


# -- merging ---------------------------------------------------------------------------------------


def import_jsonl(store: Store, path: Path) -> ImportSummary:
    """Merge the file at ``path`` into ``store`` (union by id, then a replay of what changed).

    A format-1 file's settings are applied only to a database that has none stored yet (a fresh
    install), so that an import onto a new machine replays with the same parameters; its undone ids
    become undo events of this device.

    Raises:
        ImportFileError: the file is unreadable, of a newer format, or a line is malformed; nothing
            was written.
    """
    try:
        with path.open("rb") as f:
            batch = parse_lines(path, _lines(f))
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not batch._seen and batch.settings is None and not batch.undone and batch.legacy:
        raise ImportFileError(f"{path}:1: the file is empty (an export has at least a header line)")
    return apply(store, batch)


def apply(store: Store, batch: Batch) -> ImportSummary:
    """Merge a checked batch into ``store`` in one transaction and replay what it changed."""
    with store.transaction():
        before = store.settings()
        settings_applied = False
        events = list(batch.events)
        if batch.legacy:
            # format 1 carried state, not events: this device logs what the import decides
            settings_applied = batch.settings is not None and not store.raw_settings()
            if settings_applied and batch.settings is not None:
                store.set_settings(**_check_settings(batch.settings))
            known = set(store.undone_ids())
            undo = [u for u in dict.fromkeys(batch.undone) if u not in known]
            events += [Event(str(uuid.uuid4()), EventKind.UNDO, u, datetime.now(UTC), store.device) for u in undo]
        merged = store.merge(batch.reviews, events)
        store.rebuild_caches(merged.settings, merged.mocks)
        after = store.settings()
        settings_applied = settings_applied or bool(merged.settings)
        cards: Iterable[str] = merged.cards
        if any(getattr(before, k) != getattr(after, k) for k in _SCHEDULING):
            cards = all_card_ids(store)
        replayed = replay_cards(store, sorted(cards), legacy_leech=batch.legacy)
    return ImportSummary(
        merged.reviews_added, merged.reviews_known, replayed, settings_applied, merged.events_added, merged.events_known
    )


def all_card_ids(store: Store) -> list[str]:
    """Every card with a row or a logged review."""
    ids = {c.card_id for c in store.cards()}
    ids.update(r.card_id for r in store.iter_reviews())
    return sorted(ids)


def replay_cards(
    store: Store, card_ids: Iterable[str], scheduling: Scheduling | None = None, *, legacy_leech: bool = False
) -> int:
    """Rebuild ``card_ids`` from the log: memory from their reviews, flags from their latest flag events.

    Args:
        store: The open database.
        card_ids: The cards to rebuild.
        scheduling: The scheduler (default: from the stored settings).
        legacy_leech: Also make a card that the replay shows crossing the leech threshold a leech and
            suspend it, logged as this device's events (a format-1 import: its file has no flag events).

    Returns:
        The number of cards rebuilt.
    """
    sched = scheduling or Scheduling(store.settings())
    threshold = sched.settings.leech_lapses
    ids = list(dict.fromkeys(card_ids))
    with store.transaction():
        rows = {c.card_id: c for c in store.cards(ids)}
        flags = store.card_flags(ids)
        history = _scheduled_reviews(store, ids)
        rebuilt: list[Card] = []
        new_leeches: list[Card] = []
        for cid in ids:
            card = rows.get(cid) or Card(cid)
            memory = sched.replay(history.get(cid, []))
            leech, suspended, buried = flags[cid]
            out = replace(card, memory=memory, leech=leech, suspended=suspended, buried_until=buried)
            rebuilt.append(out)
            if legacy_leech and threshold > 0 and memory.lapses >= threshold > card.memory.lapses and not leech:
                new_leeches.append(replace(out, leech=True, suspended=True))
        store.cache_cards(rebuilt)
        store.put_cards(new_leeches)  # logged: the leech and suspend events of this device
    return len(ids)


def _scheduled_reviews(store: Store, ids: list[str]) -> dict[str, list[Review]]:
    if len(ids) < _BULK:
        return {cid: store.reviews(cid, scheduled_only=True) for cid in ids}
    wanted = set(ids)
    out: dict[str, list[Review]] = {}
    for r in store.reviews(scheduled_only=True):
        if r.card_id in wanted:
            out.setdefault(r.card_id, []).append(r)
    return out
