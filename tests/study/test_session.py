"""StudySession driven with no screen: queue, grading, proposals, saving, flags, undo, counts."""

from __future__ import annotations

import random
from datetime import UTC, timedelta
from itertools import pairwise

import pytest
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler

from quizforge.bank import Kind
from quizforge.kinds import load
from quizforge.store import Card, Memory, Phase, Store
from quizforge.study.scheduling import Scheduling
from quizforge.study.session import StudySession, propose_rating

from .conftest import T0, Clock, make_bank, question, right_answer, wrong_answer


def session(store: Store, bank, clock: Clock, **kw) -> StudySession:  # type: ignore[no-untyped-def]
    return StudySession(store, bank, now=clock, tz=UTC, rng=random.Random(1), **kw)


def answer(s: StudySession, clock: Clock, right: bool = True, seconds: float = 15, rating: int | None = None):  # type: ignore[no-untyped-def]
    p = s.next_card()
    assert p is not None
    clock.advance(seconds=seconds)
    r = s.submit(right_answer(p) if right else wrong_answer(p))
    return p, r, s.rate(rating)


def test_proposed_rating_follows_correctness_and_speed() -> None:
    assert propose_rating(Kind.CHOICE, False, 1) == Rating.Again
    assert propose_rating(Kind.CHOICE, True, 3) == Rating.Easy
    assert propose_rating(Kind.CHOICE, True, 20) == Rating.Good
    assert propose_rating(Kind.CHOICE, True, 60) == Rating.Hard
    assert propose_rating(Kind.GENERATED, True, 60) == Rating.Good


def test_new_cards_are_limited_and_interleaved_across_areas(store: Store, clock: Clock) -> None:
    bank = make_bank(
        [question(f"a{i}", topic="a.x") for i in range(5)] + [question(f"b{i}", topic="b.x") for i in range(5)]
    )
    store.set_settings(new_per_day=4)
    s = session(store, bank, clock)
    assert s.build_queue() == ["a0", "b0", "a1", "b1"]
    assert session(store, bank, clock, new_limit=1).build_queue() == ["a0"]
    assert session(store, bank, clock, topics=["b.x"]).build_queue() == ["b0", "b1", "b2", "b3"]


def test_a_day_of_study_saves_what_fsrs_says(store: Store, clock: Clock) -> None:
    bank = make_bank([question("c1"), question("n1", Kind.NUMERIC), question("g1", Kind.GENERATED)])
    oracle = Scheduler(learning_steps=(timedelta(minutes=1), timedelta(minutes=10)), enable_fuzzing=False)
    store.set_settings(enable_fuzzing=False)
    s = session(store, bank, clock)
    p, r, saved = answer(s, clock, seconds=15)  # c1: right, 15 s → Good
    assert p.card_id == "c1" and r.correct and r.proposed == Rating.Good
    expected, _ = oracle.review_card(FsrsCard(card_id=1, due=T0), Rating.Good, r.answered_at)
    assert saved.card.memory.due == expected.due and saved.card.memory.stability == expected.stability
    assert r.intervals[Rating.Good] == expected.due - r.answered_at
    assert store.reviews("c1")[0].rating == 3 and store.reviews("c1")[0].duration_ms == 15000
    p, r, saved = answer(s, clock, right=False)
    assert p.card_id == "n1" and r.correct is False and r.proposed == Rating.Again and r.expected == "20"
    p, r, saved = answer(s, clock, seconds=5)
    assert p.card_id == "g1" and p.instance is not None and r.correct and r.proposed == Rating.Easy
    assert store.reviews("g1")[0].seed == p.instance.seed
    # c1 (step 2, due in 10 min) and n1 (due in 1 min) come back within the day, soonest first
    assert s.remaining == 2
    p2 = s.next_card()
    assert p2 is not None and p2.card_id == "n1"
    clock.advance(minutes=30)
    _, r, _ = (p2, s.submit(right_answer(p2)), s.rate())
    nxt = s.next_card()
    assert nxt is not None and nxt.card_id == "c1"
    s.submit(right_answer(nxt))
    saved = s.rate(Rating.Good)
    assert saved.card.memory.phase == Phase.REVIEW
    last = s.next_card()  # n1's 10-minute step is within the learn-ahead window
    assert last is not None and last.card_id == "n1"
    s.submit(right_answer(last))  # n1 was rated Hard (a 30-minute answer): still at step 0
    assert s.rate(Rating.Good).card.memory.step == 1
    last = s.next_card()
    assert last is not None and last.card_id == "n1"
    s.submit(right_answer(last))
    assert s.rate(Rating.Good).card.memory.phase == Phase.REVIEW
    assert s.next_card() is None and s.remaining == 0
    assert [r.rating for r in store.reviews("n1")] == [1, 2, 3, 3]


