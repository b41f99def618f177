"""The planner's arithmetic on synthetic card states whose answers are known by hand."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizforge.store.models import Memory, Phase, Settings
from quizforge.study.planner import (
    DEFAULT_SECONDS_PER_CARD,
    Plan,
    PlannedDay,
    final_review_pick,
    forecast,
    new_per_day,
    plan_forecast,
    seconds_per_card,
)

DAY0 = datetime(2026, 3, 1, 4, tzinfo=UTC)
TODAY = date(2026, 3, 1)
SETTINGS = Settings()


def recall(stability: float, elapsed_days: int) -> float:
    """FSRS-6's forgetting curve, written out from the paper's formula (not from the code under test)."""
    decay = -DEFAULT_PARAMETERS[20]
    factor = 0.9 ** (1 / decay) - 1
    return float((1 + factor * elapsed_days / stability) ** decay)


def reviewed(stability: float, days_ago: int, due_in: float = 1000.0) -> Memory:
    last = DAY0 + timedelta(hours=1) - timedelta(days=days_ago)
    return Memory(Phase.REVIEW, None, stability, 5.0, DAY0 + timedelta(days=due_in), last, 3, 0)


def test_100_unseen_cards_10_days_3_day_cutoff_need_at_least_15_new_a_day() -> None:
    assert new_per_day(100, 10, 3) == 15  # 100 cards over the 7 days before the cut-off
    f = forecast([None] * 100, Plan(date=TODAY + timedelta(days=10), minutes_per_day=120), SETTINGS, DAY0, TODAY)
    assert f.new_per_day >= 15
    assert f.days_left == 10 and f.cards_in_scope == 100
    assert sum(d.new for d in f.days[:7]) == 100  # all introduced before the cut-off
    assert all(d.new == 0 for d in f.days[7:])
    assert f.feasible and f.predicted_ready >= 0.9
    assert [d.date for d in f.days] == [(TODAY + timedelta(days=k)).isoformat() for k in range(10)]


@pytest.mark.parametrize(
    ("unseen", "days_left", "cutoff", "expected"),
    [(100, 10, 3, 15), (100, 9, 3, 17), (7, 10, 3, 1), (0, 10, 3, 0), (10, 2, 3, 5), (10, 4, 3, 10), (5, 0, 3, 0)],
)
def test_new_per_day_spreads_the_unseen_cards_over_the_days_before_the_cutoff(
    unseen: int, days_left: int, cutoff: int, expected: int
) -> None:
    assert new_per_day(unseen, days_left, cutoff) == expected


def test_a_missed_day_raises_the_number_for_the_days_left() -> None:
    plan = Plan(date=TODAY + timedelta(days=10), minutes_per_day=240)
    first = forecast([None] * 100, plan, SETTINGS, DAY0, TODAY)
    # nothing was studied on day one: re-plan on day two from the same 100 unseen cards
    again = forecast([None] * 100, plan, SETTINGS, DAY0 + timedelta(days=1), TODAY + timedelta(days=1))
    assert (first.new_per_day, again.new_per_day) == (15, math.ceil(100 / 6))
    assert sum(d.new for d in again.days[:6]) == 100 and again.days_left == 9


def test_an_impossible_plan_is_flagged_with_feasible_alternatives_and_their_figures() -> None:
    cards = [("cnn.conv", None)] * 300 + [("optim.gd", None)] * 300 + [("attn.vit", None)] * 60
    plan = Plan(date=TODAY + timedelta(days=6), areas=("attn", "cnn", "optim"), minutes_per_day=40)
    f = plan_forecast(cards, plan, SETTINGS, DAY0, TODAY)
    assert not f.feasible
    assert f.new_per_day == 220  # 660 cards over the 3 days before the cut-off
    kinds = {a.change: a for a in f.alternatives}
    assert set(kinds) == {"date", "minutes", "areas"}
    assert kinds["date"].date > plan.date.isoformat() and kinds["date"].cards_in_scope == 660
    assert kinds["minutes"].minutes_per_day > 40 and kinds["minutes"].date == plan.date.isoformat()
    assert kinds["areas"].cards_in_scope < 660 and kinds["areas"].areas == ["attn"]  # the longest feasible prefix
    for a in f.alternatives:
        assert a.predicted_ready >= 0.9
        p = Plan(date=date.fromisoformat(a.date), areas=tuple(a.areas), minutes_per_day=a.minutes_per_day)
        chosen = [m for topic, m in cards if topic.split(".")[0] in a.areas]
        assert forecast(chosen, p, SETTINGS, DAY0, TODAY).feasible
    # the day before the later date is not feasible: it is the earliest
    before = replace(plan, date=date.fromisoformat(kinds["date"].date) - timedelta(days=1))
    assert not forecast([m for _, m in cards], before, SETTINGS, DAY0, TODAY).feasible
    assert set(f.to_json()) == {
        "date", "days_left", "cards_in_scope", "new_per_day", "minutes_per_day", "feasible", "predicted_ready",
        "alternatives",
    }  # fmt: skip
    # each alternative as scripts read it: the change and the plan's figures, as computed
    for got, a in zip(f.to_json()["alternatives"], f.alternatives, strict=True):
        assert got == {
            "change": a.change, "date": a.date, "areas": a.areas, "minutes_per_day": a.minutes_per_day,
            "cards_in_scope": a.cards_in_scope, "new_per_day": a.new_per_day,
            "predicted_ready": pytest.approx(a.predicted_ready, abs=1e-4),
        }  # fmt: skip


def test_predicted_ready_follows_the_forgetting_curve_on_the_date() -> None:
    plan = Plan(date=TODAY + timedelta(days=5), minutes_per_day=1)
    # strong memories stay above 0.9 for the 5 days; weak ones have long been forgotten
    strong = [reviewed(1000.0, 1) for _ in range(9)]
    weak = [reviewed(0.5, 60, due_in=500)]
    f = forecast(strong + weak, plan, SETTINGS, DAY0, TODAY, seconds=300.0)  # no room for a final review
    assert recall(1000.0, 6) > 0.9 > recall(0.5, 65)
    assert f.predicted_ready == pytest.approx(0.9)
    assert f.days[-1].reviews == 0
    # with the minutes for it, the weak card is pulled forward in the final days and is ready too
    roomy = forecast(strong + weak, Plan(date=plan.date, minutes_per_day=60), SETTINGS, DAY0, TODAY, seconds=30.0)
    assert roomy.predicted_ready == 1.0 and sum(d.reviews for d in roomy.days[2:]) == 1


def test_no_minutes_for_the_new_cards_is_infeasible_and_says_how_many_minutes_would_do() -> None:
    plan = Plan(date=TODAY + timedelta(days=10), minutes_per_day=5)
    f = plan_forecast([("a.b", None)] * 200, plan, SETTINGS, DAY0, TODAY, seconds=60.0)
    assert not f.feasible and f.predicted_ready < 0.9
    # 200 cards over 7 days = 29 a day, shown twice each at 60 s: at least 58 minutes on a day
    more = next(a for a in f.alternatives if a.change == "minutes")
    assert more.minutes_per_day >= 58


def test_final_review_pick_takes_the_lowest_predicted_recall_below_the_target() -> None:
    on = DAY0 + timedelta(days=3)
    memories = {
        "strong": reviewed(500.0, 2),
        "weak": reviewed(1.0, 10),
        "weaker": reviewed(0.5, 10),
        "middling": reviewed(6.0, 5),
    }
    days_ago = {"weak": 10, "weaker": 10, "middling": 5, "strong": 2}
    # reviewed an hour into its day, 3 days before ``on``: whole days elapsed
    expected = sorted((recall(memories[c].stability or 0, 2 + d), c) for c, d in days_ago.items())
    below = [cid for r, cid in expected if r < 0.9]
    assert below == ["weaker", "weak", "middling"]
    ids = list(memories)
    columns = (
        ids,
        [memories[c].stability or 0.0 for c in ids],
        [memories[c].last_review.timestamp() for c in ids if memories[c].last_review is not None],
    )

    def pick(limit: int, skip: frozenset[str] = frozenset()) -> list[str]:
        return final_review_pick(*columns, on, 0.9, limit, DEFAULT_PARAMETERS, skip)

    assert pick(10) == below
    assert pick(2) == below[:2]
    assert pick(10, frozenset({"weaker"})) == below[1:]
    assert pick(0) == []


def test_seconds_per_card_is_the_median_of_timed_answers_with_a_documented_fallback() -> None:
    assert seconds_per_card([10_000] * 19) == DEFAULT_SECONDS_PER_CARD  # too few to measure
    assert seconds_per_card([0] * 100) == DEFAULT_SECONDS_PER_CARD  # untimed
    assert seconds_per_card([4_000] * 10 + [20_000] * 11) == 20.0
    assert seconds_per_card([8_000] * 10 + [12_000] * 10) == 10.0
    assert seconds_per_card([3_600_000] * 30) == 300.0  # clipped


def test_a_plan_survives_its_event_data_and_bad_data_is_refused() -> None:
    plan = Plan(
        date=date(2026, 4, 1),
        areas=("cnn", "optim"),
        minutes_per_day=45,
        retention=0.92,
        set_on=TODAY,
        seen=3,
        schedule=(PlannedDay("2026-03-01", 10, 2, 12.5),),
    )
    assert Plan.from_data(plan.to_data()) == plan
    with pytest.raises(ValueError, match="not an interview plan"):
        Plan.from_data({"areas": []})
    with pytest.raises(ValueError, match="not an interview plan"):
        Plan.from_data({"date": "soon"})


def test_quizforge_now_starts_the_real_clock_at_the_given_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from quizforge.study import days

    real = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
    assert days.clock_shift("2026-12-20T09:00:00", real) == datetime(2026, 12, 20, 9, tzinfo=UTC) - real
    assert days.clock_shift("2026-12-20T09:00:00+08:00", real) == datetime(2026, 12, 20, 1, tzinfo=UTC) - real
    assert days.clock_shift(None, real) == timedelta(0)
    monkeypatch.setenv("QUIZFORGE_NOW", "2030-01-02T03:04:05")
    first = days.utc_now()
    second = days.utc_now()
    assert timedelta(0) <= first - datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC) < timedelta(seconds=5)
    assert second >= first  # it runs on from there
    monkeypatch.setenv("QUIZFORGE_NOW", "not a time")
    assert abs(days.utc_now() - datetime.now(UTC)) < timedelta(seconds=5)  # ignored: the real clock
    monkeypatch.delenv("QUIZFORGE_NOW")
    assert abs(days.utc_now() - datetime.now(UTC)) < timedelta(seconds=5)
