"""Screens that fit: the footer at 80 columns, the palette, the language switch, long cards at 80×24 and
wide terminals (issue 13, item 4). Each test reads what the screen shows, as a user would."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from rich.cells import cell_len
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, OptionList

from quizforge.bank import Bank
from quizforge.i18n import t
from quizforge.tui.app import QuizforgeApp
from quizforge.tui.screens.study import StudyScreen
from quizforge.tui.widgets.key_bar import KeyBar, key_bar_text
from tests.tui.conftest import workers_done

# whole screens driven through Pilot: the slow tier (`make test`; `make test-fast` skips it)
pytestmark = pytest.mark.slow


AppFactory = Callable[..., QuizforgeApp]
Steps = Callable[[Pilot[Any]], Awaitable[None]]

# generated cards whose prompts hold matrices (the longest prompts in the bank)
MATRIX_CARDS = ["attn-gen-attention-output", "conv-gen-forward", "pool-gen-max", "seg-gen-convtranspose-values"]


def screen_lines(app: QuizforgeApp, screen: Screen[Any] | None = None) -> list[str]:
    """The rows of ``screen`` (default: the top one) as text, as the user sees them."""
    return [strip.text for strip in (screen or app.screen)._compositor.render_strips()]


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await workers_done(pilot.app)
    await pilot.pause()


def press(*keys: str) -> Steps:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


def study(card_ids: list[str], *keys: str) -> Steps:
    """Cram ``card_ids``; keys starting with ``=`` are typed into the answer box at once."""

    async def run(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, QuizforgeApp)
        await settle(pilot)
        app.study_cards(card_ids)
        await settle(pilot)
        for key in keys:
            if key.startswith("="):
                app.screen.query_one(Input).value = key[1:]
            else:
                await pilot.press(key)
            await settle(pilot)

    return run


SCREENS: dict[str, Steps] = {
    "dashboard": press(),
    "study_asked": study(["pool-gen-max"]),
    "study_answered": study(["pool-gen-max"], "=1 2; 3 4", "enter"),
    "concept_revealed": study(["1x1-what-does"], "space", "a"),
    "quiz_setup": press("z"),
    "mock_setup": press("m"),
    "browse": press("b"),
    "report": press("r"),
    "settings": press("o"),
    "help": press("question_mark"),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("screen", list(SCREENS))
async def test_the_footer_fits_80_columns_and_says_how_to_quit(app_factory: AppFactory, screen: str, lang: str) -> None:
    app = app_factory(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await SCREENS[screen](pilot)
        below = app.screen_stack[-2] if isinstance(app.screen, ModalScreen) else app.screen
        bars = list(below.query(KeyBar))  # a dialog leaves the footer of the screen under it in sight
        assert bars, "no key bar"
        bottom = screen_lines(app, below)[-1]
        assert cell_len(bottom.rstrip()) <= 80
        assert t("action.quit", lang) in bottom, bottom


def test_the_key_bar_keeps_its_pinned_keys_and_drops_the_rest_in_order() -> None:
    keys = [("a", "action.study"), ("b", "action.quiz"), ("c", "action.report"), ("esc", "action.back")]
    text = key_bar_text(keys, "en", width=len(" a  Study ") + len(" esc  Back ") + 3).plain
    assert text == " a  Study  esc  Back "  # "b Quiz" would not fit: it and all after it go
    assert key_bar_text(keys, "en", width=200).plain == " a  Study  b  Quiz  c  Report  esc  Back "
    assert key_bar_text(keys, "en", width=5, pinned=1).plain == " esc  Back "  # pinned even when too wide


def palette_titles(app: QuizforgeApp) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_palette_shows_each_action_once_in_the_apps_language(app_factory: AppFactory, lang: str) -> None:
    app = app_factory(lang=lang)
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        titles = palette_titles(app)
        assert len(titles) == len(set(titles)), titles
        for key in ("action.study", "action.quiz", "action.browse", "action.quit"):
            assert titles.count(t(key, lang)) == 1
        assert app.screen.query_one(Input).placeholder == t("palette.search", lang)


# the mock set-up dialog is drawn in the interview's language, which is one of its own choices
@pytest.mark.parametrize("screen", [name for name in SCREENS if name != "mock_setup"])
async def test_ctrl_l_switches_every_string_on_screen_at_once(app_factory: AppFactory, screen: str) -> None:
    """English, then ctrl+l: the same screen as one opened in Chinese from the start."""
    switched = app_factory(lang="en")
    async with switched.run_test(size=(100, 30)) as pilot:
        await SCREENS[screen](pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        after = screen_lines(switched)
    native = app_factory(lang="zh")
    async with native.run_test(size=(100, 30)) as pilot:
        await SCREENS[screen](pilot)
        expected = screen_lines(native)
    assert after == expected


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("card", MATRIX_CARDS)
async def test_a_matrix_card_opens_at_its_top_with_the_answer_box_in_sight(
    app_factory: AppFactory, card: str, lang: str
) -> None:
    app = app_factory(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await study([card])(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.card is not None
        first_line = screen.card.prompt.get(lang).splitlines()[0]
        lines = screen_lines(app)
        assert any(first_line[:40] in line for line in lines), (first_line, lines)
        answer = screen.query_one(Input)
        assert answer.has_focus
        assert 0 <= answer.region.y < 23 and answer.region.height >= 1  # above the footer, on screen
        answer.value = "1 2; 3 4"
        await settle(pilot)
        assert any("2×2" in line for line in screen_lines(app))  # the preview under it too
        await pilot.press("enter")
        await settle(pilot)
        lines = screen_lines(app)
        assert any(t("study.wrong", lang) in line for line in lines)  # the verdict in sight
        assert any(t("answer.expected", lang) in line for line in lines)


async def test_wide_terminals_show_whole_topic_names_and_keep_prose_readable(app_factory: AppFactory) -> None:
    app = app_factory(lang="en")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        text = "\n".join(screen_lines(app))
        bank: Bank = app.bank
        shown = [tid for tid in bank.topics if bank.by_topic().get(tid)][:30]  # the rows in sight at 50 lines
        for tid in shown:
            assert bank.topic_name(tid, "en") in text
        assert "…" not in text
        await study(["attn-gen-attention-output"], "=1 2; 3 4", "enter")(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        for part in ("#card-prompt", "#verdict"):
            assert screen.query_one(part).region.width <= 100
