"""The report screen: the numbers and charts of ``quizforge report``, computed off the UI thread."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text as RichText
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from quizforge.i18n import t
from quizforge.report.render_text import sections
from quizforge.report.stats import Report, build_report
from quizforge.text import Lang
from quizforge.tui.screens.base import AppScreen
from quizforge.tui.widgets.key_bar import QUIT_KEY, KeyBar
from quizforge.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    pass

KEYS = [("?", "action.help"), ("esc", "action.back"), QUIT_KEY]


class ReportScreen(AppScreen[None]):
    """Progress report; Escape goes back. The report is built in a worker ("Loading…" meanwhile).

    Args:
        topics: Only these topics (ids or area prefixes); ``None``: all.
        days: The history window in days.
    """

    DEFAULT_CSS = """
    ReportScreen #report { padding: 0 2; }
    ReportScreen #report-body { width: 100%; margin: 1 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", t("action.back", Lang.EN)),
        Binding("question_mark", "app.help", t("action.help", Lang.EN)),
    ]

    def __init__(self, topics: Sequence[str] | None = None, days: int = 365) -> None:
        super().__init__()
        self.topics = list(topics) if topics else None
        self.days = days
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        lang = self.qf.lang
        yield TitleBar()
        with VerticalScroll(id="report"):
            yield Static(t("common.loading", lang), id="report-body")
        yield KeyBar(KEYS, lang, pinned=2)

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self.report is not None:
            self.load()  # a study session may have happened meanwhile

    async def apply_language(self) -> None:
        lang = self.qf.lang
        self.query_one(KeyBar).show(KEYS, lang)
        self.query_one("#report-body", Static).update(t("common.loading", lang))
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        """Build the report (a few hundred ms on a big collection) and hand it to the UI thread."""
        qf = self.qf
        try:
            report = build_report(qf.store, qf.bank, qf.now(), days=self.days, topics=self.topics, lang=qf.lang)
        except Exception as exc:  # a damaged store: say so on the screen, keep the app running
            self.app.call_from_thread(self.show_error, f"{type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self.show_report, report)

    def show_error(self, message: str) -> None:
        if self.is_mounted:
            self.query_one("#report-body", Static).update(RichText(message, style="red"))

    def show_report(self, report: Report) -> None:
        """Show every section of ``report``, a blank line between them."""
        if not self.is_mounted:
            return  # closed while the report was being built
        self.report = report
        width = max(40, min(120, self.size.width - 4))
        parts: list[RenderableType] = []
        for part in sections(report, width):
            parts += [part, ""]
        self.query_one("#report-body", Static).update(Group(*parts))
