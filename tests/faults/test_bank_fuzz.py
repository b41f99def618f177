"""Fuzzed bank files: random values of every YAML type in every question field. A file loads or yields
problem lines (``file:line:col: field: message``); the loader never raises."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from quizforge.bank.loader import load_bank, parse_file
from quizforge.bank.yamlsafe import YamlError

FIELDS = ["id", "kind", "topic", "difficulty", "prompt", "choices", "correct", "answer", "key_points", "explanation",
          "solution", "tolerance", "value", "answer_kind", "generator", "follow_ups", "tags", "source"]  # fmt: skip
GOOD: dict[str, Any] = {
    "id": "fz.q",
    "kind": "choice",
    "topic": "cnn.pool",
    "difficulty": 2,
    "prompt": {"en": "Which?", "zh": "哪个？"},
    "choices": [{"en": "a"}, {"en": "b"}],
    "correct": [0],
}


def value(rng: random.Random, depth: int = 0) -> Any:
    r = rng.random()
    if r < 0.1:
        return None
    if r < 0.2:
        return rng.choice([True, False])
    if r < 0.35:
        return rng.choice([0, 1, 2, 5, 6, -1, 10**30, 2**63, rng.randint(-100, 100)])
    if r < 0.45:
        return rng.choice([0.5, -0.0, 1e308, float("inf"), float("nan"), 1e-320])
    if r < 0.7:
        return rng.choice(["", "x", "choice", "concept", "numeric", "generated", "number", "vector", "matrix",
                           "shape", "cnn.pool", "conv_output_size", "en", "zh", "é" * 30, "\t",
                           "x" * 30_000])  # fmt: skip
    if depth > 3:
        return []
    if r < 0.85:
        return [value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    keys = ["en", "zh", "text", "rel", "abs", "keywords", "any", "all", *FIELDS]
    return {rng.choice(keys): value(rng, depth + 1) for _ in range(rng.randint(0, 3))}


def document(rng: random.Random) -> str:
    questions = []
    for i in range(rng.randint(1, 3)):
        q = dict(GOOD, id=f"fz.q{i}")
        for _ in range(rng.randint(1, 4)):
            key = rng.choice(FIELDS)
            if rng.random() < 0.2:
                q.pop(key, None)
            else:
                q[key] = value(rng)
        questions.append(q if rng.random() > 0.05 else value(rng))
    doc: Any = {"questions": questions}
    if rng.random() < 0.1:
        doc["topic"] = value(rng)
    if rng.random() < 0.03:
        doc = value(rng)
    return yaml.safe_dump(doc, allow_unicode=rng.random() < 0.5, default_flow_style=rng.random() < 0.3)


@pytest.mark.slow
def test_fuzzed_bank_files_give_problems_not_exceptions(tmp_path: Path) -> None:
    rng = random.Random(11)
    path = tmp_path / "fuzz.yaml"
    loaded = problems = 0
    for _ in range(1500):
        data = document(rng).encode("utf-8", errors="surrogatepass")
        result = parse_file(path, data, strict=rng.random() < 0.5)
        for p in result.problems:
            line = str(p)
            assert line.startswith(f"{path.name}:") or line.startswith(f"{path}:"), line[:200]
            assert "\n" not in line, line[:300]
        loaded += len(result.questions)
        problems += bool(result.problems)
    assert loaded > 30 and problems > 500, (loaded, problems)


def test_fuzzed_bank_files_load_as_a_folder(tmp_path: Path) -> None:
    rng = random.Random(12)
    for i in range(60):
        (tmp_path / f"f{i}.yaml").write_text(document(rng).replace("fz.q", f"fz{i}.q"), encoding="utf-8")
    try:
        bank, found = load_bank([tmp_path], strict=False)
    except YamlError as exc:  # pragma: no cover - would be a bug
        raise AssertionError(exc) from None
    assert found and all("\n" not in str(p) for p in found)
    assert all(q.id.startswith("fz") for q in bank)
