"""Fuzzed import lines: random values of every JSON type in every field. A line either imports or is
refused as ``FILE:LINE: what`` (ImportFileError); nothing else escapes, and what imports exports back."""

from __future__ import annotations

import json
import random
import uuid
from pathlib import Path
from typing import Any

import pytest

from quizforge.store import Store
from quizforge.study.exchange import ImportFileError, _lines, export_jsonl, import_jsonl, parse_lines

FIELDS = ["id", "card_id", "rating", "reviewed_at", "source", "seed", "answer", "correct", "score", "duration_ms"]
SETTINGS = ["new_per_day", "reviews_per_day", "desired_retention", "day_start_hour", "language", "learning_steps_s",
            "relearning_steps_s", "maximum_interval", "enable_fuzzing", "leech_lapses", "fsrs_parameters"]  # fmt: skip


def value(rng: random.Random, depth: int = 0) -> Any:
    r = rng.random()
    if r < 0.12:
        return None
    if r < 0.24:
        return rng.choice([True, False])
    if r < 0.4:
        return rng.choice([0, 1, 3, 4, 5, -1, 2**63 - 1, 2**63, -(2**64), 10**30, rng.randint(-(10**6), 10**6)])
    if r < 0.52:
        return rng.choice([0.0, -0.0, 0.5, 1.5, 1e308, -1e-308, float("inf"), float("nan"), rng.random()])
    if r < 0.8:
        return rng.choice(
            [
                "", "x", "study", "import", "mock", str(uuid.uuid4()), str(uuid.uuid4()).upper(),
                "{" + str(uuid.uuid4()) + "}",
                "2026-03-01T10:00:00+00:00", "2026-03-01T10:00:00", "2026-03-01", "9999-12-31T23:59:59-23:59",
                "0001-01-01T00:00:00+14:00", "2026-02-30T00:00:00Z", "\ud800", "\x00", "é" * 50, "en", "zh",
            ]
        )  # fmt: skip
    if depth > 2:
        return []
    if r < 0.9:
        return [value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(FIELDS): value(rng, depth + 1) for _ in range(rng.randint(0, 3))}


def line(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.1:
        obj: Any = {
            "type": "settings",
            "settings": {rng.choice(SETTINGS): value(rng) for _ in range(rng.randint(0, 3))},
        }
    elif kind < 0.15:
        obj = {"type": rng.choice(["undone", "review", None, 5, "x"]), "id": value(rng)}
    else:
        obj = {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "card_id": "c1",
            "rating": 3,
            "reviewed_at": "2026-03-01T10:00:00+00:00",
        }
        for _ in range(rng.randint(1, 3)):
            key = rng.choice(FIELDS)
            if rng.random() < 0.15:
                obj.pop(key, None)
            else:
                obj[key] = value(rng)
    if rng.random() < 0.05:
        obj = value(rng)
    return json.dumps(obj, ensure_ascii=rng.random() < 0.5)


@pytest.mark.slow
def test_fuzzed_lines_import_or_name_their_line(tmp_path: Path) -> None:
    rng = random.Random(5)
    file = tmp_path / "in.jsonl"
    accepted = refused = 0
    for _ in range(3000):
        text = line(rng)
        try:
            file.write_text(text + "\n", encoding="utf-8", errors="surrogatepass")
        except UnicodeEncodeError:
            continue
        try:
            with file.open("rb") as f:
                parsed = parse_lines(file, _lines(f))
        except ImportFileError as exc:
            assert str(exc).startswith(f"{file}:1: ") and "\n" not in str(exc), exc
            refused += 1
            continue
        accepted += 1
        # what parses must also store, and export back to a line that parses to the same review
        with Store.open(tmp_path / f"db{accepted % 5}.db") as store:
            import_jsonl(store, file)
            for r in parsed.reviews:
                assert any(x.id == r.id for x in store.reviews(r.card_id))
    assert accepted > 300 and refused > 300, (accepted, refused)
    out = tmp_path / "out.jsonl"
    for i in range(5):
        with Store.open(tmp_path / f"db{i}.db") as store, out.open("w", encoding="utf-8") as f:
            n = export_jsonl(store, f)
        with Store.open(tmp_path / f"copy{i}.db") as copy:
            summary = import_jsonl(copy, out)
            assert summary.added == n
