"""The base of quizforge's screens: typed access to the app that owns the store, bank and language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from textual.screen import Screen

if TYPE_CHECKING:
    from quizforge.tui.app import QuizforgeApp
    from quizforge.tui.widgets.code import CodeAnswer

ResultT = TypeVar("ResultT")


class AppScreen(Screen[ResultT], Generic[ResultT]):
    @property
    def qf(self) -> QuizforgeApp:
        """The running :class:`~quizforge.tui.app.QuizforgeApp`."""
        from quizforge.tui.app import QuizforgeApp

        assert isinstance(self.app, QuizforgeApp)
        return self.app

    def on_code_answer_attempted(self, event: CodeAnswer.Attempted) -> None:
        """Keep code the user ran or submitted as the card's last attempt (study, quiz and mock alike)."""
        from quizforge.kinds.implement import save_attempt

        save_attempt(self.qf.store, event.card_id, event.drill, event.source, event.verdict, event.hints, self.qf.now())

async def recompose_in(screen: Screen[Any], lang: str) -> None:
    """Draw again, in ``lang``, a screen that builds all its text in ``compose`` (a dialog, a form),
    keeping what the user typed or chose and where the focus was."""
    from textual.widgets import Input, Select

    inputs = {w.id: w.value for w in screen.query(Input) if w.id}
    selects = {w.id: w.value for w in screen.query(Select) if w.id}
    focused = screen.focused.id if screen.focused is not None else None
    if "lang" in vars(screen):  # else the screen's language is a property of its own (a choice it shows)
        screen.lang = lang  # type: ignore[attr-defined]
    await screen.recompose()
    for w in screen.query(Input):
        if w.id in inputs:
            w.value = inputs[w.id]
    for s in screen.query(Select):
        if s.id in selects:
            s.value = selects[s.id]
    if focused is not None:
        for widget in screen.query(f"#{focused}"):
            widget.focus()
