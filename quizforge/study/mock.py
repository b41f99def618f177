"""A mock interview with no screen: questions as an interviewer asks them, under time, scored at the end.

The flow::

    interview = MockInterview(store, bank, minutes=30, questions=8, seed=1, now=clock)
    interview.start()
    while interview.current is not None and not interview.expired:
        interview.answer(text)          # or interview.pass_(); nothing is graded or shown yet
    scorecard = interview.finish()      # grades everything; concept key points pre-ticked from keywords
    scorecard.tick(0, 1, True)          # the user corrects a suggestion
    interview.save()                    # a MockResult plus one review per asked question (source "mock")

The main questions are decided up front by :func:`select_questions`, a pure function of the bank,
the user's per-topic strengths (:func:`topic_strengths`) and a seeded ``random.Random``: at most one
per concept group (:func:`concept_groups`). Follow-ups are decided after each answer, as an
interviewer would: a weak or partial answer gets the card's follow-up chain (at most
:data:`MAX_FOLLOW_UP_DEPTH` deep), a numeric answer with a named mistake the targeted re-check, a
strong answer or a pass the next main question; only when it fits in the time left.
"""

from __future__ import annotations

import math
import random
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from quizforge.bank import Bank, KeyPoint, Question
from quizforge.bank.schema import in_topics
from quizforge.grading.keypoints import keyword_hits as keyword_hits
from quizforge.grading.keypoints import suggest_ticks as suggest_ticks
from quizforge.kinds import kind_of
from quizforge.store import Card, MockResult, Source, Store
from quizforge.study.answering import Presented, after_last_review, build_review, grade_answer, present, record
from quizforge.study.scheduling import Rating, Scheduling
from quizforge.study.session import utc_now
from quizforge.study.tutoring import Tutor
from quizforge.text import Text

if TYPE_CHECKING:
    from quizforge.numeric.base import Instance

ARCH_CHOICE_TOPIC = "arch.choice"
CODE_TOPIC = "code.numpy"  # where the coding question of a mock comes from
CODE_KIND = "implement"
MAX_FOLLOW_UP_DEPTH = 2  # a root question, then at most two follow-ups digging deeper
LAPSE_WEIGHT = 0.25  # how much one lapse per question adds to a topic's weakness (1 = never studied)
WEAKEST_MIN_TOPICS = 3  # "my weakest" asks about at least this many topics
STRONG_ANSWER = 1.0  # an answer scoring below this (a key point missed, partial credit) gets a follow-up
FOLLOW_UP_SHARE = 0.5  # a follow-up needs half a question's share of the time, kept for each one still to come


# -- selection -------------------------------------------------------------------------------------


class Slot(StrEnum):
    """The kinds of question a mock mixes: what an interviewer's next question is about."""

    CONCEPT = "concept"  # a concept question outside arch.choice
    NUMERIC = "numeric"  # numeric or generated: work it out on paper
    CHOICE = "choice"
    ARCH = "arch"  # an architecture-choice scenario (topic arch.choice, any kind)


# The order roots are drawn in. Every third root comes from the user's strong topics.
SLOT_CYCLE: tuple[Slot, ...] = (
    Slot.CONCEPT,
    Slot.NUMERIC,
    Slot.CHOICE,
    Slot.ARCH,
    Slot.CONCEPT,
    Slot.NUMERIC,
    Slot.CONCEPT,
    Slot.CHOICE,
)
STRONG_EVERY = 3


def slot_of(question: Question) -> Slot:
    """The slot ``question`` fills: arch.choice questions the architecture slot, others their kind's."""
    if question.topic == ARCH_CHOICE_TOPIC:
        return Slot.ARCH
    return Slot(kind_of(question).mock_slot)


@dataclass(frozen=True)
class TopicStrength:
    """How well the user knows a topic, for choosing what a mock asks."""

    topic: str
    questions: int
    retrievability: float  # mean over the topic's questions; never-reviewed questions count 0
    lapses: int
    reviewed: int  # questions reviewed at least once

    @property
    def weakness(self) -> float:
        """1 for a topic never studied; lower the better it is remembered; lapses add to it."""
        per_question = self.lapses / max(1, self.questions)
        return (1.0 - self.retrievability) + LAPSE_WEIGHT * per_question


def topic_strengths(
    bank: Bank, cards: Mapping[str, Card], now: datetime, scheduling: Scheduling
) -> dict[str, TopicStrength]:
    """Per-topic strength of the bank's questions.

    Args:
        bank: The question bank.
        cards: The user's card rows by card id (missing ones are never studied).
        now: The time retrievability is evaluated at.
        scheduling: The user's FSRS setup (for the forgetting curve).

    Returns:
        One :class:`TopicStrength` per topic that has questions.
    """
    acc: dict[str, list[float]] = {}  # topic -> [questions, sum R, lapses, reviewed]
    for q in bank:
        a = acc.setdefault(q.topic, [0, 0.0, 0, 0])
        a[0] += 1
        card = cards.get(q.id)
        if card is None or card.is_new:
            continue
        a[1] += scheduling.retrievability(card.memory, now)
        a[2] += card.memory.lapses
        a[3] += 1
    return {
        topic: TopicStrength(topic, int(n), total / n if n else 0.0, int(lapses), int(reviewed))
        for topic, (n, total, lapses, reviewed) in acc.items()
    }


