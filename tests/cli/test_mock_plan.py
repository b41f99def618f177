"""`quizforge mock --plan-only`: the planned main questions, one JSON object per line, for scripts."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from quizforge.kinds import load
from quizforge.store import Store
from quizforge.study.mock import MockInterview, concept_groups
from tests.conftest import run_cli
from tests.study.conftest import Clock

# the command line in a child process: the slow tier (`make test`; `make test-fast` skips it)
pytestmark = pytest.mark.slow


def plan(tmp_path: Path, *args: str) -> list[dict[str, str]]:
    result = run_cli("--data-dir", str(tmp_path / "data"), "mock", "--plan-only", "--json", *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_plan_only_prints_the_main_questions_as_json_lines(tmp_path: Path) -> None:
    bank = load()
    groups = concept_groups(bank)
    rows = plan(tmp_path, "--seed", "7")
    assert len(rows) == 8
    for row in rows:
        assert set(row) == {"id", "topic", "kind", "concept"}
        q = bank.questions[row["id"]]
        assert (row["topic"], row["kind"], row["concept"]) == (q.topic, q.kind, groups[q.id])
    assert len({r["concept"] for r in rows}) == 8
    assert plan(tmp_path, "--seed", "7") == rows  # a seed is a plan
    # the interview the TUI runs with that seed asks these main questions
    with Store.open(tmp_path / "other.db") as store:
        interview = MockInterview(store, bank, seed=7, now=Clock(), rng=random.Random(7))
        assert [p.question_id for p in interview.plan] == [r["id"] for r in rows]


def test_plan_only_with_topics_count_and_a_coding_question(tmp_path: Path) -> None:
    rows = plan(tmp_path, "--seed", "3", "--questions", "5", "--topic", "train.stability", "--topic", "cnn", "--code")
    assert len(rows) == 5
    assert rows[-1]["kind"] == "implement" and rows[-1]["topic"] == "code.numpy"
    assert all(r["topic"] == "train.stability" or r["topic"].startswith("cnn.") for r in rows[:-1])
    ids = [r["id"] for r in rows]
    assert not {"stab-sigmoid-five-layers", "stab-choice-sigmoid-bound"} <= set(ids)  # the repeat


def test_plan_only_without_json_is_tab_separated_and_writes_nothing(tmp_path: Path) -> None:
    result = run_cli("--data-dir", str(tmp_path / "data"), "mock", "--plan-only", "--seed", "1", "--questions", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and all(len(line.split("\t")) == 4 for line in lines)
    with Store.open(tmp_path / "data" / "quizforge.db") as store:
        assert store.cards() == [] and store.events() == []


def test_bad_mock_arguments_are_one_line(tmp_path: Path) -> None:
    for args, fragment in [
        (["--questions", "0"], "--questions must be 1..50"),
        (["--minutes", "601"], "--minutes must be 1..600"),
        (["--topic", "nope"], "--topic nope: unknown topic"),
    ]:
        result = run_cli("--data-dir", str(tmp_path / "data"), "mock", "--plan-only", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and fragment in result.stderr, result.stderr
