"""A widget of the mock interview's scorecard: a key point the user ticks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text as RichText
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static


class KeyPointToggle(Static, can_focus=True):
    """``[x] a) key point`` — Space, Enter or a click toggles it; the screen sets ``on`` back.

    Posts :class:`KeyPointToggle.Toggled` up; it never changes the scorecard itself.
    """

    DEFAULT_CSS = """
    KeyPointToggle { height: auto; padding: 0 1; }
    KeyPointToggle:focus { background: $boost; text-style: bold; }
    KeyPointToggle.-on { color: $success; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("space,enter", "flip", show=False)]

    @dataclass
    class Toggled(Message):
        question_index: int
        point_index: int

    def __init__(self, question_index: int, point_index: int, text: str, on: bool, note: str = "") -> None:
        """``note`` follows the text, dimmed (the scorecard says "(suggested)" for keyword ticks)."""
        super().__init__(self._line(point_index, text, on, note), classes="-on" if on else "")
        self.question_index = question_index
        self.point_index = point_index
        self.text = text
        self.note = note
        self.on = on

    @staticmethod
    def _line(point_index: int, text: str, on: bool, note: str) -> RichText:
        label = "abcdefghi"[point_index] if point_index < 9 else "·"
        line = RichText(f"[{'x' if on else ' '}] {label}) ")
        line.append(text)
        if note:
            line.append("  " + note, style="dim italic")
        return line

    def set_on(self, on: bool) -> None:
        self.on = on
        self.update(self._line(self.point_index, self.text, on, self.note))
        self.set_class(on, "-on")

    def action_flip(self) -> None:
        self.post_message(self.Toggled(self.question_index, self.point_index))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.focus()
        self.action_flip()