# -- concept groups --------------------------------------------------------------------------------

# Prompts of one topic whose content words overlap at least this much (Jaccard) ask the same thing:
# "5 sigmoid layers" as a numeric card and "10 sigmoid layers" as a choice card.
SAME_PROMPT = 0.7
_STOP_WORDS = frozenset(
    (  # noqa: SIM905 (a word list reads best as words)
        "a an the of to in on for by is are be it its and or with what which how why do does you your that this as "
        "at from can than when into their them they we there these those"
    ).split()
)
_WORD = re.compile(r"[a-zα-ω′]+")
_groups_cache: tuple[Bank, dict[str, str]] | None = None


def _stem(word: str) -> str:
    for suffix in ("ing", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def prompt_words(text: str) -> frozenset[str]:
    """The content words of an English prompt, crudely stemmed; numbers dropped (they vary between variants)."""
    return frozenset(_stem(w) for w in _WORD.findall(text.casefold()) if len(w) > 1 and w not in _STOP_WORDS)


def _sample_prompt(question: Question) -> str:
    """A question's English prompt; a generated one's is its family's title and the instance of seed 0."""
    if question.generator is None:
        return question.prompt.en
    from quizforge.numeric.base import get_family

    fam = get_family(question.generator)
    return f"{fam.title.en} {fam.generate(0).prompt.en}"


def concept_groups(bank: Bank) -> dict[str, str]:
    """The concept group of every question: questions that ask the same thing share one.

    Derived from the bank (docs/mock.md): a follow-up belongs to the group of the first question (in
    bank order) that lists it; questions of one generator family are one group; questions of one
    topic whose prompts share at least :data:`SAME_PROMPT` of their content words are one group. A
    group is named by its first question in bank order. The last bank's groups are kept.

    Returns:
        Question id → concept id.
    """
    global _groups_cache
    if _groups_cache is not None and _groups_cache[0] is bank:
        return _groups_cache[1]
    order = [q.id for q in bank]
    parent = {qid: qid for qid in order}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb, key=position.__getitem__)] = min(ra, rb, key=position.__getitem__)

    position = {qid: i for i, qid in enumerate(order)}
    first_parent: dict[str, str] = {}
    by_family: dict[str, str] = {}
    by_topic: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for q in bank:
        for f in q.follow_ups:
            if f in parent:
                first_parent.setdefault(f, q.id)
        if q.generator is not None:
            union(q.id, by_family.setdefault(q.generator, q.id))
        words = prompt_words(_sample_prompt(q))
        if len(words) >= 3:
            by_topic.setdefault(q.topic, []).append((q.id, words))
    for child, first in first_parent.items():
        union(child, first)
    for entries in by_topic.values():
        for i, (a, wa) in enumerate(entries):
            for b, wb in entries[i + 1 :]:
                if len(wa & wb) >= SAME_PROMPT * len(wa | wb):
                    union(a, b)
    groups = {qid: find(qid) for qid in order}
    _groups_cache = (bank, groups)
    return groups


@dataclass(frozen=True)
class Planned:
    """One main question of the interview plan (follow-ups are decided during the interview)."""

    question_id: str
    depth: int = 0
    concept: str = ""  # its concept group (:func:`concept_groups`)


def weakest_topics(
    bank: Bank, strengths: Mapping[str, TopicStrength], rng: random.Random, *, count: int, topics: Sequence[str] | None
) -> list[str]:
    """The user's weakest topics ("my weakest"): weakest first, as many as hold ``count`` concept groups
    (at least :data:`WEAKEST_MIN_TOPICS`); ties (topics never studied) in random order."""
    groups = concept_groups(bank)
    per_topic: dict[str, set[str]] = {}
    for q in bank:
        if in_topics(q.topic, topics) and kind_of(q).in_mock:
            per_topic.setdefault(q.topic, set()).add(groups[q.id])

    def weakness(topic: str) -> float:
        s = strengths.get(topic)
        return 1.0 if s is None else s.weakness

    ranked = sorted(per_topic, key=lambda t: (-weakness(t), rng.random()))
    chosen: list[str] = []
    covered: set[str] = set()
    for topic in ranked:
        if len(chosen) >= WEAKEST_MIN_TOPICS and len(covered) >= count:
            break
        chosen.append(topic)
        covered |= per_topic[topic]
    return chosen


