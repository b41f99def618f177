"""Choose what to study: topics or whole areas, kinds, or only the weakest topics (``ModalScreen[Focus]``).

Opens with the last focus ticked and Start focused, so studying the same again is one Enter.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, SelectionList, Static

from quizforge.bank import Bank, Kind
from quizforge.i18n import t
from quizforge.study.focus import Focus, area_label, area_prefixes, describe
from quizforge.text import Lang


class FocusDialog(ModalScreen[Focus | None]):
    """Dismisses with the chosen :class:`Focus`, or ``None`` on Escape."""

    CSS_PATH = "focus.tcss"  # its styles, read when it first opens (quizforge.tcss: the first frame's)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", t("action.cancel", Lang.EN)),
        Binding("ctrl+s", "start", t("action.start", Lang.EN)),
        Binding("a", "everything", t("focus.everything", Lang.EN)),
    ]

    def __init__(self, bank: Bank, current: Focus, lang: str) -> None:
        super().__init__()
        self.bank = bank
        self.current = current
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang, bank, current = self.lang, self.bank, self.current
        topics: list[tuple[str, str, bool]] = []
        for prefix in area_prefixes(bank):
            topics.append((area_label(prefix, lang), prefix, prefix in current.topics))
            for tid in bank.topics:
                if tid.split(".", 1)[0] == prefix:
                    topics.append((f"  {bank.topic_name(tid, lang)}", tid, tid in current.topics))
        present = {q.kind for q in bank}
        kinds = [k for k in (*Kind, *sorted(present - set(Kind))) if k in present]
        with Vertical(id="focus-box"):
            yield Static(t("focus.title", lang), classes="title")
            yield Static(t("focus.showing", lang, what=describe(current, bank, lang)), id="focus-now", classes="muted")
            yield Label(t("focus.topics", lang))
            yield SelectionList[str](*topics, id="focus-topics", compact=True)
            yield Label(t("focus.kinds", lang))
            yield SelectionList[str](
                *((t(f"kind.{k}", lang), str(k), str(k) in current.kinds) for k in kinds),
                id="focus-kinds",
                compact=True,
            )
            yield Checkbox(t("focus.weakest_option", lang), current.weakest, id="focus-weakest", compact=True)
            with Horizontal(id="focus-buttons"):
                yield Button(f"{t('action.start', lang)} (^s)", id="start", variant="primary", compact=True)
                yield Button(f"{t('focus.everything', lang)} (a)", id="everything", compact=True)
                yield Button(f"{t('action.cancel', lang)} (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()
        topics = self.query_one("#focus-topics", SelectionList)
        ticked = set(topics.selected)
        first = next((i for i in range(topics.option_count) if topics.get_option_at_index(i).value in ticked), None)
        if first is not None:  # the last focus in view
            topics.highlighted = first

    def chosen(self) -> Focus:
        """The focus the dialog shows now."""
        topics = tuple(self.query_one("#focus-topics", SelectionList).selected)
        kinds_list = self.query_one("#focus-kinds", SelectionList)
        kinds = tuple(kinds_list.selected)
        if len(kinds) == kinds_list.option_count:
            kinds = ()  # every kind ticked is no filter
        return Focus(topics, kinds, self.query_one("#focus-weakest", Checkbox).value)

    @on(SelectionList.SelectedChanged)
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        what = describe(self.chosen(), self.bank, self.lang)
        self.query_one("#focus-now", Static).update(t("focus.showing", self.lang, what=what))

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        self.dismiss(self.chosen())

    @on(Button.Pressed, "#everything")
    def action_everything(self) -> None:
        self.dismiss(Focus())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
