"""Choose a mock interview: how many questions, how long, which topics (or "my weakest"), a coding
question or not, and the language. The dialog opens with the last choice, which is saved as settings
(``mock_*`` and ``language``: ``setting`` events that export and sync carry)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from quizforge.bank.schema import Bank
from quizforge.i18n import t
from quizforge.store import Settings
from quizforge.text import Lang

if TYPE_CHECKING:
    from quizforge.tui.app import QuizforgeApp

WEAKEST = "*weakest*"  # the topic selector's "my weakest topics" (no topic id has an asterisk)
LANG_OPTIONS = [("English", "en"), ("中文", "zh")]  # each language under its own name
QUESTIONS = (1, 50)
MINUTES = (1, 600)


@dataclass(frozen=True)
class MockChoice:
    """What the dialog returns: the interview's options."""

    questions: int
    minutes: int
    topics: tuple[str, ...]
    weakest: bool
    code: bool
    lang: str

    @classmethod
    def from_settings(cls, settings: Settings, lang: str) -> MockChoice:
        return cls(
            settings.mock_questions,
            settings.mock_minutes,
            settings.mock_topics,
            settings.mock_weakest,
            settings.mock_code,
            lang,
        )


def topic_options(bank: Bank, lang: str) -> list[tuple[str, str]]:
    """The topic selector's options: my weakest, every area, every topic (label, value)."""
    areas: dict[str, str] = {}
    for tid, topic in bank.topics.items():
        areas.setdefault(tid.split(".")[0], topic.area)
    options = [(t("mock_setup.weakest", lang), WEAKEST)]
    options += [(f"{t('quiz.area', lang)}: {prefix}.*", prefix) for prefix in areas]
    options += [(f"{tid} · {bank.topic_name(tid, lang)}", tid) for tid in bank.topics]
    return options


class MockSetupScreen(ModalScreen[MockChoice | None]):
    """The mock interview dialog; dismisses with a :class:`MockChoice`, or ``None`` when cancelled."""

    CSS_PATH = "mock.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", t("action.cancel", Lang.EN))]

    def __init__(self, bank: Bank, last: MockChoice) -> None:
        super().__init__()
        self.bank = bank
        self.last = last

    @property
    def lang(self) -> str:
        return self.last.lang

    def compose(self) -> ComposeResult:
        lang, last = self.lang, self.last
        options = topic_options(self.bank, lang)
        values = {v for _, v in options}
        chosen = WEAKEST if last.weakest else last.topics[0] if last.topics and last.topics[0] in values else None
        with Vertical(id="mock-setup"):
            yield Static(t("action.mock", lang), classes="title")
            with Horizontal(classes="mock-setup-row"):
                yield Label(t("mock_setup.questions", lang))
                yield Input(str(last.questions), id="mock-questions", type="integer", compact=True)
                yield Label(t("mock_setup.minutes", lang))
                yield Input(str(last.minutes), id="mock-minutes", type="integer", compact=True)
            yield Label(t("mock_setup.topics", lang))
            yield Select(
                options,
                prompt=t("browse.all_topics", lang),
                value=chosen if chosen is not None else Select.NULL,
                id="mock-topic",
                compact=True,
            )
            yield Checkbox(t("mock_setup.code", lang), last.code, id="mock-code", compact=True)
            with Horizontal(classes="mock-setup-row"):
                yield Label(t("settings.language", lang))
                yield Select(LANG_OPTIONS, value=lang, allow_blank=False, id="mock-lang", compact=True)
            yield Static(id="mock-setup-error", classes="muted")
            with Horizontal(id="mock-setup-buttons"):
                yield Button(t("action.start", lang), id="start", variant="primary", compact=True)
                yield Button(t("action.cancel", lang), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#mock-questions", Input).focus()

    def _number(self, widget_id: str, bounds: tuple[int, int], key: str) -> int | None:
        text = self.query_one(widget_id, Input).value.strip()
        lo, hi = bounds
        if text.isdigit() and lo <= int(text) <= hi:
            return int(text)
        self.query_one("#mock-setup-error", Static).update(t(key, self.lang, lo=lo, hi=hi))
        return None

    def choice(self) -> MockChoice | None:
        """What the dialog's fields say, or ``None`` (with the problem shown) when a number is out of range."""
        questions = self._number("#mock-questions", QUESTIONS, "mock_setup.questions_range")
        minutes = self._number("#mock-minutes", MINUTES, "mock_setup.minutes_range")
        if questions is None or minutes is None:
            return None
        topic = self.query_one("#mock-topic", Select).value
        lang = self.query_one("#mock-lang", Select).value
        return MockChoice(
            questions=questions,
            minutes=minutes,
            topics=(topic,) if isinstance(topic, str) and topic != WEAKEST else (),
            weakest=topic == WEAKEST,
            code=self.query_one("#mock-code", Checkbox).value,
            lang=lang if isinstance(lang, str) else self.lang,
        )

    @on(Button.Pressed, "#start")
    @on(Input.Submitted)
    def _start(self) -> None:
        choice = self.choice()
        if choice is not None:
            self.dismiss(choice)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def open_mock_setup(app: QuizforgeApp) -> None:
    """Show the dialog with the last choice; on Start, remember the choice and begin the interview."""

    def chosen(choice: MockChoice | None) -> None:
        if choice is None:
            return
        app.settings = app.store.set_settings(
            mock_questions=choice.questions,
            mock_minutes=choice.minutes,
            mock_topics=choice.topics,
            mock_weakest=choice.weakest,
            mock_code=choice.code,
            language=choice.lang,
        )
        if app.lang != choice.lang:
            app.lang = choice.lang
        start_mock(app, choice)

    app.push_screen(MockSetupScreen(app.bank, MockChoice.from_settings(app.settings, app.lang)), chosen)


def start_mock(app: QuizforgeApp, choice: MockChoice, *, seed: int | None = None) -> None:
    """Begin the interview ``choice`` describes (from the dialog, or the command line's flags)."""
    from quizforge.tui.screens.mock import open_mock

    open_mock(
        app,
        minutes=choice.minutes,
        questions=choice.questions,
        topics=list(choice.topics) or None,
        seed=seed,
        weakest=choice.weakest,
        include_code=choice.code,
    )
