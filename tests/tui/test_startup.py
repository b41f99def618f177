"""The dashboard's first paint waits for nothing slow: the bank loads in a worker once it is shown."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.widgets import DataTable, Static

from quizforge.bank import Bank
from quizforge.i18n import t
from quizforge.tui.app import make_app
from tests.study.conftest import Clock
from tests.tui.conftest import T0, workers_done


async def test_the_bank_loads_off_the_ui_thread_after_the_first_frame(bank: Bank, tmp_path: Path) -> None:
    release = threading.Event()
    calls: list[tuple[str, bool]] = []
    app = None

    def loader() -> Bank:
        assert app is not None
        calls.append((threading.current_thread().name, app.first_frame.is_set()))
        release.wait(timeout=10)
        return bank

    app = make_app(tmp_path / "data", loader, "en", now=Clock(T0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        welcome = app.screen.query_one("#welcome", Static)
        assert str(welcome.render()) == t("common.loading", "en")  # painted while the bank loads
        assert not app.bank_loaded
        release.set()
        await workers_done(app)
        await pilot.pause()
        assert app.bank_loaded
        assert str(len(bank)) in str(welcome.render())
        assert len(app.store.cards()) == len(bank)  # the new questions got their cards
    assert len(calls) == 1
    thread, after_first_frame = calls[0]
    assert thread != threading.main_thread().name
    assert after_first_frame


async def test_the_topic_table_joins_the_dashboard_once_the_bank_is_shown(bank: Bank, tmp_path: Path) -> None:
    """The first frame does without the table (its widget and styles cost start-up time and it has no
    rows before the bank); ↓ meanwhile does nothing, and the table then lists every topic with a card."""
    release = threading.Event()

    def loader() -> Bank:
        release.wait(timeout=10)
        return bank

    app = make_app(tmp_path / "data", loader, "en", now=Clock(T0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query("#topics")
        await pilot.press("down")  # into the table that is not there yet: nothing happens
        assert app.screen.query_one("#go-study").has_focus
        release.set()
        await workers_done(app)
        await pilot.pause()
        table = app.screen.query_one("#topics", DataTable)
        assert table.row_count == len({q.topic for q in bank})
        await pilot.press("down")
        assert table.has_focus


async def test_a_bank_that_cannot_load_closes_the_app_with_its_message(tmp_path: Path) -> None:
    def loader() -> Bank:
        raise ValueError("bank.yaml:3:1: id: missing")

    app = make_app(tmp_path / "data", loader, "en", now=Clock(T0))
    async with app.run_test(size=(80, 24)) as pilot:
        await workers_done(app)  # the worker reports back through the UI thread, which then exits
        await pilot.pause()
    assert app.failure == "bank.yaml:3:1: id: missing"
    assert app.return_code == 2


async def test_the_first_run_plan_offer_waits_for_the_bank_not_the_first_paint(bank: Bank, tmp_path: Path) -> None:
    from quizforge.tui.app import Launch
    from quizforge.tui.screens.dashboard import DashboardScreen
    from quizforge.tui.screens.plan import PlanDialog

    release = threading.Event()

    def loader() -> Bank:
        release.wait(timeout=10)
        return bank

    app = make_app(tmp_path / "data", loader, "en", now=Clock(T0), launch=Launch(offer_plan=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)  # painted at once, the bank still loading
        release.set()
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, PlanDialog)
