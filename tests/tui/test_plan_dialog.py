"""The interview plan in the TUI: the first-run offer, the dialog, the dashboard's panel."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Input, Static

from quizforge.study.planning import current_plan
from quizforge.tui.app import Launch, QuizforgeApp
from quizforge.tui.screens.dashboard import DashboardScreen
from quizforge.tui.screens.plan import PlanDialog
from quizforge.tui.screens.settings import SettingsScreen
from quizforge.tui.widgets.plan_panel import PlanPanel
from tests.study.conftest import Clock
from tests.tui.conftest import workers_done
from tests.tui.test_screens import text_of, tile

# whole screens driven through Pilot: the slow tier (`make test`; `make test-fast` skips it)
pytestmark = pytest.mark.slow

AppFactory = Callable[..., QuizforgeApp]


async def fill(app: QuizforgeApp, pilot: object, **values: str) -> None:
    for name, value in values.items():
        app.screen.query_one(f"#plan-{name}", Input).value = value


async def settle(app: QuizforgeApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await workers_done(app)
    await pilot.pause()


async def test_a_fresh_data_dir_is_offered_the_plan_once(app_factory: AppFactory) -> None:
    app = app_factory(launch=Launch(offer_plan=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, PlanDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert not app.screen.query_one(PlanPanel).display  # no plan: no panel
    again = app_factory(launch=Launch(offer_plan=True))
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(again, pilot)
        assert isinstance(again.screen, DashboardScreen)


async def test_a_14_day_plan_set_in_the_dialog_shows_on_the_dashboard(app_factory: AppFactory, clock: Clock) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PlanDialog)
        # the date proposed is 14 days ahead of the study day (2026-03-02)
        assert app.screen.query_one("#plan-date", Input).value == "2026-03-16"
        await fill(app, pilot, areas="cnn,optim,attn", minutes="40", retention="0.92")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        plan = current_plan(app.store)
        assert plan is not None
        assert (plan.date.isoformat(), plan.areas, plan.minutes_per_day, plan.retention) == (
            "2026-03-16",
            ("cnn", "optim", "attn"),
            40,
            0.92,
        )
        assert app.screen.query_one(PlanPanel).display
        panel = text_of(app, "#plan-panel")
        cards = sum(1 for q in app.bank if q.topic.split(".")[0] in ("cnn", "optim", "attn"))
        assert "14 days to your interview (2026-03-16)" in panel
        assert "On track" in panel
        assert f"0 of {cards} cards in scope studied" in panel
        assert f"Today: {-(-cards // 11)} new (0 done)" in panel  # spread over the 11 days before the cut-off
        assert tile(app, "new_available").startswith(str(-(-cards // 11)))  # the tile agrees
        # study today's cards (the session the study screen runs): the plan's new cards, from its areas
        session = app.new_session()
        shown = []
        while (card := session.next_card()) is not None:
            shown.append(card.card_id)
            session.reveal()
            session.rate(4)
        assert len(set(shown)) == -(-cards // 11)
        assert all(app.bank.questions[c].topic.split(".")[0] in ("cnn", "optim", "attn") for c in shown)
        app.screen.refresh_data()  # type: ignore[attr-defined]
        await settle(app, pilot)
        assert "On track" in text_of(app, "#plan-panel")
        await settle(app, pilot)
        # the next day, not studied: behind the plan as set
        clock.advance(days=2)
        app.screen.refresh_data()  # type: ignore[attr-defined]
        await settle(app, pilot)
        panel = text_of(app, "#plan-panel")
        assert "12 days to your interview" in panel and "Behind by" in panel


async def test_bad_input_stays_in_the_dialog_with_one_line(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        for fields, expected in [
            ({"date": "2026-02-01"}, "must be after today"),
            ({"date": "2026-04-01", "areas": "cnn,nope"}, "Areas nope: no such area"),
            ({"areas": "", "minutes": "lots"}, "is not a number"),
            ({"minutes": "30", "retention": "1.5"}, "Target recall 1.5: must be from"),
        ]:
            await fill(app, pilot, **fields)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, PlanDialog)
            message = str(app.screen.query_one("#plan-error", Static).content)
            assert expected in message and "\n" not in message
            assert "--" not in message  # the dialog names its fields, not the command line's flags
        assert current_plan(app.store) is None


async def test_settings_open_the_dialog_and_it_can_clear_the_plan(app_factory: AppFactory) -> None:
    app = app_factory(lang="zh")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert current_plan(app.store) is not None
        assert "距离面试" in text_of(app, "#plan-panel")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.click("#plan")
        await pilot.pause()
        assert isinstance(app.screen, PlanDialog)
        await pilot.click("#clear")
        await settle(app, pilot)
        assert current_plan(app.store) is None
