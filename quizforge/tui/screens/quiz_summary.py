"""The end of a quiz: score, time taken, and each miss with its solution — ``s`` studies the misses."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from quizforge.i18n import t
from quizforge.text import Lang
from quizforge.tui.screens.base import AppScreen
from quizforge.tui.widgets.key_bar import QUIT_KEY, KeyBar
from quizforge.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from quizforge.study.quiz import QuizSummary

KEYS = [("s", "quiz.study_misses"), ("esc", "action.back"), QUIT_KEY]


def _minutes(seconds: float) -> str:
    m, s = divmod(round(seconds), 60)
    return f"{m}:{s:02d}"


class QuizSummaryScreen(AppScreen[None]):
    CSS_PATH = "study.tcss"  # its styles, read when it first opens (quizforge.tcss: the first frame's)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", t("action.back", Lang.EN)),
        Binding("s", "study_misses", t("quiz.study_misses", Lang.EN)),
    ]

    def __init__(self, summary: QuizSummary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="card-scroll"):
            yield Static(id="quiz-score", classes="title")
            yield Static(id="quiz-misses")
        yield KeyBar(KEYS, self.qf.lang, pinned=2)

    def on_mount(self) -> None:
        self.render_summary()

    async def apply_language(self) -> None:
        self.query_one(KeyBar).show(KEYS, self.qf.lang)
        self.render_summary()

    def render_summary(self) -> None:
        lang = self.qf.lang
        s = self.summary
        self.query_one("#quiz-score", Static).update(
            t("quiz.score", lang, correct=s.correct, asked=s.asked, pct=s.percent, time=_minutes(s.seconds))
        )
        parts: list[RenderableType] = []
        if not s.misses:
            parts.append(RichText(t("quiz.no_misses", lang), style="green"))
        else:
            parts.append(RichText(t("quiz.misses", lang, n=len(s.misses)), style="bold"))
        for i, r in enumerate(s.misses, 1):
            p = r.presented
            parts += [
                RichText(""),
                RichText(f"{i}. {p.prompt.get(lang)}", style="bold"),
                RichText(f"   {t('study.your_answer', lang)}: {r.answer or '—'}", style="red"),
            ]
            from quizforge.numeric.base import Instance

            if isinstance(p.instance, Instance):  # a generated question's (a drill draws only a seed)
                from quizforge.render import format_answer

                expected = format_answer(p.instance, lang)
            else:
                expected = r.expected
            if expected:
                parts.append(RichText(f"   {t('answer.expected', lang)}: {expected}", style="green"))
            if r.model_answer is not None:
                parts.append(RichText(r.model_answer.get(lang), style="dim"))
        self.query_one("#quiz-misses", Static).update(Group(*parts))

    def action_back(self) -> None:
        self.dismiss(None)

    def action_study_misses(self) -> None:
        ids = [r.presented.card_id for r in self.summary.misses]
        if not ids:
            self.notify(t("quiz.no_misses", self.qf.lang))
            return
        self.dismiss(None)
        self.qf.study_cards(ids)
