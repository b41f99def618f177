"""A yes/no question that returns its answer through ``dismiss`` (``ModalScreen[bool]``)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from quizforge.i18n import t


class ConfirmDialog(ModalScreen[bool]):
    """Asks ``question``; ``y``/Enter on Yes dismiss with ``True``, ``n``/Escape with ``False``."""

    CSS_PATH = "dialogs.tcss"  # its styles, read when it first opens (quizforge.tcss: the first frame's)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", show=False),
        Binding("n,escape", "answer(False)", show=False),
    ]

    def __init__(self, question: str, lang: str) -> None:
        super().__init__()
        self.question = question
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.question)
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{t('action.yes', self.lang)} (y)", id="yes", variant="warning")
                yield Button(f"{t('action.no', self.lang)} (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
