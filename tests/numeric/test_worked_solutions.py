"""Worked-solution fixes from the expert read (issue #16): shown decimals, simplified formulas, order,
and minus signs typeset as "−" outside what the user types."""

from __future__ import annotations

import re

import pytest

from quizforge.numeric.base import families, generate, typeset_minus

SEEDS = range(60)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("x = -3.", "x = −3."),
        ("(-3, -2) − 0.1·(-13, -8)", "(−3, −2) − 0.1·(−13, −8)"),
        ("1-D · 1-D, eps 1e-8, semi-definite", "1-D · 1-D, eps 1e-8, semi-definite"),
        ("as a matrix, e.g. `1 -2; 3 4`", "as a matrix, e.g. `1 -2; 3 4`"),
        ("Answer: w = (-1.8, -2)", "Answer: w = (-1.8, -2)"),
        ("答案：-0.25", "答案：-0.25"),
        ("Answer:\n     1\n    -1\nnext -1", "Answer:\n     1\n    -1\nnext −1"),
    ],
)
def test_typeset_minus(raw: str, shown: str) -> None:
    assert typeset_minus(raw) == shown


def _answer_line(solution: str) -> str:
    return next(line for line in solution.splitlines() if line.startswith(("Answer:", "答案：")))


@pytest.mark.parametrize("name", ["backprop_sigmoid_mse", "adadelta_step", "adam_step", "adamw_step"])
def test_answer_shows_the_decimals_asked_for(name: str) -> None:
    for seed in SEEDS:
        inst = generate(name, seed)
        asked = re.search(r"(\d) decimals", inst.prompt.en)
        if not asked:
            continue
        numbers = re.findall(r"-?\d+\.\d+|-?\d+", _answer_line(inst.solution.en).split(":", 1)[1])
        assert numbers and all(len(n.split(".")[1]) == int(asked.group(1)) for n in numbers), (seed, numbers)


def test_conv1x1_params_does_not_repeat_the_count() -> None:
    for seed in SEEDS:
        sol = generate("conv1x1_params", seed).solution.en
        assert not re.search(r"= ([\d,]+) = \1\b", sol), sol


def test_gd_steps_writes_simplified_formulas() -> None:
    for seed in SEEDS:
        inst = generate("gd_steps", seed)
        text = inst.prompt.en + inst.solution.en
        assert "½·" not in text and "+ 0 " not in text and "+ 0=" not in text, text


def test_definiteness_shows_the_eigenvalues_before_the_conclusion() -> None:
    for seed in SEEDS:
        lines = [re.sub(r"^\d+\. ", "", line) for line in generate("definiteness_2x2", seed).solution.en.splitlines()]
        eig = next(i for i, line in enumerate(lines) if line.startswith("Eigenvalues"))
        verdict = next(i for i, line in enumerate(lines) if line.startswith("D₂ =") or line.startswith("D₁ ="))
        assert eig < verdict


def _shown_lines(text: str) -> list[str]:
    """The lines a reader reads, without the answer block and the typed examples in backticks."""
    lines, in_answer = [], False
    for line in text.splitlines():
        if line.startswith(("Answer:", "答案：")) or (in_answer and line[:1].isspace()):
            in_answer = True
            continue
        in_answer = False
        lines.append(re.sub(r"`[^`]*`", "", line))
    return lines


@pytest.mark.parametrize("name", sorted(n for n, f in families().items() if f.typeset_minus))
def test_no_ascii_minus_before_a_number_outside_answers_and_typed_examples(name: str) -> None:
    fam = families()[name]
    for seed in range(10):
        inst = fam.generate(seed)
        for text in (inst.prompt.en, inst.prompt.zh, inst.solution.en, inst.solution.zh):
            for line in _shown_lines(text):
                assert not re.search(r"(^|[\s(\[,=·/；：，])-\d", line), (name, seed, line)
