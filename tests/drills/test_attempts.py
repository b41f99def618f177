"""A drill's last attempt is an event that travels (export/import, sync); a run and the grade of the same
code share one verdict; hints cap the proposed rating; a quiz can be drills only."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizforge.bank import Bank, Kind
from quizforge.drills import get_drill
from quizforge.kinds import load
from quizforge.kinds.implement import DrillDraw, last_attempt, run_drill, save_attempt
from quizforge.store import EventKind, Store
from quizforge.study.answering import grade_answer, present
from quizforge.study.exchange import export_jsonl, import_jsonl
from quizforge.study.quiz import QuizSession, pick_questions
from quizforge.study.scheduling import Rating
from quizforge.study.sync import sync

from ..study.conftest import Clock
from .test_implement_kind import WRONG, make_bank

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    a, b = Store.open(tmp_path / "a.db"), Store.open(tmp_path / "b.db")
    yield a, b
    a.close()
    b.close()


def test_the_last_attempt_is_the_latest_saved_even_on_a_frozen_clock(stores: tuple[Store, Store]) -> None:
    store, _ = stores
    drill = get_drill("softmax")
    assert last_attempt(store, "code-softmax") is None
    for source in ("first", "second", "third"):
        save_attempt(store, "code-softmax", drill, source, None, 0, at=T0)
    save_attempt(store, "code-softmax", drill, "third", None, 0, at=T0)  # unchanged: not logged again
    events = store.events([EventKind.DRILL_ATTEMPT], key="code-softmax")
    assert [e.data["source"] for e in events] == ["first", "second", "third"]
    assert last_attempt(store, "code-softmax") == "third"
    assert last_attempt(store, "code-relu-backward") is None


def test_the_attempt_travels_with_export_import_and_sync(stores: tuple[Store, Store], tmp_path: Path) -> None:
    a, b = stores
    drill = get_drill("softmax")
    verdict = run_drill(drill, drill.model_solution, seed=4)
    save_attempt(a, "code-softmax", drill, drill.model_solution, verdict, 2, at=T0)
    path = tmp_path / "export.jsonl"
    with path.open("w", encoding="utf-8") as out:
        export_jsonl(a, out)
    import_jsonl(b, path)
    assert last_attempt(b, "code-softmax") == drill.model_solution
    (event,) = b.events([EventKind.DRILL_ATTEMPT])
    assert event.data == {
        "drill": "softmax",
        "source": drill.model_solution,
        "hints": 2,
        "passed": 20,
        "total": 20,
        "ok": True,
    }
    # a later attempt on b reaches a through a sync folder
    save_attempt(b, "code-softmax", drill, WRONG["softmax"], None, 0, at=T0 + timedelta(minutes=5))
    folder = tmp_path / "sync"
    folder.mkdir()
    sync(b, folder)
    sync(a, folder)
    assert last_attempt(a, "code-softmax") == WRONG["softmax"]


def test_grading_what_was_just_run_reuses_its_verdict(tmp_path: Path) -> None:
    bank = make_bank(tmp_path)
    p = present(bank.questions["code-softmax"], None, T0, random.Random(1))
    assert isinstance(p.instance, DrillDraw) and p.seed == p.instance.seed
    source = WRONG["softmax"]
    ran = run_drill(get_drill("softmax"), source, p.instance.seed)
    graded = grade_answer(p, source, T0 + timedelta(seconds=60), "en")
    assert graded.verdict is not None and graded.verdict.feedback == ran.text("en")
    assert run_drill(get_drill("softmax"), source, p.instance.seed) is ran  # the same code and cases: no new run


@pytest.mark.parametrize(
    ("hints", "minutes", "source", "proposed"),
    [
        (0, 2, "right", Rating.Easy),
        (0, 10, "right", Rating.Good),
        (0, 40, "right", Rating.Hard),
        (1, 2, "right", Rating.Hard),
        (3, 10, "right", Rating.Hard),
        (0, 2, "wrong", Rating.Again),
        (2, 2, "wrong", Rating.Again),
    ],
)
def test_the_proposed_rating_follows_passes_hints_and_time(
    tmp_path: Path, hints: int, minutes: int, source: str, proposed: Rating
) -> None:
    bank = make_bank(tmp_path)
    p = present(bank.questions["code-softmax"], None, T0, random.Random(1))
    assert isinstance(p.instance, DrillDraw)
    p.instance.hints_shown = hints
    code = get_drill("softmax").model_solution if source == "right" else WRONG["softmax"]
    graded = grade_answer(p, code, T0 + timedelta(minutes=minutes), "en")
    assert graded.proposed == proposed


def test_a_quiz_can_be_drills_only(tmp_path: Path) -> None:
    bank: Bank = load()
    picked = pick_questions(bank, random.Random(5), 12, kinds=["implement"])
    assert len(picked) == 12 and {q.kind for q in picked} == {Kind.IMPLEMENT}
    everything = pick_questions(bank, random.Random(5), 200)
    assert len({q.kind for q in everything}) > 1
    store = Store.open(tmp_path / "q.db")
    try:
        quiz = QuizSession(store, bank, n=3, now=Clock(), rng=random.Random(2), kinds=["implement"])
        assert [bank.questions[c].kind for c in quiz.build_queue()] == [Kind.IMPLEMENT] * 3
    finally:
        store.close()


def test_drawing_a_drill_starts_a_warm_judge_in_the_background(tmp_path: Path) -> None:
    import threading

    from quizforge.kinds.implement import shared_judge

    judge = shared_judge()
    judge.close()
    present(make_bank(tmp_path).questions["code-softmax"], None, T0, random.Random(1))
    for thread in threading.enumerate():
        if thread.name == "quizforge-judge-warmup":
            thread.join(timeout=10)
    warm = judge._warm
    assert warm is not None and warm.proc.poll() is None  # started, waiting for its go-ahead


@pytest.mark.parametrize("answer", ["", "   \n\t"])
def test_revealing_a_drill_grades_it_wrong_without_running_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    """Reveal (an empty answer) has no code to judge: Again, in words, and no child process started."""
    import quizforge.kinds.implement as implement

    def no_run(*args: object) -> None:
        raise AssertionError("the judge ran for an empty answer")

    monkeypatch.setattr(implement, "run_drill", no_run)
    p = present(make_bank(tmp_path).questions["code-softmax"], None, T0, random.Random(1))
    for lang, words in (("en", "No code to run"), ("zh", "没有可运行的代码")):
        graded = grade_answer(p, answer, T0 + timedelta(seconds=30), lang)
        assert graded.verdict is not None and not graded.verdict.correct and graded.verdict.score == 0.0
        assert words in graded.verdict.feedback
