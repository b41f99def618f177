"""The Textual application. ``make_app`` is the one factory the CLI and the tests use."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from quizforge.bank.schema import Bank
from quizforge.text import Text

_WELCOME = Text(
    "quizforge — {n} questions in {t} topics.\n\nThe study screens arrive with the next release; "
    "meanwhile try `quizforge list`, `quizforge generate --list` and `quizforge validate`.",
    "quizforge — 共 {n} 道题，{t} 个主题。\n\n学习界面将在下一个版本提供；"
    "现在可以试试 `quizforge list`、`quizforge generate --list` 和 `quizforge validate`。",
)


class QuizforgeApp(App[None]):
    TITLE = "quizforge"
    BINDINGS: ClassVar = [Binding("q", "quit", "Quit")]

    def __init__(self, data_dir: Path | None, bank: Bank, lang: str) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.bank = bank
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield Header()
        topics = len({q.topic for q in self.bank})
        yield Static(_WELCOME.get(self.lang).format(n=len(self.bank), t=topics), id="welcome")
        yield Footer()


def make_app(data_dir: str | Path | None, bank: Bank, lang: str) -> QuizforgeApp:
    return QuizforgeApp(Path(data_dir) if data_dir else None, bank, lang)
