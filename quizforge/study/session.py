"""A study session with no screen: the TUI and ``study --plain`` are thin views on it.

The flow for one card::

    card = session.next_card()          # None when the day is done
    result = session.submit(text)       # auto-graded (choice, numeric, generated) or revealed (concept)
    result = session.self_grade(ticks)  # concept cards only, optional: refine the proposal
    session.take_back()                 # before rating: answer the same card again
    session.rate()                      # save; pass a Rating to override the proposal
    session.undo()                      # take the last saved answer back

An answer the card's kind cannot read (``abc)(`` for a number) is refused: :meth:`StudySession.submit`
raises :class:`UnreadableAnswer` with the live preview's message, and nothing is graded or saved.

Time comes from the injected ``now`` clock and every random choice from the injected ``rng``, so a
test can run a whole day (or a month) of study exactly.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from quizforge.bank import Bank, KeyPoint
from quizforge.store import Card, Phase, Review, Settings, Source, Store, iso, parse_iso
from quizforge.study.answering import Presented as Presented  # re-exported: the screens import it from here
from quizforge.study.answering import build_review, grade_answer, present, propose_for_ticks, record, unreadable_answer
from quizforge.study.answering import propose_rating as propose_rating
from quizforge.study.dashboard import Counts, counts
from quizforge.study.days import day_bounds
from quizforge.study.days import utc_now as utc_now  # re-exported: callers import the clock from here
from quizforge.study.order import NewOrder, order_new
from quizforge.study.scheduling import Rating, Scheduling, retrievability
from quizforge.study.tutoring import Tutor
from quizforge.text import Text

if TYPE_CHECKING:
    from quizforge.study.planning import PlanQueue

LEARN_AHEAD = timedelta(minutes=20)  # a (re)learning card this close to due may be shown when nothing else is


@dataclass(frozen=True)
class Result:
    """What an answer earned, what rating is proposed, and what each rating would schedule."""

    presented: Presented
    answer: str
    answered_at: datetime
    duration_ms: int
    correct: bool | None  # None: a concept card not self-graded yet
    score: float | None
    feedback: str
    proposed: Rating
    intervals: dict[Rating, timedelta]  # empty in cram mode (nothing is rescheduled)
    model_answer: Text | None = None  # concept answer, choice explanation, or worked solution
    key_points: tuple[KeyPoint, ...] = ()
    expected: str = ""  # the right answer, as text
    wrong_cells: tuple[tuple[int, int], ...] = ()


class UnreadableAnswer(ValueError):
    """A typed answer the card's kind cannot read; ``message`` is what the live preview says."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Saved:
    review: Review
    card: Card
    became_leech: bool = False


@dataclass
class _Undo:
    saved: Saved
    before: Card
    buried_before: list[Card] = field(default_factory=list)
    was_new: bool = False


