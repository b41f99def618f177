"""The store's domain objects: which setting values are usable, which event kinds share a register."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from quizforge.store import Card, Memory, Phase, Review, Settings
from quizforge.store.models import REGISTERS, EventKind, Source, register_kinds

MAX_INT = 2**63 - 1  # SQLite's largest INTEGER
TEN_YEARS_S = 10 * 365 * 86400


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("new_per_day", 0),
        ("new_per_day", MAX_INT),
        ("reviews_per_day", 1),
        ("leech_lapses", 0),
        ("day_start_hour", 0),
        ("day_start_hour", 23),
        ("maximum_interval", 1),
        ("maximum_interval", 10**6),
        ("desired_retention", 0.5),
        ("desired_retention", 1e-9),
        ("desired_retention", 1 - 1e-9),
        ("language", "zh"),
        ("language", "en"),
        ("enable_fuzzing", False),
        ("learning_steps_s", [1, TEN_YEARS_S]),
        ("learning_steps_s", []),
        ("relearning_steps_s", (600,)),
        ("fsrs_parameters", None),
        ("fsrs_parameters", [0.5, 1, -2.0]),
    ],
)
def test_usable_setting_values(name: str, value: Any) -> None:
    assert Settings.problem(name, value) is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("new_per_day", -1),
        ("new_per_day", MAX_INT + 1),
        ("new_per_day", True),  # a bool is an int to Python, not to the user
        ("new_per_day", 3.0),
        ("day_start_hour", -1),
        ("day_start_hour", 24),
        ("maximum_interval", 0),
        ("maximum_interval", 10**6 + 1),
        ("desired_retention", 0),
        ("desired_retention", 1),
        ("desired_retention", True),
        ("desired_retention", "0.9"),
        ("language", "fr"),
        ("enable_fuzzing", 1),
        ("learning_steps_s", [0]),
        ("learning_steps_s", [TEN_YEARS_S + 1]),
        ("learning_steps_s", [60, True]),
        ("learning_steps_s", [1.5]),
        ("learning_steps_s", 60),
        ("fsrs_parameters", [0.5, float("nan")]),
        ("fsrs_parameters", [0.5, float("inf")]),
        ("fsrs_parameters", [False]),
        ("fsrs_parameters", "0.5"),
    ],
)
def test_unusable_setting_values_name_the_setting(name: str, value: Any) -> None:
    problem = Settings.problem(name, value)
    assert problem is not None and name in problem


def test_settings_values_round_trip_with_lists_for_tuples() -> None:
    s = Settings(learning_steps_s=(30,), fsrs_parameters=(0.1, 0.2), language="zh")
    values = s.to_values()
    assert values["learning_steps_s"] == [30] and values["fsrs_parameters"] == [0.1, 0.2]
    assert values["language"] == "zh" and set(values) == set(Settings.names())
    assert Settings.from_values(values) == s
    assert Settings.from_values({"new_per_day": 4, "from_a_newer_version": 1}) == Settings(new_per_day=4)


def test_register_kinds_group_plan_set_with_plan_clear_only() -> None:
    assert register_kinds(EventKind.PLAN_SET) == ("plan.clear", "plan.set")
    assert register_kinds(EventKind.PLAN_CLEAR) == ("plan.clear", "plan.set")
    for kind in (EventKind.SUSPEND, EventKind.LEECH, EventKind.BURY, EventKind.SETTING, EventKind.MOCK_RESULT):
        assert register_kinds(kind) == (kind,)
    assert register_kinds(EventKind.UNDO) == ("review.undo",)  # append-only
    assert register_kinds("made.by.a.newer.version") == ("made.by.a.newer.version",)
    assert EventKind.UNDO not in REGISTERS and EventKind.DRILL_ATTEMPT not in REGISTERS


def test_scheduled_sources_and_new_cards() -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    scheduled = {s for s in Source if Review("r", "q", 3, at, source=s).scheduled}
    assert scheduled == {Source.STUDY, Source.QUIZ, Source.MOCK, Source.IMPORT}
    assert Card("q").is_new
    assert not Card("q", memory=Memory(phase=Phase.LEARNING)).is_new
    # the device is provenance, not identity: the same review from two devices is one review
    assert Review("r", "q", 3, at, device="a") == Review("r", "q", 3, at, device="b")


def test_a_huge_wrong_value_gives_one_short_line() -> None:
    problem = Settings.problem("language", "x" * 1000)
    assert problem is not None and problem.startswith("setting language has a wrong value 'xxx")
    assert len(problem) == 200 and "\n" not in problem
