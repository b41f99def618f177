"""The mock interview's scorecard: every answer beside the model answer, key points to tick, the totals.

The interview is saved when the scorecard opens, and saved again (with the user's ticks) when it is
left; :meth:`quizforge.study.mock.MockInterview.save` makes that idempotent. Scores per topic and per
kind; each follow-up says why it was asked. ``t`` starts a study session on every topic that scored
below 100; ``e`` writes the scorecard as Markdown (:mod:`quizforge.report.scorecard_md`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text as RichText
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from quizforge.i18n import t, tn
from quizforge.report.scorecard_md import choice_text, counts_line, expected_text, follow_up_reason
from quizforge.study.mock import ScoredAnswer, Status
from quizforge.text import Lang
from quizforge.tui.screens.base import AppScreen
from quizforge.tui.widgets.card_text import LABELS
from quizforge.tui.widgets.clock import clock
from quizforge.tui.widgets.key_bar import QUIT_KEY, KeyBar
from quizforge.tui.widgets.mock_keypoint import KeyPointToggle
from quizforge.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from quizforge.study.mock import MockInterview, Scorecard

KEYS = [
    ("↑↓", "scorecard.move"),
    ("␣ a-f", "scorecard.toggle"),
    ("t", "scorecard.study_topics"),
    ("e", "scorecard.export_key"),
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
        Binding("e", "export", t("scorecard.export_key", Lang.EN)),
    ]

    def __init__(self, interview: MockInterview) -> None:
        super().__init__()
        self.interview = interview
        self.scorecard: Scorecard = interview.finish()
        self.exported: Path | None = None  # where ``e`` last wrote the scorecard

    @property
    def lang(self) -> str:
        return self.qf.lang

    # -- layout ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield TitleBar()
        with VerticalScroll(id="score-scroll"):
            yield Static(id="score-summary")
            yield Static(id="score-topics")
            for item in self.scorecard.items:
                with Vertical(classes="score-item", id=f"score-item-{item.index}"):
                    yield Static(self._head(item), classes="score-head", id=f"score-head-{item.index}")
                    if item.follow_up is not None:
                        yield Static(RichText(f"↳ {follow_up_reason(item, lang)}"), classes="score-why")
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
        score = round(card.total)
        style = "bold green" if score >= 80 else "bold yellow" if score >= 50 else "bold red"
        parts: list[RenderableType] = [
            RichText(t("scorecard.total", lang, s=score), style=style),
            RichText(counts_line(card, lang, self.interview.minutes)),
        ]
        nexts = card.study_next
        line = RichText(t("scorecard.study_next", lang), style="bold")
        if nexts:
            line.append(" · ".join(self.qf.bank.topic_name(tid, lang) for tid in nexts))
            line.append("  " + tn("scorecard.study_next_keys", len(nexts), lang), style="dim")
        else:
            line = RichText(t("scorecard.all_perfect", lang))
        parts.append(line)
        return Group(*parts)

    def _topics(self) -> RenderableType:
        lang = self.lang
        card = self.scorecard
        return Group(
            _breakdown(t("scorecard.by_topic", lang), card.by_topic, lambda tid: self.qf.bank.topic_name(tid, lang)),
            RichText(""),
            _breakdown(t("scorecard.by_kind", lang), card.by_kind, lambda kind: t(f"kind.{kind}", lang)),
        )

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
            parts.append(RichText(choice_text(item, item.answer, lang) or item.answer))
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
        expected = expected_text(item, lang)
        if expected:  # a coding drill has none: its model solution follows
            parts += [RichText(t("answer.expected", lang), style="bold underline"), RichText(expected)]
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

    def action_export(self) -> None:
        """Write the scorecard (with the current ticks) as Markdown under the data dir; say where."""
        from quizforge.report.scorecard_md import export_path, scorecard_markdown

        lang = self.lang
        path = export_path(self.qf.data_dir, self.scorecard.started_at)
        text = scorecard_markdown(
            self.scorecard,
            lang,
            topic_name=lambda tid: self.qf.bank.topic_name(tid, lang),
            minutes=self.interview.minutes,
            title=f"{t('mock.title', lang)} · {self.scorecard.started_at.astimezone():%Y-%m-%d %H:%M}",
        )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            self.notify(t("scorecard.export_failed", lang, e=exc), severity="error")
            return
        self.exported = path
        self.notify(t("scorecard.exported", lang, path=path), timeout=8)

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


def _breakdown(title: str, scores: dict[str, float], name: Callable[[str], str]) -> RenderableType:
    """A titled table of scores out of 100 with bars (per topic, per kind)."""
    table = Table(box=None, show_header=False, pad_edge=False, expand=True, title_justify="left")
    table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column(width=BAR_WIDTH, no_wrap=True)
    table.add_column(justify="right", width=4, no_wrap=True)
    for key, score in scores.items():
        table.add_row(RichText(name(key)), _bar(score / 100.0), f"{score:.0f}")
    return Group(RichText(title, style="bold underline"), table)