def select_questions(
    bank: Bank,
    strengths: Mapping[str, TopicStrength],
    rng: random.Random,
    *,
    count: int = 8,
    topics: Sequence[str] | None = None,
    suspended: Iterable[str] = (),
    weakest: bool = False,
    include_code: bool = False,
) -> list[Planned]:
    """Choose a mock interview's main questions, in the order they are asked.

    Roots are drawn in :data:`SLOT_CYCLE` order (concept, numeric, choice, architecture choice, …).
    Each root comes from the weakest topic that has an unused question of that slot, topics used
    least so far first; every :data:`STRONG_EVERY`-th root comes from the stronger half of the
    topics instead. Questions that are nobody's follow-up are preferred as roots. At most one
    question of a concept group (:func:`concept_groups`) is chosen. Follow-ups are not planned:
    :class:`MockInterview` decides them after each answer.

    Args:
        bank: The question bank.
        strengths: Per-topic strengths (:func:`topic_strengths`); a topic missing counts as never studied.
        rng: The only source of randomness (seed it for a reproducible draw).
        count: Main questions in total (the coding question included).
        topics: Only these topics (ids or area prefixes).
        suspended: Card ids never to ask.
        weakest: Only the user's weakest topics (:func:`weakest_topics`), all of them weak.
        include_code: End with a coding question (an ``implement`` card of :data:`CODE_TOPIC`).

    Returns:
        The plan; shorter than ``count`` when the selection has fewer concept groups.
    """
    skip = set(suspended)
    groups = concept_groups(bank)
    code: Question | None = None
    if include_code and count > 0:
        drills = [q for q in bank if q.topic == CODE_TOPIC and q.kind == CODE_KIND and q.id not in skip]
        if drills:
            code = rng.choice(drills)
            count -= 1
    if weakest:
        topics = weakest_topics(bank, strengths, rng, count=count, topics=topics)
    eligible = {q.id: q for q in bank if q.id not in skip and in_topics(q.topic, topics) and kind_of(q).in_mock}
    plan: list[Planned] = []
    if count > 0 and eligible:
        plan = _select_roots(eligible, groups, strengths, rng, count, strong_mix=not weakest)
    if code is not None:
        plan.append(Planned(code.id, 0, groups[code.id]))
    return plan


def _select_roots(
    eligible: Mapping[str, Question],
    groups: Mapping[str, str],
    strengths: Mapping[str, TopicStrength],
    rng: random.Random,
    count: int,
    *,
    strong_mix: bool,
) -> list[Planned]:
    is_follow_up = {f for q in eligible.values() for f in q.follow_ups if f in eligible}
    # a group with a question that is nobody's follow-up is asked through it; its follow-ups stay for later
    rooted = {groups[q] for q in eligible if q not in is_follow_up}

    def weakness(topic: str) -> float:
        s = strengths.get(topic)
        return 1.0 if s is None else s.weakness

    by_topic: dict[str, list[Question]] = {}
    for q in eligible.values():
        by_topic.setdefault(q.topic, []).append(q)
    # weakest first; ties (say, every topic never studied) in random order
    ranked = sorted(by_topic, key=lambda t: (-weakness(t), rng.random()))
    rank = {t: i for i, t in enumerate(ranked)}
    n_weak = max(1, math.ceil(len(ranked) / 2))
    weak, strong = ranked[:n_weak], ranked[n_weak:] or ranked
    if not strong_mix:
        weak = strong = ranked
    available = {slot_of(q) for q in eligible.values()}

    plan: list[Planned] = []
    used_concepts: set[str] = set()
    uses: dict[str, int] = dict.fromkeys(ranked, 0)

    def candidates(topic: str, slot: Slot | None) -> list[Question]:
        return [
            q
            for q in by_topic[topic]
            if groups[q.id] not in used_concepts
            and (slot is None or slot_of(q) == slot)
            and not (q.id in is_follow_up and groups[q.id] in rooted)
        ]

    def pick_root(slot: Slot | None, pool: Sequence[str]) -> Question | None:
        having = [t for t in pool if candidates(t, slot)]
        if not having:
            return None
        topic = min(having, key=lambda t: (uses[t], rank[t]))
        return rng.choice(candidates(topic, slot))

    root_index = 0
    slots = [s for s in SLOT_CYCLE if s in available] or list(SLOT_CYCLE)
    while len(plan) < count:
        slot = slots[root_index % len(slots)]
        first, second = (strong, weak) if root_index % STRONG_EVERY == STRONG_EVERY - 1 else (weak, strong)
        root = (
            pick_root(slot, first)
            or pick_root(slot, second)
            or pick_root(None, first)
            or pick_root(None, second)
            or pick_root(None, ranked)
        )
        root_index += 1
        if root is None:
            break
        plan.append(Planned(root.id, 0, groups[root.id]))
        used_concepts.add(groups[root.id])
        uses[root.topic] += 1
    return plan


# -- the interview ---------------------------------------------------------------------------------


class Status(StrEnum):
    ANSWERED = "answered"
    PASSED = "passed"
    TIMED_OUT = "timed_out"  # on screen when the time ran out, with nothing typed
    NOT_REACHED = "not_reached"

    @property
    def asked(self) -> bool:
        """Answered or passed: the user had their go at it (and the schedule hears about it)."""
        return self in (Status.ANSWERED, Status.PASSED)