def test_concept_cards_reveal_then_self_grade(store: Store, clock: Clock) -> None:
    bank = make_bank([question("k1", Kind.CONCEPT)])
    s = session(store, bank, clock)
    p = s.next_card()
    assert p is not None and p.answer_kind is None
    clock.advance(seconds=30)
    r = s.submit("it does things")
    assert r.correct is None and r.model_answer is not None and len(r.key_points) == 2
    assert r.proposed == Rating.Again  # nothing ticked yet: nothing shown earns more
    r = s.self_grade([True, False])  # 1 of 2 does not pass: a partial answer
    assert r.correct is False and r.proposed == Rating.Hard and r.score == 0.5
    r = s.self_grade([True, True])
    assert r.correct and r.proposed == Rating.Good
    saved = s.rate(Rating.Hard)
    assert saved.review.rating == 2 and saved.review.answer == "it does things"


def test_unticking_every_key_point_returns_to_the_revealed_state(store: Store, clock: Clock) -> None:
    bank = make_bank([question("k1", Kind.CONCEPT)])
    s = session(store, bank, clock)
    assert s.next_card() is not None
    clock.advance(seconds=30)
    revealed = s.submit("")
    s.self_grade([True, False])
    again = s.self_grade([False, False])
    assert (again.correct, again.score, again.feedback, again.proposed) == (None, None, "", Rating.Again)
    assert again == revealed
    assert s.rate().review.rating == 1


@pytest.mark.parametrize("text", ["abc)(", "1/", "2 ]"])
def test_an_unreadable_answer_is_refused_and_nothing_is_saved(store: Store, clock: Clock, text: str) -> None:
    from quizforge.study.session import UnreadableAnswer

    bank = make_bank([question("n1", Kind.NUMERIC), question("g1", Kind.GENERATED)])
    s = session(store, bank, clock)
    for _ in range(2):
        p = s.next_card()
        assert p is not None
        with pytest.raises(UnreadableAnswer) as refused:
            s.submit(text)
        assert refused.value.message.startswith("can't read `")
        assert s.next_card() is p  # still the same card, unanswered
        with pytest.raises(RuntimeError):
            s.rate()
        r = s.submit(right_answer(p))  # and it can still be answered
        assert r.correct
        s.rate()
    assert [r.correct for r in store.reviews()] == [True, True]  # the refusals left no trace


def test_blank_typed_answer_is_still_graded_as_no_answer(store: Store, clock: Clock) -> None:
    s = session(store, make_bank([question("n1", Kind.NUMERIC)]), clock)
    assert s.next_card() is not None
    r = s.submit("")
    assert r.correct is False and r.proposed == Rating.Again


def test_take_back_lets_the_same_card_be_answered_again(store: Store, clock: Clock) -> None:
    bank = make_bank([question("n1", Kind.NUMERIC), question("n2", Kind.NUMERIC)])
    s = session(store, bank, clock)
    answer(s, clock)  # n1 saved: take_back must not touch it
    p = s.next_card()
    assert p is not None and p.card_id == "n2"
    assert s.take_back() is None  # nothing answered yet
    assert s.submit(wrong_answer(p)).correct is False
    assert s.take_back() is p
    assert s.next_card() is p
    assert s.submit(right_answer(p)).correct
    s.rate()
    assert sorted((r.card_id, r.correct) for r in store.reviews()) == [("n1", True), ("n2", True)]


def test_cards_left_never_grow_over_a_session_with_learning_steps(store: Store, clock: Clock) -> None:
    # a parent with a follow-up (buried once the parent is answered) and wrong answers that bring
    # cards back today: what is left may only shrink as cards are rated
    qs = [question(f"q{i}", follow_ups=("q1",) if i == 0 else ()) for i in range(10)]
    store.set_settings(new_per_day=6)
    s = session(store, make_bank(qs), clock, new_limit=6)
    left: list[int] = []
    seen: set[str] = set()
    while (p := s.next_card()) is not None:
        left.append(s.remaining + 1)  # the card on screen is one of those left
        clock.advance(minutes=2)
        first = p.card_id not in seen  # wrong the first time (a learning step today), then right
        seen.add(p.card_id)
        s.submit(wrong_answer(p) if first else right_answer(p))
        s.rate(None if first else 4)
        assert len(left) < 100
    assert any(r.rating == 1 for r in store.reviews()) and len(store.reviews()) > 6  # cards came back
    assert all(b <= a for a, b in pairwise(left)), left
    assert len({r.card_id for r in store.reviews()}) == 6  # --new 6 means six new cards, refills or not


