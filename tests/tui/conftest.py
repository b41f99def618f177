"""Fixtures for the TUI tests: the shipped bank (loaded once), a fixed clock, a fresh data dir."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.dom import DOMNode
from textual.worker import WorkerCancelled

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


async def workers_done(node: DOMNode) -> None:
    """Wait until ``node``'s workers are done. An exclusive worker (the dashboard's mastery) may be
    cancelled by a newer one while we wait: then wait for what replaced it."""
    for _ in range(10):
        try:
            await node.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        return
    raise AssertionError("workers kept being replaced")
