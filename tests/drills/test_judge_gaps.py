"""The judge's comparison and verdict logic, in this process (no child): what passes, what fails, which case
is reported first, the error shown, and the verdict's flags. Found missing by mutation testing
(`benchmarks/mutation.py drills.judge`)."""

from __future__ import annotations

import warnings
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from quizforge.drills import get_drill
from quizforge.drills.base import Case, Drill
from quizforge.drills.judge import Failure, Verdict, _failure, case_rng, compare, describe, judge_in_process, make_cases
from quizforge.i18n import t
from quizforge.text import Text

VALUES: tuple[str, dict[str, Any]] = ("drill.why.values", {})  # the catalogue text of "values differ"


def _double(x: np.ndarray, k: int) -> np.ndarray:
    out = x  # the reference changes its input in place: the judge must hand it a copy
    out *= 2
    return out + k


def _cases(rng: np.random.Generator, i: int, n: int) -> Case:
    return Case((rng.standard_normal((2, 3)), i), "small" if i < n - 1 else "edge")


def _split(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return x.astype(np.int64), x * 0.5


def _split_cases(rng: np.random.Generator, i: int, n: int) -> Case:
    return Case((rng.integers(-5, 5, size=4).astype(np.float64),), "ints")


def make_drill(name: str = "double", **kw: Any) -> Drill:
    text = Text(en="x", zh="x")
    return Drill(name, "numpy", 1, text, (), _double, _cases, **kw)


TWO = Drill("split", "numpy", 1, Text(en="x", zh="x"), (), _split, _split_cases, outputs=2)


# -- compare ---------------------------------------------------------------------------------------------


def test_compare_accepts_within_the_drills_tolerance_and_not_outside() -> None:
    drill = make_drill(rtol=1e-3, atol=0.0)
    e = np.array([100.0, -200.0])
    assert compare(drill, (e,), (e * (1 + 0.9e-3),)) is None
    assert compare(drill, (e,), (e * (1 + 1.1e-3),)) is not None
    loose = make_drill(rtol=0.0, atol=0.5)
    assert compare(loose, (e,), (e + 0.4,)) is None
    assert compare(loose, (e,), (e + 0.6,)) is not None


def test_compare_refuses_another_shape_even_with_the_same_values() -> None:
    drill = make_drill()
    why = compare(drill, (np.zeros((2, 3)),), (np.zeros((3, 2)),))
    assert why is not None and "(3, 2)" in why and "(2, 3)" in why
    assert compare(drill, (np.zeros(3),), (np.zeros((1, 3)),)) is not None


def test_compare_refuses_nan_and_inf_even_where_expected_is_the_same() -> None:
    drill = make_drill()
    for bad in (np.nan, np.inf, -np.inf):
        assert compare(drill, (np.array([1.0, bad]),), (np.array([1.0, bad]),)) is not None


def test_compare_integer_outputs_exactly() -> None:
    drill = make_drill(rtol=0.5, atol=0.5)  # a loose float tolerance does not apply to integers
    e = np.array([1, 2, 3])
    assert compare(drill, (e,), (np.array([1, 2, 3]),)) is None
    assert compare(drill, (e,), (np.array([1.0, 2.0, 3.0]),)) is None  # same values as floats
    assert compare(drill, (e,), (np.array([1, 2, 4]),)) is not None
    assert compare(drill, (np.array([True, False]),), (np.array([True, True]),)) is not None
    assert compare(drill, (np.array([7], dtype=np.uint8),), (np.array([6], dtype=np.uint8),)) is not None


def test_compare_checks_every_output_and_names_the_wrong_one() -> None:
    ints, floats = np.array([1, 2]), np.array([0.5, 1.0])
    assert compare(TWO, (ints, floats), (ints, floats)) is None
    why = compare(TWO, (ints, floats), (ints, floats + 1))  # the first output (integers) is right
    assert why is not None and why.startswith("output 2: ")
    why = compare(TWO, (ints, floats), (ints + 1, floats))
    assert why is not None and why.startswith("output 1: ")
    single = compare(make_drill(), (floats,), (floats + 1,))
    assert single == "values differ"


# -- cases -----------------------------------------------------------------------------------------------


def test_cases_are_reproducible_per_seed_and_drill() -> None:
    drill = make_drill()
    a, b, c = make_cases(drill, 7, 5), make_cases(drill, 7, 5), make_cases(drill, 8, 5)
    assert len(a) == 5
    assert all(np.array_equal(x[1][0], y[1][0]) for x, y in zip(a, b, strict=True))
    assert not np.array_equal(a[0][1][0], c[0][1][0])
    other = make_cases(make_drill("double_too"), 7, 5)  # the drill's name is part of the seed
    assert not np.array_equal(a[0][1][0], other[0][1][0])
    assert case_rng(drill, 7).random() == case_rng(drill, 7).random()


def test_cases_keep_their_inputs_when_the_reference_changes_them_in_place() -> None:
    drill = make_drill()
    rng = case_rng(drill, 3)
    first = drill.cases(rng, 0, 4).args[0].copy()
    ((label, args, expected), *_rest, (last_label, _, _)) = make_cases(drill, 3, 4)
    assert np.array_equal(args[0], first)
    assert args[1] == 0
    assert np.allclose(expected[0], first * 2)
    assert (label, last_label) == ("small", "edge")


def test_cases_of_a_multi_output_drill_hold_every_output() -> None:
    ((_, args, expected), *_rest) = make_cases(TWO, 0, 3)
    assert len(expected) == 2
    assert expected[0].dtype.kind == "i" and np.array_equal(expected[1], args[0] * 0.5)
    ((_, _, single), *_rest) = make_cases(make_drill(), 0, 3)
    assert len(single) == 1 and single[0].shape == (2, 3)


# -- judge_in_process and the verdict --------------------------------------------------------------------


def test_the_reference_passes_every_case() -> None:
    drill = make_drill()
    verdict = judge_in_process(drill, lambda x, k: x * 2 + k, seed=1, n=6)
    assert (verdict.ok, verdict.passed, verdict.total, verdict.first_failure, verdict.error) == (
        True,
        6,
        6,
        None,
        None,
    )


def test_the_first_failing_case_is_reported_and_the_rest_still_counted() -> None:
    drill = make_drill()

    def wrong_on_3_and_5(x: np.ndarray, k: int) -> np.ndarray:
        return x * 2 + k + (1.0 if k in (2, 4) else 0.0)  # k is the case index

    verdict = judge_in_process(drill, wrong_on_3_and_5, seed=1, n=6)
    assert (verdict.ok, verdict.passed, verdict.total) == (False, 4, 6)
    first = verdict.first_failure
    assert first is not None and first.case == 3 and first.label == "small"
    assert first.max_error == pytest.approx(1.0)


def test_a_solution_that_changes_its_input_is_judged_on_a_fresh_copy() -> None:
    drill = make_drill()

    def in_place(x: np.ndarray, k: int) -> np.ndarray:
        x *= 2
        return x + k

    assert judge_in_process(drill, in_place, seed=2, n=4).ok


def test_a_multi_output_solution_is_split_into_its_outputs() -> None:
    assert judge_in_process(TWO, lambda x: (x.astype(np.int64), x / 2), seed=0, n=4).ok
    bad = judge_in_process(TWO, lambda x: (x.astype(np.int64), x), seed=0, n=4)
    assert not bad.ok and bad.first_failure is not None


def test_failure_points_at_the_largest_error() -> None:
    drill = make_drill()
    args = (np.zeros((2, 2)), 0)
    e = np.array([[0.0, 1.0], [2.0, 3.0]])
    g = np.array([[0.0, 1.1], [2.5, 3.0]])
    f = _failure(drill, 4, "edge", args, (e,), (g,), VALUES)
    assert (f.case, f.label, f.where) == (5, "edge", [1, 0])
    assert f.max_error == pytest.approx(0.5)
    assert "expected 2, got 2.5" in f.message
    assert f.message.startswith("case 5 (edge; x (2, 2)): values differ")


def test_failure_treats_nan_as_the_largest_error() -> None:
    e = np.array([1.0, 2.0, 3.0])
    f = _failure(make_drill(), 0, "small", (e, 0), (e,), (np.array([1.5, np.nan, 3.0]),), VALUES)
    assert f.where == [1] and f.max_error == np.inf


def test_failure_looks_past_an_output_that_is_right() -> None:
    ints, floats = np.array([1, 2]), np.array([0.5, 1.0, 2.0])
    second: tuple[str, dict[str, Any]] = ("drill.why.values", {"output": 2})
    f = _failure(TWO, 0, "ints", (floats,), (ints, floats), (ints, np.array([0.5, 1.0, 2.25])), second)
    assert f.where == [2] and f.max_error == pytest.approx(0.25)


def test_failure_of_another_shape_has_no_position() -> None:
    f = _failure(make_drill(), 0, "small", (np.zeros(2), 0), (np.zeros(2),), (np.zeros(3),), VALUES)
    assert f.max_error is None and f.where is None
    assert "max error" not in f.message


def test_failure_without_outputs_shows_the_error_as_got() -> None:
    e = np.array([1.0, 2.0])
    f = _failure(make_drill(), 1, "small", (e, 1), (e,), None, VALUES)
    assert f.got == "values differ"
    assert f.max_error is None and f.where is None
    assert "expected:" not in f.message and f.message.startswith("case 2 (small; x (2,)): values differ")


def test_describe_shows_small_arrays_whole_and_large_ones_by_shape() -> None:
    drill = make_drill()
    small = describe(drill, (np.array([1.0, 2.0]), 3))
    assert small == "x=[1., 2.]; k=3"
    large = describe(drill, (np.zeros((5, 5)), 0))
    assert large == "x: shape (5, 5); k=0"
    edge = describe(drill, (np.zeros(24), 0))  # 24 numbers are still shown
    assert edge.startswith("x=[0., 0.,")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_verdict_text_shows_the_error_or_the_first_failure(lang: str) -> None:
    failure = Failure(2, "edge", "x=1", "1", "2", 1.0, [0], why=VALUES, shapes="x (1,)")
    ok = Verdict("softmax", True, 20, 20, None, None, 0.5)
    failed = Verdict("softmax", False, 19, 20, failure, None, 0.5)
    crashed = Verdict("softmax", False, 0, 20, None, "stopped: more than 4 s of CPU time", 4.0)
    assert ok.text(lang).startswith("✓ softmax") and "\n" not in ok.text(lang)
    assert failed.text(lang).startswith("✗ softmax")
    assert t("drill.why.values", lang) in failed.text(lang) and "x=1" in failed.text(lang)
    assert crashed.text(lang).endswith("\nstopped: more than 4 s of CPU time")
    passed = "通过 19/20 个用例" if lang == "zh" else "19 of 20 cases passed"
    assert passed in failed.text(lang)


def test_verdict_json_keys() -> None:
    v = judge_in_process(get_drill("softmax"), lambda x, axis=-1: np.zeros_like(x), seed=0, n=3)
    data = v.to_json()
    assert set(data) == {"drill", "ok", "passed", "total", "first_failure", "error", "seconds"}
    assert data["ok"] is False and data["first_failure"]["case"] == 1


def _add(x: np.ndarray, y: np.ndarray) -> Any:
    return np.add(x, y)


def _add_cases(rng: np.random.Generator, i: int, n: int) -> Case:
    return Case((rng.standard_normal((2, 2)), rng.standard_normal(2)), "pair")


ADD = Drill("add", "numpy", 1, Text(en="x", zh="x"), (), _add, _add_cases)


def test_failure_fields_hold_inputs_expected_and_got() -> None:
    """`quizforge drill --json` reports these strings in first_failure."""
    x, y = np.array([[0.0, 1.0], [2.0, 3.0]]), np.array([1.0, 1.0])
    expected = (np.array([1 / 3, 1.0]),)
    f = _failure(ADD, 0, "pair", (x, y), expected, (np.array([0.5, 1.0]),), VALUES)
    assert f.inputs == "x=[[0., 1.],\n [2., 3.]]; y=[1., 1.]"
    assert f.expected == "[0.33333, 1.     ]"
    assert f.got == "[0.5, 1. ]"
    lines = f.message.split("\n")
    assert lines[0] == "case 1 (pair; x (2, 2), y (2,)): values differ"
    assert lines[-1] == "max error 0.167 at (0,): expected 0.333333, got 0.5"
    assert "expected: [0.33333, 1.     ]" in f.message and "got:      [0.5, 1. ]" in f.message


def test_failure_of_several_outputs_joins_them() -> None:
    ints, floats = np.array([1, 2]), np.array([0.5, 1.0])
    f = _failure(TWO, 0, "ints", (floats,), (ints, floats), (ints, floats + 1), ("drill.why.values", {"output": 2}))
    assert f.expected == "[1, 2] ; [0.5, 1. ]"
    assert f.got == "[1, 2] ; [1.5, 2. ]"


def test_failure_shows_large_arrays_by_shape() -> None:
    e = np.zeros(25)
    f = _failure(make_drill(), 0, "edge", (e, 0), (e,), (e + 1,), VALUES)
    assert (f.expected, f.got) == ("array of shape (25,)", "array of shape (25,)")
    assert f.inputs == "x: shape (25,); k=0"
    whole = _failure(make_drill(), 0, "edge", (np.zeros(24), 0), (np.zeros(24),), (np.ones(24),), VALUES)
    assert whole.expected.startswith("[0., 0.,") and "..." not in whole.expected


def test_failure_with_infinities_in_both_raises_no_warning() -> None:
    e = np.array([np.inf, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f = _failure(make_drill(), 0, "edge", (e, 0), (e,), (np.array([np.inf, 2.0]),), VALUES)
    assert f.where == [0] and f.max_error == np.inf  # the output's inf is what compare refused: pointed at


def test_verdict_of_a_wrong_solution_names_the_drill_the_reason_and_the_original_inputs() -> None:
    drill = make_drill()

    def wrong_in_place(x: np.ndarray, k: int) -> np.ndarray:
        x *= 2  # changes its input, then answers wrong
        return x + k + 1

    verdict = judge_in_process(drill, wrong_in_place, seed=4, n=3)
    first = verdict.first_failure
    assert verdict.drill == "double" and first is not None
    ((_, args, _), *_rest) = make_cases(drill, 4, 3)
    assert first.inputs == describe(drill, args)  # as drawn, not as the solution left them
    assert first.message.startswith("case 1 (small; x (2, 3)): values differ")
    assert 0 <= verdict.seconds < 60


# -- the texts after the catalogue rewrite (mutation round 2) -------------------------------------------

FAILED = Failure(2, "edge", "x=1", "[1.]", "[2.]", 1.0, [0], why=("drill.why.values", {"output": 2}), shapes="x (1,)")
TEXTS = {  # what a person reads, line by line
    "en": {
        "case": "case 2 (edge; x (1,)): output 2: values differ",
        "io": ["inputs: x=1", "expected: [1.]", "got:      [2.]"],
        "largest": "max error 1 at (0,)",
        "largest_at": "max error 1 at (0,): expected 1.5, got -2",
        "raised": "case 2 (edge; x (1,)): ZeroDivisionError: division by zero",
        "head": "✗ softmax: 19 of 20 cases passed (0.50 s)",
        "cpu": "stopped: more than 4 s of CPU time",
    },
    "zh": {
        "case": "用例 2（edge；x (1,)）：第 2 个输出：数值不一致",
        "io": ["输入：x=1", "期望：[1.]", "得到：[2.]"],
        "largest": "最大误差 1，位置 (0,)",
        "largest_at": "最大误差 1，位置 (0,)：期望 1.5，得到 -2",
        "raised": "用例 2（edge；x (1,)）：ZeroDivisionError: division by zero",
        "head": "✗ softmax：通过 19/20 个用例（0.50 秒）",
        "cpu": "已终止：CPU 时间超过 4 秒",
    },
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_failure_text_line_by_line_in_each_language(lang: str) -> None:
    want = TEXTS[lang]
    assert FAILED.text(lang).split("\n") == [want["case"], *want["io"], want["largest"]]
    at = replace(FAILED, at_values=(1.5, -2.0))
    assert at.text(lang).split("\n") == [want["case"], *want["io"], want["largest_at"]]
    raised = replace(
        FAILED, has_output=False, why=("drill.why.raised", {"error": "ZeroDivisionError: division by zero"})
    )
    assert raised.text(lang).split("\n") == [want["raised"], want["io"][0]]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_verdict_text_head_and_a_judge_error_in_each_language(lang: str) -> None:
    want = TEXTS[lang]
    failed = Verdict("softmax", False, 19, 20, FAILED, None, 0.5)
    assert failed.text(lang).split("\n") == [want["head"], want["case"], *want["io"], want["largest"]]
    english = "stopped: more than 4 s of CPU time"
    crashed = Verdict("softmax", False, 19, 20, None, english, 0.5, said=("drill.error.cpu", {"s": 4}))
    assert crashed.text(lang) == f"{want['head']}\n{want['cpu']}"


def test_failure_and_verdict_json() -> None:
    """`quizforge drill --json`: its keys are a contract."""
    at = replace(FAILED, message="the English text", at_values=(1.5, -2.0))
    assert at.to_json() == {
        "case": 2,
        "label": "edge",
        "inputs": "x=1",
        "expected": "[1.]",
        "got": "[2.]",
        "max_error": 1.0,
        "where": [0],
        "message": "the English text",
    }
    failed = Verdict("softmax", False, 19, 20, at, None, 0.5).to_json()
    assert failed["first_failure"] == at.to_json()
    passed = Verdict("softmax", True, 20, 20, None, None, 0.25).to_json()
    assert passed == {
        "drill": "softmax",
        "ok": True,
        "passed": 20,
        "total": 20,
        "first_failure": None,
        "error": None,
        "seconds": 0.25,
    }


def test_compare_names_the_output_for_every_reason() -> None:
    ints, floats = np.array([1, 2]), np.array([0.5, 1.0])
    assert compare(TWO, (ints, floats), (ints, np.zeros(3))) == "output 2: shape (3,), expected (2,)"
    assert compare(TWO, (ints, floats), (ints, np.array([0.5, np.nan]))) == "output 2: inf or nan in the output"
    assert compare(TWO, (ints, floats), (ints, floats + 1)) == "output 2: values differ"
    assert compare(TWO, (ints, floats), (ints + 1, floats)) == "output 1: wrong values"
    assert compare(make_drill(), (floats,), (np.zeros(3),)) == "shape (3,), expected (2,)"  # one output: no number
