"""Choose a quiz from the dashboard: topic (or a whole area), kind of question (e.g. only coding drills),
difficulty and number of questions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from quizforge.bank.schema import Bank
from quizforge.i18n import t
from quizforge.study.focus import area_label, area_prefixes
from quizforge.text import Lang


@dataclass(frozen=True)
class QuizChoice:
    topics: tuple[str, ...]
    difficulty: int | None
    count: int
    kinds: tuple[str, ...] = ()  # empty: every kind


class QuizSetupScreen(ModalScreen[QuizChoice | None]):
    CSS_PATH = "dialogs.tcss"  # its styles, read when it first opens (quizforge.tcss: the first frame's)
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", t("action.cancel", Lang.EN))]

    def __init__(self, bank: Bank, lang: str) -> None:
        super().__init__()
        self.bank = bank
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        options = [(area_label(prefix, lang), prefix) for prefix in area_prefixes(self.bank)]
        options += [(f"{tid} · {self.bank.topic_name(tid, lang)}", tid) for tid in self.bank.topics]
        with Vertical(id="confirm-box"):
            yield Static(t("action.quiz", lang), classes="title")
            yield Label(t("browse.topic", lang))
            yield Select(options, prompt=t("browse.all_topics", lang), id="quiz-topic")
            kinds = sorted({q.kind for q in self.bank})
            with Horizontal(id="quiz-kind-difficulty"):
                with Vertical():
                    yield Label(t("browse.kind", lang))
                    yield Select(
                        [(t(f"kind.{k}", lang), k) for k in kinds], prompt=t("browse.all_kinds", lang), id="quiz-kind"
                    )
                with Vertical():
                    yield Label(t("browse.difficulty", lang))
                    yield Select(
                        [(str(d), d) for d in range(1, 6)], prompt=t("quiz.any_difficulty", lang), id="quiz-difficulty"
                    )
            yield Label(t("quiz.count", lang))
            yield Input("10", id="quiz-count", type="integer")
            yield Static(id="quiz-error", classes="muted")
            with Horizontal(id="confirm-buttons"):
                yield Button(t("action.start", lang), id="start", variant="primary")
                yield Button(t("action.cancel", lang), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#quiz-topic", Select).focus()

    @on(Button.Pressed, "#start")
    @on(Input.Submitted)
    def _start(self) -> None:
        text = self.query_one("#quiz-count", Input).value.strip()
        if not text.isdigit() or not 1 <= int(text) <= 200:
            self.query_one("#quiz-error", Static).update(t("quiz.count_range", self.lang))
            return
        topic = self.query_one("#quiz-topic", Select).value
        difficulty = self.query_one("#quiz-difficulty", Select).value
        kind = self.query_one("#quiz-kind", Select).value
        self.dismiss(
            QuizChoice(
                topics=(topic,) if isinstance(topic, str) else (),
                difficulty=difficulty if isinstance(difficulty, int) else None,
                count=int(text),
                kinds=(kind,) if isinstance(kind, str) else (),
            )
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