class Why(StrEnum):
    """Why the interviewer asked a follow-up."""

    WEAK = "weak"  # under KEY_POINTS_PASS of the key points, or no credit at all
    PARTIAL = "partial"  # some key points or some credit, not all
    MISTAKE = "mistake"  # a numeric answer with a named mistake: the targeted re-check


@dataclass(frozen=True)
class FollowUp:
    """Why a question was asked as a follow-up, decided from the answer to the one before.

    Attributes:
        of: Index (in the order asked) of the question it follows up.
        why: The reason.
        score: The answer's credit as judged when deciding (suggested key points, or the grader's score).
        points: ``(suggested, total)`` key points of a concept answer; ``None`` for graded kinds.
        mistake_id: The named mistake a re-check targets.
        mistake: The mistake's explanation (both languages).
    """

    of: int
    why: Why
    score: float
    points: tuple[int, int] | None = None
    mistake_id: str | None = None
    mistake: Text | None = None


def assess(presented: Presented, answer: str) -> tuple[float, tuple[int, int] | None, tuple[Any, ...]] | None:
    """A first judgement of one answer, made right after it to decide on a follow-up.

    Concept answers by the key points the keywords suggest, other kinds by their grader; a coding
    answer is not judged here (the judge runs on the scorecard). Nothing of this is shown until the
    scorecard, where the user's ticks have the last word.

    Returns:
        ``(score, (suggested, total) key points or None, named mistakes)``; ``None`` when the answer
        cannot be judged now.
    """
    kind = presented.question_kind
    if kind.answer_is_code:
        return None
    if kind.self_graded:
        points = presented.expected.key_points
        if not points:
            return None
        ticks = suggest_ticks(points, answer)
        return sum(ticks) / len(ticks), (sum(ticks), len(ticks)), ()
    verdict = kind.grade(presented.question, presented.instance, answer, "en")
    if verdict is None:
        return None
    mistakes: tuple[Any, ...] = ()
    if not verdict.correct and presented.instance is not None:
        from quizforge.kinds.tutor import diagnose_text

        mistakes = diagnose_text(presented.instance, answer)
    return (1.0 if verdict.correct else verdict.score), None, mistakes


@dataclass
class _Asked:
    presented: Presented
    depth: int
    follow_up: FollowUp | None = None
    answer: str = ""
    answered_at: datetime | None = None
    status: Status = Status.NOT_REACHED


@dataclass
class ScoredAnswer:
    """One question on the scorecard. ``ticks`` (concept questions) may be changed by the user."""

    index: int
    question: Question
    depth: int
    status: Status
    answer: str
    seconds: float
    review_id: str
    answered_at: datetime | None
    instance: Instance | None = None
    model_answer: Text | None = None  # concept answer, choice explanation, or worked solution
    model_label: str = "solution"  # the UI text key naming ``model_answer``
    choices: tuple[Text, ...] = ()  # the options shown (choice questions, generated ones with options)
    expected: str = ""  # the right answer as text (auto-scored kinds)
    correct: bool | None = None  # auto-scored kinds; concept questions: see ``score``
    auto_score: float = 0.0
    feedback: Text = field(default_factory=lambda: Text(""))
    key_points: tuple[KeyPoint, ...] = ()
    suggested: tuple[bool, ...] = ()
    hits: tuple[str | None, ...] = ()  # the keyword behind each suggested tick
    ticks: list[bool] = field(default_factory=list)
    follow_up: FollowUp | None = None  # why it was asked, when it is a follow-up
    concept: str = ""

    @property
    def topic(self) -> str:
        return self.question.topic

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def prompt(self) -> Text:
        return kind_of(self.question).prompt(self.question, self.instance)

    @property
    def seed(self) -> int | None:
        return kind_of(self.question).seed(self.instance)

    @property
    def is_concept(self) -> bool:
        """Whether it is scored by the key points the user ticks (a self-graded kind) rather than graded."""
        return kind_of(self.question).self_graded

    @property
    def score(self) -> float:
        """Credit in [0, 1]: the fraction of key points ticked, or the grader's score; 0 unless answered."""
        if self.status != Status.ANSWERED:
            return 0.0
        if self.is_concept:
            return sum(self.ticks) / len(self.ticks) if self.ticks else 0.0
        return self.auto_score

    @property
    def counts_as_right(self) -> bool:
        """Whether the answer counts as right (concept: at least ``KEY_POINTS_PASS`` of the key points)."""
        from quizforge.grading import KEY_POINTS_PASS

        if self.status != Status.ANSWERED:
            return False
        if self.is_concept:
            return bool(self.ticks) and self.score >= KEY_POINTS_PASS - 1e-9
        return bool(self.correct)

    @property
    def rating(self) -> Rating:
        """What the review log gets: right → Good; wrong, passed or under 60 % of key points → Again."""
        return Rating.Good if self.counts_as_right else Rating.Again


