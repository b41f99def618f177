"""The planner against an independent simulation with py-fsrs's own scheduler, and the edges of its pieces.

The reference below is written from docs/planner.md with py-fsrs's ``Scheduler`` and ``Card`` (not the
module's ``Scheduling`` or its memoised simulator): each study day, at an hour past the day's start, the
due cards are reviewed Good (a learning card due again that day is shown again), each charged
``1 + (1 − R) × relearning steps`` showings with R its retrievability then; then the re-planned number of
new cards, as far as the minutes allow, each shown until its learning steps end or the day does; then, in
the cut-off days, the cards below the target on the date are pulled forward, lowest first, while the
minutes last. Readiness is py-fsrs's forgetting curve at the start of the interview's day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizforge.store.models import Memory, Phase, Settings
from quizforge.study.planner import (
    Alternative,
    Plan,
    area_of,
    final_review_pick,
    forecast,
    plan_forecast,
    seconds_per_card,
)

DAY0 = datetime(2026, 3, 1, 4, tzinfo=UTC)  # the start of today's study day
TODAY = date(2026, 3, 1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
# personal FSRS parameters, as `quizforge optimize` would set them: another decay (index 20) and other
# stability terms, so both the curve and the intervals differ from py-fsrs's defaults
PERSONAL = (*DEFAULT_PARAMETERS[:8], 1.2, 0.3, 1.1, *DEFAULT_PARAMETERS[11:20], 0.5)


# -- the reference simulation --------------------------------------------------------------------------


@dataclass
class RefDay:
    new: int
    reviews: int
    minutes: float


@dataclass
class RefForecast:
    days: list[RefDay]
    ready: float
    feasible: bool


def scheduler_for(settings: Settings) -> Scheduler:
    return Scheduler(
        parameters=settings.fsrs_parameters or DEFAULT_PARAMETERS,
        desired_retention=settings.desired_retention,
        learning_steps=[timedelta(seconds=s) for s in settings.learning_steps_s],
        relearning_steps=[timedelta(seconds=s) for s in settings.relearning_steps_s],
        maximum_interval=settings.maximum_interval,
        enable_fuzzing=False,
    )


def good(s: Scheduler, card: Card, at: datetime) -> Card:
    after, _ = s.review_card(card, Rating.Good, at)
    return after


def first_day(s: Scheduler, at: datetime, end: datetime) -> tuple[Card, int]:
    """A new card rated Good until its learning steps end or the day does: the card and its showings."""
    card, views = good(s, Card(card_id=1, due=at), at), 1
    while card.state != State.Review and card.due < end:
        card, views = good(s, card, card.due), views + 1
    return card, views


def reference(cards: list[Card | None], plan: Plan, settings: Settings, seconds: float) -> RefForecast:
    s = scheduler_for(settings)
    cards = list(cards)
    days_left = (plan.date - TODAY).days
    on_date = DAY0 + days_left * DAY
    relearn = len(settings.relearning_steps_s)
    capacity = plan.minutes_per_day * 60 / seconds
    unseen = [i for i, c in enumerate(cards) if c is None]
    days: list[RefDay] = []
    fits, short = True, False
    for k in range(days_left):
        start = DAY0 + k * DAY
        end, at = start + DAY, start + HOUR
        views, reviews, today = 0.0, 0, set()
        for i, c in enumerate(cards):
            if c is None or c.due >= end:
                continue
            t = max(at, c.due)
            views += 1 + (1 - s.get_card_retrievability(c, t)) * relearn
            reviews += 1
            c = good(s, c, t)
            while c.state != State.Review and c.due < end:  # a learning step due again today
                t = max(t, c.due)
                c, views = good(s, c, t), views + 1
            cards[i] = c
            today.add(i)
        left = days_left - k
        spread = left - plan.cutoff_days if left > plan.cutoff_days else left
        wanted = math.ceil(len(unseen) / spread) if unseen else 0
        new = 0
        for i in unseen[:wanted]:
            card, cost = first_day(s, at, end)
            if views + cost > capacity + 1e-9:
                break
            cards[i], views, new = card, views + cost, new + 1
            today.add(i)
        short = short or new < wanted
        unseen = unseen[new:]
        if k >= days_left - plan.cutoff_days:
            below = sorted(
                (s.get_card_retrievability(c, on_date), i)
                for i, c in enumerate(cards)
                if c is not None and i not in today
            )
            for r, i in below:
                c = cards[i]
                assert c is not None
                cost = 1 + (1 - s.get_card_retrievability(c, at)) * relearn
                if r >= plan.retention or views + cost > capacity + 1e-9:
                    break
                cards[i], views, reviews = good(s, c, at), views + cost, reviews + 1
        minutes = views * seconds / 60
        fits = fits and minutes <= plan.minutes_per_day + 1e-6
        days.append(RefDay(new, reviews, minutes))
    ready = sum(1 for c in cards if c is not None and s.get_card_retrievability(c, on_date) >= plan.retention)
    share = ready / len(cards) if cards else 1.0
    feasible = days_left > 0 and fits and not short and not unseen and share >= 0.9
    return RefForecast(days, share, feasible)


def memory(card: Card | None) -> Memory | None:
    """The module's memory of a py-fsrs card (``None``: never reviewed)."""
    if card is None:
        return None
    phase = {State.Learning: Phase.LEARNING, State.Review: Phase.REVIEW, State.Relearning: Phase.RELEARNING}
    return Memory(phase[card.state], card.step, card.stability, card.difficulty, card.due, card.last_review, 3, 0)


