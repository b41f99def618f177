"""The judge through its real child process: wrong solutions get a useful first failing case, hostile
or broken code gets a verdict and the judge (this process) keeps running."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizforge.drills import Drill, all_drills, get_drill
from quizforge.drills.judge import Judge

from ..conftest import run_cli

# a plausible mistake per drill, as an edit of its model solution: (text, replaced by)
WRONG: dict[str, tuple[str, str]] = {
    "adam_step": ("np.sqrt(v_hat) + eps", "np.sqrt(v_hat + eps)"),  # eps inside the root
    "avg_pool2d_forward": ("(w - kernel) // stride + 1", "(w - kernel) // stride"),  # off by one
    "batchnorm_backward": ("n * dout - dbeta - xhat * dgamma", "n * dout - xhat * dgamma"),  # mean's path lost
    "batchnorm_forward": ("x.var(axis=0)", "x.var(axis=0, ddof=1)"),  # unbiased variance
    "box_iou": ("np.clip(bottom_right - top_left, 0, None)", "bottom_right - top_left"),  # no clip at 0
    "conv2d_backward": ("dout.sum(axis=(0, 2, 3))", "dout.sum(axis=(2, 3)).mean(axis=0)"),
    "conv2d_forward": ("return out + b[None, :, None, None]", "return out"),  # forgot the bias
    "conv_transpose2d": (
        "out = full[:, :, padding : full.shape[2] - padding, padding : full.shape[3] - padding]",
        "out = full",
    ),  # padding ignored
    "cross_entropy": ("].mean()", "].sum()"),  # summed, not averaged
    "cross_entropy_backward": ("return p / len(targets)", "return p"),
    "dropout_forward": ("x * mask / (1 - p)", "x * mask"),  # not inverted
    "im2col": ("cols = np.zeros((n, ho, wo, c, kh, kw))", "cols = np.zeros((n, ho, wo, c, kh, kw))\n    xp = x"),
    "layer_norm": ("x.mean(axis=-1, keepdims=True)", "x.mean(axis=0, keepdims=True)"),  # wrong axis
    "linear_backward": ("dout.T @ x", "x.T @ dout"),  # transposed dw
    "linear_forward": ("x @ w.T + b", "x @ w.T"),
    "log_softmax": ("shifted = x - x.max(axis=axis, keepdims=True)", "shifted = x"),  # no max-subtraction
    "lstm_cell": ("i, f, g, o = np.split(z, 4, axis=1)", "i, g, f, o = np.split(z, 4, axis=1)"),  # gate order
    "max_pool2d_backward": ("] += dout[b, ch, i, j]", "] = dout[b, ch, i, j]"),  # overlaps not added
    "max_pool2d_forward": (".max(", ".mean("),
    "multi_head_attention": ("/ np.sqrt(d)", "/ np.sqrt(e)"),  # scaled by the model width
    "nms": ("<= iou_threshold", "< iou_threshold / 2"),
    "positional_encoding": (
        "10000.0 ** (-np.arange(0, d_model, 2) / d_model)",
        "10000.0 ** (-np.arange(0, d_model, 2))",
    ),
    "relu_backward": ("(x > 0)", "(x >= 0)"),
    "scaled_dot_product_attention": ("np.where(mask, scores, -np.inf)", "np.where(mask, scores, 0.0)"),
    "sgd_momentum_step": ("w - lr * v, v", "w - lr * grad, v"),
    "sigmoid_backward": ("dout * s * (1 - s)", "dout * s"),
    "softmax": ("e = np.exp(x - x.max(axis=axis, keepdims=True))", "e = np.exp(x)"),  # overflows near 1000
}


@pytest.fixture(scope="module")
def judge() -> Iterator[Judge]:
    j = Judge()
    yield j
    j.close()


def wrong_solution(drill: Drill) -> str:
    old, new = WRONG[drill.name]
    assert old in drill.model_solution
    return drill.model_solution.replace(old, new)


def test_every_drill_has_a_wrong_solution() -> None:
    assert set(WRONG) == {d.name for d in all_drills()}


@pytest.mark.parametrize("drill", all_drills(), ids=lambda d: d.name)
def test_a_wrong_solution_fails_with_its_first_failing_case(judge: Judge, drill: Drill) -> None:
    verdict = judge.judge(drill, wrong_solution(drill), seed=1)
    assert not verdict.ok and verdict.error is None and verdict.passed < verdict.total
    failure = verdict.first_failure
    assert failure is not None
    assert failure.message.startswith(f"case {failure.case} (")
    assert "inputs: " in failure.message and failure.inputs
    for name in drill.arg_names:
        assert name in failure.inputs


@pytest.mark.parametrize("name", ["softmax", "conv2d_forward", "nms", "batchnorm_backward"])
def test_the_model_solution_passes_through_the_child(judge: Judge, name: str) -> None:
    drill = get_drill(name)
    judge.prepare()
    verdict = judge.judge(drill, drill.model_solution, seed=7)
    assert verdict.ok and (verdict.passed, verdict.total) == (20, 20) and verdict.first_failure is None


@pytest.mark.slow
@pytest.mark.parametrize("drill", all_drills(), ids=lambda d: d.name)
def test_every_model_solution_passes_through_the_child(judge: Judge, drill: Drill) -> None:
    for seed in range(3):
        assert judge.judge(drill, drill.model_solution, seed=seed).ok


def test_a_wrong_max_shows_expected_and_got_where_they_differ(judge: Judge) -> None:
    verdict = judge.judge(get_drill("conv2d_forward"), wrong_solution(get_drill("conv2d_forward")))
    failure = verdict.first_failure
    assert failure is not None and failure.max_error is not None and failure.where is not None
    assert "max error" in failure.message and "expected" in failure.message and "got" in failure.message


def test_an_exception_shows_only_the_users_traceback(judge: Judge) -> None:
    source = (
        "import numpy as np\n\ndef softmax(x, axis=-1):\n    return helper(x)\n\ndef helper(x):\n    return 1 / 0\n"
    )
    verdict = judge.judge(get_drill("softmax"), source)
    assert verdict.first_failure is not None
    shown = verdict.first_failure.got
    assert 'File "solution.py", line 4, in softmax' in shown and "line 7, in helper" in shown
    assert "ZeroDivisionError" in shown and "runner.py" not in shown


def test_a_missing_function_is_named(judge: Judge) -> None:
    verdict = judge.judge(get_drill("softmax"), "def soft_max(x, axis=-1):\n    return x\n")
    assert verdict.error == "no function softmax(…) is defined" and verdict.passed == 0


def test_a_wrong_shape_and_a_non_numeric_result_are_explained(judge: Judge) -> None:
    verdict = judge.judge(get_drill("softmax"), "def softmax(x, axis=-1):\n    return x.sum()\n")
    assert verdict.first_failure is not None and "shape ()" in verdict.first_failure.message
    verdict = judge.judge(get_drill("softmax"), "def softmax(x, axis=-1):\n    return 'x'\n")
    assert verdict.first_failure is not None and "expected numbers" in verdict.first_failure.got


# -- hostile or broken code: a verdict, and this process goes on -------------------------------------

# the import guard is a rule of the drill, not the sandbox: these get `os` around it, as hostile code would
OS = "import numpy as np\nos = np.__builtins__['__import__']('os')\n"

HOSTILE = {
    "fork bomb": (OS + "def softmax(x, axis=-1):\n    while True:\n        os.fork()\n", "BlockingIOError"),
    "os._exit": (OS + "def softmax(x, axis=-1):\n    os._exit(3)\n", "ended the judge (exit status 3)"),
    "os._exit(0)": (OS + "def softmax(x, axis=-1):\n    os._exit(0)\n", "ended the judge"),
    "1 GB printed": (
        "def softmax(x, axis=-1):\n    for _ in range(1000):\n        print('x' * 10**6)\n",
        "File too large",
    ),
    "reading stdin": ("def softmax(x, axis=-1):\n    return input()\n", "EOFError"),
    "syntax error": ("def softmax(x, axis=-1)\n    return x\n", "SyntaxError"),
    "import torch": ("import torch\n\ndef softmax(x, axis=-1):\n    return x\n", "import torch is not allowed"),
    "killing the judge": (OS + "def softmax(x, axis=-1):\n    os.kill(os.getppid(), 9)\n", "PermissionError"),
    "leaving the session": (OS + "os.setsid()\ndef softmax(x, axis=-1):\n    return x\n", "PermissionError"),
    "sys.exit": ("import sys\n\ndef softmax(x, axis=-1):\n    sys.exit(1)\n", None),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_code_gets_a_verdict(judge: Judge, name: str) -> None:
    source, shown = HOSTILE[name]
    verdict = judge.judge(get_drill("softmax"), source)
    assert not verdict.ok and verdict.passed == 0
    text = verdict.text("en")
    if shown is not None:
        assert shown in text
    # the judge still works afterwards
    drill = get_drill("relu_backward")
    assert judge.judge(drill, drill.model_solution).ok


@pytest.mark.slow
@pytest.mark.parametrize(
    ("source", "shown"),
    [
        # an endless loop meets the wall-clock limit or the CPU limit first, depending on the machine's load
        ("def softmax(x, axis=-1):\n    while True:\n        pass\n", "no answer within|of CPU time"),
        ("while True:\n    pass\n", "no answer within|of CPU time"),
        (
            "def softmax(x, axis=-1):\n    a = []\n    while True:\n        a.append(bytearray(10**7))\n",
            "out of memory",
        ),
    ],
    ids=["endless loop", "endless loop at the top", "unbounded memory"],
)
def test_endless_or_greedy_code_is_stopped(judge: Judge, source: str, shown: str) -> None:
    verdict = judge.judge(get_drill("softmax"), source)
    assert not verdict.ok and verdict.error is not None and re.search(shown, verdict.error), verdict.error
    assert verdict.seconds < 5


def test_cli_drill_json_and_exit_codes(tmp_path: Path) -> None:
    drill = get_drill("softmax")
    right, wrong = tmp_path / "right.py", tmp_path / "wrong.py"
    right.write_text(drill.model_solution, encoding="utf-8")
    wrong.write_text(wrong_solution(drill), encoding="utf-8")
    ok = run_cli("drill", "softmax", "--file", str(right), "--seed", "3", "--json")
    assert ok.returncode == 0, ok.stderr
    out = json.loads(ok.stdout)
    assert set(out) == {"drill", "ok", "passed", "total", "first_failure", "error", "seconds"}
    assert (out["drill"], out["ok"], out["passed"], out["total"]) == ("softmax", True, 20, 20)
    bad = run_cli("drill", "softmax", "--file", str(wrong))
    assert bad.returncode == 1 and bad.stdout.startswith("✗ softmax: ") and "inf or nan" in bad.stdout


def test_cli_drill_usage_errors(tmp_path: Path) -> None:
    listed = run_cli("drill", "--list")
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == len(all_drills())
    assert "conv2d_forward(x, w, b, stride, padding)" in listed.stdout
    for args, shown in (
        (["drill", "nope", "--file", "x.py"], "drill nope: no such drill"),
        (["drill", "softmax", "--file", str(tmp_path / "missing.py")], "missing.py"),
        (["drill"], "give a NAME"),
    ):
        r = run_cli(*args)
        assert r.returncode == 2 and r.stderr.startswith("quizforge: error: ") and shown in r.stderr
        assert "Traceback" not in r.stderr
