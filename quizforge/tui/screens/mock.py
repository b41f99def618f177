"""The mock interview screen: one question at a time under a countdown, no verdicts until the scorecard.

After each answer the interview decides whether the next question is a follow-up (a line above its
prompt says the interviewer digs deeper, or names the mistake a re-check is about).

Concept questions are answered in a multi-line text area (Enter is a new line, ctrl+s submits);
numeric and generated ones in the study screen's answer box; choices with letter keys. F2 or ctrl+n
passes. Escape asks before abandoning. When the time is up, whatever is typed is kept as the answer
and the scorecard opens. The interview itself (selection, timing, scoring) is
:class:`quizforge.study.mock.MockInterview`; this screen only shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text as RichText
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Static, TextArea

from quizforge.answer import AnswerKind
from quizforge.i18n import t
from quizforge.text import Lang
from quizforge.tui.screens.base import AppScreen
from quizforge.tui.widgets.answer_input import AnswerInput
from quizforge.tui.widgets.answers import answer_widget
from quizforge.tui.widgets.card_text import LABELS, choices_block, is_multi_select, option_index
from quizforge.tui.widgets.clock import clock
from quizforge.tui.widgets.code import KEYS as CODE_KEYS
from quizforge.tui.widgets.code import CodeAnswer
from quizforge.tui.widgets.key_bar import KeyBar
from quizforge.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from quizforge.study.mock import MockInterview
    from quizforge.study.session import Presented
    from quizforge.tui.app import QuizforgeApp

KEYS = [("ctrl+s", "mock.submit_key"), ("F2", "mock.pass_key"), ("esc", "mock.abandon")]
CHOICE_KEYS = [("a-f", "mock.choose"), ("⏎", "mock.submit_key"), ("F2", "mock.pass_key"), ("esc", "mock.abandon")]
WARN_AT_MINUTES = (1, 5)  # an interviewer's "a few minutes left", said once each


def open_mock(
    app: QuizforgeApp,
    *,
    minutes: float = 30,
    questions: int = 8,
    topics: Sequence[str] | None = None,
    seed: int | None = None,
    weakest: bool = False,
    include_code: bool = False,
) -> None:
    """Build a mock interview from the app's store and bank and push its screen.

    Args:
        app: The running app (its store, bank, clock and random source are used).
        minutes: The whole interview's time.
        questions: How many main questions (follow-ups come on top when the time allows).
        topics: Only these topics (ids or area prefixes).
        seed: Makes the draw reproducible; ``None`` draws it from the app's random source.
        weakest: Only the user's weakest topics.
        include_code: End with a coding question.
    """
    import random

    from quizforge.study.mock import MockInterview

    rng = random.Random(seed if seed is not None else app.rng.randrange(2**63))
    interview = MockInterview(
        app.store,
        app.bank,
        minutes=minutes,
        questions=questions,
        topics=topics,
        seed=seed,
        now=app.now,
        rng=rng,
        weakest=weakest,
        include_code=include_code,
    )
    if not interview.plan:
        app.notify(t("mock.nothing_to_ask", app.lang), severity="warning")
        return
    app.push_screen(MockScreen(interview))


class MockScreen(AppScreen[None]):
    """Asks the interview's questions; switches to the scorecard at the end or on time-out."""

    CSS_PATH: ClassVar[list[str | PurePath]] = ["study.tcss", "mock.tcss"]  # a question is answered as in study
    BINDINGS: ClassVar[list[BindingType]] = [
        # not priority bindings: keys typed before them must reach the text area first
        Binding("ctrl+s", "submit", t("mock.submit_key", Lang.EN)),
        Binding("f2,ctrl+n", "pass", t("mock.pass_key", Lang.EN)),
        Binding("escape", "abandon", t("mock.abandon", Lang.EN)),
        Binding("enter", "enter", t("mock.submit_key", Lang.EN), show=False),
    ]

    def __init__(self, interview: MockInterview) -> None:
        super().__init__()
        self.interview = interview
        self.selected: list[int] = []
        self._ended = False
        self._warned: set[int] = set()  # minutes-left warnings already given

    @property
    def lang(self) -> str:
        return self.qf.lang

    @property
    def card(self) -> Presented | None:
        return self.interview.current

    # -- layout ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield TitleBar()
        yield Static(id="mock-status")
        with VerticalScroll(id="mock-scroll"):
            yield Static(id="mock-why", classes="muted")
            yield Static(id="mock-prompt")
            yield Static(id="mock-choices")
            yield Static(id="mock-hint", classes="muted")
        yield TextArea(id="mock-text", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        yield AnswerInput(AnswerKind.NUMBER, lang, t("study.answer_placeholder", lang), id="mock-answer")
        yield CodeAnswer(lang, id="mock-code-editor")
        with Horizontal(id="mock-buttons"):
            yield Button(f"{t('mock.submit_key', lang)} (ctrl+s)", id="mock-submit", variant="primary", compact=True)
            yield Button(f"{t('mock.pass_key', lang)} (F2)", id="mock-pass", compact=True)
        yield KeyBar(KEYS, lang)

    def on_mount(self) -> None:
        self.title = t("mock.title", self.lang)
        self.interview.start()
        self.set_interval(1.0, self.tick)
        self.show_question()

    def on_screen_resume(self) -> None:
        if self.interview.started_at is not None:  # back from the abandon dialog
            self.tick()

    # -- the question ------------------------------------------------------------------------------

    def show_question(self) -> None:
        """Draw the current question with an empty answer; end the interview when there is none."""
        card = self.card
        if card is None or self.interview.expired:
            self.end()
            return
        self.selected = []
        text = self.query_one("#mock-text", TextArea)
        answer = self.query_one("#mock-answer", AnswerInput)
        text.text = ""
        answer.query_one(Input).value = ""
        self.render_question()
        self.query_one("#mock-scroll", VerticalScroll).scroll_home(animate=False)
        widget = answer_widget(card)
        if widget.code:  # a coding question: the drill's editor, with the last attempt
            from quizforge.kinds.implement import last_attempt

            code = self.query_one("#mock-code-editor", CodeAnswer)
            code.show(card, last_attempt(self.qf.store, card.card_id))
            self.call_after_refresh(code.focus_editor)
        elif widget.reveal:
            text.focus()  # a free answer, written out as to an interviewer
        elif widget.options:
            self.set_focus(None)
        else:
            answer.kind = card.answer_kind  # None: free text
            answer.focus_input()

    def render_question(self) -> None:
        card = self.card
        if card is None:
            return
        lang = self.lang
        widget = answer_widget(card)
        concept, choice = widget.reveal, widget.options
        self.query_one("#mock-prompt", Static).update(RichText(card.prompt.get(lang)))
        self.query_one("#mock-choices", Static).update(
            choices_block(card.choices, lang, self.selected) if card.choices else ""
        )
        hint = widget.mock_hint or widget.hint  # typed answers: none, the answer box's placeholder says it
        lines = [t(hint, lang)] if hint else []
        self.query_one("#mock-hint", Static).update(RichText("\n".join([*lines, t("mock.no_verdicts", lang)])))
        why = self._why()
        self.query_one("#mock-why", Static).update(why)
        self.query_one("#mock-why", Static).display = bool(why.plain)
        self.query_one("#mock-text", TextArea).display = concept
        self.query_one("#mock-answer", AnswerInput).display = not concept and not choice and not widget.code
        self.query_one("#mock-code-editor", CodeAnswer).display = widget.code
        self.set_class(widget.code, "coding")
        code_keys = [*CODE_KEYS, ("F2", "mock.pass_key"), ("esc", "mock.abandon")]
        self.query_one(KeyBar).show(CHOICE_KEYS if choice else code_keys if widget.code else KEYS, lang)
        self.tick()

    def _why(self) -> RichText:
        """The interviewer's line before a follow-up: the re-check names the mistake, the rest dig deeper."""
        follow_up = self.interview.current_follow_up
        if follow_up is None:
            return RichText("")
        lang = self.lang
        if follow_up.mistake is not None:
            return RichText(t("mock.recheck", lang, mistake=follow_up.mistake.get(lang)), style="italic")
        return RichText(t("mock.dig_deeper", lang), style="italic")

    def tick(self) -> None:
        """Refresh the countdowns from the app's clock; end the interview when the time is up."""
        if self._ended:
            return
        interview = self.interview
        if interview.expired:
            if self.app.screen is self:  # with the abandon dialog open, end once it closes (on_screen_resume)
                self.time_up()
            return
        lang = self.lang
        left = RichText(t("mock.question_of", lang, i=interview.index + 1, n=interview.total), style="bold")
        card = self.card
        if card is not None:
            if interview.current_depth:
                left.append(f" · ↳ {t('mock.follow_up', lang)}", style="italic")
            left.append(" · " + self.qf.bank.topic_name(card.question.topic, lang))
        seconds_left = interview.time_left.total_seconds()
        for minutes in WARN_AT_MINUTES:
            if seconds_left <= minutes * 60 < interview.minutes * 60 and minutes not in self._warned:
                self._warned.update(m for m in WARN_AT_MINUTES if m >= minutes)
                self.notify(t("mock.minutes_left", lang, n=minutes), timeout=4)
        right = RichText(
            t("mock.time_left", lang, t=clock(seconds_left)), style="bold red" if seconds_left < 120 else "bold"
        )
        right.append(" · " + t("mock.on_question", lang, t=clock(interview.time_on_question().total_seconds())))
        grid = Table.grid(expand=True, padding=(0, 0, 0, 2))
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(left, right)
        self.query_one("#mock-status", Static).update(grid)

    async def apply_language(self) -> None:
        lang = self.lang
        self.title = t("mock.title", lang)
        answer = self.query_one("#mock-answer", AnswerInput)
        answer.lang = lang
        answer.query_one(Input).placeholder = t("study.answer_placeholder", lang)
        self.query_one("#mock-submit", Button).label = f"{t('mock.submit_key', lang)} (ctrl+s)"
        self.query_one("#mock-pass", Button).label = f"{t('mock.pass_key', lang)} (F2)"
        self.render_question()

    # -- answering ---------------------------------------------------------------------------------

    def draft(self) -> str:
        """What the user has typed or picked for the current question so far."""
        card = self.card
        if card is None:
            return ""
        widget = answer_widget(card)
        if widget.reveal:
            return self.query_one("#mock-text", TextArea).text
        if widget.options:
            return ",".join(LABELS[i] for i in sorted(self.selected))
        if widget.code:
            return self.query_one("#mock-code-editor", CodeAnswer).source
        return self.query_one("#mock-answer", AnswerInput).value

    def action_submit(self) -> None:
        if self.card is None or self._ended:
            return
        if answer_widget(self.card).code:  # judged in the editor's worker first, then handed in
            self.query_one("#mock-code-editor", CodeAnswer).action_submit()
            return
        text = self.draft()
        if not text.strip():
            self.notify(t("mock.empty_answer", self.lang), timeout=3)
            return
        self.interview.answer(text)
        self.show_question()

    def action_pass(self) -> None:
        if self.card is None or self._ended:
            return
        self.interview.pass_()
        self.show_question()

    def action_enter(self) -> None:
        card = self.card
        if card is not None and answer_widget(card).options and self.selected:
            self.action_submit()

    @on(CodeAnswer.Submitted)
    def _code_submitted(self, event: CodeAnswer.Submitted) -> None:
        event.stop()
        if self.card is not None and not self._ended:
            self.interview.answer(event.source)
            self.show_question()

    @on(AnswerInput.Submitted)
    def _typed(self, event: AnswerInput.Submitted) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#mock-submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#mock-pass")
    def _pass_pressed(self) -> None:
        self.action_pass()

    def on_key(self, event: events.Key) -> None:
        card = self.card
        if card is None or not answer_widget(card).options or isinstance(self.focused, (Input, TextArea)):
            return
        index = option_index(event.key, len(card.choices))
        if index is None:
            return
        event.stop()
        if is_multi_select(card):
            if index in self.selected:
                self.selected.remove(index)
            else:
                self.selected.append(index)
        else:
            self.selected = [index]
        self.render_question()

    # -- ending ------------------------------------------------------------------------------------

    def time_up(self) -> None:
        """The time ran out: keep what is typed as the answer and show the scorecard."""
        if self._ended:
            return
        text = self.draft()
        if self.card is not None and text.strip():
            self.interview.answer(text)
        self.notify(t("mock.time_up", self.lang), severity="warning")
        self.end()

    def end(self) -> None:
        """Grade the interview and replace this screen with the scorecard."""
        if self._ended:
            return
        self._ended = True
        from quizforge.tui.screens.scorecard import ScorecardScreen

        self.interview.finish()
        self.app.switch_screen(ScorecardScreen(self.interview))

    def action_abandon(self) -> None:
        from quizforge.tui.screens.confirm import ConfirmDialog

        def chosen(leave: bool | None) -> None:
            if leave:
                self._ended = True
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog(t("mock.abandon_question", self.lang), self.lang), chosen)
