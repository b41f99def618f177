"""Steering from the TUI (issue 13 item 2): a topic row of the dashboard, the focus dialog behind `s`
and `f`, the command palette, and the last focus remembered as a setting event."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.command import CommandPalette
from textual.widgets import Checkbox, DataTable, SelectionList, Static

from quizforge.bank import Bank
from quizforge.bank.schema import in_topics
from quizforge.store import EventKind
from quizforge.tui.app import Launch, QuizforgeApp
from quizforge.tui.screens.dashboard import DashboardScreen
from quizforge.tui.screens.focus import FocusDialog
from quizforge.tui.screens.study import StudyScreen
from tests.study.conftest import Clock
from tests.tui.conftest import workers_done
from tests.tui.test_study_screen import answer_card

# whole screens driven through Pilot: the slow tier (`make test`; `make test-fast` skips it)
pytestmark = pytest.mark.slow

AppFactory = Callable[..., QuizforgeApp]


async def _ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await workers_done(pilot.app)
    await pilot.pause()


async def _dialog(pilot) -> FocusDialog:  # type: ignore[no-untyped-def]
    """The dashboard, ready; then `f`: the focus dialog."""
    await _ready(pilot)
    await pilot.press("f")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, FocusDialog)
    return dialog


def _focus_events(app: QuizforgeApp) -> list[list[str]]:
    return [e.data["value"] for e in app.store.events([EventKind.SETTING], key="focus")]


def _studied_topics(screen: StudyScreen) -> set[str]:
    """The topics of every card the screen's session has queued or shows."""
    session = screen.session
    ids = [*session._queue, *([screen.card.card_id] if screen.card else [])]  # type: ignore[attr-defined]
    return {session.bank.questions[i].topic for i in ids}  # type: ignore[attr-defined]


async def test_enter_on_a_topic_row_studies_that_topic_and_remembers_it(app_factory: AppFactory, bank: Bank) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        assert isinstance(app.focused, type(app.screen.query_one("#go-study")))  # Enter alone still studies all
        await pilot.press("down")  # into the topic table
        table = app.screen.query_one("#topics", DataTable)
        assert app.focused is table and table.cursor_row == 0
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        third = list(bank.topics)[2]
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert _studied_topics(screen) == {third}
        assert bank.topic_name(third, "en") in screen.title_text
        assert _focus_events(app) == [[third]]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        line = app.screen.query_one("#focus-line", Static)
        assert line.display and bank.topic_name(third, "en") in str(line.render())


async def test_s_shows_the_last_focus_and_enter_studies_it_again(app_factory: AppFactory, bank: Bank) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        app.store.set_settings(focus=["cnn.pool", "kind:choice"])
        app.settings = app.store.settings()
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FocusDialog)
        assert dialog.query_one("#focus-topics", SelectionList).selected == ["cnn.pool"]
        assert dialog.query_one("#focus-kinds", SelectionList).selected == ["choice"]
        await pilot.press("enter")  # Start has the focus: one extra key for the same focus
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert _studied_topics(screen) == {"cnn.pool"}
        assert screen.card is not None and screen.card.kind == "choice"
        assert screen.session.kinds == {"choice"}  # type: ignore[attr-defined]


async def test_a_in_the_dialog_studies_everything_and_forgets_the_focus(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        app.store.set_settings(focus=["cnn"])
        app.settings = app.store.settings()
        await pilot.press("s", "a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert screen.session.topics is None  # type: ignore[attr-defined]
        assert _focus_events(app)[-1] == []
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")  # no focus any more: s studies at once, no dialog
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)


async def test_f_chooses_an_area_and_kinds(app_factory: AppFactory, bank: Bank) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _dialog(pilot)
        topics = dialog.query_one("#focus-topics", SelectionList)
        topics.focus()
        await pilot.pause()
        # the first line is the first area; tick it with the space bar as a user would
        await pilot.press("space")
        kinds = dialog.query_one("#focus-kinds", SelectionList)
        kinds.select("generated")
        kinds.select("numeric")
        await pilot.pause()
        area = next(iter(bank.topics)).split(".")[0]
        assert topics.selected == [area]
        assert "generated" in str(dialog.query_one("#focus-now", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert all(in_topics(t, [area]) for t in _studied_topics(screen))
        assert screen.card is not None and screen.card.kind in ("generated", "numeric")
        assert _focus_events(app) == [[area, "kind:generated", "kind:numeric"]]


async def test_escape_in_the_dialog_changes_nothing(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await _dialog(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert _focus_events(app) == []


async def _palette(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*text)
    await workers_done(pilot.app)  # the palette's search
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def test_the_palette_opens_the_focus_dialog(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        await _palette(pilot, "choose topics")
        assert isinstance(app.screen, FocusDialog)


async def test_the_palette_lists_each_steering_action_once(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles))
        assert sum("weakest" in title for title in titles) == 1


async def test_my_weakest_topics_from_the_palette(app_factory: AppFactory, clock: Clock) -> None:
    app = app_factory(launch=Launch(screen="study", topics=("cnn.pool", "optim.gd"), new=6))
    async with app.run_test(size=(100, 40)) as pilot:
        await _ready(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        # answer everything: right in optim.gd, wrong in cnn.pool
        for _ in range(6):
            assert screen.card is not None
            await answer_card(pilot, screen, clock, right=screen.card.question.topic == "optim.gd")
            await pilot.press("4" if screen.card.question.topic == "optim.gd" else "1")
            await pilot.pause()
        screen.finish()
        await pilot.pause()
        clock.advance(days=3)
        await _palette(pilot, "study my weakest")
        study = app.screen
        assert isinstance(study, StudyScreen)
        assert study.session.topics is not None  # type: ignore[attr-defined]
        assert study.session.topics[0] == "cnn.pool"  # type: ignore[attr-defined]
        assert _focus_events(app)[-1] == ["weakest"]


async def test_weakest_before_any_review_says_so(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _dialog(pilot)
        dialog.query_one("#focus-weakest", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)  # nothing to study: told, not opened
        assert any("No weak topics yet" in str(n.message) for n in app._notifications)


async def test_study_topic_from_the_command_line_still_works(app_factory: AppFactory) -> None:
    app = app_factory(launch=Launch(screen="study", topics=("cnn.pool",)))
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert _studied_topics(screen) == {"cnn.pool"}
        assert _focus_events(app) == []  # the command line's topic is not a remembered focus


async def test_the_order_of_new_cards_is_a_setting(app_factory: AppFactory, bank: Bank) -> None:
    from textual.widgets import Select

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        await pilot.press("o")
        await pilot.pause()
        select = app.screen.query_one("#new_order", Select)
        assert select.value == "interleaved"
        select.value = "by_topic"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [e.data["value"] for e in app.store.events([EventKind.SETTING], key="new_order")] == ["by_topic"]
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        catalogue = list(bank.topics)
        assert screen.card is not None
        ids = [screen.card.card_id, *screen.session._queue]  # type: ignore[attr-defined]
        places = [catalogue.index(bank.questions[i].topic) for i in ids]
        # topic after topic from the first (a follow-up waits for a later day than its parent)
        assert places[0] == 0 and places == sorted(places)
