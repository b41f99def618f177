"""The mock interview's scorecard: every answer beside the model answer, key points to tick, the totals.

The interview is saved when the scorecard opens, and saved again (with the user's ticks) when it is
left; :meth:`quizforge.study.mock.MockInterview.save` makes that idempotent. ``t`` starts a study
session on the three weakest topics of the interview.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text as RichText
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, Static

from quizforge.i18n import t
from quizforge.study.mock import ScoredAnswer, Status
from quizforge.text import Lang
from quizforge.tui.screens.base import AppScreen
from quizforge.tui.widgets.card_text import LABELS
from quizforge.tui.widgets.clock import clock
from quizforge.tui.widgets.key_bar import QUIT_KEY, KeyBar
from quizforge.tui.widgets.mock_keypoint import KeyPointToggle

if TYPE_CHECKING:
    from quizforge.study.mock import MockInterview, Scorecard

KEYS = [
    ("↑↓", "scorecard.move"),
    ("␣ a-f", "scorecard.toggle"),
    ("t", "scorecard.study_topics"),
    ("esc", "action.back"),
    QUIT_KEY,
]
BAR_WIDTH = 12


class ScorecardScreen(AppScreen[None]):
    CSS_PATH = "mock.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]  # noqa: RUF012 (typed so by Textual)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "leave", t("action.back", Lang.EN)),
        # priority: the focused scroll container would otherwise take the arrows
        Binding("down,j", "move(1)", t("scorecard.next_point", Lang.EN), show=False, priority=True),
        Binding("up,k", "move(-1)", t("scorecard.previous_point", Lang.EN), show=False, priority=True),
        Binding("pagedown", "page(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("t", "study_next", t("scorecard.study_topics", Lang.EN)),
    ]

    def __init__(self, interview: MockInterview) -> None:
        super().__init__()
        self.interview = interview
        self.scorecard: Scorecard = interview.finish()

    @property
    def lang(self) -> str:
        return self.qf.lang

    # -- layout ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Header()
        with VerticalScroll(id="score-scroll"):
            yield Static(id="score-summary")
            yield Static(id="score-topics")
            for item in self.scorecard.items:
                with Vertical(classes="score-item", id=f"score-item-{item.index}"):
                    yield Static(self._head(item), classes="score-head", id=f"score-head-{item.index}")
                    yield Static(RichText(item.prompt.get(lang) or "…"), classes="score-prompt")
                    if item.status == Status.NOT_REACHED:
                        continue
                    with Horizontal(classes="score-pair"):
                        yield Static(self._yours(item), classes="score-yours")
                        yield Static(self._model(item), classes="score-model")
                    if item.is_concept and item.key_points:
                        yield Static(self._points_title(item), classes="score-points-title")
                        for k, kp in enumerate(item.key_points):
                            if item.status == Status.ANSWERED:
                                hit = item.hits[k]
                                note = t("scorecard.suggested", lang, kw=hit) if hit is not None else ""
                                yield KeyPointToggle(item.index, k, kp.text.get(lang), item.ticks[k], note)
                            else:
                                yield Static(RichText(f"    {LABELS[k]}) {kp.text.get(lang)}"), classes="muted")
        yield KeyBar(KEYS, lang, pinned=2)

    def on_mount(self) -> None:
        self._label()
        self.save()
        self.query_one("#score-scroll", VerticalScroll).focus()

    async def apply_language(self) -> None:
        await self.recompose()
        self._label()

    def _label(self) -> None:
        """Title and totals in the current language."""
        self.title = f"{t('mock.title', self.lang)} · {t('scorecard.title', self.lang)}"
        self.refresh_totals()

    def refresh_totals(self) -> None:
        self.query_one("#score-summary", Static).update(self._summary())
        self.query_one("#score-topics", Static).update(self._topics())
        for item in self.scorecard.items:
            self.query_one(f"#score-head-{item.index}", Static).update(self._head(item))

    # -- rendering ---------------------------------------------------------------------------------

    def _summary(self) -> RenderableType:
        lang = self.lang
        card = self.scorecard
        passed = sum(1 for i in card.items if i.status == Status.PASSED)
        limit = clock(self.interview.minutes * 60)
        score = round(card.total)
        style = "bold green" if score >= 80 else "bold yellow" if score >= 50 else "bold red"
        parts: list[RenderableType] = [
            RichText(t("scorecard.total", lang, s=score), style=style),
            RichText(
                t(
                    "scorecard.answered_of",
                    lang,
                    a=card.answered,
                    n=len(card.items),
                    p=passed,
                    m=clock(card.seconds),
                    limit=limit,
                )
            ),
        ]
        nexts = card.study_next
        line = RichText(t("scorecard.study_next", lang), style="bold")
        if nexts:
            line.append(" · ".join(self.qf.bank.topic_name(tid, lang) for tid in nexts))
            line.append("  " + t("scorecard.study_next_key", lang), style="dim")
        else:
            line = RichText(t("scorecard.all_perfect", lang))
        parts.append(line)
        return Group(*parts)

    def _topics(self) -> RenderableType:
        lang = self.lang
        table = Table(box=None, show_header=False, pad_edge=False, expand=True, title_justify="left")
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(width=BAR_WIDTH, no_wrap=True)
        table.add_column(justify="right", width=4, no_wrap=True)
        for tid, score in self.scorecard.by_topic.items():
            table.add_row(RichText(self.qf.bank.topic_name(tid, lang)), _bar(score / 100.0), f"{score:.0f}")
        return Group(RichText(t("scorecard.by_topic", lang), style="bold underline"), table)

    def _head(self, item: ScoredAnswer) -> RenderableType:
        lang = self.lang
        left = RichText(f"{item.index + 1}. ", style="bold")
        if item.depth:
            left.append(f"↳ {t('mock.follow_up', lang)} · ", style="italic")
        left.append(self.qf.bank.topic_name(item.topic, lang))
        right = RichText(t(f"kind.{item.kind}", lang), style="dim")
        if item.status != Status.NOT_REACHED:
            right.append(f" · {clock(item.seconds)}", style="dim")
        right.append("  ")
        right.append_text(_mark(item, lang))
        grid = Table.grid(expand=True, padding=(0, 0, 0, 2))
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(left, right)
        return grid

    def _points_title(self, item: ScoredAnswer) -> RenderableType:
        return RichText(t("scorecard.key_points_check", self.lang), style="bold")

    def _yours(self, item: ScoredAnswer) -> RenderableType:
        lang = self.lang
        parts: list[RenderableType] = [RichText(t("scorecard.your_answer", lang), style="bold underline")]
        if item.status == Status.PASSED:
            parts.append(RichText(t("scorecard.passed", lang), style="italic"))
        elif item.status == Status.TIMED_OUT:
            parts.append(RichText(t("scorecard.timed_out", lang), style="italic"))
        elif item.choices:
            parts.append(RichText(_choice_text(item, item.answer, lang) or item.answer))
        else:
            parts.append(RichText(item.answer.strip() or t("scorecard.no_answer", lang)))
        if item.status == Status.ANSWERED and not item.is_concept and item.feedback.get(lang):
            parts.append(RichText(item.feedback.get(lang), style="green" if item.correct else "red"))
        return Group(*parts)

    def _model(self, item: ScoredAnswer) -> RenderableType:
        lang = self.lang
        parts: list[RenderableType] = []
        if item.is_concept:
            parts.append(RichText(t("answer.model_answer", lang), style="bold underline"))
            parts.append(RichText(item.model_answer.get(lang) if item.model_answer else ""))
            return Group(*parts)
        parts.append(RichText(t("answer.expected", lang), style="bold underline"))
        if item.instance is not None:
            from quizforge.render import format_answer

            parts.append(RichText(format_answer(item.instance, lang)))
        elif item.choices:
            parts.append(RichText(_choice_text(item, item.expected, lang)))
        else:
            parts.append(RichText(item.expected))  # formatted by the interview, with its digits
        if item.model_answer is not None:
            label = item.model_label
            parts += [
                RichText(""),
                RichText(t(f"answer.{label}", lang), style="bold"),
                RichText(item.model_answer.get(lang)),
            ]
        return Group(*parts)

    # -- input -------------------------------------------------------------------------------------

    @on(KeyPointToggle.Toggled)
    def _toggled(self, event: KeyPointToggle.Toggled) -> None:
        event.stop()
        self.toggle(event.question_index, event.point_index)

    def toggle(self, question_index: int, point_index: int) -> None:
        """Flip one key point's tick and update the totals."""
        item = self.scorecard.items[question_index]
        on_now = not item.ticks[point_index]
        self.scorecard.tick(question_index, point_index, on_now)
        for toggle in self.query(KeyPointToggle):
            if toggle.question_index == question_index and toggle.point_index == point_index:
                toggle.set_on(on_now)
        self.refresh_totals()

    def on_key(self, event: events.Key) -> None:
        key = event.key
        if len(key) != 1 or key not in LABELS:
            return
        focused = self.focused
        qi = focused.question_index if isinstance(focused, KeyPointToggle) else self._question_in_view()
        if qi is None:
            return
        item = self.scorecard.items[qi]
        k = LABELS.index(key)
        if k < len(item.ticks):
            event.stop()
            self.toggle(qi, k)

    def _question_in_view(self) -> int | None:
        """The first answered concept question whose key points are on screen (else the first one)."""
        view = self.query_one("#score-scroll", VerticalScroll).region
        concept = [i.index for i in self.scorecard.items if i.is_concept and i.status == Status.ANSWERED]
        for qi in concept:
            toggles = [t for t in self.query(KeyPointToggle) if t.question_index == qi]
            if any(view.overlaps(t.region) for t in toggles):
                return qi
        return concept[0] if concept else None

    def action_move(self, step: int) -> None:
        toggles = list(self.query(KeyPointToggle))
        if not toggles:
            self.query_one("#score-scroll", VerticalScroll).scroll_relative(y=3 * step, animate=False)
            return
        focused = self.focused
        i = toggles.index(focused) + step if isinstance(focused, KeyPointToggle) else (0 if step > 0 else -1)
        toggles[max(0, min(len(toggles) - 1, i))].focus()

    def action_page(self, step: int) -> None:
        scroll = self.query_one("#score-scroll", VerticalScroll)
        if step > 0:
            scroll.scroll_page_down(animate=False)
        else:
            scroll.scroll_page_up(animate=False)

    def save(self) -> bool:
        from quizforge.store import StoreError

        try:
            self.interview.save()
        except StoreError as exc:
            self.notify(t("scorecard.save_failed", self.lang, e=exc), severity="error")
            return False
        return True

    def action_leave(self) -> None:
        self.save()
        self.dismiss(None)

    def action_study_next(self) -> None:
        topics = self.scorecard.study_next
        if not topics:
            self.notify(t("scorecard.nothing_to_study_next", self.lang))
            return
        start = getattr(self.app, "action_start_topics", None)
        if start is None:
            self.notify(t("scorecard.study_unavailable", self.lang), severity="warning")
            return
        self.save()
        self.app.pop_screen()
        start(list(topics))


