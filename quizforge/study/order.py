"""The order in which new cards are introduced (the ``new_order`` setting): pure functions of the bank.

Three orders, each keeping **fundamentals first**: a topic's questions come in bank order, topics in
the catalogue's (syllabus) order, and a follow-up never comes before the question it follows:

- ``interleaved`` (the default): areas take turns (maths, optimisation, learning, …); in an area's
  turn its earliest topic gives the card, of the kind furthest behind its share of the new cards,
  so a first day mixes concept, choice, numeric and generated cards from several areas instead of a
  run of concept cards from one;
- ``by_topic``: one topic after another, in syllabus order;
- ``random``: shuffled by the session's random generator (the same seed gives the same order).

Follow-ups: a card whose parent is itself still new waits (its parent's rating would bury it for the
day anyway); only when nothing else is left does it come, and then after its parent.
"""

from __future__ import annotations

import random
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from quizforge.bank import Bank


class NewOrder(StrEnum):
    """The values of the ``new_order`` setting (``store.models.NEW_ORDERS``)."""

    INTERLEAVED = "interleaved"
    BY_TOPIC = "by_topic"
    RANDOM = "random"


@dataclass(frozen=True, slots=True)
class _New:
    card_id: str
    area: str
    kind: str
    topic: int  # the topic's place in the catalogue
    rank: int  # syllabus position: topic in catalogue order, then bank order


def area_of(bank: Bank, topic: str) -> str:
    """The catalogue's area of ``topic`` (its id's first part when the catalogue does not name it)."""
    t = bank.topics.get(topic)
    return t.area if t is not None else topic.split(".", 1)[0]


def syllabus_rank(bank: Bank) -> Callable[[str], int]:
    """A sort key for topic ids: catalogue order, unknown topics last."""
    rank = {topic: i for i, topic in enumerate(bank.topics)}
    last = len(rank)
    return lambda topic: rank.get(topic, last)


def order_new(
    entries: Sequence[tuple[str, str]],
    limit: int,
    bank: Bank,
    order: str = NewOrder.INTERLEAVED,
    rng: random.Random | None = None,
) -> list[str]:
    """Up to ``limit`` new card ids, in the order they should be introduced.

    Args:
        entries: ``(card_id, topic)`` of the candidate new cards, in bank order; ids not in ``bank``
            are left out.
        limit: How many to return.
        bank: Gives each card's kind, area, follow-ups and the topics' syllabus order.
        order: A :class:`NewOrder` value (an unknown one is taken as the default).
        rng: Shuffles the ``random`` order (``None``: a fresh generator).

    Returns:
        Card ids, at most ``limit``.
    """
    if limit <= 0 or not entries:
        return []
    if order == NewOrder.RANDOM:
        # a uniform sample, in random order, large enough that follow-ups waiting for a parent leave enough
        entries = (rng or random.Random()).sample(list(entries), min(len(entries), limit * 4 + 50))
    else:
        entries = _first_per_topic(entries, limit * 2 + 10)  # a day never needs more from one topic
    questions = bank.questions
    topic_rank = syllabus_rank(bank)
    areas: dict[str, str] = {}
    cards: list[_New] = []
    for i, (card_id, topic) in enumerate(entries):
        q = questions.get(card_id)
        if q is None:
            continue
        if topic not in areas:
            areas[topic] = area_of(bank, topic)
        place = topic_rank(topic)
        cards.append(_New(card_id, areas[topic], q.kind, place, place * (len(entries) + 1) + i))
    if order != NewOrder.RANDOM:
        cards.sort(key=lambda c: c.rank)
    picker: _Picker = _Interleaver(cards) if order not in (NewOrder.BY_TOPIC, NewOrder.RANDOM) else _InOrder(cards)
    pool = {c.card_id for c in cards}
    parents = _new_parents(bank, pool)
    placed: set[str] = set()

    def no_new_parent(c: _New) -> bool:
        return not parents.get(c.card_id)

    def parents_placed(c: _New) -> bool:
        return all(p in placed for p in parents.get(c.card_id, ()))

    out: list[str] = []
    for allowed in (no_new_parent, parents_placed, lambda c: True):
        while len(out) < limit:
            card = picker.take(allowed)
            if card is None:
                break
            out.append(card.card_id)
            placed.add(card.card_id)
    return out


def _first_per_topic(entries: Sequence[tuple[str, str]], n: int) -> list[tuple[str, str]]:
    """The first ``n`` entries of each topic, in their order (a large collection's queue stays cheap)."""
    seen: Counter[str] = Counter()
    out = []
    for entry in entries:
        if seen[entry[1]] < n:
            seen[entry[1]] += 1
            out.append(entry)
    return out


def _new_parents(bank: Bank, pool: set[str]) -> dict[str, list[str]]:
    """For each card of ``pool``, the questions of ``pool`` that list it as a follow-up."""
    parents: dict[str, list[str]] = {}
    for parent in pool:
        for child in bank.questions[parent].follow_ups:
            if child in pool and child != parent:
                parents.setdefault(child, []).append(parent)
    return parents


class _Picker(Protocol):
    def take(self, allowed: Callable[[_New], bool]) -> _New | None:
        """The next card ``allowed`` accepts, removed from the picker (``None``: there is none)."""


class _InOrder:
    """The first allowed card in the given order."""

    def __init__(self, cards: Iterable[_New]) -> None:
        self.cards = list(cards)

    def take(self, allowed: Callable[[_New], bool]) -> _New | None:
        for i, card in enumerate(self.cards):
            if allowed(card):
                del self.cards[i]
                return card
        return None


class _Interleaver:
    """Areas in turn (in syllabus order); in an area's turn, the kind furthest behind its share."""

    def __init__(self, cards: Sequence[_New]) -> None:
        self.lanes: dict[str, dict[str, deque[_New]]] = {}
        for card in cards:  # syllabus order: areas and, in each, kinds appear in the order of their first card
            self.lanes.setdefault(card.area, {}).setdefault(card.kind, deque()).append(card)
        self.share = Counter(c.kind for c in cards)
        self.taken: Counter[str] = Counter()
        self.turn = 0  # index of the area whose turn it is

    def take(self, allowed: Callable[[_New], bool]) -> _New | None:
        areas = list(self.lanes)
        for step in range(len(areas)):
            area = areas[(self.turn + step) % len(areas)]
            lanes = self.lanes[area]
            firsts = [(c, k) for k, lane in lanes.items() if (c := next((c for c in lane if allowed(c)), None))]
            if not firsts:
                continue
            # the area's earliest topic first; inside it, the kind furthest behind its share
            card, kind = min(firsts, key=lambda f: (f[0].topic, self.taken[f[1]] / self.share[f[1]], f[0].rank))
            lane = lanes[kind]
            lane.remove(card)
            if not lane:
                del lanes[kind]
            at = (self.turn + step) % len(areas)
            if not lanes:
                del self.lanes[area]  # the next area moves into its index
                self.turn = at if at < len(areas) - 1 else 0
            else:
                self.turn = (at + 1) % len(areas)
            self.taken[kind] += 1
            return card
        return None
