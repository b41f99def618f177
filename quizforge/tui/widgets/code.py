"""The code editor a coding drill (an ``implement`` card) is answered in, on any screen that asks one.

A :class:`~textual.widgets.TextArea` (Python highlighting when tree-sitter and its Python grammar are
installed: the ``syntax`` extra; plain text otherwise) prefilled with the card's last attempt or the
drill's starter code, a verdict line under it and the hints shown so far. Keys, while the editor has
the focus:

- ctrl+r runs the judge on the code in a worker thread and shows "k of n passed", the first failing
  case or the code's own traceback lines; nothing is graded or recorded;
- ctrl+s judges the same way and then posts :class:`CodeAnswer.Submitted`: the screen grades it
  through the one answer path (the verdict just computed is reused) and proposes a rating;
- ctrl+g shows the next hint (a hint caps the proposed rating at Hard: ``DrillDraw.hints_shown``);
- ctrl+e opens ``$VISUAL`` / ``$EDITOR`` on a temporary file, the app suspended, and loads the file back.

Every run and submission also posts :class:`CodeAnswer.Attempted`, which the screen keeps as the card's
``drill.attempt`` event (widgets never touch the store). Escape is left to the screen (back / abandon).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text as RichText
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static, TextArea

from quizforge.i18n import t
from quizforge.text import Lang

if TYPE_CHECKING:
    from quizforge.drills.base import Drill
    from quizforge.drills.judge import Verdict
    from quizforge.study.answering import Presented

# the keys a screen shows in its footer while a drill is asked (key label, catalogue key), before its own
KEYS = [
    ("^r", "drill.run"),
    ("^s", "drill.submit"),
    ("^g", "drill.hint"),
    ("^e", "drill.editor"),
]


def python_language() -> str | None:
    """``"python"`` when the TextArea can highlight Python (tree-sitter and its grammar installed)."""
    from importlib.util import find_spec

    return "python" if find_spec("tree_sitter") and find_spec("tree_sitter_python") else None


class _Editor(TextArea):
    """The TextArea, leaving Escape to the screen (back, or abandon a mock) instead of moving the focus."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            # not TextArea's own handler (it moves the focus on); the key goes on up to the bindings
            event.prevent_default()


