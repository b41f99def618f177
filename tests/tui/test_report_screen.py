"""Pilot tests of the report screen: opened from the dashboard, filled by its worker, re-rendered
after a language switch, closed with Escape."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from datetime import timedelta

from rich.console import Console
from textual.widgets import Static

from quizforge.tui.app import QuizforgeApp
from quizforge.tui.screens import report as report_module
from quizforge.tui.screens.dashboard import DashboardScreen
from quizforge.tui.screens.report import ReportScreen
from tests.report.simulate import simulate
from tests.tui.conftest import T0, workers_done

AppFactory = Callable[..., QuizforgeApp]


def _text(screen: ReportScreen) -> str:
    """What the screen's body shows, as plain text."""
    console = Console(file=io.StringIO(), width=100, color_system=None)
    for s in screen.query(Static):
        console.print(s.content)
    return console.file.getvalue()  # type: ignore[attr-defined]


async def _wait_for_report(pilot, screen: ReportScreen) -> None:  # type: ignore[no-untyped-def]
    await workers_done(pilot.app)
    await pilot.pause()
    assert screen.report is not None


async def test_report_screen_opens_from_dashboard_and_goes_back(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 50)) as pilot:
        simulate(app.store, app.bank, start=T0 - timedelta(days=4), days=3, max_cards=12, seed=3)
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        await _wait_for_report(pilot, screen)
        assert screen.report is not None and not screen.report.empty
        assert screen.report.totals.reviews == app.store.review_count()
        text = _text(screen)
        assert "True retention" in text and "Readiness by topic" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_report_screen_empty_store_and_language_switch(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(ReportScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        await _wait_for_report(pilot, screen)
        assert screen.report is not None and screen.report.empty
        assert "No reviews yet" in _text(screen)
        await pilot.press("ctrl+l")
        await pilot.pause()
        await _wait_for_report(pilot, screen)
        assert screen.report.lang == "zh"
        assert "还没有复习记录" in _text(screen)


async def test_loading_shows_first_and_closing_early_is_safe(app_factory: AppFactory, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    gate = threading.Event()
    real = report_module.build_report

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        gate.wait(5)
        return real(*args, **kwargs)

    monkeypatch.setattr(report_module, "build_report", slow)
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(ReportScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        assert "Loading…" in _text(screen) and screen.report is None
        await pilot.press("escape")  # gone before the worker is done
        await pilot.pause()
        gate.set()
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
