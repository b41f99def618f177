"""The study screen: one card at a time, for every kind, driven by a ``StudySession`` (or a quiz).

The flow per card: ask → answer (type, pick, or reveal) → verdict with the model answer or worked
solution → rating with the next interval for each choice → saved → next card. The screen only shows
what the session says; grading, scheduling and saving happen in ``quizforge.study``.

Keys: letters pick options (choice cards) or tick key points (revealed concept cards); digits 1–4
rate once an answer is shown (before that, on a choice card, digits pick options too); Enter submits
or accepts the proposed rating (an answer that cannot be read is refused, as its preview says); ``u``
takes back the answer not yet rated, else undoes the last saved one; ``s`` suspends (ctrl+u / ctrl+s work while typing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

from rich.console import Group, RenderableType
from rich.text import Text as RichText
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from quizforge.answer import AnswerKind
from quizforge.i18n import rating_name, t
from quizforge.text import Lang
from quizforge.tui.screens.base import AppScreen
from quizforge.tui.widgets.answer_input import AnswerInput
from quizforge.tui.widgets.answers import answer_widget
from quizforge.tui.widgets.card_part import CardPart
from quizforge.tui.widgets.card_text import (
    LABELS,
    choices_block,
    correct_indices,
    is_multi_select,
    key_points_block,
    option_index,
)
from quizforge.tui.widgets.code import KEYS as CODE_KEYS
from quizforge.tui.widgets.code import CodeAnswer
from quizforge.tui.widgets.key_bar import QUIT_KEY, KeyBar
from quizforge.tui.widgets.rating_bar import RatingBar
from quizforge.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import datetime

    from quizforge.study.session import Presented, Result, Saved
    from quizforge.study.tutoring import Tutor


class CardSession(Protocol):
    """What the screen needs from a session: ``StudySession`` and ``QuizSession`` both provide it."""

    now: Callable[[], datetime]
    lang: str
    tutor: Tutor

    def next_card(self) -> Presented | None: ...
    def submit(self, text: str) -> Result: ...
    def self_grade(self, ticked: Sequence[bool]) -> Result: ...
    def rate(self, rating: int | None = None) -> Saved: ...
    def undo(self) -> Presented | None: ...
    def take_back(self) -> Presented | None: ...
    def suspend(self, card_id: str) -> None: ...
    @property
    def remaining(self) -> int: ...


# the footer's keys while a card is asked, then once it is answered: most useful first, as many as the
# width shows; the last two (leave, quit) always
KEYS = [
    ("⏎", "action.submit"),
    ("␣", "action.reveal"),
    ("a-f", "action.tick"),
    ("u", "action.undo"),
    ("s", "action.suspend"),
    ("?", "action.help"),
    ("esc", "action.back"),
    QUIT_KEY,
]
ANSWERED_KEYS = [
    ("1-4", "action.rate"),
    ("⏎", "action.accept"),
    ("a-f", "action.tick"),
    ("u", "action.undo"),
    ("s", "action.suspend"),
    ("?", "action.help"),
    ("esc", "action.back"),
    QUIT_KEY,
]


class StudyScreen(AppScreen[None]):
    """Study or quiz, one card at a time. Dismisses when the session is over or the user leaves."""

    CSS_PATH = "study.tcss"  # its styles, read when it first opens (quizforge.tcss: the first frame's)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "leave", t("action.back", Lang.EN)),
        Binding("enter", "enter", t("action.submit_accept", Lang.EN), show=False),
        Binding("space", "reveal", t("action.reveal", Lang.EN), show=False),
        Binding("u,ctrl+u", "undo", t("action.undo", Lang.EN)),
        Binding("s,ctrl+s", "suspend", t("action.suspend", Lang.EN)),
        Binding("p", "snippet", t("key.snippet", Lang.EN), show=False),
        Binding("question_mark", "app.help", t("action.help", Lang.EN)),
        Binding("pagedown,down", "scroll(1)", t("action.scroll", Lang.EN), show=False),
        Binding("pageup,up", "scroll(-1)", t("action.scroll", Lang.EN), show=False),
    ]

    def __init__(self, session: CardSession, *, title: str | Callable[[str], str] = "") -> None:
        """``title`` is the session's name, or a function of the language giving it."""
        super().__init__()
        self.session = session
        self.title_text = title
        self.card: Presented | None = None
        self.result: Result | None = None
        self.selected: list[int] = []
        self.ticked: list[bool] = []
        self.reviewed = 0
        self.completed = False  # the session ran out of cards (not left early)

    @property
    def lang(self) -> str:
        return self.qf.lang

    # -- layout ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="study-progress")
        with VerticalScroll(id="card-scroll"):
            yield Static(id="card-prompt")
            yield CardPart(id="card-choices")
            yield CardPart(id="card-hint", classes="muted")
            yield CardPart(id="verdict")
            yield CardPart(id="card-body")
        # under the card, not in its scroll: a long prompt (a matrix card's) never pushes the answer box
        # and its preview out of sight, and the card opens at its first line
        yield AnswerInput(AnswerKind.NUMBER, self.lang, t("study.answer_placeholder", self.lang), id="answer")
        yield CodeAnswer(self.lang, id="code")
        yield RatingBar(self.lang, id="ratings")
        yield KeyBar(KEYS, self.lang, pinned=2)

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)
        self.show_next()

    # -- the card ----------------------------------------------------------------------------------

    def show_next(self, card: Presented | None = None) -> None:
        self.card = card if card is not None else self.session.next_card()
        self.result = None
        self.selected = []
        self.ticked = []
        if self.card is None:
            self.completed = True
            self.finish()
            return
        self.render_card(fresh=True)
        self.query_one("#card-scroll", VerticalScroll).scroll_home(animate=False)  # every card opens at its top

    def render_card(self, *, fresh: bool = False) -> None:
        """Draw the current card in its current state (asked, or answered); ``fresh`` clears the input."""
        card = self.card
        if card is None:
            return
        lang = self.lang
        widget = answer_widget(card)
        self.query_one("#card-prompt", Static).update(self._prompt_text(card))
        answer = self.query_one("#answer", AnswerInput)
        ratings = self.query_one("#ratings", RatingBar)
        typed = widget.typed
        answer.display = typed and self.result is None
        self._show_code(card, widget.code and self.result is None, fresh)
        ratings.display = self.result is not None
        choices = card.choices
        correct: Sequence[int] = ()
        if self.result is not None and widget.options:
            correct = correct_indices(card)
        self.query_one("#card-choices", Static).update(
            choices_block(choices, lang, self.selected, correct) if choices else ""
        )
        hint = self.query_one("#card-hint", Static)
        if self.result is None:
            hint.update(t(widget.hint, lang) if widget.hint else "")
            self.query_one("#verdict", Static).update("")
            self.query_one("#card-body", Static).update("")
            if fresh:  # a hidden input keeps no answer from the last card (Escape would ask to leave)
                answer.query_one("Input").value = ""  # type: ignore[attr-defined]
            if typed and fresh:
                answer.kind = card.answer_kind  # None: free text
                answer.set_enabled(True)
                # the input was hidden until now: focus it once the layout shows it
                self.call_after_refresh(answer.focus_input)
            elif not typed:
                self.set_focus(None)
        else:
            hint.update(t("study.rate_hint", lang, r=rating_name(int(self.result.proposed), lang)))
            self.query_one("#verdict", Static).update(self._verdict())
            self.query_one("#card-body", Static).update(self._body())
            ratings.show({int(k): v for k, v in self.result.intervals.items()}, int(self.result.proposed))
            self.set_focus(None)
        self.query_one(KeyBar).show(self._keys(coding=widget.code and self.result is None), lang)
        self._tick()

    def _keys(self, *, coding: bool) -> list[tuple[str, str]]:
        """The footer's keys for the card's state: the editor's while a drill is asked, then the answer
        keys; once answered the rating keys, with the snippet key beside them (where an 80-column footer
        still shows it) when the card has one."""
        if coding:
            return [*CODE_KEYS, ("esc", "action.back"), QUIT_KEY]
        if self.result is None:
            return KEYS
        return [*ANSWERED_KEYS[:2], ("p", "key.snippet"), *ANSWERED_KEYS[2:]] if self._snippet() else ANSWERED_KEYS

    def _prompt_text(self, card: Presented) -> RichText:
        """The prompt, under the line saying why a re-check is asked."""
        prompt = RichText(card.prompt.get(self.lang))
        why = self.session.tutor.recheck_line(card, self.lang)
        return prompt if why is None else RichText(why + "\n", style="bold yellow") + prompt

    def _snippet(self) -> str | None:
        """The answered generated card's PyTorch snippet (``None``: not answered yet, or none)."""
        card = self.card
        if self.result is None or card is None:
            return None
        code = getattr(card.instance, "torch_code", None)  # a generated instance (another kind draws no snippet)
        return code if isinstance(code, str) else None

    def action_snippet(self) -> None:
        """Show the answered card's PyTorch snippet and run it beside our answer."""
        code = self._snippet()
        if self.card is None or self.result is None:
            return
        if code is None:
            self.notify(t("snippet.none", self.lang))
            return
        from quizforge.render import format_answer
        from quizforge.tui.screens.snippet import SnippetScreen

        inst = self.card.instance
        assert inst is not None  # only a generated instance has a snippet
        self.app.push_screen(SnippetScreen(code, format_answer(inst, self.lang), inst.family, self.lang))

    def _show_code(self, card: Presented, asked: bool, fresh: bool) -> None:
        """The code editor for a drill being asked (its last attempt reopened), hidden otherwise."""
        code = self.query_one("#code", CodeAnswer)
        code.display = asked
        self.set_class(asked, "coding")
        if asked and fresh:
            from quizforge.kinds.implement import last_attempt

            code.show(card, last_attempt(self.qf.store, card.card_id))
            self.call_after_refresh(code.focus_editor)

    @on(CodeAnswer.Submitted)
    def _code_submitted(self, event: CodeAnswer.Submitted) -> None:
        self.answer(event.source)

    def _verdict(self) -> RenderableType:
        r = self.result
        assert r is not None
        lang = self.lang
        if r.correct is None:
            return RichText("")  # a concept card not self-graded yet: the body shows the answer
        if r.correct:
            head = RichText(f"✓ {t('study.correct', lang)}", style="bold green")
        elif r.score:
            head = RichText(f"◐ {t('study.partly', lang)} ({r.score:.0%})", style="bold yellow")
        else:
            head = RichText(f"✗ {t('study.wrong', lang)}", style="bold red")
        parts: list[RenderableType] = [head]
        feedback = r.feedback.removeprefix("✓").strip() if r.correct else r.feedback
        if feedback:
            parts.append(RichText(feedback))
        if r.expected and not r.correct and self.card is not None and self.card.answer_kind in _SHOW_EXPECTED:
            parts.append(RichText(f"{t('answer.expected', lang)}: ", style="bold") + self._expected_text())
        return Group(*parts)

    def _expected_text(self) -> RichText:
        """The expected answer, with the cells the user got wrong highlighted."""
        r = self.result
        assert r is not None and self.card is not None
        card = self.card
        expected = card.expected
        answer: object = expected.value
        tolerance = expected.tolerance
        # a matrix only when every row is a list: the first row alone says nothing of the others
        if isinstance(answer, list) and answer and all(isinstance(row, list) for row in answer):
            from quizforge.grading.preview import format_expected

            wrong = set(r.wrong_cells)
            cells = [[format_expected(float(v), tolerance) for v in row] for row in answer]
            width = max(len(c) for row in cells for c in row)
            out = RichText("\n")
            for i, row in enumerate(cells):
                out.append("    ")
                for j, c in enumerate(row):
                    out.append(c.rjust(width), style="bold red reverse" if (i, j) in wrong else "")
                    out.append("  ")
                out.append("\n")
            return out
        if self.card.instance is not None:
            from quizforge.render import format_answer

            return RichText(format_answer(self.card.instance, self.lang))
        return RichText(r.expected)

    def _body(self) -> RenderableType:
        r = self.result
        assert r is not None and self.card is not None
        lang = self.lang
        parts: list[RenderableType] = []
        if self.card.self_graded:
            # the key points first: they are what the user ticks, and they fit on a small screen
            if r.key_points:
                parts += [
                    RichText(t("study.key_points", lang), style="bold"),
                    key_points_block(r.key_points, lang, self.ticked),
                    RichText(""),
                ]
            if r.model_answer is not None:
                parts += [RichText(t("answer.model_answer", lang), style="bold underline")]
                parts.append(RichText(r.model_answer.get(lang)))
            return Group(*parts)
        if r.model_answer is not None:
            label = self.card.expected.model_label
            parts += [RichText(""), RichText(t(f"answer.{label}", lang), style="bold underline")]
            if self.card.question_kind.answer_is_code:
                from rich.syntax import Syntax

                parts.append(
                    Syntax(
                        r.model_answer.get(lang),
                        "python",
                        theme="ansi_dark",
                        background_color="default",
                        word_wrap=True,
                    )
                )
            else:
                parts.append(RichText(r.model_answer.get(lang)))
        return Group(*parts)

    def _tick(self) -> None:
        card = self.card
        progress = self.query_one("#study-progress", Static)
        if card is None:
            return
        now = self.session.now()
        at = self.result.answered_at if self.result is not None else now
        seconds = max(0, int((at - card.shown_at).total_seconds()))
        topic = self.qf.bank.topic_name(card.question.topic, self.lang)
        title = self.title_text
        parts = [  # the topic last: a long name is what gets cut at 80 columns
            title if isinstance(title, str) else title(self.lang),
            # the card on screen is one of those left until it is rated: a card failed and due again
            # today stays "left" instead of growing a total under the user
            t("study.progress", self.lang, done=self.reviewed, left=self.session.remaining + 1),
            t("study.time_on_card", self.lang, s=seconds),
            topic,
        ]
        progress.update(RichText(" · ".join(p for p in parts if p)))

    async def apply_language(self) -> None:
        """Switch the labels and the card to the app's language, keeping any typed answer."""
        lang = self.lang
        self.session.lang = lang
        answer = self.query_one("#answer", AnswerInput)
        answer.lang = lang
        answer.query_one("Input").placeholder = t("study.answer_placeholder", lang)  # type: ignore[attr-defined]
        self.query_one("#ratings", RatingBar).lang = lang
        self.query_one("#code", CodeAnswer).refresh_language(lang)
        if self.result is not None:
            self.result = self._feedback_in(self.result, lang)
        self.render_card()

    def _feedback_in(self, result: Result, lang: str) -> Result:
        """``result`` with its feedback said in ``lang`` (the verdict itself does not change)."""
        card = self.card
        assert card is not None
        if card.self_graded:
            return self.session.self_grade(self.ticked) if any(self.ticked) else result
        from dataclasses import replace

        from quizforge.study.answering import grade_answer

        verdict = grade_answer(card, result.answer, result.answered_at, lang).verdict
        return result if verdict is None else replace(result, feedback=verdict.feedback)

    # -- input -------------------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        card = self.card
        if card is None or isinstance(self.focused, _TEXT_INPUTS):
            return
        key = event.key
        widget = answer_widget(card)
        if self.result is None and widget.options:
            index = option_index(key, len(card.choices))
            if index is not None:
                event.stop()
                self._toggle_option(index)
            return
        if self.result is not None:
            if key in ("1", "2", "3", "4"):
                event.stop()
                self.save(int(key))
            elif widget.reveal and len(key) == 1 and key in LABELS[: len(self.ticked)]:
                event.stop()
                self._toggle_key_point(LABELS.index(key))

    def _toggle_option(self, index: int) -> None:
        card = self.card
        assert card is not None
        if is_multi_select(card):
            if index in self.selected:
                self.selected.remove(index)
            else:
                self.selected.append(index)
        else:
            self.selected = [index]
        self.render_card()

    def _toggle_key_point(self, index: int) -> None:
        self.ticked[index] = not self.ticked[index]
        self.result = self.session.self_grade(self.ticked)
        self.render_card()

    @on(AnswerInput.Submitted)
    def _typed(self, event: AnswerInput.Submitted) -> None:
        if self.card is not None and self.result is None:
            self.answer(event.text)

    def answer(self, text: str) -> None:
        card = self.card
        if card is None or self.result is not None:
            return
        from quizforge.study.session import UnreadableAnswer

        try:
            self.result = self.session.submit(text)
        except UnreadableAnswer as refused:
            self.query_one("#answer", AnswerInput).refuse(refused.message)
            return
        if card.self_graded:
            self.ticked = [False] * len(self.result.key_points)
        self.query_one("#answer", AnswerInput).set_enabled(False)
        self.render_card()
        self.call_after_refresh(self._show_verdict)

    def _show_verdict(self, tries: int = 3) -> None:
        """Bring the whole verdict into sight, scrolling the card no further than that (its prompt is
        ↑ away, the worked solution ↓); a concept card's reveal stays at the card's top."""
        scroll = self.query_one("#card-scroll", VerticalScroll)
        verdict = self.query_one("#verdict", Static)
        if not verdict.display:
            scroll.scroll_home(animate=False)
            return
        if not verdict.virtual_region.height and tries:  # shown but not laid out yet
            self.call_after_refresh(self._show_verdict, tries - 1)
            return
        scroll.scroll_home(animate=False, immediate=True)
        scroll.scroll_to_widget(verdict, animate=False, immediate=True)

    def save(self, rating: int | None) -> None:
        if self.result is None:
            return
        saved = self.session.rate(rating)
        self.reviewed += 1
        if saved.became_leech:
            self.notify(t("study.suspended_card", self.lang), severity="warning")
        self.show_next()

    def action_enter(self) -> None:
        card = self.card
        if card is None:
            return
        widget = answer_widget(card)
        if self.result is not None:
            self.save(None)
        elif widget.reveal:
            self.answer("")
        elif widget.options and self.selected:
            self.answer(",".join(LABELS[i] for i in sorted(self.selected)))

    def action_scroll(self, direction: int) -> None:
        """Scroll the card (the answer and solution can be longer than a small terminal)."""
        scroll = self.query_one("#card-scroll", VerticalScroll)
        scroll.scroll_relative(y=direction * max(1, scroll.size.height - 2), animate=False)

    def action_reveal(self) -> None:
        if self.card is not None and answer_widget(self.card).reveal and self.result is None:
            self.answer("")

    def action_undo(self) -> None:
        if isinstance(self.focused, _TEXT_INPUTS) and self.focused.value:  # type: ignore[union-attr]
            return  # typing "u" into an answer is not an undo
        if self.result is not None:
            current = self.session.take_back()
            if current is not None:
                self.notify(t("study.taken_back", self.lang))
                self.show_next(current)
                return
        previous = self.session.undo()
        if previous is None:
            self.notify(t("study.nothing_to_undo", self.lang))
            return
        self.reviewed = max(0, self.reviewed - 1)
        self.notify(t("study.undone", self.lang))
        self.show_next(previous)

    def action_suspend(self) -> None:
        if self.card is None:
            return
        self.session.suspend(self.card.card_id)
        self.notify(t("study.suspended_card", self.lang))
        self.show_next()

    def in_progress(self) -> bool:
        """An answer typed, picked or shown but not yet saved."""
        if self.card is None:
            return False
        if self.result is not None:
            return True
        code = self.query_one("#code", CodeAnswer)
        return (
            bool(self.selected)
            or bool(self.query_one("#answer", AnswerInput).value.strip())
            or (code.display and code.changed)
        )

    def action_leave(self) -> None:
        if not self.in_progress():
            self.finish()
            return
        from quizforge.tui.screens.confirm import ConfirmDialog

        def chosen(leave: bool | None) -> None:
            if leave:
                self.finish()

        self.app.push_screen(ConfirmDialog(t("study.leave_question", self.lang), self.lang), chosen)

    def finish(self) -> None:
        """Leave the screen (the app shows what comes next, e.g. the quiz summary)."""
        self.dismiss(None)


def _text_inputs() -> tuple[type, ...]:
    from textual.widgets import Input, TextArea

    return (Input, TextArea)


_TEXT_INPUTS = _text_inputs()


# kinds whose expected answer is worth showing beside the feedback (a number's is in the feedback itself)
_SHOW_EXPECTED = (AnswerKind.MATRIX, AnswerKind.VECTOR, AnswerKind.SHAPE)