class StudySession:
    """Today's study (or a cram run) over ``bank``, saving to ``store``.

    Args:
        store: The open database.
        bank: The loaded question bank; cards of questions no longer in it are skipped, not lost.
        now: The clock (timezone-aware); tests inject one.
        tz: The local time zone for the day boundary (``None``: the system's).
        topics: Only these topics (a topic id, or an area prefix such as ``cnn``).
        new_limit: New cards for this session, instead of the daily setting.
        cram: Review the selected cards now without changing their schedule.
        rng: Draws the seeds of generated questions.
        lang: Language of grading feedback.
        card_ids: Only these cards; meant for a cram run over a known set (a quiz's misses).
        kinds: Only questions of these kinds (``None``: every kind).
    """

    def __init__(
        self,
        store: Store,
        bank: Bank,
        *,
        now: Callable[[], datetime] = utc_now,
        tz: tzinfo | None = None,
        topics: Sequence[str] | None = None,
        new_limit: int | None = None,
        cram: bool = False,
        rng: random.Random | None = None,
        lang: str = "en",
        card_ids: Sequence[str] | None = None,
        kinds: Sequence[str] | None = None,
    ) -> None:
        self.store = store
        self.kinds = frozenset(kinds) if kinds else None
        self.card_ids = frozenset(card_ids) if card_ids is not None else None
        self.bank = bank
        self.now = now
        self.tz = tz
        self.topics = list(topics) if topics else None
        self.new_limit = new_limit
        self.cram = cram
        self.rng = rng or random.Random()
        self.lang = lang
        self.settings: Settings = store.settings()
        self.scheduling = Scheduling(self.settings)
        store.sync_bank((q.id, q.topic) for q in bank)
        self._queue: deque[str] = deque()
        self._learning: dict[str, datetime] = {}  # (re)learning cards due again today
        self._current: Presented | None = None
        self._result: Result | None = None
        self._undo: list[_Undo] = []
        self._seen_in_cram: set[str] = set()
        self._new_rated = 0  # new cards answered in this session (``new_limit`` counts them)
        self._day_end = datetime.min.replace(tzinfo=UTC)
        self.tutor = Tutor(store, bank)  # levels and re-checks of generated questions (study/tutoring.py)
        self._order_rng: random.Random | None = None  # the random new-card order's own generator
        self.build_queue()

    # -- the queue ---------------------------------------------------------------------------------

    # What kind of run this is; a subclass (the quiz) overrides these.

    def _log_source(self) -> Source:
        """The log's ``source`` for answers saved by this session."""
        return Source.CRAM if self.cram else Source.STUDY

    @property
    def _schedules_within_day(self) -> bool:
        """Whether follow-ups are buried, learning steps come back today and an empty queue is refilled."""
        return not self.cram

    def day(self, at: datetime | None = None) -> tuple[datetime, datetime]:
        return day_bounds(at or self.now(), self.settings.day_start_hour, self.tz)

    def _wanted(self, card_id: str) -> bool:
        """Whether the card is in the bank and of a kind this session studies."""
        q = self.bank.questions.get(card_id)
        return q is not None and (self.kinds is None or q.kind in self.kinds)

    def build_queue(self) -> list[str]:
        """(Re)build today's queue: due reviews (oldest due first), then new cards in the ``new_order``
        setting's order (:mod:`quizforge.study.order`).

        Returns:
            The queued card ids (learning cards that come back within the day are kept apart).
        """
        now = self.now()
        start, end = self.day(now)
        self._day_end = end
        if self.cram:
            cards = self.store.due_cards(datetime.max.replace(tzinfo=UTC), now, 1_000_000, self.topics)
            cards += self.store.new_cards(now, 1_000_000, self.topics)
            ids = [
                c.card_id
                for c in cards
                if self._wanted(c.card_id)
                and c.card_id not in self._seen_in_cram
                and (self.card_ids is None or c.card_id in self.card_ids)
            ]
            self._queue = deque(ids)
            return ids
        new_done, reviews_done = self.store.day_counts(start, end)
        review_room = max(0, self.settings.reviews_per_day - reviews_done)
        # --new N means N new cards in this session, whatever today's count already is
        new_room = (
            max(0, self.settings.new_per_day - new_done)
            if self.new_limit is None
            else max(0, self.new_limit - self._new_rated)
        )
        wanted = self._wanted
        fetch = review_room + len(self._learning) + 50
        due = self.store.due_entries(end, now, fetch if self.kinds is None else 1_000_000, self.topics)
        planned = self._plan_queue(now, new_done, reviews_done, [c for c, _, _ in due])
        new_topics = self.topics if planned is None else planned.areas
        if planned is not None:  # the interview plan sets today's new cards (docs/planner.md)
            new_room = planned.new_room
        reviews: list[str] = []
        self._learning.clear()
        ahead = iso(now + LEARN_AHEAD)  # iso() text sorts like the time it names
        for card_id, phase, due_at in due:
            if not wanted(card_id):
                continue
            if phase != Phase.REVIEW and due_at > ahead:
                self._learning[card_id] = parse_iso(due_at)
            elif len(reviews) < review_room:
                reviews.append(card_id)
        final = [] if planned is None else [c for c in planned.final if wanted(c) and c not in reviews]
        new = [e for e in self.store.new_entries(now, 1_000_000, new_topics) if wanted(e[0])] if new_room else []
        if final:
            new = [e for e in new if e[0] not in final]
        if self._order_rng is None and self.settings.new_order == NewOrder.RANDOM:
            self._order_rng = random.Random(self.rng.random())  # seeded once from the session's generator
        ids = reviews + final + order_new(new, new_room, self.bank, self.settings.new_order, self._order_rng)
        if self.card_ids is not None:
            ids = [i for i in ids if i in self.card_ids]
        self._queue = deque(ids)
        return ids

    def _plan_queue(self, now: datetime, new_done: int, reviews_done: int, queued: list[str]) -> PlanQueue | None:
        """The interview plan's part of today's queue, when a plan is in force and this is plain study."""
        if self.new_limit is not None or self.topics or self.kinds or self.card_ids is not None:
            return None
        from quizforge.study.planning import plan_queue

        return plan_queue(self.store, self.bank, self.settings, now, self.tz, new_done, reviews_done, queued)

    @property
    def remaining(self) -> int:
        """Cards still to show today (queue plus learning cards coming back)."""
        return len(self._queue) + len(self._learning) + self.tutor.pending(self._learning)

    def next_card(self) -> Presented | None:
        """The next card to show, or ``None`` when today's study is done.

        A (re)learning card whose step is due comes first; then the queue; then, when nothing else
        is left, a learning card due within ``LEARN_AHEAD``.
        """
        now = self.now()
        if now >= self._day_end:
            self.build_queue()
        if self._current is not None and self._result is None:
            return self._current  # shown but not answered: the same card again
        card_id = self._pick(now)
        if card_id is None and self._schedules_within_day:
            # Burying follow-ups may have emptied the queue before today's limits are reached: top it
            # up (build_queue counts what was done today, so the limits still hold).
            self.build_queue()
            card_id = self._pick(now)
        if card_id is None:
            self._current = None
            return None
        question = self.bank.questions[card_id]
        self._current = present(question, self.store.card(card_id), now, self.rng, self.tutor.draw(question, self.rng))
        self._result = None
        return self._current

    def _pick(self, now: datetime) -> str | None:
        due_learning = sorted((d, c) for c, d in self._learning.items() if d <= now)
        if due_learning:
            return self._take_learning(due_learning[0][1])
        recheck = self.tutor.due_recheck(anything_else=bool(self._queue))
        if recheck is not None:
            self._learning.pop(recheck, None)  # the re-check is the card's next step
            return recheck
        while self._queue:
            card_id = self._queue.popleft()
            if card_id in self.bank.questions and card_id not in self._learning:
                return card_id
        ahead = sorted((d, c) for c, d in self._learning.items() if d <= now + LEARN_AHEAD)
        if ahead:
            return self._take_learning(ahead[0][1])
        return None

    def _take_learning(self, card_id: str) -> str:
        del self._learning[card_id]
        return card_id

    # -- answering ---------------------------------------------------------------------------------

    def submit(self, text: str) -> Result:
        """Answer the current card.

        The card's kind grades it (:func:`quizforge.study.answering.grade_answer`). A card its kind
        does not grade (a concept card) is revealed: the result carries the model answer and key
        points, ``correct`` is ``None`` and Again is proposed until :meth:`self_grade` says otherwise.

        Raises:
            UnreadableAnswer: the kind cannot read ``text``; the card stays unanswered.
        """
        p = self._require_current()
        refused = unreadable_answer(p, text, self.lang)
        if refused is not None:
            raise UnreadableAnswer(refused)
        g = grade_answer(p, text, self.now(), self.lang)
        e, v = g.expected, g.verdict
        if v is None:
            return self._finish(p, text, g.answered_at, None, None, "", g.proposed, e.model, e.key_points, "", ())
        return self._finish(
            p, text, g.answered_at, v.correct, v.score, v.feedback, g.proposed, e.model, (), e.text, v.wrong_cells
        )

    def reveal(self) -> Result:
        """Show the answer without attempting it (counts as an empty answer)."""
        return self.submit("")

    def self_grade(self, ticked: Sequence[bool]) -> Result:
        """Grade a revealed concept card by the key points the user says they made.

        Nothing ticked is the state the card was revealed in (no verdict yet, Again proposed): ticking
        a point and unticking it again changes nothing.
        """
        from quizforge.grading import score_key_points

        r = self._result
        if r is None or not r.presented.self_graded:
            raise RuntimeError("self_grade() needs a submitted concept card")
        ticks = [bool(x) for x in ticked]
        if not any(ticks):
            self._result = replace(r, correct=None, score=None, feedback="", proposed=Rating.Again, wrong_cells=())
            return self._result
        verdict = score_key_points(ticks, self.lang)
        proposed = propose_for_ticks(r.presented.kind, ticks, verdict.correct, r.duration_ms / 1000)
        self._result = replace(
            r,
            correct=verdict.correct,
            score=verdict.score,
            feedback=verdict.feedback,
            proposed=proposed,
            wrong_cells=verdict.wrong_cells,
        )
        return self._result

    def _finish(
        self,
        p: Presented,
        text: str,
        at: datetime,
        correct: bool | None,
        score: float | None,
        feedback: str,
        proposed: Rating,
        model: Text | None,
        key_points: tuple[KeyPoint, ...],
        expected: str,
        wrong_cells: tuple[tuple[int, int], ...],
    ) -> Result:
        intervals: dict[Rating, timedelta] = {}
        if not self.cram:
            for rating, memory in self.scheduling.preview(p.card.memory, at, p.review_id).items():
                assert memory.due is not None
                intervals[rating] = memory.due - at
        duration_ms = round(max(0.0, (at - p.shown_at).total_seconds()) * 1000)
        self._result = Result(
            p,
            text,
            at,
            duration_ms,
            correct,
            score,
            feedback,
            proposed,
            intervals,
            model,
            key_points,
            expected,
            wrong_cells,
        )
        return self._result

    def rate(self, rating: Rating | int | None = None) -> Saved:
        """Save the answer with ``rating`` (``None``: the proposed one). Returns what was saved.

        The card's new state is computed from its row inside the saving transaction, so another
        quizforge process studying at the same time loses nothing.
        """
        r = self._result
        if r is None:
            raise RuntimeError("rate() needs a submitted answer")
        p = r.presented
        chosen = Rating(int(rating)) if rating is not None else r.proposed
        correct = r.correct if r.correct is not None else chosen != Rating.Again
        review = build_review(
            p,
            review_id=p.review_id,
            rating=chosen,
            at=r.answered_at,
            source=self._log_source(),
            answer=r.answer,
            correct=correct,
            score=r.score,
            duration_ms=r.duration_ms,
        )
        follow_ups = [f for f in p.question.follow_ups if f in self.bank.questions]
        with self.store.transaction():
            before = self.store.card(p.card_id) or Card(p.card_id, topic=p.question.topic)
            after = record(self.store, self.scheduling, before, review, reschedule=not self.cram)
            bury = follow_ups and self._schedules_within_day
            buried_before = self.store.cards(follow_ups) if bury else []
            if buried_before:
                self.store.bury(follow_ups, self._day_end)
        saved = Saved(review, after, became_leech=after.leech and not before.leech)
        self.tutor.answered(p, review, follow_up=self._schedules_within_day)
        self._undo.append(_Undo(saved, before, buried_before, was_new=before.is_new))
        self._new_rated += before.is_new
        if self.cram:
            self._seen_in_cram.add(p.card_id)
        elif self._schedules_within_day:
            self._queue = deque(c for c in self._queue if c not in follow_ups)
            due = after.memory.due
            if (
                after.memory.phase in (Phase.LEARNING, Phase.RELEARNING)
                and not after.suspended
                and due is not None
                and due < self._day_end
            ):
                self._learning[p.card_id] = due
        self._current = None
        self._result = None
        return saved

    def undo(self) -> Presented | None:
        """Take back the last saved answer: the review is removed, the card and its buried follow-ups
        restored, and the card is put at the front of the queue. Returns ``None`` when there is nothing to undo.
        """
        if not self._undo:
            return None
        u = self._undo[-1]
        card_id = u.saved.review.card_id
        with self.store.transaction():
            self.store.undo_review(u.saved.review.id, u.before, self.now())
            if u.buried_before:
                self.store.put_cards(u.buried_before)
        self._undo.pop()  # only once the store has taken it back: a failed write can be retried
        self.tutor.undone(u.saved.review.id)
        self._new_rated -= u.was_new
        self._learning.pop(card_id, None)
        self._seen_in_cram.discard(card_id)
        for c in u.buried_before:
            if c.card_id not in self._queue:
                self._queue.appendleft(c.card_id)
        self._queue.appendleft(card_id)
        self._current = None
        self._result = None
        return self.next_card()

    def take_back(self) -> Presented | None:
        """Take back the current card's answer before it is rated, so it can be answered again (the
        same presentation: a generated card keeps its numbers). Nothing was saved, so nothing is
        undone in the store. Returns ``None`` when no answer is waiting for a rating."""
        if self._current is None or self._result is None:
            return None
        self._result = None
        return self._current

    def _require_current(self) -> Presented:
        if self._current is None:
            raise RuntimeError("no card is being shown: call next_card() first")
        if self._result is not None:
            raise RuntimeError("this card was already answered: rate() it first")
        return self._current

    # -- flags -------------------------------------------------------------------------------------

    def suspend(self, card_id: str) -> None:
        """Keep the card out of every queue until :meth:`unsuspend`."""
        if self.store.card(card_id) is None:
            self.store.put_card(Card(card_id, topic=self.bank.questions[card_id].topic))
        self.store.set_suspended(card_id, True)
        self._queue = deque(c for c in self._queue if c != card_id)
        self._learning.pop(card_id, None)
        self.tutor.drop(card_id)
        if self._current is not None and self._current.card_id == card_id:
            self._current = None
            self._result = None

    def unsuspend(self, card_id: str) -> None:
        self.store.set_suspended(card_id, False)

    # -- dashboard ---------------------------------------------------------------------------------

    def counts(self, now: datetime | None = None) -> Counts:
        return counts(self.store, self.settings, now or self.now(), self.tz, self.topics)

    def mastery(self, now: datetime | None = None) -> dict[str, float]:
        """Mean retrievability per topic (see :func:`mastery`)."""
        return mastery(self.store, self.bank, self.settings, now or self.now())


def mastery(store: Store, bank: Bank, settings: Settings, now: datetime) -> dict[str, float]:
    """Mean retrievability per topic over the bank's questions (never-reviewed questions count 0)."""
    import numpy as np  # deferred: the dashboard's first paint does not wait for NumPy

    ids, topics, stability, last = store.memory_columns()
    totals: dict[str, int] = {}
    for q in bank:
        totals[q.topic] = totals.get(q.topic, 0) + 1
    if not ids:
        return dict.fromkeys(totals, 0.0)
    params = settings.fsrs_parameters or Scheduling(settings).scheduler.parameters
    r = retrievability(np.asarray(stability, dtype=float), np.asarray(last, dtype=float), now, params)
    questions = bank.questions
    keep = np.fromiter((i in questions for i in ids), dtype=bool, count=len(ids))
    names, index = np.unique(np.asarray(topics, dtype=object), return_inverse=True)
    sums = np.bincount(index[keep], weights=r[keep], minlength=len(names))
    by_topic = dict(zip(names.tolist(), sums.tolist(), strict=True))
    return {t: by_topic.get(t, 0.0) / n for t, n in totals.items()}
