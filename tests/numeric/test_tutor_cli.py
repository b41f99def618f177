"""``quizforge grade`` names the mistake behind a wrong answer; ``generate``/``grade`` take ``--level``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizforge import cli
from quizforge.numeric.base import generate


def run(capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--data-dir", str(tmp_path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_grade_json_names_the_channel_pair_bias_mistake(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    q = generate("conv_params", 1).params
    assert q["bias"]
    # every (C_in, C_out) pair given a bias: k²·C_in·C_out weights + C_in·C_out biases
    wrong = q["k"] ** 2 * q["c_in"] * q["c_out"] + q["c_in"] * q["c_out"]
    code, out, _ = run(capsys, tmp_path, "grade", "conv_params", "--seed", "1", "--answer", str(wrong), "--json")
    assert code == 0
    got = json.loads(out)
    assert got["correct"] is False
    assert got["mistake"]["id"] == "bias-per-channel-pair"
    assert "one bias per output channel" in got["mistake"]["text"]["en"]
    assert "偏置" in got["mistake"]["text"]["zh"]
    assert "mistakes" not in got  # only one matched
    assert "step 1 of the solution" in got["feedback"]


def test_grade_json_mistake_is_null_for_right_and_unrelated_answers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    q = generate("conv_params", 1).params
    right = q["k"] ** 2 * q["c_in"] * q["c_out"] + q["c_out"]
    for answer in (str(right), "7"):
        _, out, _ = run(capsys, tmp_path, "grade", "conv_params", "--seed", "1", "--answer", answer, "--json")
        assert json.loads(out)["mistake"] is None


def test_readable_grade_names_the_mistake_in_chinese(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    q = generate("conv_params", 1).params
    wrong = q["k"] ** 2 * q["c_in"] * q["c_out"] + q["c_in"] * q["c_out"]
    _, out, _ = run(capsys, tmp_path, "--lang", "zh", "grade", "conv_params", "--seed", "1", "--answer", str(wrong))
    assert out.startswith("✗")
    assert "看起来是常见错误（解答第 1 步）" in out


def test_level_out_of_range_is_one_line_and_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, tmp_path, "generate", "conv_params", "--seed", "1", "--level", "99")
    assert code != 0
    assert out == ""
    assert "--level" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_generate_json_prints_level_and_torch_code(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, tmp_path, "generate", "conv_params", "--seed", "1", "--json")
    assert code == 0
    got = json.loads(out)
    assert got["level"] == 2  # the default level: the whole mix, as before levels existed
    assert "nn.Conv2d(8, 16" in got["torch_code"]
