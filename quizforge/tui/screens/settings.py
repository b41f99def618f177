"""Settings: language, desired retention, daily limits, day start hour, new-card order. Returns the new settings."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static

from quizforge.i18n import t
from quizforge.store.models import NEW_ORDERS, Settings
from quizforge.text import Lang
from quizforge.tui.screens.base import recompose_in
from quizforge.tui.widgets.key_bar import QUIT_KEY, KeyBar
from quizforge.tui.widgets.title_bar import TitleBar

# field -> (label key, parse, lower bound, upper bound)
_NUMERIC: dict[str, tuple[str, type[int] | type[float], float, float]] = {
    "desired_retention": ("settings.retention", float, 0.70, 0.99),
    "new_per_day": ("settings.new_per_day", int, 0, 999),
    "reviews_per_day": ("settings.reviews_per_day", int, 0, 9999),
    "day_start_hour": ("settings.day_start", int, 0, 23),
}


def parse_settings(
    current: Settings, language: str, raw: dict[str, str], lang: str, new_order: str | None = None
) -> Settings | str:
    """New settings from the form's text, or a one-line message naming the first bad field."""
    values: dict[str, object] = {"language": language}
    if new_order is not None:
        values["new_order"] = new_order
    for name, (label, kind, lo, hi) in _NUMERIC.items():
        text = raw[name].strip()
        try:
            value = kind(text)
        except ValueError:
            return t("settings.invalid_setting", lang, field=t(label, lang), message=f"'{text}'")
        if not lo <= value <= hi:
            return t("settings.invalid_setting", lang, field=t(label, lang), message=f"{lo:g}–{hi:g}")
        values[name] = value
    return dataclasses.replace(current, **values)  # type: ignore[arg-type]


KEYS = [("^s", "action.save"), ("esc", "action.cancel"), QUIT_KEY]


class SettingsScreen(Screen[Settings | None]):
    CSS_PATH = "settings.tcss"  # its styles, read when it first opens (quizforge.tcss: the first frame's)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", t("action.cancel", Lang.EN)),
        Binding("ctrl+s", "save", t("action.save", Lang.EN)),
    ]

    def __init__(self, settings: Settings, lang: str) -> None:
        super().__init__()
        self.settings = settings
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield TitleBar()
        with VerticalScroll(id="settings-form"):
            yield Static(t("action.settings", lang), classes="title")
            yield Label(t("settings.language", lang))
            yield Select(
                [("English", "en"), ("中文", "zh")], value=self.settings.language, allow_blank=False, id="language"
            )
            for name, (label, _, _, _) in _NUMERIC.items():
                yield Label(t(label, lang))
                yield Input(str(getattr(self.settings, name)), id=name)
            yield Label(t("settings.new_order", lang))
            yield Select(
                [(t(f"settings.order.{o}", lang), o) for o in NEW_ORDERS],
                value=self.settings.new_order,
                allow_blank=False,
                id="new_order",
            )
            yield Static(id="settings-error", classes="muted")
            with Horizontal(id="settings-buttons"):
                yield Button(f"{t('action.save', lang)} (ctrl+s)", id="save", variant="primary")
                yield Button(f"{t('action.cancel', lang)} (esc)", id="cancel")
                yield Button(t("settings.plan", lang), id="plan")
        yield KeyBar(KEYS, lang, pinned=2)

    def on_mount(self) -> None:
        self.query_one("#language", Select).focus()

    async def apply_language(self) -> None:
        """ctrl+l: the form in the new language, which it shows as chosen; other edits are kept."""
        lang = self.app.lang  # type: ignore[attr-defined]
        await recompose_in(self, lang)
        self.query_one("#language", Select).value = lang

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        language = self.query_one("#language", Select).value
        raw = {name: self.query_one(f"#{name}", Input).value for name in _NUMERIC}
        order = str(self.query_one("#new_order", Select).value)
        result = parse_settings(self.settings, str(language), raw, self.lang, order)
        if isinstance(result, str):
            self.query_one("#settings-error", Static).update(result)
            self.notify(result, severity="error")
            return
        self.dismiss(result)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#plan")
    async def _plan(self) -> None:
        await self.run_action("app.start('plan')")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
