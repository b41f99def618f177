"""A part of a card on screen (choices, hint, verdict, solution) that takes no room while it is empty,
so a long prompt keeps every row a small terminal has."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text as RichText
from textual.visual import VisualType
from textual.widgets import Static


def _empty(content: object) -> bool:
    if isinstance(content, (str, RichText)):
        return not str(content) if isinstance(content, str) else not content.plain
    if isinstance(content, Group):
        return all(_empty(part) for part in content.renderables)
    return False


class CardPart(Static):
    """A :class:`Static` hidden while its content is empty."""

    def __init__(self, content: VisualType = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(content, id=id, classes=classes)
        self.display = not _empty(content)

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        super().update(content, layout=layout)
        self.display = not _empty(content)