def review_card(stability: float, reviewed_days_ago: float, due_in_days: float, difficulty: float = 5.0) -> Card:
    return Card(
        card_id=1,
        state=State.Review,
        stability=stability,
        difficulty=difficulty,
        due=DAY0 + due_in_days * DAY,
        last_review=DAY0 + HOUR - reviewed_days_ago * DAY,
    )


def mixed_cards() -> list[Card | None]:
    """Unseen cards, reviews due on various days (one exactly at the start of tomorrow), two cards with the
    same memory but different elapsed times due today, a learning and a relearning card, weak cards not due
    before the date (final-review material) and strong ones."""
    cards: list[Card | None] = [None] * 12
    cards += [review_card(3.0, 3, 0), review_card(3.0, 9, 0)]  # same S and D, reviewed 3 and 9 days ago
    cards += [review_card(8.0, 5, 2.5), review_card(1.5, 2, 1.0), review_card(20.0, 15, 5.2)]  # 1.0: tomorrow 04:00
    cards += [review_card(0.1, 1, 0.0, difficulty=9.0)]  # due today and still weak after it: not pulled again
    cards += [review_card(0.6, 40, 400), review_card(1.2, 30, 400), review_card(2.5, 20, 400)]  # weak, not due
    cards += [review_card(400.0, 2, 300, difficulty=3.0) for _ in range(4)]
    cards.append(Card(card_id=1, state=State.Learning, step=0, stability=2.3, difficulty=2.1, due=DAY0 + 2 * HOUR,
                      last_review=DAY0 - 20 * HOUR))  # fmt: skip
    cards.append(Card(card_id=1, state=State.Relearning, step=0, stability=0.9, difficulty=7.0, due=DAY0 + 2 * DAY,
                      last_review=DAY0 + 2 * DAY - 10 * HOUR))  # fmt: skip
    return cards


