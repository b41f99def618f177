"""The report's interview-plan section: readiness on the date per topic, planned against done, every format."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fsrs.scheduler import DEFAULT_PARAMETERS

from quizforge.bank import Kind
from quizforge.report.command import render
from quizforge.report.stats import build_report
from quizforge.store import Store
from quizforge.study.exchange import replay_cards
from quizforge.study.planning import check_request, set_plan
from tests.report.conftest import NOW, review
from tests.report.test_render import doc_schema, validate
from tests.study.conftest import make_bank, question

BANK = make_bank(
    [question(f"a{i}", Kind.CHOICE, topic="a.x") for i in range(4)]
    + [question(f"b{i}", Kind.CHOICE, topic="b.y") for i in range(2)]
    + [question("c0", Kind.CHOICE, topic="c.z")]
)
SET_AT = NOW - timedelta(days=2)  # the plan was set on 2026-05-18; today is 2026-05-20 (UTC, day start 04:00)
DATE = date(2026, 5, 28)


def recall(stability: float, elapsed_days: int) -> float:
    decay = -DEFAULT_PARAMETERS[20]
    return float((1 + (0.9 ** (1 / decay) - 1) * elapsed_days / stability) ** decay)


def planned_store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "quizforge.db")
    store.sync_bank((q.id, q.topic) for q in BANK)
    request = check_request(BANK, DATE.isoformat(), ["a", "b"], 30, 0.9, date(2026, 5, 18))
    set_plan(store, BANK, request, SET_AT)
    day1, day2 = SET_AT, SET_AT + timedelta(days=1)
    store.add_reviews(
        [
            review("a0", day1),
            review("a1", day1),
            review("a0", day2, 3),  # a review of a card first studied the day before
            review("a2", day2),
            review("c0", day2),  # out of scope: counts for nothing here
        ]
    )
    replay_cards(store, ["a0", "a1", "a2", "c0"])
    return store


def test_planned_against_done_per_day_and_readiness_per_topic(tmp_path: Path) -> None:
    with planned_store(tmp_path) as store:
        report = build_report(store, BANK, NOW, tz=UTC)
        p = report.plan
        assert p is not None
        assert (p.date, p.days_left, p.cards, p.areas, p.target) == ("2026-05-28", 8, 6, ["a", "b"], 0.9)
        done = [(d.date, d.new, d.reviews) for d in p.days]
        assert done == [("2026-05-18", 2, 0), ("2026-05-19", 1, 1), ("2026-05-20", 0, 0)]
        # the plan as set: 6 unseen cards over the 7 days before the 3-day cut-off, one a day
        assert [d.planned_new for d in p.days] == [1, 1, 1]
        on_date = datetime(2026, 5, 28, 4, tzinfo=UTC)  # the interview's study day starts at 04:00
        expected: dict[str, float] = {}
        for cid in ("a0", "a1", "a2"):
            card = store.card(cid)
            assert card is not None and card.memory.stability and card.memory.last_review
            expected[cid] = recall(card.memory.stability, (on_date - card.memory.last_review).days)
        topics = {x.id: x for x in p.topics}
        assert set(topics) == {"a.x", "b.y"}
        assert topics["a.x"].cards == 4 and topics["b.y"].cards == 2
        assert abs(topics["a.x"].recall - sum(expected.values()) / 4) < 1e-9
        assert topics["b.y"].recall == 0.0 and topics["b.y"].ready == 0.0
        assert topics["a.x"].ready == sum(r >= 0.9 for r in expected.values()) / 4
        assert [x.id for x in p.topics] == ["b.y", "a.x"]  # weakest first


def test_every_format_shows_the_plan(tmp_path: Path) -> None:
    with planned_store(tmp_path) as store:
        for lang, heading, day_header in (
            ("en", "Interview plan", "Planned vs done"),
            ("zh", "面试计划", "每日计划与完成"),
        ):
            report = build_report(store, BANK, NOW, tz=UTC, lang=lang)
            text = render(report, "text", width=80)
            assert heading in text and day_header in text and "2026-05-19" in text and "1/1" in text
            md = render(report, "md")
            assert f"## {heading}" in md and "| 2026-05-18 | 1/2 | 0/0 |" in md
            html = render(report, "html")
            assert f"<h2>{heading}</h2>" in html and ">1/2</td>" in html
            data = json.loads(render(report, "json"))
            validate(data, doc_schema(), doc_schema())
            assert data["plan"]["days"][1] == {
                "date": "2026-05-19", "planned_new": 1, "new": 1, "planned_reviews": 0, "reviews": 1,
            }  # fmt: skip
            assert max(len(line) for line in text.splitlines()) <= 80


def test_without_a_plan_the_section_is_absent(tmp_path: Path) -> None:
    with Store.open(tmp_path / "quizforge.db") as store:
        store.add_reviews([review("a0", NOW - timedelta(days=1))])
        replay_cards(store, ["a0"])
        report = build_report(store, BANK, NOW, tz=UTC)
        assert report.plan is None
        assert json.loads(render(report, "json"))["plan"] is None
        assert "Interview plan" not in render(report, "text") + render(report, "md") + render(report, "html")
