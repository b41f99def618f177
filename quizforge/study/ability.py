"""A per-family ability estimate that picks the level of the next generated question.

A one-parameter logistic (Rasch) model with the level as the item difficulty: a learner of ability
θ answers a level-L question correctly with probability σ(θ − L). After each graded answer the
estimate moves by an Elo step, K · (outcome − expected); K starts large, so a new family finds
its level in a few answers, and shrinks towards a floor as answers accumulate, so a learner whose
ability is steady sees a steady level instead of one that bounces with every slip.

Pure: no storage, no clock. The estimate is never stored: :func:`replay` derives it from the review
log's graded answers (each generated answer records its level), so export, import and sync carry it
with the reviews and an undone answer takes its update back with it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# The level is picked where the learner is expected to be right this often: hard enough to
# teach, easy enough not to discourage.
TARGET_SUCCESS = 0.7
_K_START = 1.0
_K_FLOOR = 0.25
_K_HALF_LIFE = 6  # answers after which K has fallen half way to its floor


@dataclass(frozen=True, slots=True)
class Ability:
    """The ability estimate for one family.

    Attributes:
        theta: on the level scale (a learner at θ = L is right half the time at level L).
        answers: graded answers so far.
    """

    theta: float = 1.0
    answers: int = 0


def expected_success(theta: float, level: int) -> float:
    """σ(θ − level): the model's probability that a learner of ability θ is right at ``level``."""
    return 1.0 / (1.0 + math.exp(-(theta - level)))


def update(ability: Ability, level: int, correct: bool | float, levels: int) -> Ability:
    """The estimate after one graded answer at ``level`` of a family with ``levels`` levels.

    Args:
        ability: the estimate before the answer.
        level: the level of the question answered.
        correct: ``True``/``False``, or a score in [0, 1] (partial credit).
        levels: the family's number of levels; θ is kept within [−1, levels + 2] so a long run
            of right (or wrong) answers at the top (bottom) does not take as long to undo.
    """
    k = _K_FLOOR + (_K_START - _K_FLOOR) * 0.5 ** (ability.answers / _K_HALF_LIFE)
    outcome = float(correct)
    theta = ability.theta + k * (outcome - expected_success(ability.theta, level))
    return Ability(theta=min(max(theta, -1.0), levels + 2.0), answers=ability.answers + 1)


def next_level(ability: Ability, levels: int) -> int:
    """The level whose expected success is nearest :data:`TARGET_SUCCESS`, within 1..levels."""
    # σ(θ − L) = p  ⇔  L = θ − logit(p)
    ideal = ability.theta - math.log(TARGET_SUCCESS / (1.0 - TARGET_SUCCESS))
    return min(max(round(ideal), 1), levels)


def starting_ability(default_level: int) -> Ability:
    """The estimate of a family never answered: the one whose next level is the family's default
    (a new user sees the instances the family shows when no level is asked for)."""
    return Ability(theta=default_level + math.log(TARGET_SUCCESS / (1.0 - TARGET_SUCCESS)))


def replay(
    answers: Iterable[tuple[str, int, bool | float]], family_levels: Callable[[str], tuple[int, int] | None]
) -> dict[str, Ability]:
    """Every family's estimate after the graded ``answers``, oldest first.

    Args:
        answers: ``(family, level, outcome)`` per graded answer (``outcome`` as :func:`update` takes it).
        family_levels: ``(levels, default_level)`` of a family; ``None`` for a family that no longer
            exists (its answers are skipped).
    """
    out: dict[str, Ability] = {}
    for family, level, outcome in answers:
        shape = family_levels(family)
        if shape is None:
            continue
        levels, default = shape
        before = out.get(family) or starting_ability(default)
        out[family] = update(before, min(max(level, 1), levels), outcome, levels)
    return out
