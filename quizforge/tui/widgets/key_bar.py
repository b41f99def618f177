"""A footer of the screen's main keys in the current language (Textual's Footer shows the bindings'
fixed English descriptions; this one follows the language switch)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text as RichText
from textual.widgets import Static

from quizforge.i18n import t


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $footer-background; color: $footer-foreground; }
    """

    def __init__(self, keys: Sequence[tuple[str, str]], lang: str, lookup: Callable[[str, str], str] = t) -> None:
        """``keys`` are (key label, catalogue key) pairs; ``lookup`` turns a key into text."""
        self.lookup = lookup
        super().__init__(self._content(keys, lang))  # in the first frame, not one refresh later
        self.keys = list(keys)
        self.lang = lang

    def _content(self, keys: Sequence[tuple[str, str]], lang: str) -> RichText:
        out = RichText(no_wrap=True, overflow="ellipsis")
        for key, name in keys:
            out.append(f" {key} ", style="bold reverse")
            out.append(f" {self.lookup(name, lang)}  ")
        return out

    def show(self, keys: Sequence[tuple[str, str]], lang: str) -> None:
        """Show ``keys`` as (key label, string key) pairs in ``lang``."""
        self.keys, self.lang = list(keys), lang
        self.update(self._content(keys, lang))
