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

from quizforge.i18n import RATING_KEYS, rating_name, t

NAMES = RATING_KEYS  # the catalogue keys of the rating names, by rating
VARIANTS = {1: "error", 2: "warning", 3: "success", 4: "primary"}


def format_interval(delta: timedelta, lang: str) -> str:
    """``90 s`` → ``2 min``; ``3 days`` → ``3 d`` / ``3天``; months and years for long intervals."""
    seconds = max(0.0, delta.total_seconds())
    if seconds < 3600:
        return t("interval.minutes", lang, n=max(1, round(seconds / 60)))
    if seconds < 86400:
        return t("interval.hours", lang, n=round(seconds / 3600))
    days = seconds / 86400
    if days < 30.5:
        return t("interval.days", lang, n=round(days))
    if days < 365:
        return t("interval.months", lang, n=f"{days / 30.44:.1f}")
    return t("interval.years", lang, n=f"{days / 365.25:.1f}")


class RatingBar(Horizontal):
    @dataclass
    class Rated(Message):
        rating: int

    def __init__(self, lang: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lang = lang

    def compose(self) -> ComposeResult:
        for r in NAMES:
            yield Button(
                f"{r} {rating_name(r, self.lang)}",
                id=f"rate-{r}",
                variant=VARIANTS[r],  # type: ignore[arg-type]
                compact=True,
            )

    def show(self, intervals: Mapping[int, timedelta], proposed: int) -> None:
        for r in NAMES:
            button = self.query_one(f"#rate-{r}", Button)
            when = intervals.get(r)
            label = f"{r} {rating_name(r, self.lang)}"
            button.label = f"{label} · {format_interval(when, self.lang)}" if when is not None else label
            button.set_class(r == proposed, "proposed")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("rate-"):
            self.post_message(self.Rated(int(event.button.id.removeprefix("rate-"))))
