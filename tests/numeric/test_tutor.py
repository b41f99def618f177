"""Numeric tutoring, generic over every registered family: named mistakes, levels, diagnosis,
targeted re-checks and the default-level contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from quizforge.grading import format_value
from quizforge.kinds.tutor import diagnose, diagnose_text, mistake_answer, targeted_recheck
from quizforge.numeric.base import Family, answers_agree, families, generate

SEEDS = range(200)
FIXTURES = Path(__file__).parent / "fixtures"
# Recorded from main before levels and mistakes existed: ``generate F --seed N`` with no level must
# keep giving exactly these instances (users' scripts rely on it).
PINNED: dict[str, dict[str, dict[str, Any]]] = json.loads((FIXTURES / "generate_default_level.json").read_text())

FAMILIES = sorted(families())
# Where a slip changes the answer less often than 80 % of the time, and why:
SEPARATION_EXCEPTIONS = {
    # a hidden bias can be cancelled by the ReLU or by a zero output weight
    "mlp_forward": 0.65,
}


@pytest.mark.parametrize("name", FAMILIES)
def test_every_family_has_named_mistakes_and_a_torch_snippet(name: str) -> None:
    fam = families()[name]
    assert len(fam.mistakes) >= 2
    assert fam.torch_code is not None
    ids = [m.id for m in fam.mistakes]
    assert len(set(ids)) == len(ids)
    for m in fam.mistakes:
        assert m.text.en and m.text.zh and m.step >= 1


@pytest.mark.parametrize("name", sorted(PINNED))
def test_no_level_gives_todays_instance(name: str) -> None:
    for seed, want in PINNED[name].items():
        got = generate(name, int(seed)).to_json()
        assert {k: got[k] for k in want} == want, (name, seed)


def _levels(fam: Family) -> range:
    return range(1, fam.levels + 1)


@pytest.mark.parametrize("name", FAMILIES)
def test_each_mistake_is_named_and_the_right_answer_never_is(name: str) -> None:
    """The quick tier's check (a few seeds per level); the 200-seed sweep below also measures how often."""
    fam = families()[name]
    for level in _levels(fam):
        for seed in range(4):
            inst = fam.generate(seed, level)
            assert diagnose_text(inst, format_value(inst.answer, inst.answer_kind, inst.tolerance)) == ()
            for m in fam.mistakes:
                wrong = mistake_answer(inst, m)
                if wrong is not None:
                    assert m in diagnose_text(inst, format_value(wrong, inst.answer_kind, inst.tolerance)), (
                        name,
                        level,
                        seed,
                        m.id,
                    )


@pytest.mark.slow
@pytest.mark.parametrize("name", FAMILIES)
def test_mistakes_differ_from_the_answer_and_are_diagnosed(name: str) -> None:
    fam = families()[name]
    total_applies = {m.id: 0 for m in fam.mistakes}
    for level in _levels(fam):
        differs = {m.id: 0 for m in fam.mistakes}
        applies = {m.id: 0 for m in fam.mistakes}
        for seed in SEEDS:
            inst = fam.generate(seed, level)
            # the right answer, as shown, is never a mistake
            assert diagnose_text(inst, format_value(inst.answer, inst.answer_kind, inst.tolerance)) == ()
            for m in fam.mistakes:
                applies[m.id] += m.applies is None or m.applies(inst.params)
                wrong = mistake_answer(inst, m)
                if wrong is None:
                    continue
                differs[m.id] += 1
                typed = format_value(wrong, inst.answer_kind, inst.tolerance)
                assert m in diagnose_text(inst, typed), (name, level, seed, m.id, typed)
        need = SEPARATION_EXCEPTIONS.get(name, 0.8)
        # a mistake that concerns only some questions (a parameter count, a padded layer) is judged on
        # those; at a level it concerns none of (no padding at level 1) or a fair share
        assert any(applies.values()), f"{name} level {level}: no mistake applies"
        for mid, n in differs.items():
            assert applies[mid] == 0 or applies[mid] >= 0.05 * len(SEEDS), f"{name} L{level}: {mid} rarely applies"
            assert n >= need * applies[mid], f"{name} level {level}: {mid} differs on only {n}/{applies[mid]}"
        for mid, n in applies.items():
            total_applies[mid] += n
    assert all(total_applies.values()), f"{name}: a mistake that applies at no level"


@pytest.mark.parametrize("name", FAMILIES)
def test_targeted_recheck_separates_the_mistake(name: str) -> None:
    fam = families()[name]
    for level in _levels(fam):
        for m in fam.mistakes:
            if not any(m.applies is None or m.applies(fam.generate(s, level).params) for s in range(100)):
                # a slip about padding cannot be made (nor re-checked) at the level without padding
                with pytest.raises(ValueError):
                    targeted_recheck(name, m.id, 3, level)
                continue
            seed = targeted_recheck(name, m.id, 3, level)
            assert seed != 3
            assert seed == targeted_recheck(name, m.id, 3, level)  # deterministic
            inst = fam.generate(seed, level)
            assert mistake_answer(inst, m) is not None
            assert not answers_agree(inst.answer, m.answer(inst.params), inst.answer_kind, inst.tolerance)


def test_diagnosis_excludes_a_mistake_that_gives_the_right_answer() -> None:
    # padding 0: "forgot the padding" gives the right size, so it must not be named
    fam = families()["conv_output_size"]
    seed = next(s for s in range(500) if fam.generate(s).params["p"] == 0)
    inst = fam.generate(seed)
    assert all(m.id != "no-padding" for m in diagnose(inst, inst.answer))
    assert diagnose(inst, inst.answer) == ()


def test_two_mistakes_with_the_same_wrong_number_are_both_named() -> None:
    # conv_params with bias: "no bias" gives C_out·C_in·k² and "bias per pair" gives
    # C_out·C_in·(k² + 1); they coincide with nothing else, so search an instance where two of the
    # family's mistakes agree and check both are reported.
    for fam in families().values():
        for seed in range(300):
            inst = fam.generate(seed)
            answers = [(m, mistake_answer(inst, m)) for m in fam.mistakes]
            answers = [(m, a) for m, a in answers if a is not None]
            for i, (m1, a1) in enumerate(answers):
                for m2, a2 in answers[i + 1 :]:
                    if answers_agree(a1, a2, inst.answer_kind, inst.tolerance) and answers_agree(
                        a2, a1, inst.answer_kind, inst.tolerance
                    ):
                        found = diagnose(inst, a1)
                        assert m1 in found and m2 in found
                        return
    pytest.skip("no two mistakes coincide on the seeds searched")


def test_an_unreadable_or_unrelated_answer_names_no_mistake() -> None:
    inst = generate("conv_params", 0)
    assert diagnose_text(inst, "banana") == ()
    assert diagnose_text(inst, "-123456789") == ()
