"""Mutation testing of the core with mutmut: each module against its own tests (``make mutation``).

For every target, a scratch copy of the repository (``benchmarks/.work/mutation/NAME``) gets a
``[tool.mutmut]`` section that mutates that one module and runs only its own test files. Large modules are
sampled: every k-th mutant in mutmut's (stable) order, so a run fits a 2-core machine. The survivors are
written with their diffs to ``benchmarks/.work/mutation/NAME/survivors.md`` for a person to sort into
equivalent / message-only / real; the sorted result is kept by hand in ``benchmarks/RESULTS-mutation.md``.

Usage:
    python benchmarks/mutation.py                 # every target
    python benchmarks/mutation.py grading.verdict store.repository
    python benchmarks/mutation.py --list
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / ".work" / "mutation"


@dataclass(frozen=True)
class Target:
    module: str  # path of the module to mutate, from the repository root
    tests: tuple[str, ...]  # the test files or folders that own it
    every: int = 1  # run every k-th mutant (1 = all)
    marks: str = ""  # a pytest -m expression limiting the tests (the store's slow tests take minutes per mutant)


TARGETS: dict[str, Target] = {
    "grading.parse": Target("quizforge/grading/parse.py", ("tests/grading/",)),
    "grading.tokens": Target("quizforge/grading/tokens.py", ("tests/grading/",)),
    "grading.preview": Target("quizforge/grading/preview.py", ("tests/grading/",)),
    "grading.verdict": Target("quizforge/grading/verdict.py", ("tests/grading/",)),
    "store.repository": Target("quizforge/store/repository.py", ("tests/store/",), marks="not slow"),
    "store.database": Target("quizforge/store/database.py", ("tests/store/",), marks="not slow"),
    "store.models": Target("quizforge/store/models.py", ("tests/store/",), marks="not slow"),
    "study.scheduling": Target(
        "quizforge/study/scheduling.py", ("tests/study/test_scheduling.py", "tests/study/test_scheduling_settings.py")
    ),
    "numeric.ops": Target(
        "quizforge/numeric/ops.py", ("tests/numeric/test_ops.py", "tests/numeric/test_ops_torch_gaps.py"), every=3
    ),
}

STATUS_KILLED = {"killed", "timeout", "segfault"}


def prepare(name: str, target: Target) -> Path:
    """A scratch copy of the repository configured to mutate ``target`` only."""
    work = WORK / name
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", ".hypothesis", "*.pyc")
    for part in ("quizforge", "tests", "question_bank"):
        shutil.copytree(ROOT / part, work / part, ignore=ignore)
    tests = ", ".join(json.dumps(t) for t in target.tests)
    marks = f', "-m", {json.dumps(target.marks)}' if target.marks else ""
    config = (
        "\n[tool.mutmut]\n"
        'source_paths = ["quizforge/"]\n'
        f"only_mutate = [{json.dumps(target.module)}]\n"
        f"pytest_add_cli_args_test_selection = [{tests}]\n"
        'pytest_add_cli_args = ["-p", "no:xdist", "-p", "no:cacheprovider", "-q", "-x",'
        f' "--hypothesis-profile=mutation"{marks}]\n'
        'also_copy = ["question_bank/"]\n'
    )
    (work / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8") + config)
    return work


def mutmut(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("mutmut")
    return subprocess.run([str(exe), *args], cwd=work, capture_output=True, text=True)


def mutant_names(work: Path, target: Target) -> list[str]:
    """Every mutant of the target in mutmut's order (generating them if needed)."""
    meta = work / "mutants" / (target.module + ".meta")
    if not meta.exists():
        mutmut(work, "run", "no-such-mutant-*")  # generates the mutants, then finds nothing to run
    data = json.loads(meta.read_text(encoding="utf-8"))
    return list(data["exit_code_by_key"])


def statuses(work: Path) -> dict[str, str]:
    out = mutmut(work, "results", "--all", "true").stdout
    result = {}
    for line in out.splitlines():
        key, sep, status = line.strip().rpartition(": ")
        if sep and key:
            result[key] = status
    return result


def run_target(name: str, target: Target, max_children: int) -> dict[str, object]:
    start = time.monotonic()
    work = prepare(name, target)
    names = mutant_names(work, target)
    chosen = names[:: target.every]
    if target.every == 1:
        mutmut(work, "run", "--max-children", str(max_children))
    else:
        for i in range(0, len(chosen), 200):  # keep the command line short
            mutmut(work, "run", "--max-children", str(max_children), *chosen[i : i + 200])
    status = {k: v for k, v in statuses(work).items() if k in set(chosen)}
    killed = sum(1 for v in status.values() if v in STATUS_KILLED)
    survived = sorted(k for k, v in status.items() if v == "survived")
    other = sorted(f"{k}: {v}" for k, v in status.items() if v not in STATUS_KILLED and v != "survived")
    with (work / "survivors.md").open("w", encoding="utf-8") as fh:
        fh.write(f"# {name}: {len(survived)} survivors of {len(status)} mutants\n\n")
        for key in survived:
            fh.write(mutmut(work, "show", key).stdout + "\n")
        if other:
            fh.write("## not run or unclear\n\n" + "\n".join(other) + "\n")
    return {
        "target": name,
        "module": target.module,
        "mutants": len(names),
        "run": len(status),
        "killed": killed,
        "survived": len(survived),
        "other": len(other),
        "score": killed / len(status) if status else 0.0,
        "seconds": round(time.monotonic() - start, 1),
        "survivors": survived,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help="target names (default: all)")
    parser.add_argument("--list", action="store_true", help="list the targets and exit")
    parser.add_argument("--max-children", type=int, default=2)
    args = parser.parse_args()
    if args.list:
        for name, t in TARGETS.items():
            print(f"{name:18} {t.module:36} every {t.every}  tests: {' '.join(t.tests)}")
        return 0
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        print(f"unknown target(s): {', '.join(unknown)}; see --list", file=sys.stderr)
        return 2
    results = []
    for name in args.targets or list(TARGETS):
        r = run_target(name, TARGETS[name], args.max_children)
        results.append(r)
        print(
            f"{name:18} {r['killed']:>5}/{r['run']:<5} killed  score {100 * float(r['score']):5.1f} %"  # type: ignore[arg-type]
            f"  ({r['survived']} survived, {r['other']} other, {r['mutants']} mutants, {r['seconds']} s)",
            flush=True,
        )
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "summary.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"survivors with diffs: {WORK}/<target>/survivors.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
