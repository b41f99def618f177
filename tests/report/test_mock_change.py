"""The report compares the last two mock interviews: the scores and the topics that moved, in every format."""

from __future__ import annotations

import json
from datetime import UTC, timedelta

from quizforge.bank import Bank
from quizforge.report.render_html import render_html
from quizforge.report.render_json import render_json
from quizforge.report.render_md import render_md
from quizforge.report.render_text import render_text
from quizforge.report.stats import build_report
from quizforge.store import MockResult, Store
from tests.report.conftest import NOW

DAY = timedelta(days=1)


def mock(store: Store, mid: str, days_ago: int, score: float, by_topic: dict[str, float]) -> None:
    started = NOW - days_ago * DAY
    details = {"answered": 4, "by_topic": by_topic}
    store.add_mock_result(MockResult(mid, started, started + timedelta(minutes=20), score, details))


def test_below_two_mock_interviews_nothing_is_compared(store: Store, bank: Bank) -> None:
    assert build_report(store, bank, NOW, tz=UTC).mock_change is None
    mock(store, "m1", 3, 0.5, {"t.a": 50.0})
    report = build_report(store, bank, NOW, tz=UTC)
    assert report.mock_change is None
    assert "Last two" not in render_text(report)
    assert json.loads(render_json(report))["mock_change"] is None


def test_the_last_two_are_compared_topic_by_topic(store: Store, bank: Bank) -> None:
    mock(store, "old", 400, 0.9, {"t.a": 90.0})  # older than the window and than the last two: ignored
    mock(store, "m1", 6, 0.5, {"t.a": 40.0, "t.b": 80.0, "gone": 10.0})
    mock(store, "m2", 2, 0.75, {"t.a": 100.0, "t.b": 70.0})
    report = build_report(store, bank, NOW, days=30, tz=UTC)
    c = report.mock_change
    assert c is not None
    assert (c.previous_date, c.last_date) == ((NOW - 6 * DAY).date().isoformat(), (NOW - 2 * DAY).date().isoformat())
    assert (c.previous, c.last, c.change) == (0.5, 0.75, 0.25)
    assert [(x.topic, x.before, x.after) for x in c.topics] == [
        ("t.a", 0.4, 1.0),
        ("t.b", 0.8, 0.7),
        ("gone", 0.1, None),
    ]
    assert c.topics[0].name == bank.topic_name("t.a", "en")
    line = f"Last two: 50% ({c.previous_date}) → 75% ({c.last_date}) (+25 pt)"
    better, worse = "Better: t.a +60", "Worse: t.b −10"
    for text in (render_text(report, width=120), render_md(report), render_html(report)):
        assert line in text and better in text and worse in text
    data = json.loads(render_json(report))["mock_change"]
    assert data["change"] == 0.25 and data["topics"][0] == {"topic": "t.a", "name": "t.a", "before": 0.4, "after": 1.0}
    zh = build_report(store, bank, NOW, days=30, tz=UTC, lang="zh")
    assert f"最近两次：50%（{c.previous_date}）→ 75%（{c.last_date}）" in render_text(zh, width=120)
    assert "退步：t.b −10" in render_md(zh)


def test_a_worse_last_mock_says_so(store: Store, bank: Bank) -> None:
    mock(store, "m1", 5, 0.8, {})
    mock(store, "m2", 1, 0.6, {})
    report = build_report(store, bank, NOW, tz=UTC)
    assert report.mock_change is not None and report.mock_change.change == -0.2
    assert "(−20 pt)" in render_text(report, width=120)
    assert "Better" not in render_text(report, width=120)
