"""The dashboard's light buttons: Enter on the focused one or a click opens its activity."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizforge.bank import Bank
from quizforge.tui.app import make_app
from quizforge.tui.screens.quiz_setup import QuizSetupScreen
from quizforge.tui.screens.settings import SettingsScreen
from tests.study.conftest import Clock
from tests.tui.conftest import T0, workers_done


@pytest.mark.parametrize("how", ["click", "enter"])
async def test_a_button_opens_its_activity(bank: Bank, tmp_path: Path, how: str) -> None:
    app = make_app(tmp_path / "data", bank, "en", now=Clock(T0))
    async with app.run_test(size=(80, 24)) as pilot:
        await workers_done(app)
        await pilot.pause()
        if how == "click":
            await pilot.click("#go-quiz")
        else:
            app.screen.query_one("#go-quiz").focus()
            await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuizSetupScreen)


async def test_tab_moves_along_the_buttons_and_enter_presses_the_focused_one(bank: Bank, tmp_path: Path) -> None:
    app = make_app(tmp_path / "data", bank, "en", now=Clock(T0))
    async with app.run_test(size=(80, 24)) as pilot:
        await workers_done(app)
        await pilot.pause()
        assert app.focused is app.screen.query_one("#go-study")  # Enter alone studies
        for _ in range(5):  # study, quiz, mock, report, browse, settings
            await pilot.press("tab")
        assert app.focused is app.screen.query_one("#go-settings")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
