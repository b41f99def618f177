"""Numbered solution steps: "step N of the solution" in a mistake's sentence points at a real line.

Every family whose worked solution is numbered ("1. …", "2. …") must number the step each of its
mistakes names, on every level, in both languages. The families below do not number their
solutions yet (issue 17, item 5: not finished); the list may only shrink.
"""

from __future__ import annotations

import re

import pytest

from quizforge.numeric.base import families

NOT_NUMBERED_YET = frozenset(
    {
        "adadelta_step",
        "adagrad_step",
        "adam_step",
        "adamw_step",
        "definiteness_2x2",
        "directional_derivative",
        "eigenvalues_2x2",
        "gd_lr_bound",
        "gd_optimal_lr",
        "gd_steps",
        "gradient_at_point",
        "hessian_2x2",
        "init_variance",
        "inverse_2x2",
        "linreg_gd_step",
        "rmsprop_step",
        "sgd_momentum_step",
        "sgd_nesterov_step",
        "sgd_weight_decay_step",
        "sigmoid_gradient_bound",
        "stationary_point_type",
        "taylor_expansion",
        "view_permute_shape",
        "weight_decay_step",
    }
)
_STEP = re.compile(r"^(\d+)\. ", re.MULTILINE)
SEEDS = range(12)


def _steps(text: str) -> set[int]:
    return {int(n) for n in _STEP.findall(text)}


@pytest.mark.parametrize("name", sorted(families()))
def test_the_step_a_mistake_names_is_a_numbered_line_of_the_solution(name: str) -> None:
    fam = families()[name]
    if name in NOT_NUMBERED_YET:
        pytest.skip("solution not numbered yet")
    for level in range(1, fam.levels + 1):
        for seed in SEEDS:
            inst = fam.generate(seed, level)
            for lang in ("en", "zh"):
                steps = _steps(inst.solution.get(lang))
                assert steps and min(steps) == 1, (name, level, seed, lang)
                assert steps == set(range(1, max(steps) + 1)), (name, level, seed, lang, sorted(steps))
                for m in fam.mistakes:
                    assert m.step in steps, (name, m.id, m.step, level, seed, lang)


def test_the_list_of_unnumbered_families_only_shrinks() -> None:
    """A family numbered since stays numbered: drop it from the list (the test above then checks it)."""
    names = families()
    assert set(names) >= NOT_NUMBERED_YET
    numbered_now = {
        n
        for n in NOT_NUMBERED_YET
        if all(
            _steps(names[n].generate(seed, level).solution.get(lang))
            for level in range(1, names[n].levels + 1)
            for seed in SEEDS
            for lang in ("en", "zh")
        )
    }
    assert not numbered_now, f"numbered now, take them off NOT_NUMBERED_YET: {sorted(numbered_now)}"
