"""The report's numeric-tutoring section: each family's level and accuracy, the mistakes made most."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from quizforge.bank import Kind
from quizforge.numeric.base import get_family
from quizforge.report.command import render
from quizforge.report.stats import Report, build_report
from quizforge.store import Card, Review, Store
from tests.report.conftest import NOW
from tests.study.conftest import make_bank, question

BANK = make_bank(
    [
        question("params", Kind.GENERATED, topic="cnn.conv", generator="conv_params"),
        question("size", Kind.GENERATED, topic="cnn.conv", generator="conv_output_size"),
        question("other", Kind.CHOICE, topic="t.a"),
    ]
)


def _log(store: Store) -> None:
    """conv_params: 6 answers at level 2, 4 right, 2 channel-pair bias slips; conv_output_size: one
    wrong answer with another mistake; a choice answer that records no level."""
    rows = [("params", True, None)] * 4 + [("params", False, "bias-per-channel-pair")] * 2
    rows += [("size", False, get_family("conv_output_size").mistakes[0].id), ("other", True, None)]
    for i, (card, ok, mistake) in enumerate(rows):
        level = None if card == "other" else 2
        r = Review(str(uuid.uuid4()), card, 3 if ok else 1, NOW - timedelta(hours=10 - i), seed=i, answer="x",
                   correct=ok, level=level, mistake=mistake)  # fmt: skip
        store.record_review(r, Card(card, topic=BANK.questions[card].topic))


@pytest.fixture(params=["en", "zh"])
def report(tmp_path: Path, request: pytest.FixtureRequest) -> Report:
    with Store.open(tmp_path / "q.db") as store:
        _log(store)
        return build_report(store, BANK, NOW, lang=request.param)


def test_levels_accuracy_and_mistake_counts(report: Report) -> None:
    fams = {f.name: f for f in report.tutoring.families}
    assert set(fams) == {"conv_params", "conv_output_size"}
    p = fams["conv_params"]
    assert (p.answers, p.correct, p.accuracy, p.levels) == (6, 4, round(4 / 6, 4), get_family("conv_params").levels)
    assert 1 <= p.level <= p.levels
    top = report.tutoring.mistakes[0]
    assert (top.family, top.id, top.count) == ("conv_params", "bias-per-channel-pair", 2)
    assert top.text == get_family("conv_params").mistakes[0].text.get(report.lang)
    assert [m.count for m in report.tutoring.mistakes] == [2, 1]


def test_every_format_shows_the_section(report: Report) -> None:
    mistake = report.tutoring.mistakes[0].text
    level = report.tutoring.families[0]
    for fmt in ("text", "md", "html"):
        out = render(report, fmt)
        assert mistake[:14] in out, fmt  # (the text format wraps the rest)
        assert f"{level.level}/{level.levels}" in out, fmt
    data = json.loads(render(report, "json"))
    assert data["tutoring"]["mistakes"][0] == {
        "family": "conv_params",
        "id": "bias-per-channel-pair",
        "text": mistake,
        "count": 2,
    }


def test_a_topic_filter_keeps_only_its_families(tmp_path: Path) -> None:
    with Store.open(tmp_path / "q.db") as store:
        _log(store)
        assert build_report(store, BANK, NOW, topics=["t"]).tutoring.families == []
        assert len(build_report(store, BANK, NOW, topics=["cnn"]).tutoring.families) == 2


def test_level_follows_the_answers(tmp_path: Path) -> None:
    """Always right at the top level keeps the family there; always wrong brings it to level 1."""
    top = get_family("conv_params").levels
    for ok, expected in ((True, top), (False, 1)):
        with Store.open(tmp_path / f"{ok}.db") as store:
            for i in range(12):
                r = Review(str(uuid.uuid4()), "params", 3 if ok else 1, NOW - timedelta(minutes=60 - i), seed=i,
                           correct=ok, level=top if ok else 1)  # fmt: skip
                store.record_review(r, Card("params", topic="cnn.conv"))
            (fam,) = build_report(store, BANK, NOW).tutoring.families
            assert fam.level == expected
