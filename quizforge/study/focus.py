"""What a study session is about: some topics or areas, some kinds, or the user's weakest topics.

A :class:`Focus` is chosen in the TUI (the dashboard's topic table, the focus dialog, the command
palette) and remembered as the ``focus`` setting (a setting event, so export and sync carry it) in
the token form of :meth:`Focus.tokens`: topic ids and area prefixes as ``--topic`` takes them
(``cnn.pool``, ``cnn``), ``kind:NAME`` for a kind, and ``weakest``. Light at import: the dashboard
shows the last focus on its first paint.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from quizforge.bank import Bank
from quizforge.bank.schema import in_topics
from quizforge.store import Settings, Store

WEAKEST_TOPICS = 3  # how many topics "my weakest topics" studies
_KIND = "kind:"
_WEAKEST = "weakest"


@dataclass(frozen=True)
class Focus:
    """Topics (ids or area prefixes; empty: all), kinds (empty: all), and whether to keep only the
    weakest topics among them."""

    topics: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    weakest: bool = False

    @property
    def everything(self) -> bool:
        return not (self.topics or self.kinds or self.weakest)

    def tokens(self) -> tuple[str, ...]:
        """The ``focus`` setting's value."""
        return (*self.topics, *(_KIND + k for k in self.kinds), *((_WEAKEST,) if self.weakest else ()))

    @classmethod
    def from_tokens(cls, tokens: Iterable[str], bank: Bank | None = None) -> Focus:
        """The focus a setting names; with ``bank``, topics and kinds it no longer has are dropped."""
        topics: list[str] = []
        kinds: list[str] = []
        weakest = False
        known_kinds = {q.kind for q in bank} if bank is not None else None
        for token in tokens:
            if token == _WEAKEST:
                weakest = True
            elif token.startswith(_KIND):
                kind = token.removeprefix(_KIND)
                if known_kinds is None or kind in known_kinds:
                    kinds.append(kind)
            elif bank is None or any(in_topics(t, [token]) for t in bank.topics):
                topics.append(token)
        return cls(tuple(dict.fromkeys(topics)), tuple(dict.fromkeys(kinds)), weakest)


def weakest_topics(
    store: Store,
    bank: Bank,
    settings: Settings,
    now: datetime,
    among: Sequence[str] = (),
    n: int = WEAKEST_TOPICS,
) -> list[str]:
    """The ``n`` topics whose reviewed cards the user is likeliest to have forgotten now.

    A topic counts only once one of its cards has been reviewed (a topic never started is not weak,
    only new); its weakness is the mean retrievability of its reviewed cards, lowest first, ties in
    catalogue order.

    Args:
        among: Only topics these ids or area prefixes select (empty: every topic).
    """
    ids, topics, stability, last = store.memory_columns()
    if not ids:
        return []
    import numpy as np  # deferred, with FSRS: the dashboard imports this module on its first paint

    from quizforge.study.scheduling import Scheduling, retrievability

    params = settings.fsrs_parameters or Scheduling(settings).scheduler.parameters
    r = retrievability(np.asarray(stability, dtype=float), np.asarray(last, dtype=float), now, params)
    sums: dict[str, float] = {}
    counts: dict[str, int] = {}
    questions = bank.questions
    for card_id, topic, value in zip(ids, topics, r.tolist(), strict=True):
        if card_id in questions and in_topics(topic, among):
            sums[topic] = sums.get(topic, 0.0) + value
            counts[topic] = counts.get(topic, 0) + 1
    place = {t: i for i, t in enumerate(bank.topics)}
    ranked = sorted(sums, key=lambda t: (sums[t] / counts[t], place.get(t, len(place)), t))
    return ranked[:n]


@dataclass(frozen=True)
class Resolved:
    """What a focus selects now: the session's ``topics`` and ``kinds`` filters (``None``: no filter)."""

    topics: list[str] | None
    kinds: list[str] | None


def resolve(focus: Focus, store: Store, bank: Bank, settings: Settings, now: datetime) -> Resolved | None:
    """The filters a session needs for ``focus``; ``None`` when it asks for the weakest topics and
    none has been reviewed yet."""
    topics: list[str] | None = list(focus.topics) or None
    if focus.weakest:
        topics = weakest_topics(store, bank, settings, now, among=focus.topics)
        if not topics:
            return None
    return Resolved(topics, list(focus.kinds) or None)


def describe(focus: Focus, bank: Bank, lang: str) -> str:
    """The focus in words: ``Pooling, cnn.* · generated, numeric · weakest topics``."""
    from quizforge.i18n import t

    if focus.everything:
        return t("focus.everything", lang)
    sep = t("list.separator", lang)
    parts = []
    if focus.topics:
        names = [bank.topic_name(x, lang) if x in bank.topics else f"{x}.*" for x in focus.topics]
        parts.append(sep.join(names))
    if focus.kinds:
        parts.append(sep.join(t(f"kind.{k}", lang) if f"kind.{k}" in _kind_keys() else k for k in focus.kinds))
    if focus.weakest:
        parts.append(t("focus.weakest", lang))
    return " · ".join(parts)


def _kind_keys() -> frozenset[str]:
    from quizforge.i18n import keys

    return frozenset(k for k in keys() if k.startswith("kind."))