def test_due_reviews_come_before_new_and_respect_the_review_limit(store: Store, clock: Clock) -> None:
    bank = make_bank([question(f"q{i}") for i in range(6)])
    store.sync_bank((q.id, q.topic) for q in bank)
    for i in (4, 5, 3):
        m = Memory(Phase.REVIEW, None, 3.0, 5.0, T0 - timedelta(days=i), T0 - timedelta(days=10), 2, 0)
        store.put_card(Card(f"q{i}", "t.a", i, m))
    store.set_settings(reviews_per_day=2, new_per_day=2)
    assert session(store, bank, clock).build_queue() == ["q5", "q4", "q0", "q1"]


def test_the_day_rolls_over_at_the_configured_local_hour(store: Store, clock: Clock) -> None:
    bank = make_bank([question(f"q{i}") for i in range(5)])
    store.set_settings(new_per_day=2, day_start_hour=4)
    clock.t = T0.replace(hour=22)
    s = session(store, bank, clock)
    answer(s, clock, rating=4)
    answer(s, clock, rating=4)
    assert s.next_card() is None
    clock.t = T0.replace(hour=3) + timedelta(days=1)  # 03:00 next morning: still yesterday
    assert s.next_card() is None and s.counts().new == 0
    clock.t = T0.replace(hour=4, minute=1) + timedelta(days=1)
    p = s.next_card()
    assert p is not None and p.card_id == "q2" and s.counts().new == 2


def test_follow_ups_are_buried_for_the_day_and_restored_by_undo(store: Store, clock: Clock) -> None:
    bank = make_bank([question("a", follow_ups=("b",)), question("b"), question("c")])
    s = session(store, bank, clock)
    assert s.build_queue() == ["a", "c", "b"]  # a follow-up waits behind the other new cards
    answer(s, clock, rating=4)
    p = s.next_card()
    assert p is not None and p.card_id == "c"
    assert session(store, bank, clock).build_queue() == ["c"]  # b stays buried in a new session today
    clock.advance(days=1)
    assert "b" in session(store, bank, clock).build_queue()


def test_undo_removes_the_review_and_restores_the_card(store: Store, clock: Clock) -> None:
    bank = make_bank([question("a", follow_ups=("b",)), question("b")])
    s = session(store, bank, clock)
    answer(s, clock, rating=3)
    assert len(store.reviews()) == 1
    again = s.undo()
    assert again is not None and again.card_id == "a"
    assert store.reviews() == [] and store.card("a") == Card("a", "t.a", 0)
    assert store.card("b").buried_until is None  # type: ignore[union-attr]
    assert s.undo() is None
    answer(s, clock, rating=4)
    assert [r.rating for r in store.reviews()] == [4]


def test_suspend_and_unsuspend(store: Store, clock: Clock) -> None:
    bank = make_bank([question("a"), question("b")])
    s = session(store, bank, clock)
    s.suspend("a")
    assert session(store, bank, clock).build_queue() == ["b"]
    s.unsuspend("a")
    assert session(store, bank, clock).build_queue() == ["a", "b"]


def test_eight_lapses_make_a_leech_which_is_suspended(store: Store, clock: Clock) -> None:
    bank = make_bank([question("a")])
    store.sync_bank([("a", "t.a")])
    store.put_card(Card("a", "t.a", 0, Memory(Phase.REVIEW, None, 5.0, 5.0, T0, T0 - timedelta(days=5), 9, 7)))
    s = session(store, bank, clock)
    *_, saved = answer(s, clock, right=False)
    assert saved.became_leech and saved.card.leech and saved.card.suspended and saved.card.memory.lapses == 8
    clock.advance(hours=1)
    assert s.next_card() is None


def test_cram_logs_answers_without_touching_the_schedule(store: Store, clock: Clock) -> None:
    bank = make_bank([question("a", topic="t.a"), question("b", topic="t.b")])
    s = session(store, bank, clock)
    answer(s, clock, rating=3)
    before = store.cards()
    c = session(store, bank, clock, cram=True, topics=["t.a"])
    p, r, saved = answer(c, clock, right=False)
    assert p.card_id == "a" and r.intervals == {} and saved.review.source == "cram"
    assert store.cards() == before
    assert c.next_card() is None
    assert Scheduling(store.settings()).replay(store.reviews("a")) == store.card("a").memory  # type: ignore[union-attr]


