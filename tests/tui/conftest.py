"""Fixtures for the TUI tests: the shipped bank (loaded once), a fixed clock, a fresh data dir."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizforge.bank import Bank
from quizforge.kinds import load
from quizforge.tui.app import Launch, QuizforgeApp, make_app
from tests.study.conftest import Clock

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load()


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def app_factory(bank: Bank, tmp_path: Path, clock: Clock) -> Callable[..., QuizforgeApp]:
    def build(lang: str = "en", launch: Launch | None = None, seed: int = 7) -> QuizforgeApp:
        return make_app(tmp_path / "data", bank, lang, now=clock, launch=launch, seed=seed)

    return build
