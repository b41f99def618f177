"""A generated card's PyTorch snippet, run beside quizforge's answer (``p`` on an answered card).

The snippet runs in a worker thread as a child ``python -I -c`` (``kinds.tutor.run_torch_code``):
torch loads in the child, never in the app, and a snippet that hangs is killed at the timeout.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.syntax import Syntax
from rich.text import Text as RichText
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from quizforge.i18n import t

if TYPE_CHECKING:
    from quizforge.kinds.tutor import SnippetRun


class SnippetScreen(ModalScreen[None]):
    """Shows ``code`` and quizforge's answer ``ours``, runs the code and shows what torch printed."""

    CSS_PATH = "snippet.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,p", "close", show=False)]

    def __init__(self, code: str, ours: str, family: str, lang: str, *, timeout: float | None = None) -> None:
        super().__init__()
        self.code = code
        self.ours = ours
        self.family = family
        self.lang = lang
        if timeout is None:
            from quizforge.kinds.tutor import SNIPPET_TIMEOUT

            timeout = SNIPPET_TIMEOUT
        self.timeout = timeout
        self.run: SnippetRun | None = None  # once the child has ended

    def compose(self) -> ComposeResult:
        lang = self.lang
        with VerticalScroll(id="snippet-box"):
            yield Static(RichText(t("snippet.title", lang, family=self.family), style="bold"), id="snippet-title")
            yield Static(Syntax(self.code.rstrip("\n"), "python", theme="ansi_dark", word_wrap=True), id="snippet-code")
            yield Static(RichText(t("snippet.ours", lang, x=self.ours), style="bold"), id="snippet-ours")
            yield Static(RichText(t("snippet.running", lang), style="italic"), id="snippet-output")
            yield Static(RichText(f"esc  {t('snippet.close', lang)}", style="dim"), id="snippet-keys")

    def on_mount(self) -> None:
        self._run_snippet()

    @work(thread=True, exclusive=True)
    def _run_snippet(self) -> None:
        from quizforge.kinds.tutor import run_torch_code

        result = run_torch_code(self.code, self.timeout)
        self.app.call_from_thread(self._show, result)

    def _show(self, result: SnippetRun) -> None:
        self.run = result
        lang = self.lang
        if result.returncode is None:
            head = RichText(t("snippet.timeout", lang, s=round(self.timeout)), style="bold red")
            body = RichText(result.stdout)
        elif result.ok:
            head = RichText(t("snippet.torch", lang), style="bold green")
            body = RichText(result.stdout.rstrip("\n"))
        else:
            head = RichText(t("snippet.failed", lang, code=result.returncode), style="bold red")
            body = RichText((result.stdout + result.stderr).rstrip("\n")[-2000:])
        self.query_one("#snippet-output", Static).update(Group(head, body))

    def action_close(self) -> None:
        self.dismiss(None)
