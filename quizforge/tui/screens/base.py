"""The base of quizforge's screens: typed access to the app that owns the store, bank and language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

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
