"""Snapshots of every screen at 80×24, in English and Chinese (pytest-textual-snapshot).

The app is built by the same factory users run, with a fixed clock and seed so generated questions
and timers are the same on every run. Update after an intended change with
``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the report before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from quizforge.bank import Bank
from quizforge.tui.app import QuizforgeApp, make_app
from tests.study.conftest import Clock
from tests.tui.conftest import T0, workers_done

LANGS = ["en", "zh"]


def build(bank: Bank, tmp_path: Path, lang: str) -> QuizforgeApp:
    return make_app(tmp_path / "data", bank, lang, now=Clock(T0), seed=3)


async def settle(pilot: Pilot[Any]) -> None:
    """Let timers and workers (the dashboard's mastery) finish, and stop the cursor blinking."""
    await pilot.pause(0.1)
    await workers_done(pilot.app)
    await pilot.pause()
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


def cards(ids: list[str], keys: list[str] | None = None) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, QuizforgeApp)
        app.study_cards(ids)
        await pilot.pause()
        for key in keys or []:
            if len(key) > 1 and key.startswith("="):
                app.screen.query_one(Input).value = key[1:]
            else:
                await pilot.press(key)
            await pilot.pause()
        await settle(pilot)

    return run


def keys(*pressed: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await pilot.press(*pressed)
        await settle(pilot)

    return run


SCREENS: dict[str, Callable[[Pilot[Any]], Awaitable[None]]] = {
    "dashboard": keys(),
    "browse": keys("b"),
    "settings": keys("o"),
    "help": keys("question_mark"),
    "quiz_setup": keys("z"),
    "concept_revealed": cards(["1x1-what-does"], ["space", "a", "c"]),
    "choice_answered": cards(["pool-choice-params"], ["b", "enter"]),
    "generated_wrong": cards(["pool-gen-max"], ["=1 2; 3 4", "enter"]),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare: Any, bank: Bank, tmp_path: Path, screen: str, lang: str) -> None:
    assert snap_compare(build(bank, tmp_path, lang), terminal_size=(80, 24), run_before=SCREENS[screen])
