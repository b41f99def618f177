"""Coding drills as cards: "implement it in NumPy", the answer a program judged in a child process.

A card names a drill (``kind: implement``, ``drill: NAME``); the drill itself (task, cases, reference,
model solution, hints) lives in :mod:`quizforge.drills`, so a bank file never supplies code that runs.
A presentation draws the seed of the cases (:class:`DrillDraw`, which also counts the hints shown: a
hint caps the proposed rating at Hard); the answer is the user's source code, judged by
:mod:`quizforge.drills.judge` (all cases pass = correct, the score the share of cases passed). A run
without grading (the editor's ctrl+r) and the grade of the same code share one verdict.

The last attempt at a card is a ``drill.attempt`` event (key: the card id; data: drill, source,
passed, total, hints), so it travels with export, import and sync and reopens in the editor.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from quizforge.bank.schema import Body, Kind, Question
from quizforge.i18n import t
from quizforge.kinds.base import Expected, QuestionKind, anki_text, register
from quizforge.text import Text

if TYPE_CHECKING:
    import random
    from datetime import datetime

    from quizforge.bank.loader import FieldReader
    from quizforge.bank.yamlsafe import MarkedDict
    from quizforge.drills.base import Drill
    from quizforge.drills.judge import Judge
    from quizforge.drills.judge import Verdict as JudgeVerdict
    from quizforge.grading.verdict import Verdict
    from quizforge.store import Event, Store

_judge: Judge | None = None
HARD = 2  # the best rating proposed once a hint was shown (study.scheduling.Rating.Hard)


def shared_judge() -> Judge:
    """The one judge of this process (it keeps the warm child between verdicts)."""
    global _judge
    if _judge is None:
        import atexit

        from quizforge.drills.judge import Judge

        _judge = Judge()
        atexit.register(_judge.close)  # a warm child nobody used: stop it, remove its directory
    return _judge


def source_of(answer: str) -> str:
    """The code an answer gives: the answer itself, or the file it names (one line ending in ``.py``)."""
    line = answer.strip()
    if "\n" not in line and line.endswith(".py"):
        from pathlib import Path

        path = Path(line).expanduser()
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return answer  # judged as code: the verdict says no function is defined
    return answer


def prepare_judge() -> None:
    """Start the warm judge child in a thread: Python and NumPy load while the user reads the task."""
    threading.Thread(target=shared_judge().prepare, name="quizforge-judge-warmup", daemon=True).start()


@dataclass
class DrillDraw:
    """One presentation of a drill: the seed of its cases and how many hints the user has seen."""

    seed: int
    hints_shown: int = 0


def draw_seed(drawn: Any) -> int:
    """The cases' seed of a presentation (a bare seed is accepted too)."""
    if isinstance(drawn, DrillDraw):
        return drawn.seed
    return drawn if isinstance(drawn, int) else 0


_verdicts: dict[tuple[str, int, str], JudgeVerdict] = {}
_verdicts_lock = threading.Lock()


def run_drill(drill: Drill, source: str, seed: int) -> JudgeVerdict:
    """Judge ``source`` on the drill's cases for ``seed`` (blocking: call it from a worker thread).

    The verdict is kept for the same code and cases, so grading what was just run costs nothing (a
    mock grades each answer in both languages). A fresh warm child is started for the next run.
    """
    key = (drill.name, seed, source)
    with _verdicts_lock:
        verdict = _verdicts.get(key)
    if verdict is None:
        judge = shared_judge()
        verdict = judge.judge(drill, source, seed=seed)
        with _verdicts_lock:
            _verdicts.clear()  # the last few verdicts are all that is asked again
            _verdicts[key] = verdict
        judge.prepare()
    return verdict


def save_attempt(
    store: Store,
    card_id: str,
    drill: Drill,
    source: str,
    verdict: JudgeVerdict | None,
    hints: int,
    at: datetime | None = None,
) -> None:
    """Keep ``source`` as the card's last attempt (a ``drill.attempt`` event), unless it is unchanged.

    The event is stamped after the card's latest attempt (``at`` may be a frozen or lagging clock), so
    the latest is always the last one saved.
    """
    from datetime import timedelta

    from quizforge.store import EventKind

    latest = _latest_attempt(store, card_id)
    if latest is not None and latest.data.get("source") == source:
        return
    data: dict[str, Any] = {"drill": drill.name, "source": source, "hints": hints}
    if verdict is not None:
        data.update(passed=verdict.passed, total=verdict.total, ok=verdict.ok)
    if at is not None and latest is not None and at <= latest.at:
        at = latest.at + timedelta(microseconds=1)
    store.add_event(EventKind.DRILL_ATTEMPT, card_id, data, at=at)