def _mean_by(items: Iterable[ScoredAnswer], key: Callable[[ScoredAnswer], str]) -> dict[str, float]:
    sums: dict[str, list[float]] = {}
    for i in items:
        s = sums.setdefault(key(i), [0.0, 0])
        s[0] += i.score
        s[1] += 1
    return {k: 100.0 * total / n for k, (total, n) in sums.items()}


@dataclass
class Scorecard:
    """The interview's outcome. Totals are computed from the items, so ticking updates them."""

    items: list[ScoredAnswer]
    started_at: datetime
    finished_at: datetime
    weakness: Mapping[str, float] = field(default_factory=dict)  # breaks ties between equal topic scores

    def tick(self, question_index: int, key_point_index: int, on: bool) -> None:
        """Tick (or untick) key point ``key_point_index`` of concept question ``question_index``."""
        item = self.items[question_index]
        if not item.is_concept or item.status != Status.ANSWERED:
            raise ValueError(f"question {question_index} has no key points to tick")
        item.ticks[key_point_index] = on

    @property
    def total(self) -> float:
        """Out of 100, every main question weighing the same (passed and not reached count 0).

        A main question's credit is the mean of its own and its follow-ups' scores, so digging
        deeper neither pads nor dilutes the total.
        """
        mains = [i for i in self.items if i.follow_up is None]
        if not mains:
            return 0.0
        chains: dict[int, list[float]] = {}
        root_of: dict[int, int] = {}
        for i in self.items:
            root = i.index if i.follow_up is None else root_of[i.follow_up.of]
            root_of[i.index] = root
            chains.setdefault(root, []).append(i.score)
        return 100.0 * sum(sum(c) / len(c) for c in chains.values()) / len(mains)

    @property
    def asked(self) -> list[ScoredAnswer]:
        return [i for i in self.items if i.status.asked]

    @property
    def answered(self) -> int:
        return sum(1 for i in self.items if i.status == Status.ANSWERED)

    @property
    def follow_ups(self) -> list[ScoredAnswer]:
        """The follow-up questions asked, in order."""
        return [i for i in self.items if i.follow_up is not None]

    @property
    def by_topic(self) -> dict[str, float]:
        """Out of 100 per topic, over the questions asked (answered or passed), in order of first question."""
        return _mean_by(self.asked, lambda i: i.topic)

    @property
    def by_kind(self) -> dict[str, float]:
        """Out of 100 per question kind, over the questions asked, in order of first question."""
        return _mean_by(self.asked, lambda i: str(i.kind))

    @property
    def study_next(self) -> list[str]:
        """Every topic asked that scored below 100, lowest first."""
        scores = self.by_topic  # ties: the weaker topic before the interview, then the one asked first
        weak = [t for t, s in scores.items() if s < 100.0 - 1e-9]
        weak.sort(key=lambda t: (scores[t], -self.weakness.get(t, 1.0)))
        return weak

    @property
    def seconds(self) -> float:
        return max(0.0, (self.finished_at - self.started_at).total_seconds())


@dataclass
class _SavedReview:
    review_id: str
    rating: Rating
    score: float | None
    before: Card


def plan_mock(
    store: Store,
    bank: Bank,
    *,
    questions: int = 8,
    topics: Sequence[str] | None = None,
    weakest: bool = False,
    include_code: bool = False,
    rng: random.Random,
    now: datetime,
) -> list[Planned]:
    """The main questions a mock with these options asks this user (reads the store, writes nothing).

    ``MockInterview`` with the same options and a ``random.Random`` in the same state asks these.
    """
    cards = {c.card_id: c for c in store.cards()}
    strengths = topic_strengths(bank, cards, now, Scheduling(store.settings()))
    suspended = [c.card_id for c in cards.values() if c.suspended]
    return select_questions(
        bank,
        strengths,
        rng,
        count=questions,
        topics=topics,
        suspended=suspended,
        weakest=weakest,
        include_code=include_code,
    )


