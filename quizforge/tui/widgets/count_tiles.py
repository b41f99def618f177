"""Today's numbers on the dashboard: four boxes side by side, drawn by one widget.

Four bordered ``Static`` tiles in a row cost five widgets' styles and layout before the first frame; the
same boxes drawn with Rich cost one (docs/architecture.md §8: the start-up budget).
"""

from __future__ import annotations

from typing import ClassVar

from rich import box
from rich.console import RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from textual.widget import Widget


class CountTiles(Widget):
    """Boxes of (number, label), equal widths across the widget, in the order they were first set."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"count-tiles--border"}
    DEFAULT_CSS = """
    CountTiles { height: 4; }
    CountTiles > .count-tiles--border { color: $primary; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._tiles: dict[str, tuple[str, str]] = {}

    def set(self, key: str, value: str, label: str) -> None:
        """Show ``value`` above ``label`` in the box ``key``."""
        self._tiles[key] = (value, label)
        self.refresh()

    def text(self, key: str) -> str:
        """The box ``key``'s value and label, as shown (for tests and screen readers)."""
        value, label = self._tiles[key]
        return f"{value}\n{label}"

    def render(self) -> RenderableType:
        border = self.get_component_rich_style("count-tiles--border")
        grid = Table.grid(expand=True)
        for _ in self._tiles:
            grid.add_column(ratio=1)
        grid.add_row(
            *(
                Panel(
                    Text.assemble((f"{value}\n", "bold"), label, justify="center", no_wrap=True, overflow="ellipsis"),
                    box=box.ROUNDED,
                    border_style=border,
                    height=4,
                )
                for value, label in self._tiles.values()
            )
        )
        return grid
