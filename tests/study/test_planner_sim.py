"""A 30-day simulation: a learner whose memory follows the FSRS model exactly studies by the plan on the
whole shipped bank; on the date at least 90 % of the in-scope cards are at or above the target.

Run it alone to see the figures: ``pytest -s -m slow tests/study/test_planner_sim.py``.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizforge.kinds import load
from quizforge.report.stats import build_report
from quizforge.store import Phase, Store
from quizforge.study.planning import check_request, plan_status, scope_cards, set_plan, study_day
from quizforge.study.scheduling import Rating
from quizforge.study.session import StudySession

from .conftest import Clock

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 09:00 UTC; the study day starts at 04:00
DAYS = 30


def recall_on(stability: float, last: datetime, on: datetime) -> float:
    """FSRS-6's forgetting curve with whole days elapsed, written out from the model's formula."""
    decay = -DEFAULT_PARAMETERS[20]
    factor = 0.9 ** (1 / decay) - 1
    return float((1 + factor * ((on - last) // timedelta(days=1)) / stability) ** decay)


def study_day_as_fsrs_learner(session: StudySession, clock: Clock, rng: random.Random) -> int:
    """Answer every card the queue brings: a card never seen is not known (Again); a seen one is recalled
    with the probability FSRS gives it now. Returns the number of answers."""
    answers = 0
    while (p := session.next_card()) is not None and answers < 5000:
        card = session.store.card(p.card_id)
        memory = card.memory if card is not None else None
        if memory is None or memory.last_review is None or memory.stability is None:
            recalled = False
        else:
            recalled = rng.random() < recall_on(memory.stability, memory.last_review, clock())
        clock.advance(seconds=20)
        session.reveal()
        session.rate(Rating.Good if recalled else Rating.Again)
        answers += 1
    return answers


@pytest.mark.slow  # ~6,000 answers through the real store
@pytest.mark.parametrize("seed", [1])
def test_thirty_days_by_the_plan_make_the_whole_bank_ready_on_the_date(tmp_path: Path, seed: int) -> None:
    bank = load()
    clock = Clock(START)
    rng = random.Random(seed)
    with Store.open(tmp_path / "quizforge.db") as store:
        _, today = study_day(clock(), store.settings())
        request = check_request(bank, (today + timedelta(days=DAYS)).isoformat(), [], 120, 0.9, today)
        _, first = set_plan(store, bank, request, clock())
        answers, behind = [], []
        for day in range(DAYS):
            clock.t = START + timedelta(days=day)
            answers.append(study_day_as_fsrs_learner(StudySession(store, bank, now=clock), clock, rng))
            status = plan_status(store, bank, clock())
            assert status is not None
            behind.append(status.behind)
        clock.t = START + timedelta(days=DAYS)
        day0, _ = study_day(clock(), store.settings())
        scoped = scope_cards(store, bank, ())
        ready = sum(
            1
            for _, _, m in scoped
            if m is not None
            and m.stability is not None
            and m.last_review is not None
            and recall_on(m.stability, m.last_review, day0) >= 0.9
        )
        share = ready / len(scoped)
        report = build_report(store, bank, clock(), days=40, tz=UTC)
        assert report.plan is not None
        print(
            f"\nseed {seed}: {len(scoped)} cards in scope, {ready} ready on the date ({share:.1%}); planned "
            f"{first.new_per_day} new a day, predicted {first.predicted_ready:.1%}; answers a day "
            f"min {min(answers)} / mean {sum(answers) / DAYS:.0f} / max {max(answers)}; report says "
            f"{report.plan.ready_now:.1%}; behind the plan as set at most {max(behind)} cards"
        )
        assert share >= 0.9
        assert report.plan.ready_now == pytest.approx(share)
        # every card introduced counts in the report's days, a leech suspended since then too (the scope
        # leaves suspended cards out); a follow-up is buried for the day its parent is answered, so a few
        # new cards slip past the cut-off
        seen = sum(d.new for d in report.plan.days)
        studied = [c for c in store.cards([q.id for q in bank]) if c.memory.phase != Phase.NEW]
        assert seen == len(studied)
        assert sum(1 for _, _, m in scoped if m is not None) >= 0.95 * len(scoped)