class MockInterview:
    """A timed mock interview over ``bank``; saves to ``store``.

    Args:
        store: The open database.
        bank: The question bank.
        minutes: The whole interview's time.
        questions: How many main questions (follow-ups come on top, when the time allows).
        topics: Only these topics (ids or area prefixes).
        seed: Makes the draw (questions and generated instances) reproducible; ``None``: fresh.
        now: The clock (timezone-aware); tests inject one.
        rng: The random source, instead of ``random.Random(seed)``.
        weakest: Only the user's weakest topics.
        include_code: End with a coding question.
    """

    def __init__(
        self,
        store: Store,
        bank: Bank,
        *,
        minutes: float = 30,
        questions: int = 8,
        topics: Sequence[str] | None = None,
        seed: int | None = None,
        now: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
        weakest: bool = False,
        include_code: bool = False,
    ) -> None:
        self.store = store
        self.bank = bank
        self.minutes = minutes
        self.count = questions
        self.topics = list(topics) if topics else None
        self.seed = seed
        self.weakest = weakest
        self.include_code = include_code
        self.now = now
        self.rng = rng or random.Random(seed)
        self.id = str(uuid.uuid4())
        self.scheduling = Scheduling(store.settings())
        store.sync_bank((q.id, q.topic) for q in bank)  # a card row for every question, in bank order
        cards = {c.card_id: c for c in store.cards()}
        self.strengths = topic_strengths(bank, cards, now(), self.scheduling)
        self._suspended = {c.card_id for c in cards.values() if c.suspended}
        self.plan = select_questions(
            bank,
            self.strengths,
            self.rng,
            count=questions,
            topics=self.topics,
            suspended=self._suspended,
            weakest=weakest,
            include_code=include_code,
        )
        self._cards = cards
        # generated questions come at the user's level in each family, as in study (re-checks are the
        # interviewer's follow-ups here, not the tutor's)
        self._tutor = Tutor(store, bank)
        self._asked: list[_Asked] = []
        self._next_main = 0
        self.started_at: datetime | None = None
        self._finished_at: datetime | None = None
        self._scorecard: Scorecard | None = None
        self._saved: dict[int, _SavedReview] = {}

    # -- running -----------------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """Main questions planned."""
        return len(self.plan)

    @property
    def index(self) -> int:
        """0-based position of the current main question (a follow-up shares its main question's);
        ``total`` once every question is done."""
        return self._next_main - (1 if self.current is not None else 0)

    @property
    def deadline(self) -> datetime:
        if self.started_at is None:
            raise RuntimeError("the interview has not started")
        return self.started_at + timedelta(minutes=self.minutes)

    def start(self) -> Presented | None:
        """Start the clock and ask the first question."""
        if self.started_at is None:
            self.started_at = self.now()
            self._ask_next()
        return self.current

    @property
    def current(self) -> Presented | None:
        """The question being asked, or ``None`` before the start and after the last one or the end."""
        if self._asked and self._asked[-1].answered_at is None and self._scorecard is None:
            return self._asked[-1].presented
        return None

    @property
    def current_depth(self) -> int:
        return self._asked[-1].depth if self.current is not None else 0

    @property
    def current_follow_up(self) -> FollowUp | None:
        """Why the current question is asked, when it is a follow-up."""
        return self._asked[-1].follow_up if self.current is not None else None

    @property
    def time_left(self) -> timedelta:
        if self.started_at is None:
            return timedelta(minutes=self.minutes)
        return max(timedelta(0), self.deadline - self.now())

    @property
    def expired(self) -> bool:
        return self.started_at is not None and self.now() >= self.deadline

    @property
    def done(self) -> bool:
        """Every question has been answered or passed, or the time is up."""
        return self.started_at is not None and (self.current is None or self.expired)

    def time_on_question(self) -> timedelta:
        p = self.current
        if p is None:
            return timedelta(0)
        return max(timedelta(0), min(self.now(), self.deadline) - p.shown_at)

    def answer(self, text: str) -> Presented | None:
        """Record ``text`` as the answer to the current question (blank = pass) and ask the next.

        Nothing is shown as graded until :meth:`finish`; the answer is judged only to decide whether
        the next question is a follow-up. Returns the next question, or ``None``.
        """
        if not text.strip():
            return self.pass_()
        return self._record(text, Status.ANSWERED)

    def pass_(self) -> Presented | None:
        """Pass the current question (it scores 0) and ask the next."""
        return self._record("", Status.PASSED)

    def _record(self, text: str, status: Status) -> Presented | None:
        if self.current is None:
            raise RuntimeError("no question is being asked")
        asked = self._asked[-1]
        asked.answer = text
        asked.status = status
        asked.answered_at = min(self.now(), self.deadline)
        if not self.expired:
            follow_up = self._follow_up(len(self._asked) - 1)
            if follow_up is not None:
                self._asked.append(follow_up)
            else:
                self._ask_next()
        return self.current

    def _ask_next(self) -> None:
        if self._next_main >= len(self.plan):
            return
        planned = self.plan[self._next_main]
        self._next_main += 1
        question = self.bank.questions[planned.question_id]
        drawn = self._tutor.draw(question, self.rng)
        presented = present(question, self._cards.get(question.id), self.now(), self.rng, drawn)
        self._asked.append(_Asked(presented, 0))

    # -- follow-ups --------------------------------------------------------------------------------

    def follow_up_fits(self) -> bool:
        """Whether a follow-up fits in the time left: it and every main question still to come get at
        least :data:`FOLLOW_UP_SHARE` of a question's share of the interview."""
        share = self.minutes * 60.0 / max(1, self.total)
        remaining = self.total - self._next_main
        return self.time_left.total_seconds() >= (remaining + 1) * share * FOLLOW_UP_SHARE

    def _follow_up(self, index: int) -> _Asked | None:
        """The follow-up an interviewer asks after answer ``index``: the targeted re-check of a named
        mistake, else the card's follow-up chain after a weak or partial answer; ``None`` (the next
        main question) after a strong answer, a pass, at depth :data:`MAX_FOLLOW_UP_DEPTH`, or when
        it would not fit in the time left."""
        a = self._asked[index]
        if a.status != Status.ANSWERED or a.depth >= MAX_FOLLOW_UP_DEPTH or not self.follow_up_fits():
            return None
        judged = assess(a.presented, a.answer)
        if judged is None:
            return None
        score, points, mistakes = judged
        if score >= STRONG_ANSWER - 1e-9:
            return None
        now = self.now()
        if mistakes and a.presented.instance is not None:
            recheck = self._recheck(a.presented, mistakes[0].id, now)
            if recheck is not None:
                m = mistakes[0]
                why = FollowUp(index, Why.MISTAKE, score, None, m.id, m.text)
                return _Asked(recheck, a.depth + 1, why)
        from quizforge.grading import KEY_POINTS_PASS

        weak = score < KEY_POINTS_PASS - 1e-9 if points is not None else score <= 0.0
        asked_ids = {x.presented.question.id for x in self._asked}
        planned = {p.question_id for p in self.plan}
        options = [
            self.bank.questions[f]
            for f in a.presented.question.follow_ups
            if f in self.bank.questions
            and f not in asked_ids
            and f not in planned
            and f not in self._suspended
            and kind_of(self.bank.questions[f]).in_mock
        ]
        if not options:
            return None
        question = self.rng.choice(options)
        drawn = self._tutor.draw(question, self.rng)
        presented = present(question, self._cards.get(question.id), now, self.rng, drawn)
        return _Asked(presented, a.depth + 1, FollowUp(index, Why.WEAK if weak else Why.PARTIAL, score, points))

    def _recheck(self, presented: Presented, mistake_id: str, now: datetime) -> Presented | None:
        """The same generated question with fresh numbers on which ``mistake_id`` gives a wrong answer."""
        from quizforge.kinds.tutor import targeted_recheck
        from quizforge.numeric.base import get_family

        inst = presented.instance
        assert inst is not None
        try:
            seed = targeted_recheck(inst.family, mistake_id, inst.seed, inst.level)
        except (KeyError, ValueError):
            return None
        instance = get_family(inst.family).generate(seed, inst.level)
        return Presented(presented.question, presented.card, str(uuid.uuid4()), now, instance)

    # -- scoring -----------------------------------------------------------------------------------

    def finish(self) -> Scorecard:
        """End the interview (early, on time-out, or after the last question) and grade it.

        The question on screen when the time ran out counts as timed out; the main questions not
        asked as not reached. Calling it again returns the same scorecard.
        """
        if self._scorecard is not None:
            return self._scorecard
        if self.started_at is None:
            self.start()
        assert self.started_at is not None
        end = min(self.now(), self.deadline)
        if self.current is not None:
            last = self._asked[-1]
            last.status = Status.TIMED_OUT
            last.answered_at = end
        items = [self._score(i, a) for i, a in enumerate(self._asked)]
        for planned in self.plan[self._next_main :]:
            q = self.bank.questions[planned.question_id]
            items.append(ScoredAnswer(len(items), q, 0, Status.NOT_REACHED, "", 0.0, "", None))
            items[-1].concept = planned.concept
            self._fill_model(items[-1], None)
        weakness = {t: s.weakness for t, s in self.strengths.items()}
        self._scorecard = Scorecard(items, self.started_at, end, weakness)
        return self._scorecard

    def _score(self, index: int, a: _Asked) -> ScoredAnswer:
        p = a.presented
        at = a.answered_at or p.shown_at
        item = ScoredAnswer(
            index,
            p.question,
            a.depth,
            a.status,
            a.answer,
            max(0.0, (at - p.shown_at).total_seconds()),
            p.review_id,
            a.answered_at,
            instance=p.instance,
            follow_up=a.follow_up,
            concept=concept_groups(self.bank).get(p.question.id, p.question.id),
        )
        self._fill_model(item, p)
        if item.is_concept:
            if a.status == Status.ANSWERED:
                item.hits = keyword_hits(item.key_points, a.answer, p.question.prompt)
                item.suggested = tuple(h is not None for h in item.hits)
            item.ticks = list(item.suggested)
        elif a.status == Status.ANSWERED:
            # graded in both languages: the scorecard follows a language switch
            en, zh = (grade_answer(p, a.answer, at, lang).verdict for lang in ("en", "zh"))
            if en is not None and zh is not None:
                item.correct, item.auto_score, item.feedback = en.correct, en.score, Text(en.feedback, zh.feedback)
        return item

    def _fill_model(self, item: ScoredAnswer, p: Presented | None) -> None:
        """Set the model answer, key points, options and expected answer of ``item`` (asked as ``p``)."""
        kind = kind_of(item.question)
        drawn = p.instance if p is not None else None
        e = kind.expected(item.question, drawn)
        item.model_answer, item.model_label, item.key_points = e.model, e.model_label, e.key_points
        item.choices = kind.choices(item.question, drawn)
        item.expected = e.text

    def tick(self, question_index: int, key_point_index: int, on: bool) -> None:
        """See :meth:`Scorecard.tick`."""
        self.finish().tick(question_index, key_point_index, on)

    @property
    def scorecard(self) -> Scorecard | None:
        return self._scorecard

    # -- saving ------------------------------------------------------------------------------------

    def details(self) -> dict[str, Any]:
        """What the mock result stores (``MockResult.details``, JSON).

        Keys: ``version`` (1); ``options`` (``minutes``, ``questions``, ``topics``, ``seed``,
        ``weakest``, ``code``); ``total`` (0–100); ``answered``; ``by_topic`` and ``by_kind`` (→ 0–100);
        ``study_next`` (topic ids); ``questions``: one entry per question asked, in order, then the main
        questions not reached, with ``id``, ``topic``, ``kind``, ``concept``, ``depth`` (0 main, 1–2
        follow-up), ``follow_up`` (``None``, or ``{"of": index, "why": weak | partial | mistake,
        "score", "mistake": id | None}``), ``status`` (answered | passed | timed_out | not_reached),
        ``seed`` (generated questions), ``answer``, ``seconds``, ``score`` (0–1), ``correct``, ``ticks``
        and ``suggested`` (concept key points) and ``review_id`` (its row in the review log, if any).
        """
        card = self.finish()
        return {
            "version": 1,
            "options": {
                "minutes": self.minutes,
                "questions": self.count,
                "topics": self.topics,
                "seed": self.seed,
                "weakest": self.weakest,
                "code": self.include_code,
            },
            "total": round(card.total, 2),
            "answered": card.answered,
            "by_topic": {t: round(s, 2) for t, s in card.by_topic.items()},
            "by_kind": {k: round(s, 2) for k, s in card.by_kind.items()},
            "study_next": card.study_next,
            "questions": [
                {
                    "id": i.question.id,
                    "topic": i.topic,
                    "kind": str(i.kind),
                    "concept": i.concept,
                    "depth": i.depth,
                    "follow_up": None
                    if i.follow_up is None
                    else {
                        "of": i.follow_up.of,
                        "why": str(i.follow_up.why),
                        "score": round(i.follow_up.score, 4),
                        "mistake": i.follow_up.mistake_id,
                    },
                    "status": str(i.status),
                    "seed": i.seed,
                    "answer": i.answer,
                    "seconds": round(i.seconds, 3),
                    "score": round(i.score, 4),
                    "correct": i.counts_as_right if i.status.asked else None,
                    "ticks": list(i.ticks),
                    "suggested": list(i.suggested),
                    "review_id": self._saved[i.index].review_id if i.index in self._saved else None,
                }
                for i in card.items
            ],
        }

    def save(self) -> MockResult:
        """Store the mock and put each asked question into the review log (source ``mock``), scheduled.

        Idempotent: saving again rewrites the mock result (ticks, scores) and leaves the review log
        alone, unless ticks changed a question's rating; then that question's earlier review is
        taken back (as an undo, so an export carries the change) and replaced. Everything happens in
        one transaction.

        Raises:
            StoreError: the database could not be written (nothing was saved; saving again retries).
        """
        card = self.finish()
        now = self.now()
        saved_before = dict(self._saved)
        try:
            with self.store.transaction():
                for item in card.asked:
                    self._save_review(item, now)
                result = MockResult(self.id, card.started_at, card.finished_at, card.total / 100.0, self.details())
                self.store.put_mock_result(result)
        except BaseException:
            self._saved = saved_before  # the transaction was rolled back
            raise
        return result

    def _save_review(self, item: ScoredAnswer, now: datetime) -> None:
        assert item.answered_at is not None
        rating = item.rating
        previous = self._saved.get(item.index)
        if previous is not None:
            if previous.rating == rating and previous.score == item.score:
                return  # nothing the log records has changed
            # ticks changed the score (and maybe the rating): take the row back and log the new one
            self.store.undo_review(previous.review_id, previous.before, now)
            before, review_id = previous.before, str(uuid.uuid4())
        else:
            if any(r.id == item.review_id for r in self.store.reviews(item.question.id)):
                return
            before = self.store.card(item.question.id) or Card(item.question.id, topic=item.topic)
            review_id = item.review_id
        presented = Presented(item.question, before, review_id, item.answered_at, item.instance)
        review = build_review(
            presented,
            review_id=review_id,
            rating=rating,
            at=after_last_review(item.answered_at, before),
            source=Source.MOCK,
            answer=item.answer,
            correct=item.counts_as_right,
            score=item.score,
            duration_ms=round(item.seconds * 1000),
        )
        record(self.store, self.scheduling, before, review)
        self._saved[item.index] = _SavedReview(review_id, rating, item.score, before)
