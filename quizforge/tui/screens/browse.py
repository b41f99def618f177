"""Browse the bank: search by text, #tag or id, filter by topic and kind, preview, history, suspend."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text as RichText
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Header, Input, Select, Static

from quizforge.bank.schema import Kind, Question
from quizforge.i18n import t, tn
from quizforge.text import Lang
from quizforge.tui.screens.base import AppScreen
from quizforge.tui.widgets.card_text import question_preview
from quizforge.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    pass

PREVIEW_SEED = 1


def matches(q: Question, query: str) -> bool:
    """Whether ``q`` matches a search: every word must match the id, a tag (``#tag``) or the text."""
    words = query.lower().split()
    if not words:
        return True
    hay = " ".join(
        [
            q.id,
            q.prompt.en,
            q.prompt.zh,
            *(part for text in q.body.searchable() for part in (text.en, text.zh)),
            q.generator or "",
        ]
    ).lower()
    tags = {tag.lower() for tag in q.tags}
    for w in words:
        if w.startswith("#"):
            if w[1:] not in tags:
                return False
        elif w not in hay and w not in tags:
            return False
    return True


KEYS = [
    ("/", "action.search"),
    ("↑↓", "action.next"),
    ("^s", "action.suspend"),
    ("esc", "action.back"),
    ("?", "action.help"),
]


class BrowseScreen(AppScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", t("action.back", Lang.EN)),
        Binding("slash", "focus_search", t("action.search", Lang.EN), key_display="/"),
        Binding("ctrl+s", "toggle_suspend", t("browse.toggle_suspend", Lang.EN)),
    ]

    def compose(self) -> ComposeResult:
        lang = self.qf.lang
        bank = self.qf.bank
        yield Header()
        with Horizontal(id="browse-filters"):
            yield Input(placeholder=t("browse.search_placeholder", lang), id="search")
            yield Select(
                [(f"{tid} · {bank.topic_name(tid, lang)}", tid) for tid in bank.topics],
                prompt=t("browse.all_topics", lang),
                id="topic",
            )
            yield Select(
                [(t(f"kind.{k.value}", lang), k.value) for k in Kind], prompt=t("browse.all_kinds", lang), id="kind"
            )
        with Horizontal(id="browse-body"):
            yield DataTable(id="results", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="preview-pane"):
                yield Static(id="preview")
        yield Static(id="browse-status")
        yield KeyBar(KEYS, lang)

    def on_mount(self) -> None:
        table = self.query_one("#results", DataTable)
        table.add_columns("id", t("browse.kind", self.qf.lang))
        self.refill()
        table.focus()

    async def apply_language(self) -> None:
        await self.recompose()
        self.on_mount()

    def filtered(self) -> list[Question]:
        query = self.query_one("#search", Input).value
        topic = self.query_one("#topic", Select).value
        kind = self.query_one("#kind", Select).value
        out = []
        for q in self.qf.bank:
            if isinstance(topic, str) and q.topic != topic:
                continue
            if isinstance(kind, str) and q.kind != kind:
                continue
            if matches(q, query):
                out.append(q)
        return out

    def refill(self) -> None:
        table = self.query_one("#results", DataTable)
        table.clear()
        found = self.filtered()
        lang = self.qf.lang
        for q in found:
            table.add_row(q.id, t(f"kind.{q.kind}", lang), key=q.id)
        self.query_one("#browse-status", Static).update(tn("browse.matches", len(found), lang))
        if found:
            self.show(found[0].id)
        else:
            self.query_one("#preview", Static).update("")

    @on(Input.Changed, "#search")
    @on(Select.Changed)
    def _filters_changed(self) -> None:
        self.refill()

    @on(DataTable.RowHighlighted, "#results")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.show(event.row_key.value)

    def current_id(self) -> str | None:
        table = self.query_one("#results", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def show(self, qid: str) -> None:
        q = self.qf.bank.get(qid)
        if q is None:
            return
        lang = self.qf.lang
        instance = None
        if q.generator:
            from quizforge.numeric.base import get_family

            instance = get_family(q.generator).generate(PREVIEW_SEED)
        meta = RichText(
            f"{q.id} · {t('browse.topic', lang)}: {self.qf.bank.topic_name(q.topic, lang)} · "
            f"{t('browse.difficulty', lang)} {q.difficulty}"
            + (f" · {t('browse.tags', lang)}: {', '.join(q.tags)}" if q.tags else "")
            + (f" · {t('browse.follow_ups', lang)}: {', '.join(q.follow_ups)}" if q.follow_ups else ""),
            style="dim",
        )
        parts: list[RenderableType] = [meta, RichText(""), question_preview(q, lang, instance)]
        history = self.qf.card_history_text(qid)
        if history is not None:
            parts += [RichText(""), RichText(t("browse.history", lang), style="bold underline"), history]
        self.query_one("#preview", Static).update(Group(*parts))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_toggle_suspend(self) -> None:
        qid = self.current_id()
        if qid is None:
            return
        message = self.qf.toggle_suspend(qid)
        if message:
            self.notify(message)
        self.show(qid)
