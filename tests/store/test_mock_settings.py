"""The mock dialog's remembered choice: settings with checked values, logged as setting events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from quizforge.store import Settings, Store


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [
        ("mock_questions", 1, True),
        ("mock_questions", 50, True),
        ("mock_questions", 0, False),
        ("mock_questions", 51, False),
        ("mock_minutes", 600, True),
        ("mock_minutes", 601, False),
        ("mock_minutes", True, False),
        ("mock_topics", ["cnn", "train.stability"], True),
        ("mock_topics", [], True),
        ("mock_topics", [""], False),
        ("mock_topics", [3], False),
        ("mock_topics", "cnn", False),
        ("mock_topics", ["x" * 201], False),
        ("mock_weakest", True, True),
        ("mock_weakest", 1, False),
        ("mock_code", "yes", False),
    ],
)
def test_mock_setting_values_are_checked(name: str, value: Any, ok: bool) -> None:
    problem = Settings.problem(name, value)
    assert (problem is None) is ok
    if not ok:
        assert problem is not None and name in problem


def test_the_last_choice_round_trips_through_the_store(tmp_path: Path) -> None:
    with Store.open(tmp_path / "q.db") as store:
        s = store.set_settings(mock_questions=5, mock_topics=("cnn",), mock_weakest=True, mock_code=True)
        assert (s.mock_questions, s.mock_minutes, s.mock_topics, s.mock_weakest, s.mock_code) == (
            5,
            30,
            ("cnn",),
            True,
            True,
        )
        assert sorted(e.key for e in store.events(["setting"])) == [
            "mock_code",
            "mock_questions",
            "mock_topics",
            "mock_weakest",
        ]
    with Store.open(tmp_path / "q.db") as store:
        assert store.settings().mock_topics == ("cnn",)