def test_counts_and_mastery(store: Store, clock: Clock) -> None:
    bank = make_bank([question(f"q{i}", topic="a.x" if i < 3 else "b.x") for i in range(6)])
    s = session(store, bank, clock)
    assert s.counts() == s.counts(clock()) and s.counts().new == 6 and s.counts().streak == 0
    answer(s, clock, rating=4)
    answer(s, clock, rating=4)
    c = s.counts()
    assert (c.done, c.streak, c.new) == (2, 1, 4)
    m = s.mastery()
    assert m == pytest.approx({"a.x": 1 / 3, "b.x": 1 / 3})  # new cards interleave areas: one fresh card each
    clock.advance(days=1)
    assert s.counts().streak == 1
    answer(s, clock, rating=4)
    assert s.counts().streak == 2
    clock.advance(days=60)
    c = s.counts()
    assert c.streak == 0 and c.due == 3


@pytest.mark.slow
def test_a_month_over_the_shipped_bank_cache_equals_replay(store: Store, clock: Clock) -> None:
    bank = load()
    rng = random.Random(7)
    kinds_seen = set()
    for _day in range(30):
        s = session(store, bank, clock)
        while (p := s.next_card()) is not None:
            kinds_seen.add(p.kind)
            clock.advance(seconds=rng.choice([4, 25, 200]))
            r = s.submit(right_answer(p) if rng.random() < 0.8 else wrong_answer(p))
            if r.correct is None:
                s.self_grade([rng.random() < 0.8 for _ in r.key_points])
            s.rate(rng.choice([None, None, 1, 2, 3, 4]))
            if rng.random() < 0.05:
                s.undo()
        clock.advance(days=1)
    assert kinds_seen == set(Kind)
    sched = Scheduling(store.settings())
    assert sched.settings.enable_fuzzing
    cards = {c.card_id: c for c in store.cards()}
    reviewed = {r.card_id for r in store.reviews()}
    assert len(reviewed) > 100
    for cid in reviewed:
        assert sched.replay(store.reviews(cid)) == cards[cid].memory, cid


@pytest.mark.slow
def test_days_over_the_shipped_bank_match_py_fsrs_replayed_independently(store: Store, clock: Clock) -> None:
    """With fuzz off, every card's state is what py-fsrs's own Scheduler gives for the logged ratings."""
    bank = load()
    store.set_settings(enable_fuzzing=False, new_per_day=150)
    rng = random.Random(3)
    for _day in range(4):
        s = session(store, bank, clock)
        while (p := s.next_card()) is not None:
            clock.advance(seconds=rng.choice([5, 40, 300]))
            r = s.submit(right_answer(p) if rng.random() < 0.75 else wrong_answer(p))
            if r.correct is None:
                s.self_grade([rng.random() < 0.7 for _ in r.key_points])
            s.rate()
        clock.advance(days=rng.choice([1, 3]))
    oracle = Scheduler(enable_fuzzing=False)
    kinds = set()
    for card in store.cards():
        log = store.reviews(card.card_id)
        if not log:
            continue
        kinds.add(bank.questions[card.card_id].kind)
        fc = FsrsCard(card_id=1, due=T0)
        for rev in log:
            fc, _ = oracle.review_card(fc, Rating(rev.rating), rev.reviewed_at)
        m = card.memory
        assert (m.stability, m.difficulty, m.due, m.last_review, m.step, int(m.phase)) == (
            fc.stability,
            fc.difficulty,
            fc.due,
            fc.last_review,
            fc.step,
            int(fc.state),
        )
    assert kinds == set(Kind)


def test_burying_follow_ups_does_not_cut_the_days_new_cards_short(store: Store, clock: Clock) -> None:
    # "a" is studied first and buries its follow-ups "b" and "c", which were queued among the first
    # three new cards; the day's limit of 3 is then met by "d" and "e" from further down the bank.
    store.set_settings(new_per_day=3)
    bank = make_bank([question("a", follow_ups=("b", "c")), question("b"), question("c"), question("d"), question("e")])
    s = session(store, bank, clock)
    shown = []
    while (p := s.next_card()) is not None:
        shown.append(p.card_id)
        s.submit(right_answer(p))
        s.rate(4)  # Easy: graduates at once, so nothing comes back today
    assert shown == ["a", "d", "e"]


def test_refused_answers_are_not_counted_in_generator_accuracy(store: Store, clock: Clock) -> None:
    from quizforge.report.stats import build_report
    from quizforge.study.session import UnreadableAnswer

    bank = make_bank([question("g1", Kind.GENERATED)])
    s = session(store, bank, clock)
    p = s.next_card()
    assert p is not None
    for typo in ("abc)(", "1/", "3 ]"):
        with pytest.raises(UnreadableAnswer):
            s.submit(typo)
    s.submit(right_answer(p))
    s.rate()
    r = build_report(store, bank, clock(), tz=UTC, days=30)
    # one answer was graded (right): three refusals would have made it 1 of 4
    assert [(g.name, g.answered, g.correct) for g in r.generators] == [("conv_output_size", 1, 1)]
