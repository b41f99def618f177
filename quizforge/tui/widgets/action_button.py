"""A one-line button for the dashboard's activities: Enter or a click opens one.

Textual's ``Button`` brings ~250 lines of styles (every variant, border and state) that are parsed
and matched before the first frame; the dashboard's row of six needs one look, so this keeps the
compact button's appearance with a few rules (docs/architecture.md §8: the start-up budget).
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static


class ActionButton(Static, can_focus=True):
    """Looks like a compact ``Button``; pressing it posts :class:`ActionButton.Pressed`."""

    DEFAULT_CSS = """
    ActionButton {
        width: auto;
        height: 1;
        padding: 0 1;
        text-style: bold;
        color: $button-foreground;
        background: $surface;
        pointer: pointer;
        &:hover { background: $surface-darken-1; }
        &:focus { text-style: $button-focus-text-style; background-tint: $foreground 5%; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "press", show=False)]

    class Pressed(Message):
        """The button was pressed (Enter while focused, or a click)."""

        def __init__(self, button: ActionButton) -> None:
            self.button = button
            super().__init__()

        @property
        def control(self) -> ActionButton:
            return self.button

    def action_press(self) -> None:
        self.post_message(self.Pressed(self))

    async def _on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_press()