class CodeAnswer(Vertical):
    """See the module docstring. A screen calls :meth:`show` for each drill card."""

    DEFAULT_CSS = """
    CodeAnswer { height: 1fr; min-height: 9; }
    CodeAnswer > _Editor { height: 1fr; min-height: 5; border: tall $border-blurred; padding: 0; }
    CodeAnswer > _Editor:focus { border: tall $border; }
    CodeAnswer > #code-report { height: auto; max-height: 45%; padding: 0 1; }
    CodeAnswer > #code-report > Static { height: auto; }
    CodeAnswer .ok { color: $success; }
    CodeAnswer .bad { color: $error; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "run", t("drill.run", Lang.EN)),
        Binding("ctrl+s", "submit", t("drill.submit", Lang.EN)),
        Binding("ctrl+g", "hint", t("drill.hint", Lang.EN)),  # ctrl+t is the theme, ctrl+h a backspace
        # the TextArea binds ctrl+e (end of line): a priority binding comes first
        Binding("ctrl+e", "external_editor", t("drill.editor", Lang.EN), priority=True),
    ]

    @dataclass
    class Submitted(Message):
        """The code to grade (the verdict is already known to the kind)."""

        source: str

    @dataclass
    class Attempted(Message):
        """Code the user ran or submitted: the screen keeps it as the card's last attempt."""

        card_id: str
        drill: Drill
        source: str
        verdict: Verdict | None
        hints: int

    def __init__(self, lang: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lang = lang
        self.card: Presented | None = None
        self.drill: Drill | None = None
        self.start_text = ""
        self.reopened = False  # the editor opened with the card's last attempt
        self.verdict: Verdict | None = None
        self.busy = False
        self._submit_after_run = False

    def compose(self) -> ComposeResult:
        yield _Editor.code_editor(
            "", language=python_language(), tab_behavior="indent", soft_wrap=False, id="code-editor"
        )
        with VerticalScroll(id="code-report", can_focus=False):
            yield Static(id="code-status")
            yield Static(id="code-hints", classes="muted")

    @property
    def editor(self) -> TextArea:
        return self.query_one(_Editor)

    @property
    def source(self) -> str:
        return self.editor.text

    @property
    def changed(self) -> bool:
        """Whether the code differs from what the card opened with."""
        return self.card is not None and self.source != self.start_text

    # -- the card --------------------------------------------------------------------------------------

    def show(self, card: Presented, previous: str | None) -> None:
        """Ask ``card`` (an implement card): its last attempt ``previous``, else the drill's starter code."""
        from quizforge.kinds.implement import drill_of

        self.card = card
        self.drill = drill_of(card.question)
        self.start_text = previous if previous is not None else self.drill.starter
        self.reopened = previous is not None
        self.verdict = None
        self.busy = False
        self._submit_after_run = False
        self.editor.load_text(self.start_text)
        self.editor.read_only = False
        self._render_report()

    def focus_editor(self) -> None:
        self.editor.focus()

    @property
    def hints_shown(self) -> int:
        from quizforge.kinds.implement import DrillDraw

        drawn = self.card.instance if self.card is not None else None
        return drawn.hints_shown if isinstance(drawn, DrillDraw) else 0

    def refresh_language(self, lang: str) -> None:
        self.lang = lang
        self._render_report()

    def _render_report(self) -> None:
        status = self.query_one("#code-status", Static)
        v = self.verdict
        if self.busy:
            status.update(RichText(t("drill.running", self.lang)))
            status.set_classes("")
        elif v is None:
            keys = t("drill.keys_hint", self.lang)
            status.update(RichText(f"{t('drill.reopened', self.lang)} {keys}" if self.reopened else keys))
            status.set_classes("muted")
        else:
            status.update(RichText(v.text(self.lang)))
            status.set_classes("ok" if v.ok else "bad")
        lines = []
        if self.drill is not None:
            n = len(self.drill.hints)
            for i, hint in enumerate(self.drill.hints[: self.hints_shown]):
                lines.append(t("drill.hint_line", self.lang, i=i + 1, n=n, text=hint.get(self.lang)))
        self.query_one("#code-hints", Static).update(RichText("\n".join(lines)))

    # -- actions ---------------------------------------------------------------------------------------

    def action_run(self) -> None:
        self._start_run(submit=False)

    def action_submit(self) -> None:
        self._start_run(submit=True)

    def _start_run(self, *, submit: bool) -> None:
        if self.card is None or self.drill is None or self.editor.read_only:
            return
        if submit:
            self.editor.read_only = True  # the code on screen is the code graded
        if self.busy:  # one verdict at a time; a submit asked meanwhile follows the run
            self._submit_after_run = self._submit_after_run or submit
            return
        self._submit_after_run = submit
        self._run_now(self.card, self.drill)

    def _run_now(self, card: Presented, drill: Drill) -> None:
        from quizforge.kinds.implement import draw_seed

        self.busy = True
        self._render_report()
        self._judge(card.card_id, drill, self.source, draw_seed(card.instance))

    @work(thread=True, group="drill-judge")  # one at a time: see ``busy``
    def _judge(self, card_id: str, drill: Drill, source: str, seed: int) -> None:
        from quizforge.kinds.implement import run_drill

        verdict = run_drill(drill, source, seed)
        with contextlib.suppress(RuntimeError):  # the app quit while the judge ran: nobody waits for it
            self.app.call_from_thread(self._judged, card_id, source, verdict)

    def _judged(self, card_id: str, source: str, verdict: Verdict) -> None:
        if self.card is None or self.card.card_id != card_id or self.drill is None:
            return  # the card changed while the judge ran
        self.busy = False
        self.verdict = verdict
        self._render_report()
        self.post_message(self.Attempted(card_id, self.drill, source, verdict, self.hints_shown))
        if self._submit_after_run:
            self._submit_after_run = False
            if source != self.source:  # edited while an earlier run was judged: judge what is submitted
                self._run_now(self.card, self.drill)
                self._submit_after_run = True
                return
            self.post_message(self.Submitted(source))

    def action_hint(self) -> None:
        from quizforge.kinds.implement import DrillDraw

        drawn = self.card.instance if self.card is not None else None
        if self.drill is None or not isinstance(drawn, DrillDraw) or self.editor.read_only:
            return
        if drawn.hints_shown >= len(self.drill.hints):
            self.notify(t("drill.no_more_hints", self.lang))
            return
        drawn.hints_shown += 1
        self._render_report()
        self.query_one("#code-report", VerticalScroll).scroll_end(animate=False)

    def action_external_editor(self) -> None:
        """Edit the code in ``$VISUAL`` / ``$EDITOR`` (the app suspended), then load it back."""
        if self.card is None or self.editor.read_only:
            return
        import os
        import shlex
        import subprocess
        import tempfile
        from pathlib import Path

        from textual.app import SuspendNotSupported

        command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.TemporaryDirectory(prefix="quizforge-drill-") as folder:
            path = Path(folder) / f"{self.drill.function if self.drill else 'solution'}.py"
            path.write_text(self.source, encoding="utf-8")
            try:
                with self.app.suspend():
                    subprocess.run([*shlex.split(command), str(path)], check=False)
            except SuspendNotSupported:
                self.notify(t("drill.no_suspend", self.lang), severity="warning")
                return
            except (OSError, ValueError) as error:
                self.notify(t("drill.editor_failed", self.lang, editor=command, why=str(error)), severity="error")
                return
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                self.notify(t("drill.editor_failed", self.lang, editor=command, why=str(error)), severity="error")
                return
        self.editor.load_text(text)
        self.focus_editor()
