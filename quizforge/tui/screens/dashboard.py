"""The dashboard: today's counts, per-topic mastery, and one key to each activity."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text as RichText
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from quizforge.tui.strings import t
from quizforge.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from quizforge.tui.app import QuizforgeApp

BAR_WIDTH = 20
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
    ("s", "study"),
    ("z", "quiz"),
    ("m", "mock"),
    ("r", "report"),
    ("b", "browse"),
    ("o", "settings"),
    ("?", "help"),
    ("q", "quit"),
]


class DashboardScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "app.start('study')", "Study"),
        Binding("z", "app.start('quiz')", "Quiz"),
        Binding("m", "app.start('mock')", "Mock"),
        Binding("r", "app.start('report')", "Report"),
        Binding("b", "app.start('browse')", "Browse"),
        Binding("o", "app.start('settings')", "Settings"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    @property
    def qf(self) -> QuizforgeApp:
        from quizforge.tui.app import QuizforgeApp

        assert isinstance(self.app, QuizforgeApp)
        return self.app

    def compose(self) -> ComposeResult:
        lang = self.qf.lang
        yield Header()
        with VerticalScroll(id="dash"):
            yield Static(id="welcome")
            with Horizontal(id="counts"):
                for key in ("due_today", "new_available", "done_today", "streak"):
                    yield Static(id=f"count-{key}", classes="count")
            with Horizontal(id="actions"):
                for name, key in ACTIONS:
                    yield Button(f"{t(name, lang)} ({key})", id=f"go-{name}", compact=True)
            yield Static(t("topics_progress", lang), id="topics-title", classes="title")
            yield Static(id="topics")
        yield KeyBar(KEYS, lang)

    def on_mount(self) -> None:
        self.refresh_data()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    async def apply_language(self) -> None:
        await self.recompose()
        self.refresh_data()

    def refresh_data(self) -> None:
        """Counts and mastery from the study service (a few indexed queries)."""
        qf = self.qf
        lang = qf.lang
        bank = qf.bank
        counts = qf.counts()
        self.query_one("#welcome", Static).update(
            t("welcome", lang, n=len(bank), t=len({q.topic for q in bank}))
            + ("\n" + t("no_cards_due", lang) if counts.due == 0 and counts.new == 0 else "")
        )
        values = {
            "due_today": counts.due,
            "new_available": counts.new,
            "done_today": counts.done,
            "streak": t("days", lang, n=counts.streak),
        }
        for key, value in values.items():
            self.query_one(f"#count-{key}", Static).update(RichText.assemble((f"{value}\n", "bold"), t(key, lang)))
        mastery = qf.mastery()
        table = Table(box=None, show_header=False, pad_edge=False, expand=True)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(width=BAR_WIDTH, no_wrap=True)
        table.add_column(justify="right", no_wrap=True, width=5)
        table.add_column(justify="right", no_wrap=True, width=4)
        groups = bank.by_topic()
        for tid in bank.topics:
            n = len(groups.get(tid, []))
            if n == 0:
                continue
            m = mastery.get(tid, 0.0)
            table.add_row(RichText(bank.topic_name(tid, lang)), mastery_bar(m), f"{m:.0%}", str(n))
        self.query_one("#topics", Static).update(table)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id and event.button.id.startswith("go-"):
            self.qf.action_start(event.button.id.removeprefix("go-"))
