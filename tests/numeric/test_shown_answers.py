"""The answer quizforge shows for a generated question must itself be graded right.

`quizforge generate` prints it and the study screen shows it after a wrong answer; a user who copies
it (or rounds the way it is printed) must pass. This caught Adadelta answers printed with 6
significant digits while the family asks for 6 decimals.
"""

from __future__ import annotations

import pytest

from quizforge.grading import grade
from quizforge.numeric.base import families
from quizforge.render import answer_as_typed

SEEDS = range(60)


@pytest.mark.parametrize("name", sorted(families()))
def test_the_shown_answer_grades_right(name: str) -> None:
    fam = families()[name]
    for seed in SEEDS:
        inst = fam.generate(seed)
        text = answer_as_typed(inst)
        verdict = grade(inst.answer, text, inst.answer_kind, inst.tolerance, n_choices=len(inst.choices) or None)
        assert verdict.correct, f"{name} seed {seed}: shown {text!r} → {verdict.feedback}"
