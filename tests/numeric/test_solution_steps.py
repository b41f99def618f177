"""Numbered solution steps: "step N of the solution" in a mistake's sentence points at a real line.

Every family numbers its worked solution ("1. …", "2. …") the same way in both languages, and the step
each of its mistakes names is one of those lines, on every level.
"""

from __future__ import annotations

import re

import pytest

from quizforge.numeric.base import families

_STEP = re.compile(r"^(\d+)\. ", re.MULTILINE)
SEEDS = range(12)


def _steps(text: str) -> set[int]:
    return {int(n) for n in _STEP.findall(text)}


@pytest.mark.parametrize("name", sorted(families()))
def test_the_step_a_mistake_names_is_a_numbered_line_of_the_solution(name: str) -> None:
    fam = families()[name]
    for level in range(1, fam.levels + 1):
        for seed in SEEDS:
            inst = fam.generate(seed, level)
            steps = _steps(inst.solution.en)
            assert steps and min(steps) == 1, (name, level, seed)
            assert steps == set(range(1, max(steps) + 1)), (name, level, seed, sorted(steps))
            assert _steps(inst.solution.zh) == steps, (name, level, seed, "zh numbers its steps differently")
            for m in fam.mistakes:
                assert m.step in steps, (name, m.id, m.step, level, seed)
