"""The mock interview with no screen: which questions are asked, how answers are scored, what is saved."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest

from quizforge.bank import Bank, KeyPoint, Kind
from quizforge.kinds import load
from quizforge.store import Card, Memory, Phase, Settings, Source, Store, StoreError
from quizforge.study.mock import (
    CODE_TOPIC,
    WEAKEST_MIN_TOPICS,
    MockInterview,
    Slot,
    Status,
    TopicStrength,
    concept_groups,
    keyword_hits,
    select_questions,
    slot_of,
    suggest_ticks,
    topic_strengths,
    weakest_topics,
)
from quizforge.study.scheduling import Rating, Scheduling
from quizforge.text import Text
from tests.study.conftest import Clock, make_bank, question, right_answer

KEY_POINTS = (
    KeyPoint(Text("mixes channels", "通道混合"), ("mix channels", "channel"), ("通道",)),
    KeyPoint(Text("reduces dimensions", "降维"), ("reduce", "bottleneck"), ("降维", "减少通道")),
    KeyPoint(Text("adds a non-linearity", "增加非线性"), ("non-linear", "relu"), ("非线性",)),
)


@pytest.fixture(scope="module")
def shipped() -> Bank:
    return load()


def strength(topic: str, r: float, lapses: int = 0, n: int = 4) -> TopicStrength:
    return TopicStrength(topic, n, r, lapses, n if r else 0)


def kinds_bank() -> Bank:
    """Three topics, each with a question of every kind, plus architecture-choice scenarios."""
    qs = []
    for topic in ("t.a", "t.b", "t.c"):
        qs += [
            question(f"{topic}-concept", Kind.CONCEPT, topic, key_points=KEY_POINTS),
            question(f"{topic}-numeric", Kind.NUMERIC, topic),
            question(f"{topic}-choice", Kind.CHOICE, topic),
            question(f"{topic}-gen", Kind.GENERATED, topic),
        ]
    qs += [question(f"arch-{i}", Kind.CONCEPT, "arch.choice") for i in range(3)]
    return make_bank(qs)


# -- selection -------------------------------------------------------------------------------------


def test_weakest_topics_are_asked_first_and_a_strong_one_is_mixed_in() -> None:
    bank = kinds_bank()
    strengths = {
        "t.a": strength("t.a", 0.95),
        "t.b": strength("t.b", 0.2),  # weakest studied topic
        "t.c": strength("t.c", 0.9),
        "arch.choice": strength("arch.choice", 0.97),
    }
    plan = select_questions(bank, strengths, random.Random(1), count=8)
    topics = [bank.questions[p.question_id].topic for p in plan]
    assert topics[0] == "t.b"
    assert topics.count("t.b") >= 2
    assert {"t.a", "t.c"} & set(topics)  # a few strong topics too


def test_never_studied_topics_count_as_weak_and_lapses_add_weakness() -> None:
    bank = make_bank([question("a1", topic="t.a"), question("b1", topic="t.b"), question("c1", topic="t.c")])
    scheduling = Scheduling(Settings())
    now = Clock()()
    reviewed = Memory(Phase.REVIEW, None, 30.0, 5.0, now + timedelta(days=20), now - timedelta(days=1), 5, 0)
    cards = {
        "a1": Card("a1", "t.a", memory=reviewed),
        "b1": Card("b1", "t.b", memory=replace(reviewed, lapses=3)),
    }
    s = topic_strengths(bank, cards, now, scheduling)
    assert s["t.c"].retrievability == 0.0 and s["t.c"].weakness == 1.0  # never studied
    assert s["t.a"].retrievability > 0.9
    assert s["t.b"].weakness > s["t.a"].weakness  # same memory, more lapses
    plan = select_questions(bank, s, random.Random(0), count=1)
    assert plan[0].question_id == "c1"


def test_a_follow_up_chain_is_one_concept_group_and_is_not_planned() -> None:
    bank = make_bank(
        [
            question("root", Kind.CONCEPT, "t.a", follow_ups=("f1",)),
            question("f1", Kind.CONCEPT, "t.a", follow_ups=("f2",)),
            question("f2", Kind.CONCEPT, "t.a", follow_ups=("f3",)),
            question("f3", Kind.CONCEPT, "t.a"),
            question("other", Kind.CONCEPT, "t.a"),
        ]
    )
    groups = concept_groups(bank)
    assert groups["f1"] == groups["f2"] == groups["f3"] == groups["root"] == "root"
    assert groups["other"] == "other"
    for seed in range(20):
        plan = select_questions(bank, {}, random.Random(seed), count=4)
        assert sorted(p.question_id for p in plan) == ["other", "root"]  # the root (nobody's follow-up) stands for it
        assert all(p.depth == 0 for p in plan)


def test_near_identical_prompts_and_one_family_are_one_group(shipped: Bank) -> None:
    groups = concept_groups(shipped)
    # the repeat: 5 sigmoid layers as a numeric card, then 10 sigmoid layers as a choice card
    assert groups["stab-sigmoid-five-layers"] == groups["stab-choice-sigmoid-bound"]
    by_family: dict[str, set[str]] = {}
    for q in shipped:
        if q.generator is not None:
            by_family.setdefault(q.generator, set()).add(groups[q.id])
    assert all(len(g) == 1 for g in by_family.values())
    assert groups["stab-xavier-vs-kaiming"] != groups["conv-output-size-dilated"]  # different topics never merge
    assert len(set(groups.values())) > len(shipped.questions) // 3  # groups, not a few big lumps


def test_no_two_questions_of_one_concept_group_over_500_seeds(shipped: Bank) -> None:
    groups = concept_groups(shipped)
    for seed in range(500):
        topics = [["train.stability"], ["cnn"], None][seed % 3]
        plan = select_questions(shipped, {}, random.Random(seed), count=8, topics=topics, include_code=seed % 2 == 0)
        concepts = [groups[p.question_id] for p in plan]
        assert len(concepts) == len(set(concepts)), (seed, [p.question_id for p in plan])
        assert [p.concept for p in plan] == concepts


def test_the_shipped_bank_gives_a_mix_of_kinds(shipped: Bank) -> None:
    for seed in range(50):
        plan = select_questions(shipped, {}, random.Random(seed), count=8)
        assert len(plan) == 8
        assert len({p.question_id for p in plan}) == 8
        slots = {slot_of(shipped.questions[p.question_id]) for p in plan}
        assert slots == set(Slot), (seed, slots)
        assert all(shipped.questions[p.question_id].kind != "implement" for p in plan)


def test_a_coding_question_when_opted_in(shipped: Bank) -> None:
    for seed in range(30):
        plan = select_questions(shipped, {}, random.Random(seed), count=8, include_code=True)
        kinds = [shipped.questions[p.question_id].kind for p in plan]
        assert len(plan) == 8 and kinds.count("implement") == 1 and kinds[-1] == "implement"
        assert shipped.questions[plan[-1].question_id].topic == CODE_TOPIC
        assert len({slot_of(shipped.questions[p.question_id]) for p in plan[:-1]}) == len(Slot)


def test_weakest_topics_are_asked_more_often(shipped: Bank) -> None:
    topics = sorted({q.topic for q in shipped if q.topic.startswith("cnn.")})
    weak = topics[0]
    strengths = {t: strength(t, 0.95) for t in topics} | {weak: strength(weak, 0.1, lapses=4)}
    counts: Counter[str] = Counter()
    for seed in range(100):
        plan = select_questions(shipped, strengths, random.Random(seed), count=8, topics=["cnn"])
        counts.update(shipped.questions[p.question_id].topic for p in plan)
        assert shipped.questions[plan[0].question_id].topic == weak
    others = [counts[t] for t in topics if t != weak]
    assert counts[weak] > max(others)


def test_my_weakest_asks_only_the_weakest_topics(shipped: Bank) -> None:
    topics = sorted({q.topic for q in shipped})
    weak = topics[3:7]
    strengths = {t: strength(t, 0.97) for t in topics} | {t: strength(t, 0.2 + 0.1 * i) for i, t in enumerate(weak)}
    for seed in range(30):
        plan = select_questions(shipped, strengths, random.Random(seed), count=8, weakest=True)
        asked = {shipped.questions[p.question_id].topic for p in plan}
        chosen = weakest_topics(shipped, strengths, random.Random(seed), count=8, topics=None)
        n = min(len(chosen), len(weak))
        assert chosen[:n] == weak[:n]  # weakest first
        assert asked <= set(chosen) and len(plan) == 8
        assert len(chosen) >= WEAKEST_MIN_TOPICS


def test_the_seed_makes_the_draw_reproducible(shipped: Bank) -> None:
    a = select_questions(shipped, {}, random.Random(42), count=8)
    b = select_questions(shipped, {}, random.Random(42), count=8)
    c = select_questions(shipped, {}, random.Random(43), count=8)
    assert a == b
    assert a != c


def test_suspended_cards_and_other_topics_are_left_out(shipped: Bank) -> None:
    cnn = [q.id for q in shipped if q.topic.startswith("cnn.")]
    suspended = cnn[::2]
    for seed in range(10):
        plan = select_questions(shipped, {}, random.Random(seed), count=8, topics=["cnn"], suspended=suspended)
        assert len(plan) == 8
        for p in plan:
            assert shipped.questions[p.question_id].topic.startswith("cnn.")
            assert p.question_id not in suspended
    assert select_questions(shipped, {}, random.Random(0), topics=["no.such"]) == []


def test_fewer_questions_than_asked_for() -> None:
    bank = make_bank([question("a"), question("b", Kind.NUMERIC)])
    assert len(select_questions(bank, {}, random.Random(0), count=8)) == 2


# -- key points ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("It can MIX CHANNELS and add a ReLU", (True, False, True)),
        ("A bottle-neck layer to REDUCE width", (False, True, False)),
        ("在每个像素上做通道混合，并且降维", (True, True, False)),  # no word boundaries in Chinese
        ("先用 1×1 卷积减少通道，再加非线性", (True, True, True)),
        ("", (False, False, False)),
        ("something else entirely", (False, False, False)),
    ],
)
def test_key_points_are_pre_ticked_by_keywords_in_either_language(answer: str, expected: tuple[bool, ...]) -> None:
    assert suggest_ticks(KEY_POINTS, answer) == expected


def test_hyphens_and_spaces_are_read_alike() -> None:
    kp = (KeyPoint(Text("end to end"), ("end-to-end",)),)
    assert suggest_ticks(kp, "it is trained end to end") == (True,)
    assert suggest_ticks(kp, "it is trained End-to-End") == (True,)
    assert suggest_ticks(kp, "it is trained  end   to\nend") == (True,)


# -- a whole interview -----------------------------------------------------------------------------


def scored_bank() -> Bank:
    return make_bank(
        [
            question("concept", Kind.CONCEPT, "t.a", key_points=KEY_POINTS),
            question("numeric", Kind.NUMERIC, "t.a"),
            question("choice", Kind.CHOICE, "t.b"),
            question("gen", Kind.GENERATED, "t.c"),
        ]
    )


def run(interview: MockInterview, clock: Clock, answers: dict[str, str | None]) -> None:
    """Answer each question by id (``None``: pass), 30 s each."""
    interview.start()
    while (p := interview.current) is not None:
        clock.advance(seconds=30)
        text = answers[p.card_id]
        if text is None:
            interview.pass_()
        else:
            interview.answer(text if text != "RIGHT" else right_answer(p))


def test_scoring_totals_per_topic_and_study_next(store: Store, clock: Clock) -> None:
    bank = scored_bank()
    interview = MockInterview(store, bank, questions=4, seed=5, now=clock)
    assert [p.question_id for p in interview.plan][:1] == ["concept"]
    run(interview, clock, {"concept": "It mixes channels: 先降维", "numeric": "20", "choice": "b", "gen": None})
    card = interview.finish()
    by_id = {i.question.id: i for i in card.items}
    concept = by_id["concept"]
    assert concept.suggested == (True, True, False)
    assert concept.score == pytest.approx(2 / 3) and concept.rating == Rating.Good
    assert by_id["numeric"].correct and by_id["numeric"].score == 1.0 and by_id["numeric"].expected == "20"
    assert by_id["choice"].correct is False and by_id["choice"].rating == Rating.Again
    assert by_id["gen"].status == Status.PASSED and by_id["gen"].score == 0.0
    assert all(i.seconds == 30 for i in card.items)
    assert card.total == pytest.approx(100 * (2 / 3 + 1 + 0 + 0) / 4)
    assert card.by_topic == pytest.approx({"t.a": 100 * (2 / 3 + 1) / 2, "t.b": 0.0, "t.c": 0.0})
    assert card.study_next[:2] in (["t.b", "t.c"], ["t.c", "t.b"]) and card.study_next[2] == "t.a"
    # the user corrects the suggestions: one point fewer drops the concept answer below 60 %
    card.tick(concept.index, 1, False)
    assert concept.score == pytest.approx(1 / 3) and concept.rating == Rating.Again
    assert card.total == pytest.approx(100 * (1 / 3 + 1) / 4)
    interview.tick(concept.index, 2, True)
    interview.tick(concept.index, 1, True)
    assert concept.score == 1.0 and card.by_topic["t.a"] == 100.0
    with pytest.raises(ValueError):
        card.tick(by_id["numeric"].index, 0, True)


def test_save_writes_the_result_and_mock_reviews_that_move_the_schedule(store: Store, clock: Clock) -> None:
    bank = scored_bank()
    interview = MockInterview(store, bank, questions=4, seed=5, now=clock, minutes=10)
    run(interview, clock, {"concept": "它混合通道, a bottleneck", "numeric": "20", "choice": "b", "gen": None})
    card = interview.finish()
    result = interview.save()
    [stored] = store.mock_results()
    assert stored == result
    assert stored.score == pytest.approx(card.total / 100)
    details = stored.details
    assert details["options"] == {
        "minutes": 10,
        "questions": 4,
        "topics": None,
        "seed": 5,
        "weakest": False,
        "code": False,
    }
    assert [q["id"] for q in details["questions"]] == [i.question.id for i in card.items]
    gen = next(q for q in details["questions"] if q["id"] == "gen")
    assert gen["status"] == "passed" and gen["seed"] is not None
    reviews = store.reviews()
    assert len(reviews) == 4
    assert {r.source for r in reviews} == {Source.MOCK}
    ratings = {r.card_id: r.rating for r in reviews}
    assert ratings == {"concept": Rating.Good, "numeric": Rating.Good, "choice": Rating.Again, "gen": Rating.Again}
    scheduling = Scheduling(store.settings())
    for r in reviews:
        item = next(i for i in card.items if i.question.id == r.card_id)
        assert r.answer == item.answer and r.duration_ms == 30_000
        assert (r.seed is not None) is (r.card_id == "gen")
        expected = scheduling.apply(Card(r.card_id, topic=item.topic), r.rating, r.reviewed_at, r.id)
        saved = store.card(r.card_id)
        assert saved is not None and saved.memory == expected.memory
        assert saved.memory.due is not None and saved.memory.phase != Phase.NEW
    # saving again changes nothing
    interview.save()
    assert len(store.mock_results()) == 1 and store.reviews() == reviews
    # a changed tick that changes the rating replaces that one review and updates the result
    concept = next(i for i in card.items if i.question.id == "concept")
    card.tick(concept.index, 0, False)
    interview.save()
    after = store.reviews()
    assert len(after) == 4
    [concept_review] = [r for r in after if r.card_id == "concept"]
    old = next(r for r in reviews if r.card_id == "concept")
    assert concept_review.rating == Rating.Again and concept_review.id != old.id
    assert old.id in store.undone_ids()
    replayed = scheduling.replay(store.reviews("concept"))
    stored_card = store.card("concept")
    assert stored_card is not None and stored_card.memory == replayed
    [updated] = store.mock_results()
    assert updated.score == pytest.approx(card.total / 100) and updated.score < stored.score


def test_time_out_keeps_what_was_answered(store: Store, clock: Clock) -> None:
    bank = scored_bank()
    interview = MockInterview(store, bank, questions=4, seed=5, now=clock, minutes=2)
    first = interview.start()
    assert first is not None and interview.time_left == timedelta(minutes=2)
    clock.advance(seconds=50)
    interview.answer(right_answer(first) if first.kind != Kind.CONCEPT else "channel")
    assert interview.index == 1 and not interview.expired
    assert interview.time_left == timedelta(seconds=70)
    clock.advance(seconds=30)
    assert interview.time_on_question() == timedelta(seconds=30)
    clock.advance(seconds=100)  # past the deadline
    assert interview.expired and interview.time_left == timedelta(0)
    assert interview.time_on_question() == timedelta(seconds=70)  # counted to the deadline
    card = interview.finish()
    statuses = [i.status for i in card.items]
    assert statuses == [Status.ANSWERED, Status.TIMED_OUT, Status.NOT_REACHED, Status.NOT_REACHED]
    assert card.items[1].seconds == 70
    assert card.finished_at == interview.deadline
    assert card.total == pytest.approx(100 * card.items[0].score / 4)
    assert set(card.by_topic) == {card.items[0].topic}
    interview.save()
    assert [r.card_id for r in store.reviews()] == [card.items[0].question.id]  # only what was answered
    assert interview.current is None
    assert interview.finish() is card


def test_an_answer_typed_when_the_time_ran_out_is_kept(store: Store, clock: Clock) -> None:
    interview = MockInterview(store, scored_bank(), questions=4, seed=5, now=clock, minutes=1)
    interview.start()
    clock.advance(minutes=2)
    assert interview.expired
    interview.answer("a draft about channels")
    assert interview.current is None  # nothing more is asked after the time is up
    card = interview.finish()
    assert card.items[0].status == Status.ANSWERED and card.items[0].seconds == 60
    assert [i.status for i in card.items[1:]] == [Status.NOT_REACHED] * 3


def test_generated_questions_get_a_fresh_reproducible_instance(store: Store, clock: Clock, shipped: Bank) -> None:
    def seeds(seed: int) -> list[int | None]:
        interview = MockInterview(store, shipped, questions=8, seed=seed, now=clock)
        interview.start()
        out = []
        while (p := interview.current) is not None:
            out.append(p.seed)
            interview.pass_()
        return out

    assert seeds(1) == seeds(1)
    drawn = Counter(s is not None for seed in range(1, 6) for s in seeds(seed))
    assert drawn[True] >= 1


def test_suspended_cards_are_not_asked(store: Store, clock: Clock) -> None:
    bank = scored_bank()
    store.sync_bank((q.id, q.topic) for q in bank)
    store.set_suspended("choice", True)
    interview = MockInterview(store, bank, questions=8, seed=1, now=clock)
    assert "choice" not in [p.question_id for p in interview.plan]
    assert len(interview.plan) == 3


def test_a_failed_save_can_be_retried(store: Store, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    interview = MockInterview(store, scored_bank(), questions=4, seed=5, now=clock)
    run(interview, clock, {"concept": "channel", "numeric": "20", "choice": "a", "gen": None})
    interview.finish()

    def broken(result: object) -> None:
        raise StoreError("disk full")

    monkeypatch.setattr(store, "put_mock_result", broken)
    with pytest.raises(StoreError):
        interview.save()
    assert store.reviews() == [] and store.mock_results() == []  # rolled back
    monkeypatch.undo()
    interview.save()
    assert len(store.reviews()) == 4 and len(store.mock_results()) == 1


def test_keyword_hits_name_the_keyword_behind_each_suggestion() -> None:
    assert keyword_hits(KEY_POINTS, "A BOTTLENECK that adds 非线性") == (None, "bottleneck", "非线性")
    assert keyword_hits(KEY_POINTS, "   ") == (None, None, None)


def test_a_tick_that_changes_only_the_score_is_logged_too(store: Store, clock: Clock) -> None:
    interview = MockInterview(store, scored_bank(), questions=4, seed=5, now=clock)
    run(interview, clock, {"concept": "它混合通道, a bottleneck", "numeric": "20", "choice": "a", "gen": None})
    card = interview.finish()
    interview.save()
    [before] = [r for r in store.reviews() if r.card_id == "concept"]
    assert before.rating == Rating.Good and before.score == pytest.approx(2 / 3)
    concept = next(i for i in card.items if i.question.id == "concept")
    card.tick(concept.index, 2, True)  # 3 of 3 key points: still Good, a better score
    interview.save()
    [after] = [r for r in store.reviews() if r.card_id == "concept"]
    assert after.rating == Rating.Good and after.score == pytest.approx(1.0)
    assert before.id in store.undone_ids()  # the log itself is only appended to
    stored = store.card("concept")
    assert stored is not None and stored.memory == Scheduling(store.settings()).replay(store.reviews("concept"))
