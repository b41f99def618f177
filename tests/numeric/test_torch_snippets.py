"""Every family's PyTorch snippet runs and prints the instance's answer (within the grading tolerance).

All snippets run in one subprocess (torch is imported once), each exec-ed with its stdout captured.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from quizforge.grading.parse import parse_answer
from quizforge.numeric.base import answers_agree, families

# every family × level × seed in one torch process (~20 s): the slow tier; the bank files' own tests run
# their families' snippets in the quick tier
pytestmark = pytest.mark.slow

SEEDS = (0, 1, 2)

_RUNNER = r"""
import contextlib, io, json, sys, traceback
out = {}
for key, code in json.load(sys.stdin).items():
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            exec(compile(code, key, "exec"), {"__name__": "__main__"})
        out[key] = {"ok": True, "stdout": buf.getvalue()}
    except Exception:
        out[key] = {"ok": False, "stdout": buf.getvalue() + traceback.format_exc()}
json.dump(out, sys.stdout)
"""


def _instances() -> dict[str, object]:
    out: dict[str, object] = {}
    for name, fam in sorted(families().items()):
        for level in range(1, fam.levels + 1):
            for seed in SEEDS:
                out[f"{name}/L{level}/{seed}"] = fam.generate(seed, level)
    return out


@pytest.fixture(scope="module")
def snippet_runs() -> dict[str, dict[str, object]]:
    codes = {key: inst.torch_code for key, inst in _instances().items()}  # type: ignore[attr-defined]
    proc = subprocess.run(
        [sys.executable, "-c", _RUNNER],
        input=json.dumps(codes),
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    result: dict[str, dict[str, object]] = json.loads(proc.stdout)
    return result


@pytest.mark.parametrize("name", sorted(families()))
def test_torch_snippet_prints_the_answer(name: str, snippet_runs: dict[str, dict[str, object]]) -> None:
    fam = families()[name]
    for level in range(1, fam.levels + 1):
        for seed in SEEDS:
            inst = fam.generate(seed, level)
            run = snippet_runs[f"{name}/L{level}/{seed}"]
            assert run["ok"], f"{name} L{level} seed {seed}:\n{inst.torch_code}\n{run['stdout']}"
            # the last line printed is the answer, as the grader would read it typed
            last = [line for line in str(run["stdout"]).splitlines() if line.strip()][-1]
            parsed = parse_answer(last, inst.answer_kind, n_choices=len(inst.choices) or None)
            assert answers_agree(inst.answer, parsed.value, inst.answer_kind, inst.tolerance), (
                f"{name} L{level} seed {seed}: torch printed {last!r}, expected {inst.answer!r}\n{inst.torch_code}"
            )
