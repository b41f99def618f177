"""The dashboard: today's counts, per-topic mastery, and one key to each activity."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.cells import cell_len
from rich.text import Text as RichText
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from quizforge.i18n import t, tn
from quizforge.text import Lang
from quizforge.tui.screens.base import AppScreen
from quizforge.tui.widgets.action_button import ActionButton
from quizforge.tui.widgets.count_tiles import CountTiles
from quizforge.tui.widgets.key_bar import KeyBar
from quizforge.tui.widgets.plan_panel import PlanPanel
from quizforge.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from textual.widgets import DataTable

    from quizforge.study.planning import PlanStatus

BAR_WIDTH = 20
TOPICS_CHROME = 8  # the dashboard's padding, the topic box's border and padding, a scroll bar
FIRST_FRAME_S = 0.03
ACTIONS = [("study", "s"), ("quiz", "z"), ("mock", "m"), ("report", "r"), ("browse", "b"), ("settings", "o")]


def mastery_bar(value: float, width: int = BAR_WIDTH) -> RichText:
    """``value`` in [0, 1] as a bar of blocks (eighths for the last cell), coloured by level."""
    value = min(1.0, max(0.0, value))
    eighths = round(value * width * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + ("" if part == 0 else " ▏▎▍▌▋▊▉"[part])
    style = "green" if value >= 0.8 else "yellow" if value >= 0.5 else "red" if value > 0 else "dim"
    return RichText(bar.ljust(width, "·"), style=style)


KEYS = [
    ("s", "action.study"),
    ("z", "action.quiz"),
    ("m", "action.mock_short"),
    ("r", "action.report"),
    ("b", "action.browse"),
    ("o", "action.settings"),
    ("?", "action.help"),
    ("q", "action.quit"),
]


class _Page(VerticalScroll, can_focus=False, inherit_bindings=False):
    """The dashboard's page: it scrolls (mouse, or to show the focused widget) but takes no focus or
    keys, so the Study button has the focus (Enter studies) and ↓ moves into the topic table."""


class DashboardScreen(AppScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "app.start('study')", t("action.study", Lang.EN)),
        Binding("z", "app.start('quiz')", t("action.quiz", Lang.EN)),
        Binding("m", "app.start('mock')", t("action.mock_short", Lang.EN)),
        Binding("r", "app.start('report')", t("action.report", Lang.EN)),
        Binding("b", "app.start('browse')", t("action.browse", Lang.EN)),
        Binding("o", "app.start('settings')", t("action.settings", Lang.EN)),
        Binding("f", "app.choose_focus", t("focus.change", Lang.EN)),
        Binding("down", "topics", show=False),
        Binding("p", "app.start('plan')", t("action.plan", Lang.EN), show=False),
        Binding("question_mark", "app.help", t("action.help", Lang.EN)),
        Binding("q", "app.quit", t("action.quit", Lang.EN)),
    ]

    def compose(self) -> ComposeResult:
        lang = self.qf.lang
        yield TitleBar()
        with _Page(id="dash"):
            yield Static(id="welcome")
            yield CountTiles(id="counts")
            yield PlanPanel(id="plan-panel")
            with Horizontal(id="actions"):
                for name, key in ACTIONS:
                    label = t("action.mock_short" if name == "mock" else f"action.{name}", lang)
                    yield ActionButton(f"{label} ({key})", id=f"go-{name}")
        yield KeyBar(KEYS, lang, pinned=2)

    def _bank_widgets(self) -> None:
        """Mount what shows the bank (the focus line, the topic table) once it is loaded: the first frame
        does without them, so it shows sooner (docs/architecture.md §8)."""
        if self.query("#topics"):
            return
        from textual.widgets import DataTable  # its import and styles wait for the bank too

        lang = self.qf.lang
        topics: DataTable[RichText | str] = DataTable(id="topics", cursor_type="row", show_header=False)
        self.query_one("#dash", _Page).mount(
            Static(id="focus-line", classes="muted"),
            Static(t("dashboard.topics_progress", lang), id="topics-title", classes="title"),
            Static(t("dashboard.topics_hint", lang), id="topics-hint", classes="muted"),
            topics,
        )

    _mastery: dict[str, float] | None = None

    def on_mount(self) -> None:
        self.refresh_data()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    async def apply_language(self) -> None:
        await self.recompose()
        self.refresh_data()

    def refresh_data(self) -> None:
        """Today's counts at once (plain SQL); the bank's numbers and the topic table right after the
        first paint, and mastery (FSRS, NumPy) in a worker after that."""
        self._draw_counts()
        if self.qf.bank_loaded:
            self._draw_bank()
        else:
            self.query_one("#welcome", Static).update(t("common.loading", self.qf.lang))
            self.qf.after_first_frame(self._load_bank)

    @work(thread=True, exclusive=True, group="bank")
    def _load_bank(self) -> None:
        """Load the bank off the UI thread, started once the first frame is on the terminal (a first
        launch parses every YAML file, which would hold the first paint back), then draw what needs it."""
        qf = self.qf
        try:
            qf.bank  # noqa: B018 (loads it)
        except Exception as exc:  # the loader's own one-line message, printed once the TUI is gone
            self.app.call_from_thread(qf.fail, str(exc))
            return
        self.app.call_from_thread(self._draw_bank)

    def _draw_counts(self) -> None:
        lang = self.qf.lang
        counts = self.qf.counts()
        values = {
            "due_today": counts.due,
            "new_available": counts.new,
            "done_today": counts.done,
            "streak": tn("dashboard.days", counts.streak, lang),
        }
        tiles = self.query_one("#counts", CountTiles)
        for key, value in values.items():
            tiles.set(key, str(value), t(f"dashboard.{key}", lang))
        self._nothing_due = counts.due == 0 and counts.new == 0

    def _draw_bank(self) -> None:
        qf = self.qf
        lang = qf.lang
        try:
            bank = qf.bank  # loads it on first use
        except Exception as exc:  # the loader's own one-line message, printed once the TUI is gone
            qf.fail(str(exc))
            return
        if qf.sync_bank():  # new questions since the last run change today's counts
            self._draw_counts()
        self._bank_widgets()
        self.query_one("#welcome", Static).update(
            t("dashboard.welcome", lang, n=len(bank), t=len({q.topic for q in bank}))
            + ("\n" + t("dashboard.no_cards_due", lang) if self._nothing_due else "")
        )
        from quizforge.study.focus import describe

        focus = qf.last_focus()
        line = self.query_one("#focus-line", Static)
        line.display = not focus.everything
        line.update("" if focus.everything else t("dashboard.focus", lang, what=describe(focus, bank, lang)))
        self._draw_topics(None)
        # after the next frame: the worker imports NumPy and FSRS, which would hold the GIL meanwhile
        self.set_timer(FIRST_FRAME_S, self._load_mastery)
        qf.bank_shown()
        self.set_timer(FIRST_FRAME_S, self._load_plan)

    @work(thread=True, exclusive=True, group="plan")
    def _load_plan(self) -> None:
        """The interview plan's figures for today (docs/planner.md), off the UI thread."""
        from quizforge.study.planning import plan_status

        status = plan_status(self.qf.store, self.qf.bank, self.qf.now())
        self.app.call_from_thread(self._draw_plan, status)

    def _draw_plan(self, status: PlanStatus | None) -> None:
        lang = self.qf.lang
        for panel in self.query(PlanPanel):  # none when the screen was recomposed meanwhile
            panel.show(status, lang)
        if status is not None and status.days_left > 0:  # while a plan is in force, today's new cards are its
            left = max(0, status.new_today - status.new_done)
            for tiles in self.query("#counts").results(CountTiles):
                tiles.set("new_available", str(left), t("dashboard.new_available", lang))

    @work(thread=True, exclusive=True, group="mastery")
    def _load_mastery(self) -> None:
        """Mean retrievability per topic needs FSRS and NumPy: computed off the UI thread."""
        mastery = self.qf.mastery()
        self.app.call_from_thread(self._draw_topics, mastery)

    def _draw_topics(self, mastery: dict[str, float] | None) -> None:
        """The per-topic table; ``None`` while mastery is still being computed."""
        targets = self.query("#topics")
        if not targets:  # the worker finished after the screen was recomposed or closed
            return
        self._mastery = mastery
        qf = self.qf
        lang = qf.lang
        bank = qf.bank
        # the bar, percentage and count keep their width; the topic names get what is left
        fixed = BAR_WIDTH + 5 + 4 + 4 * 2 + 2  # the table pads each cell by one each side; a scrollbar
        target = cast("DataTable[RichText | str]", targets.first())
        # from the screen's width, leaving room for the scroll bar that may come with a longer table (the
        # box's own width lags behind a language switch or a recompose)
        available = (self.size.width or 80) - TOPICS_CHROME
        row = target.cursor_row
        target.clear(columns=True)
        longest = max((cell_len(bank.topic_name(tid, lang)) for tid in bank.topics), default=10)
        target.add_column("", key="topic", width=max(10, min(longest, available - fixed)))
        target.add_column("", width=BAR_WIDTH)
        target.add_column("", width=5)
        target.add_column("", width=4)
        groups = bank.by_topic()
        for tid in bank.topics:
            n = len(groups.get(tid, []))
            if n == 0:
                continue
            name = RichText(bank.topic_name(tid, lang), no_wrap=True, overflow="ellipsis")
            count = RichText(str(n), justify="right")
            if mastery is None:
                target.add_row(name, RichText("·" * BAR_WIDTH, style="dim"), "", count, key=tid)
                continue
            m = mastery.get(tid, 0.0)
            target.add_row(name, mastery_bar(m), RichText(f"{m:.0%}", justify="right"), count, key=tid)
        if row:
            target.move_cursor(row=row, animate=False)

    def on_resize(self) -> None:
        if self.qf.bank_loaded:
            self._draw_topics(self._mastery)

    def action_topics(self) -> None:
        """↓ from the buttons moves into the topic table (Enter there studies the topic)."""
        for table in self.query("#topics"):  # none while the bank is loading
            if not table.has_focus:
                table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "topics" and event.row_key.value is not None:
            from quizforge.study.focus import Focus

            self.qf.study_focus(Focus(topics=(event.row_key.value,)))

    @on(ActionButton.Pressed)
    def _pressed(self, event: ActionButton.Pressed) -> None:
        if event.button.id and event.button.id.startswith("go-"):
            self.qf.action_start(event.button.id.removeprefix("go-"))
