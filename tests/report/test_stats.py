"""Each statistic on a synthetic log whose answer is known by construction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizforge.bank import Bank
from quizforge.report.stats import build_report, day_grid, session_length
from quizforge.store import Card, MockResult, Phase, Store
from tests.report.conftest import NOW, review, reviewed_card

DAY = timedelta(days=1)


def test_true_retention_three_passes_one_fail_a_day(store: Store, bank: Bank) -> None:
    start = NOW - 20 * DAY
    rows = [review(c, start, 3) for c in "abcd"]  # first reviews ever: learning, not retention
    for k in range(1, 15):
        at = start + k * DAY
        rows += [review(c, at, 3) for c in "abc"] + [review("d", at, 1)]
        rows += [review(c, at + timedelta(minutes=10), 1 if c == "a" else 3) for c in "abcd"]  # not the day's first
    store.add_reviews(rows)
    r = build_report(store, bank, NOW, tz=UTC)
    by_window = {x.days: x for x in r.retention}
    assert (by_window[7].passed, by_window[7].total, by_window[7].rate) == (3, 4, 0.75)  # only day 14 is in it
    assert (by_window[30].passed, by_window[30].total, by_window[30].rate) == (42, 56, 0.75)
    assert by_window[365].rate == 0.75
    topic_a = next(t for t in r.topics if t.id == "t.a")
    assert {x.days: x.rate for x in topic_a.retention}[30] == 0.75
    topic_b = next(t for t in r.topics if t.id == "t.b")
    assert {x.days: x.total for x in topic_b.retention}[30] == 0


def test_retention_windows_count_study_days(store: Store, bank: Bank) -> None:
    rows = [review("a", NOW - 40 * DAY)]
    rows += [review("a", NOW - k * DAY, 1 if k % 2 else 3) for k in range(0, 35)]
    store.add_reviews(rows)
    r = build_report(store, bank, NOW, tz=UTC)
    w = {x.days: (x.passed, x.total) for x in r.retention}
    assert w[7] == (4, 7)  # days 0..6: even k pass (0, 2, 4, 6)
    assert w[30] == (15, 30)
    assert w[365] == (18, 35)


def test_cram_quiz_and_mock_reviews_do_not_count_for_retention(store: Store, bank: Bank) -> None:
    rows = [review("a", NOW - 5 * DAY), review("a", NOW - 2 * DAY, 3)]
    rows += [review("b", NOW - 5 * DAY, 1, source=s) for s in ("cram", "quiz", "mock")]
    store.add_reviews(rows)
    r = build_report(store, bank, NOW, tz=UTC)
    assert {x.days: (x.passed, x.total) for x in r.retention}[7] == (1, 1)
    assert r.totals.reviews == 5


def test_streak_broken_on_a_known_day(store: Store, bank: Bank) -> None:
    days = [12, 11, 10, 9, 8, 7, 5, 4, 3, 2, 1]  # day 6 missed; nothing yet today
    store.add_reviews([review("a", NOW - k * DAY) for k in days])
    r = build_report(store, bank, NOW, tz=UTC)
    assert (r.streak.current, r.streak.longest, r.streak.studied_today) == (5, 6, False)
    store.add_reviews([review("b", NOW - timedelta(hours=1))])
    r = build_report(store, bank, NOW, tz=UTC)
    assert (r.streak.current, r.streak.longest, r.streak.studied_today) == (6, 6, True)
    # two days without a review: the streak is over
    r = build_report(store, bank, NOW + 2 * DAY, tz=UTC)
    assert r.streak.current == 0


def test_calendar_counts_and_time(store: Store, bank: Bank) -> None:
    store.add_reviews(
        [
            review("a", NOW - 3 * DAY, duration_ms=60_000),
            review("b", NOW - 3 * DAY, source="quiz", duration_ms=30_000),
            review("c", NOW, duration_ms=None),
        ]
    )
    r = build_report(store, bank, NOW, days=30, tz=UTC)
    assert len(r.calendar) == 30 and r.calendar[-1].date == "2026-05-20"
    by_date = {d.date: d for d in r.calendar}
    assert (by_date["2026-05-17"].reviews, by_date["2026-05-17"].time_ms) == (2, 90_000)
    assert (by_date["2026-05-20"].reviews, by_date["2026-05-20"].time_ms) == (1, 0)
    assert r.totals.window_reviews == 3 and r.totals.window_days_studied == 2
    assert r.totals.window_time_ms == 90_000


def test_day_start_hour_moves_late_reviews_to_the_evening_before(store: Store, bank: Bank) -> None:
    tz = ZoneInfo("Asia/Shanghai")  # UTC+8, no DST
    late = datetime(2026, 5, 19, 3, 30, tzinfo=tz)  # 03:30 on the 19th: still the 18th's study day
    early = datetime(2026, 5, 19, 4, 30, tzinfo=tz)
    store.add_reviews([review("a", late), review("b", early), review("c", early)])
    now = datetime(2026, 5, 20, 12, 0, tzinfo=tz)
    r = build_report(store, bank, now, days=7, tz=tz)
    counts = {d.date: d.reviews for d in r.calendar}
    assert counts["2026-05-18"] == 1 and counts["2026-05-19"] == 2
    store.set_settings(day_start_hour=0)
    r = build_report(store, bank, now, days=7, tz=tz)
    counts = {d.date: d.reviews for d in r.calendar}
    assert counts["2026-05-18"] == 0 and counts["2026-05-19"] == 3


def test_time_zone_decides_the_date(store: Store, bank: Bank) -> None:
    at = datetime(2026, 5, 18, 22, 0, tzinfo=UTC)  # 18th in London (23:00), 19th in Tokyo (07:00)
    store.add_reviews([review("a", at)])
    for tz, expected in ((ZoneInfo("Europe/London"), "2026-05-18"), (ZoneInfo("Asia/Tokyo"), "2026-05-19")):
        r = build_report(store, bank, NOW, days=7, tz=tz)
        assert [d.date for d in r.calendar if d.reviews] == [expected]


def test_day_grid_follows_dst() -> None:
    tz = ZoneInfo("America/New_York")  # DST began 2026-03-08
    grid = day_grid(datetime(2026, 3, 10, 12, tzinfo=tz), 4, tz, back=5, ahead=2)
    lengths = dict(zip((d.isoformat() for d in grid.dates), (grid.starts[1:] - grid.starts[:-1]) / 3600, strict=True))
    assert lengths["2026-03-07"] == 23 and lengths["2026-03-06"] == 24 and lengths["2026-03-08"] == 24
    assert grid.dates[grid.today].isoformat() == "2026-03-10"


def test_forecast_counts(store: Store, bank: Bank) -> None:
    last = NOW - 30 * DAY
    store.put_cards(
        [
            reviewed_card("a", "t.a", last=last, interval_days=20),  # overdue: counted today
            reviewed_card("b", "t.a", last=last, interval_days=30.1),  # today
            reviewed_card("c", "t.a", last=last, interval_days=31.5),  # tomorrow
            reviewed_card("d", "t.a", last=last, interval_days=40),  # in 10 days
            reviewed_card("g1", "t.b", last=last, interval_days=80),  # beyond 30 days
            reviewed_card("g2", "t.b", last=last, interval_days=30.1, suspended=True),  # suspended: never
            reviewed_card("gone", "t.a", last=last, interval_days=30.1),  # no longer in the bank
        ]
    )
    store.add_reviews([review("a", last)])
    r = build_report(store, bank, NOW, tz=UTC)
    due = [d.due for d in r.forecast]
    assert len(due) == 30 and r.forecast[0].date == "2026-05-20"
    assert due[0] == 2 and due[1] == 1 and due[10] == 1 and sum(due) == 4


def test_card_states(store: Store, bank: Bank) -> None:
    last = NOW - 2 * DAY
    store.sync_bank((q.id, q.topic) for q in bank)
    store.put_cards(
        [
            reviewed_card("a", "t.a", last=last, interval_days=5),  # young
            reviewed_card("b", "t.a", last=last, interval_days=21),  # mature (21 days exactly)
            reviewed_card("c", "t.a", last=last, interval_days=0.01, phase=Phase.LEARNING),
            reviewed_card("d", "t.a", last=last, interval_days=60, suspended=True, leech=True, lapses=9),
            reviewed_card("old", "t.a", last=last, interval_days=60),  # left the bank
        ]
    )
    store.add_reviews([review("old", last)])
    s = build_report(store, bank, NOW, tz=UTC).states
    assert (s.total, s.new, s.learning, s.young, s.mature, s.suspended) == (6, 2, 1, 1, 1, 1)
    assert (s.leech, s.not_in_bank) == (1, 1)


def test_questions_no_longer_in_the_bank_keep_their_history(store: Store, bank: Bank) -> None:
    store.put_cards([Card("old", topic="t.a")])
    store.add_reviews([review("old", NOW - 9 * DAY), review("old", NOW - 3 * DAY, 1)])
    r = build_report(store, bank, NOW, tz=UTC)
    assert r.totals.reviews == 2
    assert {x.days: (x.passed, x.total) for x in r.retention}[7] == (0, 1)
    assert all(x.total == 0 for t in r.topics for x in t.retention)
    assert r.weakest == []


def test_readiness_recall_mature_and_generated_accuracy(store: Store, bank: Bank) -> None:
    store.put_cards(
        [
            reviewed_card("a", "t.a", last=NOW, interval_days=30),  # R = 1 (reviewed just now), mature
            reviewed_card("b", "t.a", last=NOW, interval_days=3),  # R = 1, young
            reviewed_card("g1", "t.b", last=NOW, interval_days=30),
        ]
    )
    gen = [review("g1", NOW - k * DAY, 3 if k < 3 else 1, seed=k) for k in range(4)]
    gen += [review("g2", NOW - DAY, 1, seed=9), review("g2", NOW - 400 * DAY, 3, seed=10)]  # outside the window
    store.add_reviews(gen)
    r = build_report(store, bank, NOW, tz=UTC, days=30)
    a = next(t for t in r.topics if t.id == "t.a")
    assert (a.cards, a.reviewed, a.mature, a.recall, a.share_mature) == (4, 2, 1, 0.5, 0.25)
    assert a.generated_accuracy is None
    b = next(t for t in r.topics if t.id == "t.b")
    assert (b.generated_answered, b.generated_correct, b.generated_accuracy) == (5, 3, 0.6)
    fam = {g.name: (g.answered, g.correct, g.accuracy) for g in r.generators}
    assert fam == {"conv_output_size": (4, 3, 0.75), "max_pool2d": (1, 0, 0.0)}
    assert r.generators[0].name == "max_pool2d"  # weakest first
    assert r.generators[0].title  # the family's own title


def test_weakest_cards_lowest_recall_then_lapses(store: Store, bank: Bank) -> None:
    store.put_cards(
        [
            reviewed_card("a", "t.a", last=NOW - 10 * DAY, interval_days=2, lapses=1),
            reviewed_card("b", "t.a", last=NOW - 10 * DAY, interval_days=2, lapses=4),
            reviewed_card("c", "t.a", last=NOW - DAY, interval_days=50),
            reviewed_card("d", "t.a", last=NOW - 30 * DAY, interval_days=1, suspended=True, leech=True),
        ]
    )
    r = build_report(store, bank, NOW, tz=UTC, lang="zh")
    assert [w.card_id for w in r.weakest] == ["d", "b", "a", "c"]
    assert r.weakest[0].leech and r.weakest[0].suspended
    assert r.weakest[0].prompt == "d？"  # the prompt in the report's language
    assert r.weakest[0].retrievability < r.weakest[1].retrievability < r.weakest[3].retrievability


def test_a_card_failed_today_is_the_weakest(store: Store, bank: Bank) -> None:
    # a, b, c long overdue with lapses (retrievability low); "d", answered well for weeks, failed an hour ago:
    # its retrievability is the highest (it was just reviewed), yet it is the card the user fails, so it leads
    store.put_cards(
        [reviewed_card(c, "t.a", last=NOW - 60 * DAY, interval_days=2, lapses=3) for c in "abc"]
        + [reviewed_card("d", "t.a", last=NOW - timedelta(hours=1), interval_days=0.01, stability=0.5)]
    )
    store.add_reviews(
        [review("d", NOW - k * DAY, 3) for k in (30, 20, 10)]
        + [review("d", NOW - timedelta(hours=1), 1)]
        + [review("a", NOW - 60 * DAY, 1)]  # failed long ago: not recent
    )
    r = build_report(store, bank, NOW, tz=UTC)
    assert r.weakest[0].card_id == "d" and len(r.weakest) == 4
    first = r.weakest[0]
    assert (first.recent_fails, first.last_failed) == (1, "2026-05-20")
    assert first.retrievability > max(w.retrievability for w in r.weakest[1:])  # not there by recall
    a = next(w for w in r.weakest if w.card_id == "a")
    assert (a.recent_fails, a.last_failed) == (0, "2026-03-21")  # 60 days before 2026-05-20


def test_a_wrong_quiz_answer_counts_as_a_failure(store: Store, bank: Bank) -> None:
    store.put_cards([reviewed_card(c, "t.a", last=NOW - 2 * DAY, interval_days=30) for c in "ab"])
    store.add_reviews([review("b", NOW - DAY, 3, source="quiz", correct=False)])
    r = build_report(store, bank, NOW, tz=UTC)
    assert [(w.card_id, w.recent_fails) for w in r.weakest] == [("b", 1), ("a", 0)]


def test_session_lengths_are_never_zero_minutes(store: Store, bank: Bank) -> None:
    store.add_reviews([review("a", NOW - DAY, 3, source="quiz", duration_ms=None)])  # one answer, no duration
    started = NOW - 2 * DAY
    store.add_mock_result(MockResult("m", started, started + timedelta(seconds=20), 0.5, {"questions": ["a"]}))
    r = build_report(store, bank, NOW, tz=UTC)
    assert r.quizzes.sessions[0].minutes is None  # unknown, not 0
    assert session_length(r.quizzes.sessions[0].minutes, "en") == ""
    assert session_length(r.mocks.sessions[0].minutes, "en") == "20 s"
    assert session_length(r.mocks.sessions[0].minutes, "zh") == "20 秒"
    assert session_length(25.0, "en") == "25 min"


def test_quiz_sessions_grouped_by_day_and_mock_trend(store: Store, bank: Bank) -> None:
    rows = []
    for k, right in ((5, 2), (3, 3), (1, 4)):  # three quiz days, 4 answers each, improving
        at = NOW - k * DAY
        rows += [review("abcd"[i], at + timedelta(minutes=i), 3 if i < right else 1, source="quiz") for i in range(4)]
    rows.append(review("a", NOW - DAY, 3, source="quiz", score=0.5))  # a partial score counts as such
    store.add_reviews(rows)
    for k, score in ((20, 0.4), (10, 0.6), (2, 0.8)):
        started = NOW - k * DAY
        store.add_mock_result(
            MockResult(f"m{k}", started, started + timedelta(minutes=25), score, {"questions": ["a"]})
        )
    r = build_report(store, bank, NOW, tz=UTC)
    q = r.quizzes
    assert [(s.date, s.questions, s.score) for s in q.sessions] == [  # newest first
        ("2026-05-19", 5, 0.9),
        ("2026-05-17", 4, 0.75),
        ("2026-05-15", 4, 0.5),
    ]
    assert q.trend == pytest.approx(0.2) and q.best == 0.9  # the trend still reads oldest to newest
    # a session lasts the time spent answering: 5 answers of 10 s each, not the 3 minutes between first and last
    assert q.sessions[0].minutes == pytest.approx(50 / 60, abs=0.05)
    m = r.mocks
    assert [s.score for s in m.sessions] == [0.8, 0.6, 0.4]
    assert m.trend == pytest.approx(0.2) and m.sessions[0].minutes == 25.0 and m.sessions[0].questions == 1
    r = build_report(store, bank, NOW, tz=UTC, days=7)
    assert len(r.mocks.sessions) == 1


def test_topic_filter(store: Store, bank: Bank) -> None:
    store.add_reviews(
        [review("a", NOW - 2 * DAY), review("g1", NOW - 2 * DAY, seed=1), review("g1", NOW - DAY, seed=2)]
    )
    r = build_report(store, bank, NOW, tz=UTC, topics=["t.b"])
    assert [t.id for t in r.topics] == ["t.b"]
    assert r.totals.reviews == 2 and r.states.total == 2
    r = build_report(store, bank, NOW, tz=UTC, topics=["t"])  # an area prefix
    assert [t.id for t in r.topics] == ["t.a", "t.b"] and r.totals.reviews == 3


def test_reviews_after_now_are_ignored(store: Store, bank: Bank) -> None:
    store.add_reviews([review("a", NOW - DAY), review("a", NOW + DAY)])
    assert build_report(store, bank, NOW, tz=UTC).totals.reviews == 1


def test_empty_store(store: Store, bank: Bank) -> None:
    r = build_report(store, bank, NOW, tz=UTC)
    assert r.empty and r.totals.reviews == 0 and r.states.new == 6 and r.streak.current == 0
    assert sum(d.due for d in r.forecast) == 0 and r.weakest == [] and r.generators == []
    assert all(x.rate is None for x in r.retention)


def test_rejects_naive_time(store: Store, bank: Bank) -> None:
    with pytest.raises(ValueError, match="naive"):
        build_report(store, bank, datetime(2026, 1, 1))
