"""Pilot tests of the drill editor: write a drill, run it (wrong), fix it, submit, and find the attempt
saved and reopened; hints cap the proposed rating; the widget works outside the study screen too."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from quizforge.bank import Bank
from quizforge.drills import get_drill
from quizforge.kinds.implement import DrillDraw, last_attempt
from quizforge.store import EventKind
from quizforge.study.scheduling import Rating
from quizforge.tui.app import Launch, QuizforgeApp, make_app
from quizforge.tui.screens.confirm import ConfirmDialog
from quizforge.tui.screens.study import StudyScreen
from quizforge.tui.widgets.code import CodeAnswer
from tests.drills.test_implement_kind import BANK, make_bank
from tests.study.conftest import Clock
from tests.tui.conftest import workers_done

# whole screens driven through Pilot, with the judge: the slow tier (`make test`; `make test-fast` skips it)
pytestmark = pytest.mark.slow

ONE_DRILL = BANK.split("  - id: code-relu-backward")[0]  # the softmax card alone
# no max-subtraction: right on small inputs, overflows near ±1000
NO_MAX = "import numpy as np\n\n\ndef softmax(x, axis=-1):\n    e = np.exp(x)\n    return e / e.sum(axis, keepdims=1)\n"
BROKEN = "import numpy as np\n\n\ndef softmax(x, axis=-1):\n    return np.exp(x) / undefined_total\n"


def _app(bank: Bank, data: Path, clock: Clock, **launch: object) -> QuizforgeApp:
    return make_app(data, bank, "en", now=clock, launch=Launch(screen="study", **launch), seed=3)  # type: ignore[arg-type]


async def _judged(app: App[None], pilot) -> None:  # type: ignore[no-untyped-def]
    await workers_done(app)
    await pilot.pause()


def _keys(text: str) -> list[str]:
    """The keys that type ``text`` (Tab indents by four spaces)."""
    names = {"\n": "enter", " ": "space", "\t": "tab"}
    return [names.get(c, c) for c in text.replace("    ", "\t")]


def _text(widget: Widget) -> str:
    """What a Static shows, as plain text."""
    from rich.console import Console

    assert isinstance(widget, Static)
    console = Console(width=200, record=True, file=None, force_terminal=False)
    with console.capture() as capture:
        console.print(widget.content)
    return capture.get()


def _status(code: CodeAnswer) -> str:
    return _text(code.query_one("#code-status"))


async def test_write_run_fix_submit_and_reopen_a_drill(tmp_path: Path) -> None:
    bank = make_bank(tmp_path, ONE_DRILL)
    clock = Clock()
    drill = get_drill("softmax")
    app = _app(bank, tmp_path / "data", clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.card is not None
        code = screen.query_one(CodeAnswer)
        assert code.display and code.source == drill.starter  # nothing attempted yet: the starter code
        assert _status(code).startswith("ctrl+r runs the cases")
        assert app.focused is code.editor

        # a first attempt that raises: the run shows the user's own traceback line, nothing is graded
        code.editor.load_text(BROKEN)
        await pilot.press("ctrl+r")
        await _judged(app, pilot)
        status = _status(code)
        assert "0 of 20 cases passed" in status and "undefined_total" in status and 'File "solution.py"' in status
        assert screen.result is None and app.store.reviews() == []

        # typed in the editor: the overflow bug, caught by the large-magnitude cases
        code.editor.load_text("")
        await pilot.press(*_keys(NO_MAX))
        assert code.source == NO_MAX
        typed = code.source
        await pilot.press("ctrl+r")
        await _judged(app, pilot)
        status = _status(code)
        assert "of 20 cases passed" in status and "20 of 20" not in status
        assert "inf or nan" in status and "case " in status
        assert screen.result is None and app.store.reviews() == []
        assert last_attempt(app.store, "code-softmax") == code.source  # runs are kept as attempts too

        # the fix, submitted: graded through the answer path, Good or Easy proposed, then saved
        code.editor.load_text(drill.model_solution)
        clock.advance(seconds=200)
        await pilot.press("ctrl+s")
        await _judged(app, pilot)
        result = screen.result
        assert result is not None and result.correct is True and result.score == 1.0
        assert result.proposed == Rating.Easy  # all passed, no hint, within the drill's fast time
        assert not code.display  # the verdict and the model solution take the screen
        assert "Model solution" in _text(screen.query_one("#card-body"))
        await pilot.press("enter")
        await pilot.pause()
        reviews = app.store.reviews()
        assert [(r.card_id, r.correct, r.rating) for r in reviews] == [("code-softmax", True, int(Rating.Easy))]
        assert reviews[0].answer == drill.model_solution
        attempts = app.store.events([EventKind.DRILL_ATTEMPT], key="code-softmax")
        assert [e.data["source"] for e in attempts] == [BROKEN, typed, drill.model_solution]
        assert [(e.data["passed"], e.data["ok"]) for e in attempts][::2] == [(0, False), (20, True)]
        assert 0 < attempts[1].data["passed"] < 20

    # a cram run the next day reopens the card with the last attempt in the editor
    clock.advance(days=1)
    again = _app(bank, tmp_path / "data", clock, cram=True)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, StudyScreen) and screen.card is not None
        code = screen.query_one(CodeAnswer)
        assert code.source == drill.model_solution and _status(code).startswith("Your last attempt, reopened.")
        # Escape is the screen's (not the editor's): with the code changed, leaving asks first
        await pilot.press("x", "escape")
        await pilot.pause()
        assert isinstance(again.screen, ConfirmDialog)


async def test_a_hint_caps_the_proposed_rating_at_hard(tmp_path: Path) -> None:
    bank = make_bank(tmp_path, ONE_DRILL)
    drill = get_drill("softmax")
    app = _app(bank, tmp_path / "data", Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.card is not None
        code = screen.query_one(CodeAnswer)
        hints = _text(code.query_one("#code-hints")).strip()
        assert hints == ""
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(screen.card.instance, DrillDraw) and screen.card.instance.hints_shown == 1
        hints = _text(code.query_one("#code-hints")).strip()
        assert hints.startswith(f"Hint 1/{len(drill.hints)}: ") and drill.hints[0].en in hints
        code.editor.load_text(drill.model_solution)
        await pilot.press("ctrl+s")
        await _judged(app, pilot)
        assert screen.result is not None and screen.result.correct is True
        assert screen.result.proposed == Rating.Hard
        await pilot.press("enter")
        await pilot.pause()
        assert app.store.events([EventKind.DRILL_ATTEMPT], key="code-softmax")[-1].data["hints"] == 1


class _Host(App[None]):
    """Any screen that asks a drill: no study session, no store."""

    def __init__(self, card: object) -> None:
        super().__init__()
        self.card = card
        self.messages: list[object] = []

    def compose(self) -> ComposeResult:
        yield CodeAnswer("zh", id="code")

    def on_mount(self) -> None:
        code = self.query_one(CodeAnswer)
        code.show(self.card, None)  # type: ignore[arg-type]
        code.focus_editor()

    def on_code_answer_submitted(self, event: CodeAnswer.Submitted) -> None:
        self.messages.append(event)

    def on_code_answer_attempted(self, event: CodeAnswer.Attempted) -> None:
        self.messages.append(event)


async def test_the_editor_works_on_any_screen(tmp_path: Path) -> None:
    import random
    from datetime import UTC, datetime

    from quizforge.study.answering import present

    bank = make_bank(tmp_path, ONE_DRILL)
    card = present(bank.questions["code-softmax"], None, datetime(2026, 3, 2, tzinfo=UTC), random.Random(1))
    host = _Host(card)
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        code = host.query_one(CodeAnswer)
        code.editor.load_text(get_drill("softmax").model_solution)
        await pilot.press("ctrl+s")
        await _judged(host, pilot)
        attempted, submitted = host.messages
        assert isinstance(attempted, CodeAnswer.Attempted) and attempted.verdict is not None
        assert attempted.verdict.ok and attempted.card_id == "code-softmax" and attempted.hints == 0
        assert isinstance(submitted, CodeAnswer.Submitted) and submitted.source == code.source
        assert "通过 20/20" in _status(code)  # in the host's language
        assert code.editor.read_only  # submitted: no more edits to this presentation


async def test_a_quiz_of_drills_only_from_the_quiz_dialog(tmp_path: Path) -> None:
    from textual.widgets import Input, Select

    from quizforge.kinds import load
    from quizforge.study.quiz import QuizSession
    from quizforge.tui.screens.quiz_setup import QuizSetupScreen

    app = make_app(tmp_path / "data", load(), "en", now=Clock(), seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("z")
        await pilot.pause()
        setup = app.screen
        assert isinstance(setup, QuizSetupScreen)
        setup.query_one("#quiz-kind", Select).value = "implement"
        setup.query_one("#quiz-count", Input).value = "4"
        await pilot.click("#start")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen) and isinstance(screen.session, QuizSession)
        asked = [screen.session.bank.questions[c].kind for c in screen.session.build_queue()]
        assert screen.card is not None and [screen.card.kind, *asked] == ["implement"] * 4
        assert screen.query_one(CodeAnswer).display


async def test_ctrl_e_without_a_terminal_to_hand_over_says_so(tmp_path: Path) -> None:
    bank = make_bank(tmp_path, ONE_DRILL)
    app = _app(bank, tmp_path / "data", Clock())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        code = app.screen.query_one(CodeAnswer)
        before = code.source
        await pilot.press("ctrl+e")  # the headless test driver cannot suspend the app
        await pilot.pause()
        assert code.source == before
        assert [n.message for n in app._notifications] == ["This terminal cannot hand over to an external editor."]


async def test_an_endless_loop_never_blocks_the_screen(tmp_path: Path) -> None:
    bank = make_bank(tmp_path, ONE_DRILL)
    app = _app(bank, tmp_path / "data", Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        code = app.screen.query_one(CodeAnswer)
        code.editor.load_text("def softmax(x, axis=-1):\n    while True:\n        pass\n")
        await pilot.press("ctrl+r")
        await pilot.press("ctrl+g")  # handled while the judge waits for the child
        await pilot.pause()
        assert code.busy and _status(code).startswith("Running your code")
        assert _text(code.query_one("#code-hints")).startswith("Hint 1/")
        # fixed while the loop is judged, and submitted: the fixed code is judged and graded
        code.editor.load_text(get_drill("softmax").model_solution)
        await pilot.press("ctrl+s")
        assert code.editor.read_only and code.busy
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        # the loop's verdict, then the submitted code's (the second judge may start before or after the
        # first wait returns: wait until no judge is left)
        for _ in range(3):
            await _judged(app, pilot)
            if not code.busy:
                break
        assert screen.result is not None and screen.result.correct is True
        assert screen.result.answer == get_drill("softmax").model_solution
        attempts = app.store.events([EventKind.DRILL_ATTEMPT], key="code-softmax")
        assert [e.data["ok"] for e in attempts] == [False, True]
        assert "while True" in attempts[0].data["source"]


async def test_a_missed_drill_in_a_quiz_summary_shows_the_model_solution(tmp_path: Path) -> None:
    from quizforge.tui.screens.quiz_summary import QuizSummaryScreen

    bank = make_bank(tmp_path, ONE_DRILL)
    launch = Launch(screen="quiz", topics=("code.numpy",), count=1)
    app = make_app(tmp_path / "data", bank, "en", now=Clock(), launch=launch, seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        code = app.screen.query_one(CodeAnswer)
        code.editor.load_text(NO_MAX)
        await pilot.press("ctrl+s")
        await _judged(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuizSummaryScreen)
        shown = _text(app.screen.query_one("#quiz-misses"))
        assert "1 to review" in shown and "def softmax(x, axis=-1):" in shown
