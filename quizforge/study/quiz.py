"""A scored practice set ("quiz me on optimisers"): N questions from chosen topics and difficulty.

A quiz answers cards through the same path as a study session (grading, proposed rating, saving with
the FSRS schedule applied), but its questions are drawn at random rather than by due date, nothing
is buried or brought back within the day, and the log says ``source = "quiz"``. At the end,
:meth:`QuizSession.summary` gives the score, the time taken and the misses.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from quizforge.bank import Bank, Question
from quizforge.bank.schema import in_topics
from quizforge.store import Source, Store
from quizforge.study.days import utc_now
from quizforge.study.scheduling import Rating
from quizforge.study.session import Presented, Result, Saved, StudySession

DEFAULT_QUESTIONS = 10


def pick_questions(
    bank: Bank,
    rng: random.Random,
    n: int,
    *,
    topics: Sequence[str] | None = None,
    difficulty: int | None = None,
    exclude: set[str] | frozenset[str] = frozenset(),
    kinds: Sequence[str] | None = None,
) -> list[Question]:
    """``n`` questions at random from ``topics`` at ``difficulty`` (only of ``kinds``, when given: a quiz
    of coding drills is ``kinds=["implement"]``).

    When fewer than ``n`` questions have exactly that difficulty, the nearest difficulties fill the
    set (so "difficulty 5 on pooling" still gives a full quiz, hardest first).

    Returns:
        The questions in the order to ask them.
    """
    pool = [q for q in bank if in_topics(q.topic, topics) and q.id not in exclude and (not kinds or q.kind in kinds)]
    if difficulty is None:
        rng.shuffle(pool)
        return pool[:n]
    by_distance: dict[int, list[Question]] = {}
    for q in pool:
        by_distance.setdefault(abs(q.difficulty - difficulty), []).append(q)
    chosen: list[Question] = []
    for distance in sorted(by_distance):
        group = by_distance[distance]
        rng.shuffle(group)
        chosen += group[: n - len(chosen)]
        if len(chosen) >= n:
            break
    rng.shuffle(chosen)
    return chosen


@dataclass(frozen=True)
class QuizSummary:
    asked: int
    correct: int
    score: float  # mean score in [0, 1]; a concept card counts its ticked key points
    seconds: float  # from the first card shown to the last answer
    misses: list[Result]  # wrong or partly right answers, in order

    @property
    def percent(self) -> int:
        return round(self.score * 100)


class QuizSession(StudySession):
    """A quiz of ``n`` questions; see the module docstring. Arguments as for :class:`StudySession`."""

    def __init__(
        self,
        store: Store,
        bank: Bank,
        *,
        n: int = DEFAULT_QUESTIONS,
        difficulty: int | None = None,
        now: Callable[[], datetime] = utc_now,
        tz: tzinfo | None = None,
        topics: Sequence[str] | None = None,
        rng: random.Random | None = None,
        lang: str = "en",
        kinds: Sequence[str] | None = None,
    ) -> None:
        if n < 1:
            raise ValueError("a quiz needs at least one question")
        self.n = n
        self.difficulty = difficulty
        self._picked: list[str] | None = None
        self.results: list[Result] = []
        super().__init__(store, bank, now=now, tz=tz, topics=topics, rng=rng, lang=lang, kinds=kinds)

    def _log_source(self) -> Source:
        return Source.QUIZ

    @property
    def _schedules_within_day(self) -> bool:
        return False

    def build_queue(self) -> list[str]:
        """The quiz's questions (drawn once; later calls return what is still to ask)."""
        if self._picked is None:
            suspended = {c.card_id for c in self.store.cards() if c.suspended}
            chosen = pick_questions(
                self.bank,
                self.rng,
                self.n,
                topics=self.topics,
                difficulty=self.difficulty,
                exclude=suspended,
                kinds=sorted(self.kinds) if self.kinds else None,
            )
            self._picked = [q.id for q in chosen]
            self._queue = deque(self._picked)
            _, self._day_end = self.day(self.now())
        return list(self._queue)

    def rate(self, rating: Rating | int | None = None) -> Saved:
        """Save the answer (see :meth:`StudySession.rate`) and keep its result for the summary."""
        result = self._result
        saved = super().rate(rating)
        if result is not None:
            self.results.append(result)
        return saved

    def undo(self) -> Presented | None:
        presented = super().undo()
        if presented is not None and self.results:
            self.results.pop()
        return presented

    def summary(self) -> QuizSummary:
        results = self.results
        scores = [r.score if r.score is not None else (1.0 if r.correct else 0.0) for r in results]
        seconds = 0.0
        if results:
            seconds = (results[-1].answered_at - results[0].presented.shown_at).total_seconds()
        misses = [r for r, s in zip(results, scores, strict=True) if s < 1.0 or r.correct is False]
        return QuizSummary(
            asked=len(results),
            correct=sum(1 for r in results if r.correct),
            score=sum(scores) / len(scores) if scores else 0.0,
            seconds=max(0.0, seconds),
            misses=misses,
        )
