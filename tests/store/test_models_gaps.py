"""The store's domain objects against their written contract (docs/events.md's table of kinds) and the
settings added since the first mutation run (``new_order``, ``focus``, the mock choices' bounds), found by
mutation testing of ``store/models.py`` (issue 21)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from quizforge.store import Review, Settings
from quizforge.store.models import REGISTERS, EventKind, register_kinds

DOCS = Path(__file__).resolve().parents[2] / "docs" / "events.md"
AT = datetime(2026, 3, 1, tzinfo=UTC)


# docs/events.md's table of kinds: the register each last-writer-wins kind writes ("" for append-only kinds and
# the undo, which removes its review); the plan's two kinds share one register
DOCUMENTED: dict[str, str] = {
    "review.undo": "",
    "card.suspend": "card.suspend",
    "card.leech": "card.leech",
    "card.bury": "card.bury",
    "setting": "setting",
    "mock.result": "mock.result",
    "quiz.result": "quiz.result",
    "plan.set": "plan",
    "plan.clear": "plan",
    "drill.attempt": "",
}


def test_the_docs_table_lists_these_kinds_and_rules() -> None:
    if not DOCS.exists():  # the mutation runner copies the code and the tests only
        pytest.skip("docs/ not present")
    rules = {}
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`([a-z.]+)`\s*\|.*\|\s*([^|]+?)\s*\|\s*$", line)
        if m:
            rules[m.group(1)] = m.group(2)
    assert sorted(rules) == sorted(DOCUMENTED)
    for kind, rule in rules.items():
        assert rule.startswith("last writer wins") is bool(DOCUMENTED[kind]), kind
        shared = re.search(r"shared with `([a-z.]+)`", rule)
        assert (shared is not None) is (DOCUMENTED[kind] == "plan"), kind


def test_the_event_kinds_are_the_documented_ones() -> None:
    assert sorted(str(k) for k in EventKind) == sorted(DOCUMENTED)


def test_last_writer_wins_kinds_are_the_registers_and_plan_kinds_share_one() -> None:
    assert {k for k, r in DOCUMENTED.items() if r} == set(REGISTERS)
    for kind, reg in DOCUMENTED.items():
        sharing = tuple(sorted(k for k, r in DOCUMENTED.items() if r == reg)) if reg else (kind,)
        assert register_kinds(kind) == sharing, kind
    assert register_kinds("plan.set") == ("plan.clear", "plan.set")


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [
        ("new_order", "interleaved", True),
        ("new_order", "by_topic", True),
        ("new_order", "random", True),
        ("new_order", "by_area", False),
        ("new_order", "", False),
        ("new_order", None, False),
        ("focus", [], True),
        ("focus", ("weakest", "kind:numeric"), True),
        ("focus", ["x" * 200], True),
        ("focus", ["x" * 201], False),
        ("focus", [""], False),
        ("focus", ["cnn", 3], False),
        ("focus", "cnn", False),
        ("focus", ["t"] * 100, True),
        ("focus", ["t"] * 101, False),
        ("mock_topics", ["t"] * 100, True),
        ("mock_topics", ["t"] * 101, False),
        ("mock_topics", ["x" * 200], True),
        ("mock_minutes", 1, True),
        ("mock_minutes", 0, False),
        ("mock_questions", True, False),
        ("maximum_interval", 2.0, False),
        ("fsrs_parameters", (0.25, 3), True),
        ("fsrs_parameters", [], True),
        ("fsrs_parameters", ["0.5"], False),
        ("fsrs_parameters", 0.5, False),
        ("learning_steps_s", (60, 600), True),
        ("learning_steps_s", ["60"], False),
        ("relearning_steps_s", None, False),
        ("language", None, False),
        ("enable_fuzzing", None, False),
        ("new_per_day", None, False),
        ("desired_retention", 0, False),
        ("desired_retention", 1, False),
        ("desired_retention", 0.999, True),
    ],
)
def test_setting_values_are_checked(name: str, value: Any, ok: bool) -> None:
    problem = Settings.problem(name, value)
    assert (problem is None) is ok, problem
    if not ok:
        assert problem == f"setting {name} has a wrong value {value!r}"[:200]


def test_only_fsrs_parameters_may_be_none() -> None:
    for name in Settings.names():
        assert (Settings.problem(name, None) is None) is (name == "fsrs_parameters"), name


def test_every_default_is_a_usable_value() -> None:
    defaults = Settings().to_values()
    for name in Settings.names():
        assert Settings.problem(name, defaults[name]) is None, name


def test_stored_lists_become_tuples_for_every_list_setting() -> None:
    s = Settings.from_values({"focus": ["weakest"], "mock_topics": ["cnn"], "relearning_steps_s": [60]})
    assert (s.focus, s.mock_topics, s.relearning_steps_s) == (("weakest",), ("cnn",), (60,))
    assert s.to_values()["focus"] == ["weakest"]
    assert Settings.from_values({}) == Settings()


def test_level_and_mistake_are_part_of_a_review_and_default_to_none() -> None:
    r = Review("r", "q", 1, AT)
    assert (r.level, r.mistake, r.device) == (None, None, None)
    assert Review("r", "q", 1, AT, level=2) != Review("r", "q", 1, AT, level=3)
    assert Review("r", "q", 1, AT, mistake="a") != Review("r", "q", 1, AT, mistake="b")
