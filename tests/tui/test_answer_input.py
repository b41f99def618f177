"""The answer box's live preview: every key for a short answer, once typing pauses for a long one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Input, Static

from quizforge.answer import AnswerKind
from quizforge.grading import AnswerParseError, parse_answer
from quizforge.grading.preview import read
from quizforge.tui.app import QuizforgeApp
from quizforge.tui.widgets.answer_input import PREVIEW_DELAY_S, QUICK_CHARS, AnswerInput

AppFactory = Callable[..., QuizforgeApp]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("1 2; 3 4", AnswerKind.MATRIX),
        ("1 2; 3", AnswerKind.MATRIX),
        ("[1, 2, 3]", AnswerKind.VECTOR),
        ("abc)(", AnswerKind.NUMBER),
        ("1/", AnswerKind.NUMBER),
        ("16x10x10", AnswerKind.SHAPE),
    ],
)
def test_read_says_what_the_parser_says(text: str, kind: AnswerKind) -> None:
    try:
        parse_answer(text, kind)
        readable = True
    except AnswerParseError:
        readable = False
    line, ok = read(text, kind, "en")
    assert ok is readable
    assert line.startswith("can't read") is not readable


async def test_a_long_answer_is_read_once_typing_pauses(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.sync_bank()
        app.study_cards(["attn-gen-attention-output"])
        await pilot.pause()
        box = app.screen.query_one(AnswerInput)
        field = box.query_one(Input)
        preview = box.query_one("#answer-preview", Static)

        field.value = "1 2; 3 4"  # short: the preview follows at once
        await pilot.pause()
        assert "2×2" in str(preview.render())

        rows = "; ".join("1 2" for _ in range(60))  # 60 rows, longer than QUICK_CHARS
        assert len(rows) > QUICK_CHARS
        field.value = rows
        await pilot.pause()
        assert "2×2" in str(preview.render())  # not read yet: typing may go on
        await pilot.pause(PREVIEW_DELAY_S * 2)
        assert "60×2" in str(preview.render())
        assert not preview.has_class("bad")

        field.value = rows + "; 5"  # a ragged last row
        await pilot.pause(PREVIEW_DELAY_S * 2)
        assert "can't read" in str(preview.render())
        assert preview.has_class("bad")

        field.value = ""  # a short text cancels the long one's pending read
        await pilot.pause(PREVIEW_DELAY_S * 2)
        assert str(preview.render()) == ""
        assert not preview.has_class("bad")
