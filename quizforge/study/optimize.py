"""Fitting personal FSRS parameters to the review log with fsrs-rs-python (the Rust crate Anki uses)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

from quizforge.store import Review, Store
from quizforge.study.exchange import replay_cards
from quizforge.study.scheduling import Scheduling

# Fewer training items than this give parameters no better than the defaults (Anki asks for a few
# hundred reviews too). An item is one review with at least one earlier review on another day.
MIN_TRAINING_ITEMS = 400


class NotEnoughHistory(Exception):
    def __init__(self, have: int, need: int) -> None:
        super().__init__(f"{have} usable reviews, {need} needed")
        self.have = have
        self.need = need


@dataclass(frozen=True)
class Fit:
    parameters: tuple[float, ...]
    items: int  # training items used
    cards_rescheduled: int


def _day_number(at: datetime, day_start_hour: int) -> int:
    return (at.astimezone(UTC) - timedelta(hours=day_start_hour)).toordinal()


def training_items(reviews: Iterable[Review], day_start_hour: int = 4) -> list[list[tuple[int, int]]]:
    """Per-card review histories as fsrs-rs wants them: for each review after a card's first, the
    history up to it as ``(rating, days since the previous review)`` pairs (0 for the first).

    Only items with at least one review on a later day than the one before it are kept.
    """
    by_card: dict[str, list[Review]] = {}
    for r in reviews:
        if r.scheduled:
            by_card.setdefault(r.card_id, []).append(r)
    items: list[list[tuple[int, int]]] = []
    for history in by_card.values():
        history.sort(key=lambda r: (r.reviewed_at, r.id))
        pairs: list[tuple[int, int]] = []
        prev_day: int | None = None
        long_term = False
        for r in history:
            day = _day_number(r.reviewed_at, day_start_hour)
            delta = 0 if prev_day is None else day - prev_day
            prev_day = day
            pairs.append((r.rating, delta))
            if len(pairs) > 1:
                long_term = long_term or delta > 0
                if long_term:
                    items.append(list(pairs))
    return items


def clamp_parameters(parameters: Sequence[float]) -> tuple[float, ...]:
    """Parameters inside py-fsrs's accepted bounds (fsrs-rs works in float32 and may touch them)."""
    return tuple(
        min(max(float(p), lo), hi)
        for p, lo, hi in zip(parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
    )


def fit_parameters(items: Sequence[Sequence[tuple[int, int]]]) -> tuple[float, ...]:
    from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS, FSRSItem, FSRSReview

    if len(items) < MIN_TRAINING_ITEMS:
        raise NotEnoughHistory(len(items), MIN_TRAINING_ITEMS)
    fsrs_items = [FSRSItem([FSRSReview(rating, delta) for rating, delta in item]) for item in items]
    return clamp_parameters(FSRS(DEFAULT_PARAMETERS).compute_parameters(fsrs_items))


def optimize(store: Store, *, reschedule: bool = False) -> Fit:
    """Fit parameters to the whole log, store them, and optionally rebuild every card with them.

    Raises:
        NotEnoughHistory: with how many usable reviews there are and how many are needed.
    """
    settings = store.settings()
    items = training_items(store.reviews(scheduled_only=True), settings.day_start_hour)
    parameters = fit_parameters(items)
    settings = store.set_settings(fsrs_parameters=parameters)
    n = 0
    if reschedule:
        ids = sorted({r.card_id for r in store.reviews(scheduled_only=True)})
        n = replay_cards(store, ids, Scheduling(settings))
    return Fit(parameters, len(items), n)
