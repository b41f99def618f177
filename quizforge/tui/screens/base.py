"""The base of quizforge's screens: typed access to the app that owns the store, bank and language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from textual.screen import Screen

if TYPE_CHECKING:
    from quizforge.tui.app import QuizforgeApp

ResultT = TypeVar("ResultT")


class AppScreen(Screen[ResultT], Generic[ResultT]):
    @property
    def qf(self) -> QuizforgeApp:
        """The running :class:`~quizforge.tui.app.QuizforgeApp`."""
        from quizforge.tui.app import QuizforgeApp

        assert isinstance(self.app, QuizforgeApp)
        return self.app
