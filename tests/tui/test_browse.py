"""Pilot tests of the bank browser: each row's text and state, ↓ from the search box, states in toasts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from quizforge.store import Card, Memory, Phase
from quizforge.tui.app import QuizforgeApp
from quizforge.tui.screens.browse import BrowseScreen
from tests.tui.test_screens import text_of

AppFactory = Callable[..., QuizforgeApp]
DUE = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)  # noon UTC: the same calendar day in every usual time zone


async def open_browse(pilot: Pilot[None], app: QuizforgeApp) -> tuple[BrowseScreen, DataTable[object]]:
    """Press ``b`` on the dashboard; the browser and its results table."""
    await pilot.pause()
    await pilot.press("b")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, BrowseScreen)
    return screen, screen.query_one("#results", DataTable)


def selected(table: DataTable[object]) -> str:
    return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)


def row(table: DataTable[object], qid: str) -> list[str]:
    return [str(cell) for cell in table.get_row(qid)]


def card(qid: str, topic: str, phase: Phase, *, suspended: bool = False) -> Card:
    last = DUE - timedelta(days=3)
    return Card(
        qid,
        topic=topic,
        memory=Memory(phase=phase, stability=3.0, difficulty=5.0, due=DUE, last_review=last, reps=2),
        suspended=suspended,
    )


async def test_rows_show_the_question_text_and_its_state(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        choice = [q for q in app.bank if q.prompt.en.strip() and not q.generator][:4]
        app.store.put_cards(
            [
                card(choice[1].id, choice[1].topic, Phase.LEARNING),
                card(choice[2].id, choice[2].topic, Phase.REVIEW),
                card(choice[3].id, choice[3].topic, Phase.REVIEW, suspended=True),
            ]
        )
        _, table = await open_browse(pilot, app)
        states = [row(table, q.id)[0] for q in choice]
        assert states == ["New", "Learning", "Due 2026-03-07", "Suspended"]
        text, qid = row(table, choice[0].id)[1:]
        first_line = choice[0].prompt.en.strip().splitlines()[0].strip()
        assert qid == choice[0].id and text.rstrip("…") == first_line[: len(text.rstrip("…"))] and len(text) > 10
        generated = next(q for q in app.bank if q.generator and not q.prompt.en.strip())
        assert row(table, generated.id)[1]  # a generated question shows its family's title, not an empty cell


async def test_down_in_the_search_box_moves_the_selection(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen, table = await open_browse(pilot, app)
        await pilot.press("slash")
        search = screen.query_one("#search", Input)
        assert screen.focused is search
        await pilot.press(*"#mock")
        await pilot.pause()
        assert table.row_count > 2 and table.cursor_row == 0
        await pilot.press("down")
        await pilot.pause()
        assert app.focused is table and table.cursor_row == 1
        assert selected(table) in text_of(app, "#preview")  # the preview follows the selection
        await pilot.press("down")
        assert table.cursor_row == 2  # then ↓ is the table's own


async def test_suspending_says_the_state_in_the_toast_history_and_row(app_factory: AppFactory) -> None:
    app = app_factory(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        _, table = await open_browse(pilot, app)
        qid = selected(table)
        await pilot.press("ctrl+s")
        await pilot.pause()
        stored = app.store.card(qid)
        assert stored is not None and stored.suspended
        assert [n.message for n in app._notifications] == [f"Suspended: {qid}"]
        assert row(table, qid)[0] == "Suspended"
        assert "Never reviewed. [Suspended]" in text_of(app, "#preview")
        await pilot.press("ctrl+s")
        await pilot.pause()
        stored = app.store.card(qid)
        assert stored is not None and not stored.suspended
        assert [n.message for n in app._notifications][-1] == f"Active again: {qid}"
        assert row(table, qid)[0] == "New"
        assert "Suspended" not in text_of(app, "#preview")


async def test_states_and_toasts_in_chinese(app_factory: AppFactory) -> None:
    app = app_factory(lang="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        _, table = await open_browse(pilot, app)
        qid = selected(table)
        assert row(table, qid)[0] == "新卡"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [n.message for n in app._notifications] == [f"已暂停：{qid}"]
        assert row(table, qid)[0] == "已暂停"
