"""``quizforge grade QUESTION_ID --answer TEXT``: a concept card's key points suggested from a free answer."""

from __future__ import annotations

import json

import pytest

from quizforge.grading import score_key_points
from quizforge.grading.keypoints import suggest_ticks
from quizforge.kinds import load
from tests.conftest import run_cli

# the command line in a child process: the slow tier (`make test`; `make test-fast` skips it)
pytestmark = pytest.mark.slow

CARD = "norm-layernorm-train-eval"
GOOD = (
    "No. LayerNorm normalises each example with the mean and variance of its own features, exactly the same in "
    "training and in evaluation. It has no running_mean or running_var buffers, only the weight and bias. "
    "BatchNorm uses the current batch statistics in training and its running averages in evaluation."
)


def test_a_concept_card_is_graded_by_the_suggested_key_points() -> None:
    result = run_cli("grade", CARD, "--answer", GOOD, "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == {"correct", "score", "feedback", "key_points"}
    q = load().questions[CARD]
    points = q.body.key_points  # type: ignore[attr-defined]
    assert [p["index"] for p in out["key_points"]] == list(range(len(points)))
    assert [p["text"] for p in out["key_points"]] == [kp.text.en for kp in points]
    suggested = tuple(p["suggested"] for p in out["key_points"])
    assert suggested == suggest_ticks(points, GOOD, q.prompt)
    assert sum(suggested) >= 3  # the answer makes the first three points
    # the rule of ticked key points in a study session
    verdict = score_key_points(suggested)
    assert (out["correct"], out["score"], out["feedback"]) == (verdict.correct, verdict.score, verdict.feedback)


def test_the_chosen_language_gives_the_texts_and_the_feedback() -> None:
    result = run_cli("--lang", "zh", "grade", CARD, "--answer", "LayerNorm 没有 running_mean，也没有缓冲区。", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["key_points"][1]["text"].startswith("没有 running_mean")
    assert "要点" in out["feedback"] and out["correct"] is False
    plain = run_cli("grade", CARD, "--answer", "LayerNorm keeps running averages, like BatchNorm, I think.")
    assert plain.returncode == 0 and plain.stdout.startswith("✗ ") and "[ ]" in plain.stdout


def test_a_keyword_list_scores_nothing() -> None:
    stuffed = "LayerNorm own features same output running_mean buffers weight and bias running averages batch of 1"
    out = json.loads(run_cli("grade", CARD, "--answer", stuffed, "--json").stdout)
    assert out["correct"] is False and out["score"] == 0.0


def test_bad_names_are_one_line_errors_with_exit_2() -> None:
    for args, fragment in [
        (["grade", "norm-layernorm-trian-eval", "--answer", "x"], "unknown question 'norm-layernorm-trian-eval'"),
        (["grade", "conv_params", "--answer", "3"], "conv_params: a generator family needs --seed N"),
        (["grade", "ai-choice-alphago", "--answer", "a"], "ai-choice-alphago: a question of kind choice"),
    ]:
        result = run_cli(*args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert result.stderr.count("\n") == 1 and fragment in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_a_family_with_a_seed_is_graded_as_before() -> None:
    result = run_cli("grade", "conv_output_size", "--seed", "1", "--answer", "3", "--json")
    assert result.returncode == 0
    assert set(json.loads(result.stdout)) >= {"correct", "score", "feedback", "mistake"}