def _latest_attempt(store: Store, card_id: str) -> Event | None:
    from quizforge.store import EventKind

    for event in reversed(store.events([EventKind.DRILL_ATTEMPT], key=card_id)):
        if isinstance(event.data.get("source"), str):
            return event
    return None


def last_attempt(store: Store, card_id: str) -> str | None:
    """The source of the card's latest attempt (on any device that synced it), or ``None``."""
    event = _latest_attempt(store, card_id)
    return None if event is None else str(event.data["source"])


@dataclass(frozen=True)
class ImplementBody(Body):
    drill: str | None = None  # the drill's name in quizforge.drills


def drill_of(question: Question) -> Drill:
    """The drill an implement card names."""
    from quizforge.drills import get_drill

    assert isinstance(question.body, ImplementBody) and question.body.drill is not None
    return get_drill(question.body.drill)


class ImplementKind(QuestionKind):
    name = Kind.IMPLEMENT
    fields = frozenset({"drill"})
    prompt_required = False  # the drill writes the prompt
    difficulty_required = False
    keeps_texts = False
    speed = (300.0, 1800.0)  # a function written from scratch
    mock_slot = "numeric"
    in_mock = False  # a mock asks a coding question only when the user opts in
    answer_is_code = True

    def read_body(self, reader: FieldReader, q: MarkedDict, where: str) -> ImplementBody:
        from quizforge.drills import drill_names

        name = q.get("drill")
        mark = q.value_marks.get("drill", q.mark)
        if not isinstance(name, str) or not name:
            reader.problem(mark, f"{where}.drill", "missing")
            return ImplementBody(None)
        if name not in drill_names():
            reader.problem(mark, f"{where}.drill", f"unknown drill {name!r} (see `quizforge drill --list`)")
            return ImplementBody(None)
        return ImplementBody(name)

    def body_to_json(self, body: Body) -> tuple[Any, Any]:
        assert isinstance(body, ImplementBody)
        return body.drill, None

    def body_from_json(self, light: Any, texts: Any) -> ImplementBody:
        return ImplementBody(light)

    # -- a review ------------------------------------------------------------------------------------

    def draw(self, question: Question, rng: random.Random) -> DrillDraw:
        prepare_judge()  # the drill is about to be shown: start the child now
        return DrillDraw(rng.randrange(2**31))

    def seed(self, drawn: Any) -> int | None:
        return draw_seed(drawn) if isinstance(drawn, DrillDraw | int) else None

    def best_rating(self, drawn: Any) -> int | None:
        return HARD if isinstance(drawn, DrillDraw) and drawn.hints_shown else None

    def prompt(self, question: Question, drawn: Any) -> Text:
        drill = drill_of(question)
        return Text(f"{drill.prompt.en}\n\n{drill.signature}", f"{drill.prompt.zh}\n\n{drill.signature}")

    def expected(self, question: Question, drawn: Any) -> Expected:
        return Expected(model=Text.same(drill_of(question).model_solution), model_label="model_solution")

    def grade(self, question: Question, drawn: Any, text: str, lang: str) -> Verdict:
        from quizforge.grading.verdict import Verdict

        source = source_of(text)
        if not source.strip():  # revealed, or nothing written: there is no code to run
            return Verdict(False, 0.0, t("drill.no_code", lang))
        v = run_drill(drill_of(question), source, draw_seed(drawn))
        return Verdict(v.ok, v.passed / v.total, v.text(lang))

    def anki_sides(self, question: Question, lang: str, seed: int | None) -> tuple[str, str]:
        # Anki cannot run the judge: the task on the front, the model solution on the back
        return anki_text(
            self.prompt(question, None).get(lang)
        ), f"<pre>{anki_text(drill_of(question).model_solution)}</pre>"


IMPLEMENT_KIND = register(ImplementKind())
