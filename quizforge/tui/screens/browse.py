"""Browse the bank: search by text, #tag or id, filter by topic and kind, preview, history, suspend."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.text import Text as RichText
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Select, Static

from quizforge.bank.schema import Kind, Question
from quizforge.i18n import RATING_KEYS, rating_name, t, tn
from quizforge.store import Card, Phase, Review
from quizforge.text import Lang
from quizforge.tui.screens.base import AppScreen
from quizforge.tui.widgets.card_text import question_preview
from quizforge.tui.widgets.key_bar import QUIT_KEY, KeyBar
from quizforge.tui.widgets.title_bar import TitleBar

PREVIEW_SEED = 1
TEXT_CHARS = 48  # the results table shows this much of each question's first line


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


def first_line(q: Question, lang: Lang | str) -> str:
    """The first non-empty line of ``q``'s prompt (a generated question's: its family's title), cut to fit a row."""
    text = q.prompt.get(lang) if q.prompt else ""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if not line and q.generator:
        from quizforge.numeric.base import get_family

        try:
            line = get_family(q.generator).title.get(lang)
        except KeyError:
            line = q.generator
    return line if len(line) <= TEXT_CHARS else line[: TEXT_CHARS - 1] + "…"


def card_state(card: Card | None, lang: Lang | str) -> str:
    """A card's state for the results table: suspended, new, learning, or the local date it is due."""
    if card is not None and card.suspended:
        return t("browse.state.suspended", lang)
    if card is None or card.memory.phase == Phase.NEW:
        return t("browse.state.new", lang)
    if card.memory.phase != Phase.REVIEW or card.memory.due is None:
        return t("browse.state.learning", lang)
    return t("browse.state.due", lang, date=f"{card.memory.due.astimezone():%Y-%m-%d}")


def history_text(card: Card | None, reviews: list[Review], lang: Lang | str) -> RenderableType:
    """A card's last ten reviews, its next due date and whether it is suspended, for the preview."""
    suspended = card is not None and card.suspended
    if not reviews:
        return RichText(
            t("browse.never_reviewed", lang) + (f" [{t('browse.state.suspended', lang)}]" if suspended else "")
        )
    lines = RichText()
    for r in reviews[-10:]:
        local = r.reviewed_at.astimezone()
        mark = "✓" if r.correct else "✗" if r.correct is False else "·"
        name = rating_name(r.rating, lang) if r.rating in RATING_KEYS else str(r.rating)
        lines.append(f"{local:%Y-%m-%d %H:%M}  {mark} {name}  ({r.source})\n")
    if card is not None and card.memory.due is not None:
        lines.append(f"{t('browse.next_due', lang)}: {card.memory.due.astimezone():%Y-%m-%d %H:%M}")
    if suspended:
        lines.append(f"  [{t('browse.state.suspended', lang)}]", style="yellow")
    return lines


KEYS = [
    ("/", "action.search"),
    ("↑↓", "action.next"),
    ("^s", "action.suspend"),
    ("?", "action.help"),
    ("esc", "action.back"),
    QUIT_KEY,
]


class BrowseScreen(AppScreen[None]):
    CSS_PATH = "browse.tcss"  # its styles, read when it first opens (quizforge.tcss: the first frame's)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", t("action.back", Lang.EN)),
        Binding("slash", "focus_search", t("action.search", Lang.EN), key_display="/"),
        Binding("ctrl+s", "toggle_suspend", t("browse.toggle_suspend", Lang.EN)),
        # the results table and the selects use ↓ themselves; in the search box it moves to the results
        Binding("down", "results_down", show=False),
    ]

    def compose(self) -> ComposeResult:
        lang = self.qf.lang
        bank = self.qf.bank
        yield TitleBar()
        with Horizontal(id="browse-filters"):
            yield Input(placeholder=t("browse.search_placeholder", lang), id="search")
            yield Select(
                [(f"{bank.topic_name(tid, lang)} · {tid}", tid) for tid in bank.topics],
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
        yield KeyBar(KEYS, lang, pinned=2)

    # the card rows, read once when the browser opens (not on every keystroke of a search);
    # suspending a card updates its entry
    _cards: dict[str, Card] | None = None

    def on_mount(self) -> None:
        table = self.query_one("#results", DataTable)
        lang = self.qf.lang
        table.add_columns(t("browse.state", lang), t("browse.text", lang), "id")
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
        if self._cards is None:
            self._cards = {c.card_id: c for c in self.qf.store.cards()}
        cards = self._cards
        for q in found:
            table.add_row(card_state(cards.get(q.id), lang), first_line(q, lang), q.id, key=q.id)
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
            f"{q.id} · {t(f'kind.{q.kind}', lang)} · "
            f"{t('browse.topic', lang)}: {self.qf.bank.topic_name(q.topic, lang)} · "
            f"{t('browse.difficulty', lang)} {q.difficulty}"
            + (f" · {t('browse.tags', lang)}: {', '.join(q.tags)}" if q.tags else "")
            + (f" · {t('browse.follow_ups', lang)}: {', '.join(q.follow_ups)}" if q.follow_ups else ""),
            style="dim",
        )
        parts: list[RenderableType] = [meta, RichText(""), question_preview(q, lang, instance)]
        history = history_text(self.qf.store.card(qid), self.qf.store.reviews(qid), lang)
        parts += [RichText(""), RichText(t("browse.history", lang), style="bold underline"), history]
        self.query_one("#preview", Static).update(Group(*parts))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_results_down(self) -> None:
        table = self.query_one("#results", DataTable)
        if self.focused is self.query_one("#search", Input) and table.row_count:
            table.focus()
            table.action_cursor_down()

    def action_toggle_suspend(self) -> None:
        """Suspend the selected card, or make a suspended one active again; the toast says the new state."""
        qid = self.current_id()
        if qid is None:
            return
        card = self.qf.store.card(qid)
        suspended = card is None or not card.suspended
        if suspended:
            self.qf.service.suspend(qid)
        else:
            self.qf.service.unsuspend(qid)
        lang = self.qf.lang
        state = t("browse.state.suspended" if suspended else "browse.state.active_again", lang)
        self.notify(t("browse.card_state", lang, state=state, card=qid))
        table = self.query_one("#results", DataTable)
        updated = self.qf.store.card(qid)
        if updated is not None and self._cards is not None:
            self._cards[qid] = updated
        table.update_cell(qid, table.ordered_columns[0].key, card_state(updated, lang))
        self.show(qid)