def _bar(value: float, width: int = BAR_WIDTH) -> RichText:
    value = min(1.0, max(0.0, value))
    full = round(value * width)
    style = "green" if value >= 0.8 else "yellow" if value >= 0.5 else "red"
    return RichText("█" * full + "·" * (width - full), style=style)


def _mark(item: ScoredAnswer, lang: str) -> RichText:
    if item.status == Status.NOT_REACHED:
        return RichText(t("scorecard.not_reached", lang), style="dim")
    if item.status == Status.TIMED_OUT:
        return RichText("✗ " + t("scorecard.timed_out", lang), style="red")
    if item.status == Status.PASSED:
        return RichText("✗ " + t("scorecard.passed", lang), style="red")
    score = round(item.score * 100)
    if item.is_concept:
        k, n = sum(item.ticks), len(item.ticks)
        mark = "✓" if item.counts_as_right else "✗"
        return RichText(
            f"{mark} {t('scorecard.points_of', lang, k=k, n=n)} · {score}",
            style="green" if item.counts_as_right else "yellow",
        )
    if item.correct:
        return RichText(f"✓ {score}", style="bold green")
    if item.score > 0:
        return RichText(f"◐ {score}", style="yellow")
    return RichText(f"✗ {score}", style="bold red")


def _choice_text(item: ScoredAnswer, letters: str, lang: str) -> str:
    """``b) Adagrad`` lines for the letters in ``letters`` (``a,c`` or ``ac``)."""
    choices = item.choices
    picked = [LABELS.index(c) for c in letters.lower() if c in LABELS[: len(choices)]]
    return "\n".join(f"{LABELS[i]}) {choices[i].get(lang)}" for i in picked)
