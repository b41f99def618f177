"""The one path from a presented card to a saved review, shared by study, quiz and mock.

A card is drawn (:func:`present`), answered (:func:`grade_answer`: expected value, tolerance, verdict,
proposed rating, the answer's time) and recorded (:func:`build_review`, :func:`record`: the review row,
``scheduling.apply`` and the store write). Which kind a card is never matters here: every
kind-specific step is a :class:`~quizforge.kinds.QuestionKind` method.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from quizforge.answer import AnswerKind
from quizforge.bank import Question
from quizforge.kinds import Expected, QuestionKind, get, kind_of
from quizforge.store import Card, Review, Source, Store
from quizforge.study.scheduling import Rating, Scheduling
from quizforge.text import Text

if TYPE_CHECKING:
    from quizforge.grading.verdict import Verdict
    from quizforge.numeric.base import Instance


@dataclass(frozen=True)
class Presented:
    """A card as shown to the user. For a generated question, ``instance`` is freshly drawn."""

    question: Question
    card: Card
    review_id: str  # the UUID the review will be saved under (it also fixes the interval fuzz)
    shown_at: datetime
    instance: Instance | None = None  # what the kind drew for this presentation (see QuestionKind.draw)

    @property
    def card_id(self) -> str:
        return self.question.id

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def question_kind(self) -> QuestionKind:
        return kind_of(self.question)

    @property
    def is_new(self) -> bool:
        return self.card.is_new

    @property
    def prompt(self) -> Text:
        return self.question_kind.prompt(self.question, self.instance)

    @property
    def choices(self) -> tuple[Text, ...]:
        return self.question_kind.choices(self.question, self.instance)

    @cached_property
    def expected(self) -> Expected:
        """The right answer of this presentation (worked out once: screens ask it on every key)."""
        return self.question_kind.expected(self.question, self.instance)

    @property
    def answer_kind(self) -> AnswerKind | None:
        """How a typed answer is read (``None``: it is not parsed, e.g. a self-graded concept card)."""
        return self.expected.answer_kind

    @property
    def self_graded(self) -> bool:
        """Whether the answer is revealed and the user ticks key points (a concept card)."""
        return self.question_kind.self_graded

    @property
    def seed(self) -> int | None:
        return self.question_kind.seed(self.instance)


def present(question: Question, card: Card | None, at: datetime, rng: random.Random, drawn: Any = None) -> Presented:
    """``question`` as shown at ``at``: its kind draws what it needs (a generated instance) from ``rng``,
    unless the caller chose it (``drawn``: a generated instance at the learner's level, or a re-check)."""
    if drawn is None:
        drawn = kind_of(question).draw(question, rng)
    card = card or Card(question.id, topic=question.topic)
    return Presented(question, card, str(uuid.uuid4()), at, drawn)


def propose_rating(kind: str, correct: bool, seconds: float) -> Rating:
    """Wrong → Again; right → Good, or Easy when fast, Hard when slow (the kind's ``speed`` thresholds)."""
    if not correct:
        return Rating.Again
    fast, slow = get(kind).speed
    if seconds <= fast:
        return Rating.Easy
    if seconds >= slow:
        return Rating.Hard
    return Rating.Good


def after_last_review(at: datetime, card: Card) -> datetime:
    """``at``, or 1 µs after the card's last review when it is not later: replay orders a card's
    reviews by time, so two reviews of one card never share a timestamp."""
    last = card.memory.last_review
    if last is not None and at <= last:
        return last + timedelta(microseconds=1)
    return at


@dataclass(frozen=True)
class Graded:
    """What one answer earned: the expected answer, the verdict (``None``: judged elsewhere), the
    rating proposed, and when it counts as given."""

    expected: Expected
    verdict: Verdict | None
    proposed: Rating
    answered_at: datetime
    seconds: float


def grade_answer(p: Presented, text: str, at: datetime, lang: str) -> Graded:
    """Grade ``text`` as the answer to ``p`` given at ``at`` (moved after the card's last review)."""
    at = after_last_review(at, p.card)
    seconds = max(0.0, (at - p.shown_at).total_seconds())
    kind = p.question_kind
    verdict = kind.grade(p.question, p.instance, text, lang)
    if verdict is not None:
        proposed = propose_rating(p.kind, verdict.correct, seconds)
    else:
        # a self-graded card proposes Again until the user's ticks show what they knew
        proposed = Rating.Again if p.self_graded else Rating.Good
    cap = kind.best_rating(p.instance)
    if cap is not None:
        proposed = Rating(min(int(proposed), cap))
    return Graded(p.expected, verdict, proposed, at, seconds)


def unreadable_answer(p: Presented, text: str, lang: str) -> str | None:
    """Why a typed answer to ``p`` cannot be read, as the live preview says it ("can't read `1/`: …").

    Returns:
        ``None`` when there is nothing to refuse: blank text (a deliberate "no answer"), free text
        (nothing is parsed), or an answer that reads.
    """
    kind = p.answer_kind
    if kind is None or not text.strip():
        return None
    from quizforge.grading import AnswerParseError, parse_answer
    from quizforge.grading.preview import unreadable

    try:
        parse_answer(text, kind, n_choices=len(p.choices) or None)
    except AnswerParseError as error:
        return unreadable(text, error, lang)
    return None


def propose_for_ticks(kind: str, ticked: list[bool], correct: bool, seconds: float) -> Rating:
    """The rating a self-graded answer earns: Again with nothing ticked, Hard for a partial answer
    (some points ticked, not enough to pass), and for a pass what :func:`propose_rating` says."""
    if correct:
        return propose_rating(kind, True, seconds)
    return Rating.Hard if any(ticked) else Rating.Again


def build_review(
    p: Presented,
    *,
    review_id: str,
    rating: Rating,
    at: datetime,
    source: Source,
    answer: str,
    correct: bool,
    score: float | None,
    duration_ms: int,
) -> Review:
    """The review-log row of an answer to ``p`` (with, for a generated question, the instance's level
    and the named mistake a wrong answer matches)."""
    level, mistake = p.question_kind.level_and_mistake(p.question, p.instance, answer)
    return Review(
        id=review_id,
        card_id=p.card_id,
        rating=int(rating),
        reviewed_at=at,
        source=source,
        seed=p.seed,
        answer=answer,
        correct=correct,
        score=score,
        duration_ms=duration_ms,
        level=level,
        mistake=mistake,
    )


def record(store: Store, scheduling: Scheduling, before: Card, review: Review, *, reschedule: bool = True) -> Card:
    """Save ``review`` with the card's new state (``before`` unchanged when not ``reschedule``, as in
    cram mode); call inside the store's transaction. Returns the card as saved."""
    after = scheduling.apply(before, review.rating, review.reviewed_at, review.id) if reschedule else before
    store.record_review(review, after)
    return after
