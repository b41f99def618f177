"""Pilot tests: a named mistake on a generated card, its re-check line, and the PyTorch snippet key."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rich.console import Console
from textual.screen import Screen
from textual.widgets import Input, Static

from quizforge.bank import Kind
from quizforge.kinds.tutor import mistake_answer
from quizforge.numeric.base import get_family
from quizforge.tui.app import Launch, make_app
from quizforge.tui.screens.snippet import SnippetScreen
from quizforge.tui.screens.study import StudyScreen
from quizforge.tui.widgets.key_bar import KeyBar
from tests.study.conftest import Clock, make_bank, question, right_answer
from tests.tui.conftest import workers_done

FAMILY = "conv_params"
MISTAKE = "bias-per-channel-pair"
BANK = make_bank(
    [question("gen", Kind.GENERATED, topic="t.a", generator=FAMILY)]
    + [question(f"c{i}", Kind.CHOICE, topic="t.a") for i in range(3)]
)


def _seed() -> int:
    """An app seed whose first conv-parameters instance the channel-pair bias mistake gets wrong
    (the app draws the first card's seed from ``random.Random(seed)``)."""
    fam = get_family(FAMILY)
    m = next(x for x in fam.mistakes if x.id == MISTAKE)
    for seed in range(100):
        inst = fam.generate(random.Random(seed).randrange(2**31), fam.default_level)
        if inst.params["bias"] and mistake_answer(inst, m) is not None:
            return seed
    raise AssertionError("no seed")


def _text(screen: Screen[object], selector: str) -> str:
    """What a Static shows, as plain text (rendered at 200 columns)."""
    console = Console(width=200, record=True, file=None, force_terminal=False)
    with console.capture() as capture:
        console.print(screen.query_one(selector, Static).content)
    return capture.get()


@pytest.mark.slow  # runs torch in a child python (a few seconds)
async def test_named_mistake_recheck_line_and_snippet(tmp_path: Path) -> None:
    clock = Clock()
    app = make_app(tmp_path / "data", BANK, "en", now=clock, launch=Launch(screen="study", new=4), seed=_seed())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.card is not None and screen.card.card_id == "gen"
        q = screen.card.instance.params  # type: ignore[union-attr]
        assert "p" not in screen.query_one(KeyBar).text.split()  # not before the answer
        screen.query_one(Input).value = str(q["k"] ** 2 * q["c_in"] * q["c_out"] + q["c_in"] * q["c_out"])
        await pilot.press("enter")
        await pilot.pause()
        assert "own bias" in _text(screen, "#verdict") and "step 1" in _text(screen, "#verdict")
        assert " p " in screen.query_one(KeyBar).text

        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SnippetScreen)
        assert "nn.Conv2d" in dialog.code
        ours = screen.card.instance.answer  # type: ignore[union-attr]
        await workers_done(dialog)
        await pilot.pause()
        assert dialog.run is not None and dialog.run.ok, dialog.run
        assert dialog.run.stdout.strip() == str(ours)  # torch agrees with quizforge
        shown = _text(dialog, "#snippet-output")
        assert "torch printed" in shown and str(ours) in shown
        assert str(ours) in _text(dialog, "#snippet-ours").replace(",", "")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen

        await pilot.press("enter")  # accept Again
        await pilot.pause()
        for _ in range(3):  # the three choice cards, then the re-check
            assert screen.card is not None and screen.card.card_id != "gen"
            assert "Re-check" not in _text(screen, "#card-prompt")
            await pilot.press(right_answer(screen.card), "enter")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
        assert screen.card is not None and screen.card.card_id == "gen"
        prompt = _text(screen, "#card-prompt")
        assert prompt.startswith("Re-check, after your earlier slip: You gave every (input, output) channel pair")


async def test_the_snippet_key_does_nothing_before_an_answer(tmp_path: Path) -> None:
    app = make_app(tmp_path / "data", BANK, "en", now=Clock(), launch=Launch(screen="study", new=4), seed=_seed())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        screen.set_focus(None)
        await pilot.press("p")
        await pilot.pause()
        assert app.screen is screen
