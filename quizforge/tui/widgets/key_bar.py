"""A footer of the screen's main keys in the current language (Textual's Footer shows the bindings'
fixed English descriptions; this one follows the language switch).

It always fits on one line: the last ``pinned`` keys (how to go back and how to quit) are always shown,
and the others, in the order given (most useful first), as many as the width leaves room for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from rich.text import Text as RichText
from textual.widgets import Static

from quizforge.i18n import t

QUIT_KEY = ("^q", "action.quit")  # the app's ctrl+q, which works on every screen


def key_bar_text(
    keys: Sequence[tuple[str, str]], lang: str, width: int, pinned: int = 1, lookup: Callable[[str, str], str] = t
) -> RichText:
    """The bar for ``width`` cells: every pinned key, and the others in order while they fit."""
    items = [(key, lookup(name, lang)) for key, name in keys]
    cut = max(0, len(items) - pinned)
    head, tail = items[:cut], items[cut:]

    def cells(item: tuple[str, str]) -> int:
        return cell_len(item[0]) + cell_len(item[1]) + 4  # " key " and " label "

    room = width - sum(cells(item) for item in tail)
    shown = []
    for item in head:
        room -= cells(item)
        if room < 0:
            break
        shown.append(item)
    out = RichText(no_wrap=True, overflow="crop")
    for key, label in shown + tail:
        out.append(f" {key} ", style="bold reverse")
        out.append(f" {label} ")
    return out


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $footer-background; color: $footer-foreground; }
    """

    def __init__(
        self,
        keys: Sequence[tuple[str, str]],
        lang: str,
        lookup: Callable[[str, str], str] = t,
        *,
        pinned: int = 1,
    ) -> None:
        """``keys`` are (key label, catalogue key) pairs, the last ``pinned`` always shown; ``lookup``
        turns a catalogue key into text."""
        self.lookup = lookup
        self.keys = list(keys)
        self.lang = lang
        self.pinned = pinned
        super().__init__()

    def _content(self, width: int) -> RichText:
        return key_bar_text(self.keys, self.lang, width, self.pinned, self.lookup)

    def render(self) -> RichText:
        return self._content(self.size.width or 80)

    def show(self, keys: Sequence[tuple[str, str]], lang: str) -> None:
        """Show ``keys`` as (key label, string key) pairs in ``lang``."""
        self.keys, self.lang = list(keys), lang
        self.refresh()

    @property
    def text(self) -> str:
        """What the bar shows at its current width (for tests and the language switch's checks)."""
        return self._content(self.size.width or 80).plain
