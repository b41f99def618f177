"""Four rating buttons (Again/Hard/Good/Easy) with the next interval each would give, like Anki's.

The parent sets ``intervals`` and ``proposed``; a press (or the keys 1–4 / Enter, bound by the
screen) posts :class:`RatingBar.Rated` up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from quizforge.tui.strings import t

NAMES = {1: "again", 2: "hard", 3: "good", 4: "easy"}
VARIANTS = {1: "error", 2: "warning", 3: "success", 4: "primary"}


def format_interval(delta: timedelta, lang: str) -> str:
    """``90 s`` → ``2 min``; ``3 days`` → ``3 d`` / ``3天``; months and years for long intervals."""
    seconds = max(0.0, delta.total_seconds())
    zh = lang == "zh"
    if seconds < 3600:
        n = max(1, round(seconds / 60))
        return f"{n}分钟" if zh else f"{n} min"
    if seconds < 86400:
        n = round(seconds / 3600)
        return f"{n}小时" if zh else f"{n} h"
    days = seconds / 86400
    if days < 30.5:
        n = round(days)
        return f"{n}天" if zh else f"{n} d"
    if days < 365:
        months = days / 30.44
        return f"{months:.1f}个月" if zh else f"{months:.1f} mo"
    years = days / 365.25
    return f"{years:.1f}年" if zh else f"{years:.1f} y"


class RatingBar(Horizontal):
    @dataclass
    class Rated(Message):
        rating: int

    def __init__(self, lang: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lang = lang

    def compose(self) -> ComposeResult:
        for r, name in NAMES.items():
            yield Button(
                f"{r} {t(name, self.lang)}",
                id=f"rate-{r}",
                variant=VARIANTS[r],  # type: ignore[arg-type]
                compact=True,
            )

    def show(self, intervals: Mapping[int, timedelta], proposed: int) -> None:
        for r, name in NAMES.items():
            button = self.query_one(f"#rate-{r}", Button)
            when = intervals.get(r)
            label = f"{r} {t(name, self.lang)}"
            button.label = f"{label} · {format_interval(when, self.lang)}" if when is not None else label
            button.set_class(r == proposed, "proposed")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("rate-"):
            self.post_message(self.Rated(int(event.button.id.removeprefix("rate-"))))
