"""A one-line answer box with a live preview of how the answer is being read.

The preview says "matrix 2×2" or "can't read `1/`: …" as the user types, so a typo is caught before
the answer is graded. Posts :class:`AnswerInput.Submitted` with the text when Enter is pressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from quizforge.answer import AnswerKind

if TYPE_CHECKING:
    from textual.timer import Timer

QUICK_CHARS = 200  # up to this length the preview follows every key (reading it takes < 1 ms)
PREVIEW_DELAY_S = 0.15  # a longer answer is read once typing pauses this long


class AnswerInput(Vertical):
    DEFAULT_CSS = """
    AnswerInput { height: auto; }
    /* one row (not a three-row box): on a small terminal every row goes to the card */
    AnswerInput > Input.-textual-compact { background: $boost; padding: 0 1; }
    AnswerInput > Input.-textual-compact:focus { background: $primary 25%; }
    AnswerInput > #answer-preview { height: 1; padding: 0 1; color: $text-muted; }
    AnswerInput > #answer-preview.bad { color: $error; }
    """

    @dataclass
    class Submitted(Message):
        text: str

    def __init__(self, kind: AnswerKind | None, lang: str, placeholder: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.kind = kind
        self.lang = lang
        self.placeholder = placeholder
        self._pending: Timer | None = None  # the preview of a long answer, once typing pauses

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self.placeholder, id="answer-input", compact=True)
        yield Static("", id="answer-preview")

    @property
    def value(self) -> str:
        return self.query_one(Input).value

    def focus_input(self) -> None:
        self.query_one(Input).focus()

    def set_enabled(self, enabled: bool) -> None:
        self.query_one(Input).disabled = not enabled

    def refuse(self, message: str) -> None:
        """Show why the submitted answer was refused (the preview's own "can't read …" line)."""
        preview = self.query_one("#answer-preview", Static)
        preview.update(message)
        preview.add_class("bad")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        """Keep the preview up to date: at once for a short answer, once typing pauses for a long one
        (reading a 2,000-character matrix takes milliseconds; a paste arrives one key at a time)."""
        event.stop()
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        if len(event.value) <= QUICK_CHARS:
            self._preview(event.value)
        else:
            self._pending = self.set_timer(PREVIEW_DELAY_S, self._preview_now)

    def _preview_now(self) -> None:
        self._pending = None
        self._preview(self.value)

    def _preview(self, text: str) -> None:
        preview = self.query_one("#answer-preview", Static)
        if not text.strip() or self.kind is None:  # no kind: free text, nothing to preview
            preview.update("")
            preview.remove_class("bad")
            return
        from quizforge.grading.preview import read

        line, readable = read(text, self.kind, self.lang)
        preview.update(line)
        preview.set_class(not readable, "bad")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Submitted(event.value))
