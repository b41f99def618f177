"""The per-family ability estimate on synthetic answer streams."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizforge.study.ability import Ability, expected_success, next_level, update


def run(answer: object, levels: int, n: int) -> list[tuple[int, Ability]]:
    """Levels picked and estimates after each of ``n`` answers given by ``answer(level)``."""
    ability = Ability()
    trail = []
    for _ in range(n):
        level = next_level(ability, levels)
        ability = update(ability, level, answer(level), levels)  # type: ignore[operator]
        trail.append((level, ability))
    return trail


@pytest.mark.parametrize("levels", [2, 3, 5])
def test_always_right_rises_to_the_top_level(levels: int) -> None:
    trail = run(lambda _level: True, levels, 40)
    assert [lvl for lvl, _ in trail[-5:]] == [levels] * 5
    assert next_level(trail[-1][1], levels) == levels


@pytest.mark.parametrize("levels", [2, 3, 5])
def test_always_wrong_falls_to_level_one(levels: int) -> None:
    start = Ability(theta=levels + 2.0, answers=50)  # a strong start, to see it fall
    ability = start
    for _ in range(30):
        ability = update(ability, next_level(ability, levels), False, levels)
    assert next_level(ability, levels) == 1
    assert ability.theta < start.theta


def test_level_picked_where_success_is_about_seventy_percent() -> None:
    # θ = 3.85: σ(3.85 − 3) ≈ 0.70 → level 3
    assert next_level(Ability(theta=3.85), 5) == 3
    assert expected_success(3.0, 3) == 0.5


@pytest.mark.parametrize("true_theta", [1.9, 2.6, 3.4, 4.3])
def test_a_steady_learner_gets_a_steady_level(true_theta: float) -> None:
    rng = np.random.default_rng(7)
    levels = 5

    def answer(level: int) -> bool:
        p = 1.0 / (1.0 + math.exp(-(true_theta - level)))
        return bool(rng.random() < p)

    trail = run(answer, levels, 400)
    settled = [lvl for lvl, _ in trail[200:]]
    # no oscillation beyond one level once settled
    assert max(settled) - min(settled) <= 1
    ideal = min(max(round(true_theta - math.log(0.7 / 0.3)), 1), levels)
    assert abs(np.median(settled) - ideal) <= 1
    thetas = [a.theta for _, a in trail[200:]]
    assert abs(float(np.mean(thetas)) - true_theta) < 0.6
