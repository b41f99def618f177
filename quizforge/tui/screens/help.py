"""``?``: every key of the app, by screen, in the current language."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from quizforge.i18n import RATING_KEYS, rating_name, t
from quizforge.text import Lang

# (section's catalogue key, [(key label, catalogue key of what it does)])
KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "help.section.everywhere",
        [
            ("?", "help.this_help"),
            ("ctrl+p", "help.palette"),
            ("escape / q", "help.back"),
            ("ctrl+t", "help.theme"),
            ("ctrl+l", "help.language"),
            ("ctrl+q", "help.quit"),
        ],
    ),
    (
        "help.section.dashboard",
        [
            ("s", "help.study"),
            ("f", "help.focus"),
            ("↓ enter", "help.study_topic"),
            ("z", "help.quiz"),
            ("m", "help.mock"),
            ("r", "help.report"),
            ("b", "help.browse"),
            ("o", "help.settings"),
        ],
    ),
    (
        "help.section.study",
        [
            ("space / enter", "help.reveal"),
            ("a–f", "help.tick"),
            ("a–f / 1–9", "help.pick"),
            ("enter", "help.submit"),
            ("1 2 3 4", "help.rate"),
            ("u / ctrl+u", "help.undo"),
            ("s / ctrl+s", "help.suspend"),
            ("p", "help.snippet"),
            ("↑ ↓ / PgUp PgDn", "help.scroll"),
        ],
    ),
    (
        "help.section.drill",
        [
            ("ctrl+r", "help.drill_run"),
            ("ctrl+s", "help.drill_submit"),
            ("ctrl+g", "help.drill_hint"),
            ("ctrl+e", "help.drill_editor"),
        ],
    ),
    (
        "help.section.mock",
        [
            ("ctrl+s", "help.mock_submit"),
            ("F2 / ctrl+n", "help.mock_pass"),
            ("escape", "help.mock_abandon"),
            ("↑ ↓ / space / a–f", "help.scorecard_tick"),
            ("t", "help.scorecard_study"),
        ],
    ),
    (
        "help.section.browse",
        [
            ("/", "help.search"),
            ("↑ ↓", "help.move"),
            ("ctrl+s", "help.toggle_suspend"),
        ],
    ),
]


def _what(key: str, lang: str) -> str:
    if key == "help.rate":  # the rating names come from their one home in the catalogue
        ratings = t("list.separator", lang).join(rating_name(r, lang) for r in RATING_KEYS)
        return t(key, lang, ratings=ratings)
    return t(key, lang)


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "dialogs.tcss"  # its styles, read when it first opens (quizforge.tcss: the first frame's)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", t("action.back", Lang.EN)),
        Binding("q", "dismiss", t("action.back", Lang.EN), show=False),
        Binding("question_mark", "dismiss", t("action.back", Lang.EN), show=False),
    ]

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, pad_edge=False, expand=True)
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for section, rows in KEYS:
            table.add_row(t(section, self.lang), "", style="bold underline")
            for key, what in rows:
                table.add_row(key, _what(what, self.lang))
            table.add_row("", "")
        with VerticalScroll(id="help-box"):
            yield Static(t("help.title", self.lang), classes="title")
            yield Static(table)
