"""Pilot tests of the dashboard, quiz, browse and settings screens against a temporary data dir."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import DataTable, Input, Select

from quizforge.store import Source
from quizforge.tui.app import Launch, QuizforgeApp
from quizforge.tui.screens.browse import BrowseScreen
from quizforge.tui.screens.dashboard import DashboardScreen
from quizforge.tui.screens.quiz_setup import QuizSetupScreen
from quizforge.tui.screens.quiz_summary import QuizSummaryScreen
from quizforge.tui.screens.settings import SettingsScreen
from quizforge.tui.screens.study import StudyScreen
from tests.study.conftest import Clock
from tests.tui.test_study_screen import answer_card

# whole screens driven through Pilot: the slow tier (`make test`; `make test-fast` skips it)
pytestmark = pytest.mark.slow

AppFactory = Callable[..., QuizforgeApp]


def tile(app: QuizforgeApp, key: str) -> str:
    """A count box on the dashboard: its number, a line break, its label."""
    from quizforge.tui.widgets.count_tiles import CountTiles

    return app.screen.query_one("#counts", CountTiles).text(key)


def text_of(app: QuizforgeApp, selector: str) -> str:
    """What a Static shows, as plain text (Rich renderables rendered at 200 columns)."""
    from rich.console import Console
    from textual.widgets import Static

    widget = app.screen.query_one(selector, Static)
    console = Console(width=200, record=True, file=None, force_terminal=False)
    with console.capture() as capture:
        console.print(widget.content)
    return capture.get()


async def test_dashboard_counts_follow_what_was_studied(app_factory: AppFactory, clock: Clock) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert tile(app, "new_available").startswith("20")  # the default daily limit
        assert tile(app, "done_today").startswith("0")
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        for _ in range(3):
            await answer_card(pilot, screen, clock, right=True)
            await pilot.press("4")  # Easy: graduates, not due again today
            await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert tile(app, "done_today").startswith("3")
        assert tile(app, "new_available").startswith("17")
        assert tile(app, "streak").startswith("1")


async def test_a_whole_quiz_from_the_cli_launch_ends_in_a_summary(app_factory: AppFactory, clock: Clock) -> None:
    app = app_factory(launch=Launch(screen="quiz", topics=("optim",), count=6))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        asked = []
        while screen.card is not None:
            assert screen.card.question.topic.startswith("optim.")
            right = len(asked) % 2 == 0
            asked.append((screen.card.card_id, right))
            await answer_card(pilot, screen, clock, right=right)
            await pilot.press("enter")
            await pilot.pause()
        summary_screen = app.screen
        assert isinstance(summary_screen, QuizSummaryScreen)
        summary = summary_screen.summary
        assert summary.asked == 6
        reviews = app.store.reviews()
        assert [r.card_id for r in reviews] == [c for c, _ in asked]
        assert {r.source for r in reviews} == {Source.QUIZ}
        score_line = text_of(app, "#quiz-score")
        assert f"{summary.correct} of 6" in score_line and f"{summary.percent}%" in score_line
        misses = {r.presented.card_id for r in summary.misses}
        assert {c for c, right in asked if not right} <= misses
        await pilot.press("s")  # study the misses: a cram run over exactly those cards
        await pilot.pause()
        cram = app.screen
        assert isinstance(cram, StudyScreen)
        assert cram.card is not None and cram.card.card_id in misses


async def test_quiz_setup_from_the_dashboard(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("z")
        await pilot.pause()
        setup = app.screen
        assert isinstance(setup, QuizSetupScreen)
        setup.query_one("#quiz-topic", Select).value = "cnn.pool"
        setup.query_one("#quiz-difficulty", Select).value = 2
        setup.query_one("#quiz-count", Input).value = "3"
        await pilot.click("#start")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert screen.session.remaining + 1 == 3
        assert screen.card is not None and screen.card.question.topic == "cnn.pool"


async def test_browse_searches_filters_and_suspends(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == len(app.bank)
        screen.query_one("#search", Input).value = "#mock"
        await pilot.pause()
        tagged = [q.id for q in app.bank if "mock" in q.tags]
        assert 0 < table.row_count == len(tagged)
        screen.query_one("#search", Input).value = "1x1"
        screen.query_one("#kind", Select).value = "generated"
        await pilot.pause()
        ids = [str(k.value) for k in table.rows]
        assert ids and all(app.bank.questions[i].generator for i in ids)
        # a generated card previews a sample instance with its worked solution
        assert "Worked solution" in text_of(app, "#preview")
        table.focus()
        await pilot.press("ctrl+s")
        await pilot.pause()
        first = app.store.card(ids[0])
        assert first is not None and first.suspended
        await pilot.press("ctrl+s")
        await pilot.pause()
        again = app.store.card(ids[0])
        assert again is not None and not again.suspended


async def test_settings_are_validated_saved_and_switch_the_language(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#desired_retention", Input).value = "1.5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen  # refused, with a message
        assert "0.7–0.99" in text_of(app, "#settings-error")
        screen.query_one("#desired_retention", Input).value = "0.85"
        screen.query_one("#new_per_day", Input).value = "5"
        screen.query_one("#language", Select).value = "zh"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        saved = app.store.settings()
        assert (saved.desired_retention, saved.new_per_day, saved.language) == (0.85, 5, "zh")
        assert app.lang == "zh"
        assert "今日新卡" in tile(app, "new_available")
        assert tile(app, "new_available").startswith("5")


async def test_saved_language_is_used_when_none_is_given(app_factory: AppFactory, bank, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from quizforge.tui.app import make_app

    first = app_factory(lang="zh")
    async with first.run_test() as pilot:
        await pilot.press("ctrl+l")  # zh → en, saved
        await pilot.pause()
    again = make_app(tmp_path / "data", bank, None, default_lang="zh")
    assert again.lang == "en"


async def test_help_lists_the_keys_in_both_languages(app_factory: AppFactory) -> None:
    for lang, word in (("en", "undo the last answer"), ("zh", "撤销上一次作答")):
        app = app_factory(lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("question_mark")
            await pilot.pause()
            assert type(app.screen).__name__ == "HelpScreen"
            assert word in text_of(app, "#help-box Static:last-of-type")