SCENARIOS = {
    # (plan, settings, seconds a card)
    "roomy": (Plan(date=TODAY + timedelta(days=10), minutes_per_day=120), Settings(), 20.0),
    "tight": (Plan(date=TODAY + timedelta(days=7), minutes_per_day=9), Settings(), 45.0),
    "personal": (
        Plan(date=TODAY + timedelta(days=12), minutes_per_day=25, retention=0.85, cutoff_days=5),
        Settings(
            fsrs_parameters=PERSONAL,
            desired_retention=0.85,
            learning_steps_s=(60, 2 * 86400),  # the second step ends past the day's end
            relearning_steps_s=(600, 1800),
        ),
        30.0,
    ),
    "short": (Plan(date=TODAY + timedelta(days=2), minutes_per_day=60), Settings(), 25.0),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_forecast_agrees_with_an_independent_py_fsrs_simulation(name: str) -> None:
    plan, settings, seconds = SCENARIOS[name]
    cards = mixed_cards()
    got = forecast([memory(c) for c in cards], plan, settings, DAY0, TODAY, seconds)
    want = reference(cards, plan, settings, seconds)
    assert [(d.date, d.new, d.reviews) for d in got.days] == [
        ((TODAY + k * DAY).isoformat(), d.new, d.reviews) for k, d in enumerate(want.days)
    ]
    assert [d.minutes for d in got.days] == [pytest.approx(d.minutes, abs=0.05 + 1e-9) for d in want.days]
    assert got.predicted_ready == want.ready
    assert got.feasible == want.feasible
    assert got.cards_in_scope == len(cards) and got.days_left == (plan.date - TODAY).days


def test_the_scenarios_exercise_what_they_are_meant_to() -> None:
    """The reference comparison means something only if the scenarios hit the branches."""
    roomy, tight = (reference(mixed_cards(), *SCENARIOS[name]) for name in ("roomy", "tight"))
    assert sum(d.reviews for d in roomy.days[7:]) > 0  # final reviews pulled forward
    assert roomy.feasible and not tight.feasible
    assert any(d.new < 12 / 4 for d in tight.days[:4])  # the minutes cut the new cards
    assert any(d.minutes % 1 for d in roomy.days)  # fractional minutes: rounding shows


# -- the forecast's edges, by hand ---------------------------------------------------------------------


def reviewed(stability: float, days_ago: float, due_in: float = 1000.0) -> Memory | None:
    return memory(review_card(stability, days_ago, due_in))


def test_a_new_card_costs_its_learning_steps_and_the_minutes_cap_the_new_cards() -> None:
    s = scheduler_for(Settings())
    _, views = first_day(s, DAY0 + HOUR, DAY0 + DAY)
    assert views == 2  # 1 and 10 minutes: shown twice on its first day
    # 10 minutes at 30 s a showing: 20 showings, 10 new cards, exactly the minutes (the cap is inclusive)
    plan = Plan(date=TODAY + timedelta(days=4), minutes_per_day=10)
    f = forecast([None] * 10, plan, Settings(), DAY0, TODAY, 30.0)
    assert (f.days[0].new, f.days[0].minutes) == (10, 10.0)
    assert f.feasible
    # one more card does not fit on the one day before the cut-off: short, infeasible
    g = forecast([None] * 11, plan, Settings(), DAY0, TODAY, 30.0)
    assert (g.new_per_day, g.days[0].new, g.days[0].minutes) == (11, 10, 10.0)
    assert not g.feasible


def test_a_new_card_is_shown_once_on_its_first_day_when_its_next_step_ends_past_the_day() -> None:
    settings = Settings(learning_steps_s=(60, 2 * 86400))
    s = scheduler_for(settings)
    card, views = first_day(s, DAY0 + HOUR, DAY0 + DAY)
    assert views == 1 and card.state == State.Learning  # the 2-day step is not shown today
    # 10 minutes at 60 s a showing: 10 new cards fit on the one day before the cut-off, not 5
    f = forecast([None] * 10, Plan(date=TODAY + timedelta(days=4), minutes_per_day=10), settings, DAY0, TODAY, 60.0)
    assert (f.days[0].new, f.days[0].minutes) == (10, 10.0)


def test_a_due_review_is_charged_its_expected_relearning() -> None:
    # one card due now, 4 days after a review at stability 2: R from py-fsrs's forgetting curve
    card = review_card(2.0, 4, 0)
    r = scheduler_for(Settings()).get_card_retrievability(card, DAY0 + HOUR)
    assert 0.7 < r < 0.85
    plan = Plan(date=TODAY + timedelta(days=8), minutes_per_day=60)
    f = forecast([memory(card)], plan, Settings(relearning_steps_s=(600, 1200)), DAY0, TODAY, 300.0)
    assert f.days[0].reviews == 1
    assert f.days[0].minutes == round((1 + (1 - r) * 2) * 5, 1)  # 5 minutes a showing


def test_a_learning_card_due_today_is_shown_until_it_graduates() -> None:
    card = Card(card_id=1, state=State.Learning, step=0, due=DAY0 + 2 * HOUR, stability=2.3, difficulty=2.1,
                last_review=DAY0 + 2 * HOUR - timedelta(minutes=1))  # fmt: skip
    f = forecast([memory(card)], Plan(date=TODAY + timedelta(days=9)), Settings(), DAY0, TODAY, 60.0)
    # R = 1 (reviewed a minute before, no whole day elapsed): 1 showing, then the 10-minute step once more
    assert (f.days[0].reviews, f.days[0].minutes) == (1, 2.0)


def test_a_learning_step_that_ends_at_the_days_end_is_tomorrows() -> None:
    settings = Settings(learning_steps_s=(60, 23 * 3600))  # studied an hour into the day: due again at its end
    plan = Plan(date=TODAY + timedelta(days=9), minutes_per_day=30)
    learning = Memory(Phase.LEARNING, 0, 2.3, 2.1, DAY0 + HOUR / 2, DAY0 - timedelta(minutes=1), 1, 0)
    f = forecast([learning], plan, settings, DAY0, TODAY, 60.0)
    assert (f.days[0].reviews, f.days[0].minutes) == (1, 1.0)  # R = 1: one showing, the next step is tomorrow's
    assert f.days[1].reviews == 1
    g = forecast([None] * 6, plan, settings, DAY0, TODAY, 60.0)  # a new card: one showing on its first day
    assert [d.new for d in g.days[:2]] == [1, 1] and g.days[0].minutes == 1.0


def test_a_card_due_at_the_start_of_tomorrow_is_tomorrows() -> None:
    card = reviewed(3.0, 3, due_in=1.0)
    f = forecast([card], Plan(date=TODAY + timedelta(days=9)), Settings(), DAY0, TODAY)
    assert [d.reviews for d in f.days[:2]] == [0, 1]


def test_the_cards_at_the_target_exactly_are_ready() -> None:
    # stability 5, 5 whole days elapsed on the date (reviewed 23 hours before today began): exactly 0.9
    card = review_card(5.0, 1, 1000)
    on_date = DAY0 + 5 * DAY
    assert scheduler_for(Settings()).get_card_retrievability(card, on_date) == 0.9
    plan = Plan(date=TODAY + timedelta(days=5), minutes_per_day=1)
    f = forecast([memory(card)], plan, Settings(), DAY0, TODAY, 300.0)  # no room to review it again
    assert f.predicted_ready == 1.0 and f.feasible


def test_nine_cards_of_ten_ready_is_exactly_enough() -> None:
    strong = [reviewed(1000.0, 1) for _ in range(9)]
    weak = [reviewed(0.5, 60, due_in=500)]
    plan = Plan(date=TODAY + timedelta(days=5), minutes_per_day=1)
    f = forecast(strong + weak, plan, Settings(), DAY0, TODAY, 300.0)  # no minutes to pull the weak one forward
    assert f.predicted_ready == 0.9 and f.feasible


def test_ready_cards_do_not_make_a_plan_feasible_when_a_day_is_over_the_minutes() -> None:
    due_now = [reviewed(1000.0, 1, due_in=0) for _ in range(10)]  # all ready on the date, all due today
    f = forecast(due_now, Plan(date=TODAY + timedelta(days=5), minutes_per_day=1), Settings(), DAY0, TODAY, 300.0)
    assert f.predicted_ready == 1.0
    assert f.days[0].minutes > 1 and not f.feasible


def test_pulled_forward_reviews_stay_within_the_minutes() -> None:
    """A plan that is ready without them must not turn infeasible by its own final reviews (a bug: the
    final review took as many cards as whole showings fitted, then charged each its relearning too)."""
    strong = [reviewed(1000.0, 1) for _ in range(95)]
    weak = [reviewed(0.8, 30, due_in=500) for _ in range(5)]
    plan = Plan(date=TODAY + timedelta(days=3), minutes_per_day=5)
    f = forecast(strong + weak, plan, Settings(), DAY0, TODAY, 60.0)
    assert all(d.minutes <= 5 for d in f.days)
    assert sum(d.reviews for d in f.days) > 0  # some were pulled forward
    assert f.feasible and f.predicted_ready >= 0.95


def test_a_final_review_that_exactly_fills_the_minutes_is_taken() -> None:
    # reviewed 3 hours ago (late in yesterday's study day): R = 1 now, so it costs exactly one showing,
    # but at stability 0.5 it is long forgotten by the date, 3 days away (every day a final-review day)
    card = Memory(Phase.REVIEW, None, 0.5, 5.0, DAY0 + 500 * DAY, DAY0 - 2 * HOUR, 3, 0)
    plan = Plan(date=TODAY + timedelta(days=3), minutes_per_day=1)
    f = forecast([card], plan, Settings(), DAY0, TODAY, 60.0)  # room for one showing a day
    assert (f.days[0].reviews, f.days[0].minutes) == (1, 1.0)


def test_the_plans_cutoff_spreads_the_new_cards() -> None:
    plan = Plan(date=TODAY + timedelta(days=10), minutes_per_day=240, cutoff_days=5)
    f = forecast([None] * 100, plan, Settings(), DAY0, TODAY)
    assert f.new_per_day == 20  # 100 over the 5 days before a 5-day cut-off
    assert [d.new for d in f.days] == [20] * 5 + [0] * 5


@pytest.mark.parametrize("days", [0, -3])
def test_a_plan_whose_date_has_come_has_no_days_and_is_not_feasible(days: int) -> None:
    plan = Plan(date=TODAY + timedelta(days=days))
    f = forecast([reviewed(1000.0, 1)], plan, Settings(), DAY0, TODAY)
    assert f.days == [] and not f.feasible and f.days_left == days
    g = plan_forecast([("a.b", None)] * 5, plan, Settings(), DAY0, TODAY)
    assert not g.feasible and g.alternatives == []  # nothing to offer once the date has come


def test_the_simulator_reviews_without_fuzz() -> None:
    """A review's next interval is py-fsrs's own, unfuzzed: a card reviewed today at stability 6 comes back
    exactly when py-fsrs says (fuzz would move it by days)."""
    card = review_card(6.0, 6, 0)
    after = good(scheduler_for(Settings()), card, DAY0 + HOUR)
    back = (after.due - DAY0) // DAY
    assert 3 <= back < 30
    f = forecast([memory(card)], Plan(date=TODAY + timedelta(days=back + 6)), Settings(), DAY0, TODAY)
    assert [k for k, d in enumerate(f.days) if d.reviews] == [0, back]


# -- the alternatives ------------------------------------------------------------------------------------


def test_a_later_date_at_the_end_of_the_search_is_offered() -> None:
    """181 cards at 5 minutes a day first fit 120 days later, the farthest date the planner looks at."""
    plan = Plan(date=TODAY + timedelta(days=5), minutes_per_day=5)
    f = plan_forecast([("a.x", None)] * 181, plan, Settings(), DAY0, TODAY, 30.0)
    later = {a.change: a for a in f.alternatives}["date"]
    assert later.date == (plan.date + timedelta(days=120)).isoformat() and later.predicted_ready >= 0.9
    for days, feasible in ((120, True), (119, False)):
        p = replace(plan, date=plan.date + timedelta(days=days))
        assert forecast([None] * 181, p, Settings(), DAY0, TODAY, 30.0).feasible is feasible


def test_the_whole_bank_offers_the_most_areas_that_fit_smallest_first() -> None:
    cards = [("a.x", None)] * 200 + [("m.x", None)] * 8 + [("z.x", None)] * 4
    plan = Plan(date=TODAY + timedelta(days=6), minutes_per_day=10)
    f = plan_forecast(cards, plan, Settings(), DAY0, TODAY, 30.0)
    assert not f.feasible
    areas = {a.change: a for a in f.alternatives}["areas"]
    assert areas.areas == ["z", "m"] and areas.cards_in_scope == 12


def test_the_areas_alternative_is_the_longest_feasible_prefix() -> None:
    # 4 areas of 6 cards; 10 minutes at 30 s on the 3 days before the cut-off fit 10 new cards... a day:
    # 18 cards (3 areas) fit, 24 do not
    cards = [(f"{a}.x", None) for a in "pqrs" for _ in range(6)]
    plan = Plan(date=TODAY + timedelta(days=5), areas=("p", "q", "r", "s"), minutes_per_day=10)
    f = plan_forecast(cards, plan, Settings(), DAY0, TODAY, 30.0)
    assert not f.feasible
    areas = {a.change: a for a in f.alternatives}["areas"]
    assert areas.areas == ["p", "q", "r"]
    three = forecast([None] * 18, replace(plan, areas=("p", "q", "r")), Settings(), DAY0, TODAY, 30.0)
    assert three.feasible


def test_an_area_with_nothing_in_scope_is_not_offered() -> None:
    """All of the first area's cards suspended (none in scope): no "areas" alternative with no cards."""
    cards = [("b.x", None)] * 300
    plan = Plan(date=TODAY + timedelta(days=5), areas=("a", "b"), minutes_per_day=5)
    f = plan_forecast(cards, plan, Settings(), DAY0, TODAY, 30.0)
    assert not f.feasible
    assert all(a.cards_in_scope > 0 for a in f.alternatives)
    assert "areas" not in {a.change for a in f.alternatives}


# -- the final-review pick and the plan's event data ---------------------------------------------------------


def test_final_review_pick_uses_the_personal_forgetting_curve() -> None:
    on = DAY0 + 10 * DAY
    cards = {"c1": review_card(3.0, 0, 100), "c2": review_card(30.0, 0, 100), "c3": review_card(0.5, 0, 100)}
    personal = Scheduler(parameters=PERSONAL, enable_fuzzing=False)
    default = Scheduler(enable_fuzzing=False)
    target = 0.79
    r_personal = {c: personal.get_card_retrievability(k, on) for c, k in cards.items()}
    r_default = {c: default.get_card_retrievability(k, on) for c, k in cards.items()}
    # the curves disagree about which card is below the target
    assert sorted(c for c, r in r_personal.items() if r < target) != sorted(
        c for c, r in r_default.items() if r < target
    )
    ids = list(cards)
    stability = [cards[c].stability or 0.0 for c in ids]
    last = [(cards[c].last_review or DAY0).timestamp() for c in ids]
    got = final_review_pick(ids, stability, last, on, target, 10, PERSONAL)
    assert got == [c for r, c in sorted((r, c) for c, r in r_personal.items()) if r < target]


def test_final_review_pick_leaves_a_card_exactly_at_the_target_and_honours_no_room() -> None:
    on = DAY0 + 5 * DAY
    last = (DAY0 - 23 * HOUR).timestamp()
    # stability 5, 5 whole days: exactly 0.9 (not below); stability 4: below
    assert final_review_pick(["at", "below"], [5.0, 4.0], [last, last], on, 0.9, 10, DEFAULT_PARAMETERS) == ["below"]
    for limit in (0, -1, -5):
        assert final_review_pick(["a", "b", "c"], [1.0] * 3, [last] * 3, on, 0.9, limit, DEFAULT_PARAMETERS) == []


def test_a_plan_from_partial_event_data_takes_the_documented_defaults() -> None:
    """An older or hand-written ``plan.set`` with only a date: 30 minutes, 0.9, a 3-day cut-off, nothing seen."""
    plan = Plan.from_data({"date": "2026-04-01"})
    assert (plan.date, plan.areas, plan.minutes_per_day, plan.retention) == (date(2026, 4, 1), (), 30, 0.9)
    assert (plan.cutoff_days, plan.set_on, plan.seen, plan.schedule) == (3, None, 0, ())
    full = Plan(date=date(2026, 4, 1), minutes_per_day=50, retention=0.8, cutoff_days=5, seen=7)
    assert Plan.from_data(full.to_data()) == full


def test_plan_json_gives_the_shares_to_four_decimals() -> None:
    """``plan --json``: a third of the cards ready reads 0.3333, not a float's 17 digits (or a rounded 0)."""
    cards = [reviewed(1000.0, 1), reviewed(0.5, 60, due_in=500), reviewed(0.5, 60, due_in=500)]
    f = forecast(cards, Plan(date=TODAY + timedelta(days=5), minutes_per_day=1), Settings(), DAY0, TODAY, 300.0)
    assert f.predicted_ready == 1 / 3
    alt = Alternative("minutes", f.date, [], 90, 3, 0, 2 / 3)
    got = replace(f, alternatives=[alt]).to_json()
    assert got["predicted_ready"] == 0.3333
    assert (got["minutes_per_day"], got["days_left"], got["cards_in_scope"], got["feasible"]) == (1, 5, 3, False)
    assert got["alternatives"][0]["predicted_ready"] == 0.6667


def test_area_is_the_part_before_the_first_dot_and_one_millisecond_answers_are_timed() -> None:
    assert (area_of("cnn.pool"), area_of("cnn.pool.max"), area_of("cnn")) == ("cnn", "cnn", "cnn")
    assert seconds_per_card([1] * 20) == 3.0  # timed (not 0), clipped to 3 s; not the 30 s fallback
