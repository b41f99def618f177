"""A simulated month of study over the shipped bank, for looking at reports (and for a test).

    python -m tests.report.simulate DB [--days 30] [--tz Asia/Shanghai] [--seed 1]

Each evening the simulated user runs ``StudySession`` with an injected clock through the whole day's
queue, answering right about 80% of the time and taking 15–90 s a card; every few days they take a
quiz (``QuizSession``) and, once a week, a mock interview (its result written straight to the store).
"""

from __future__ import annotations

import argparse
import random
import uuid
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from quizforge.bank import Bank, Kind
from quizforge.kinds import load
from quizforge.store import MockResult, Store
from quizforge.study.quiz import QuizSession
from quizforge.study.session import StudySession
from tests.study.conftest import Clock, right_answer, wrong_answer


def simulate(
    store: Store,
    bank: Bank,
    *,
    start: datetime,
    days: int = 30,
    tz: tzinfo | None = None,
    seed: int = 1,
    p_right: float = 0.8,
    max_cards: int = 200,
) -> datetime:
    """Study ``days`` evenings from ``start`` (timezone-aware); returns the clock's final time."""
    rng = random.Random(seed)
    clock = Clock(start)
    store.set_settings(new_per_day=15, enable_fuzzing=False)
    for day in range(days):
        clock.t = start + timedelta(days=day, minutes=rng.randint(0, 120))
        if rng.random() < 0.1 and day not in (days - 1, 0) and day % 7 != 5:
            continue  # a missed evening now and then (never a mock's): breaks the streak
        session = StudySession(store, bank, now=clock, tz=tz, rng=random.Random(rng.random()))
        done = 0
        while (p := session.next_card()) is not None and done < max_cards:
            right = rng.random() < p_right
            clock.advance(seconds=rng.randint(15, 90))
            if p.kind == Kind.CONCEPT:
                session.submit("my answer")
                session.self_grade([right] * len(p.question.body.key_points))
            else:
                session.submit(right_answer(p) if right else wrong_answer(p))
            session.rate()
            done += 1
        if day % 4 == 2:
            _quiz(store, bank, clock, rng, p_right=0.6 + 0.3 * day / days)
        if day % 7 == 5:
            _mock(store, bank, clock, rng, score=min(1.0, 0.45 + 0.4 * day / days + rng.uniform(-0.05, 0.05)))
    return clock.t


def _quiz(store: Store, bank: Bank, clock: Clock, rng: random.Random, p_right: float) -> None:
    """Ten questions through the real ``QuizSession`` (logged with source "quiz")."""
    quiz = QuizSession(store, bank, n=10, now=clock, rng=random.Random(rng.random()))
    while (p := quiz.next_card()) is not None:
        right = rng.random() < p_right
        clock.advance(seconds=rng.randint(20, 70))
        if p.kind == Kind.CONCEPT:
            quiz.submit("my answer")
            quiz.self_grade([right] * len(p.question.body.key_points))
        else:
            quiz.submit(right_answer(p) if right else wrong_answer(p))
        quiz.rate()


def _mock(store: Store, bank: Bank, clock: Clock, rng: random.Random, score: float) -> None:
    started = clock.t
    qs = rng.sample([q.id for q in bank if q.kind == Kind.CONCEPT], 6)
    clock.advance(minutes=rng.randint(18, 30))
    store.add_mock_result(
        MockResult(
            id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            started_at=started,
            finished_at=clock.t,
            score=score,
            details={"questions": qs, "scores": [round(score, 2)] * len(qs)},
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--tz", default="Asia/Shanghai")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    tz = ZoneInfo(args.tz)
    args.db.unlink(missing_ok=True)
    with Store.open(args.db) as store:
        start = datetime(2026, 3, 2, 20, 0, tzinfo=tz)
        end = simulate(store, load(), start=start, days=args.days, tz=tz, seed=args.seed)
        print(f"{store.review_count()} reviews, last at {end.isoformat()}")


if __name__ == "__main__":
    main()
