"""Mutation testing of the core with mutmut: each module against its own tests (``make mutation``).

For every target, a scratch copy of the repository (``benchmarks/.work/mutation/NAME``) gets a
``[tool.mutmut]`` section that mutates that one module and runs only its own test files. Large modules are
sampled: every k-th mutant in mutmut's (stable) order, so a run fits a 2-core machine. The survivors are
written with their diffs to ``benchmarks/.work/mutation/NAME/survivors.md`` for a person to sort into
equivalent / message-only / real; the sorted result is kept by hand in ``benchmarks/RESULTS-mutation.md``.

A target may also be limited to some functions (``functions``: the judge's comparison, not its process
handling, whose tests start child processes). A target whose module does not exist yet is skipped with a
note. ``--again`` keeps a target's previous (or interrupted) run and re-runs only the mutants that were not
killed, with the current tests (a killed mutant stays killed when tests are added): the way to check new gap
tests cheaply.

Usage:
    python benchmarks/mutation.py                 # every target
    python benchmarks/mutation.py grading.verdict store.repository
    python benchmarks/mutation.py --again grading.preview
    python benchmarks/mutation.py --list
"""

from __future__ import annotations

import argparse
import json
import os
import re
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
    functions: tuple[str, ...] = ()  # mutate only these functions/methods ("compare", "Verdict.text"); () = all
    keyword: str = ""  # a pytest -k expression (test files whose names are not known yet)
    # the module's functools caches, emptied before each test: mutmut runs the clean tests in its own process
    # and forks each mutant's run from it, so caches the clean run filled would hide the cached functions' mutants
    caches: tuple[str, ...] = ()
    timeout_multiplier: float = 1.0  # see config(); more for tests whose time swings with the machine's load

    def wants(self, key: str) -> bool:
        """Whether the mutant ``key`` (``pkg.mod.x_fn__mutmut_3``, ``pkg.mod.xǁClassǁfn__mutmut_3``) is in scope."""
        if not self.functions:
            return True
        name = key.rpartition(".")[2].rpartition("__mutmut_")[0]
        name = name[1:].strip("ǁ").replace("ǁ", ".") if name.startswith("xǁ") else name.removeprefix("x_")
        return name in self.functions


TARGETS: dict[str, Target] = {
    "grading.parse": Target("quizforge/grading/parse.py", ("tests/grading/",), every=10),
    "grading.tokens": Target("quizforge/grading/tokens.py", ("tests/grading/",)),
    "grading.preview": Target("quizforge/grading/preview.py", ("tests/grading/",)),
    "grading.verdict": Target("quizforge/grading/verdict.py", ("tests/grading/",)),
    # every store test opens a database, so a surviving mutant runs the whole store suite (~22 s on a loaded
    # machine, about the estimate + 10 s a mutant gets): twice that, or a survivor counts as a timeout = killed
    # (98 of database.py's 398 mutants in the first run; RESULTS-mutation-store.md)
    "store.repository": Target(
        "quizforge/store/repository.py", ("tests/store/",), marks="not slow", timeout_multiplier=2.0
    ),
    "store.database": Target(
        "quizforge/store/database.py", ("tests/store/",), marks="not slow", timeout_multiplier=2.0
    ),
    "store.models": Target("quizforge/store/models.py", ("tests/store/",), marks="not slow", timeout_multiplier=2.0),
    "study.scheduling": Target(
        "quizforge/study/scheduling.py", ("tests/study/test_scheduling.py", "tests/study/test_scheduling_settings.py")
    ),
    # every 3rd of 1,535 mutants (RESULTS-mutation.md: the time a mutant takes, the sort and the re-run had to fit
    # the session); the timeout doubled as a margin for the machine's load (ops.py has no while loop, so a real
    # endless loop cannot occur; every timeout is checked by hand)
    "numeric.ops": Target(
        "quizforge/numeric/ops.py",
        ("tests/numeric/test_ops.py", "tests/numeric/test_ops_torch_gaps.py", "tests/numeric/test_ops_gaps.py"),
        every=3,
        timeout_multiplier=2.0,
    ),
    # the verdict and comparison logic, in this process, against its in-process tests; the child's process
    # handling and Judge.judge are tested by starting children (tests/drills/test_judge.py, tests/faults/), and
    # test_references.py runs every drill against torch (84 s a surviving mutant on the shared machine):
    # neither is used here, so a survivor may still be killed by them
    "drills.judge": Target(
        "quizforge/drills/judge.py",
        ("tests/drills/test_judge_gaps.py",),
        marks="not slow",
        functions=(
            "Verdict.text",
            "Verdict.to_json",
            "case_rng",
            "_fmt",
            "describe",
            "compare",
            "mismatch",
            "_failure",
            "Failure.text",
            "Failure.to_json",
            "_say",
            "_why_text",
            "make_cases",
            "judge_in_process",
        ),
    ),
    # the event replay through a shared folder: what is sent, what is read, torn lines, the state kept;
    # the last-writer-wins merge itself is store/repository.py's `merge` (target store.repository)
    "study.sync": Target(
        "quizforge/study/sync.py",
        ("tests/study/test_sync_gaps.py", "tests/store/test_events.py", "tests/store/test_sync_lines.py"),
        marks="not slow",
    ),
    # the free-answer key-point matcher (sampled), against its own tests
    "grading.keypoints": Target(
        "quizforge/grading/keypoints.py",
        (
            "tests/grading/test_keypoints.py",
            "tests/grading/test_keypoints_labelled.py",
            "tests/grading/test_keypoints_gaps.py",
        ),
        every=3,
        marks="not slow",
        caches=("_prepare", "stem", "synonyms"),
    ),
    # the interview planner (landed 2026-12-07), sampled; its own tests are the study tests named *planner*
    "study.planner": Target(
        "quizforge/study/planner.py", ("tests/study/",), every=4, marks="not slow", keyword="planner"
    ),
}

STATUS_KILLED = {"killed", "timeout", "segfault"}


def config(target: Target) -> str:
    """The ``[tool.mutmut]`` section for ``target``."""
    tests = ", ".join(json.dumps(t) for t in target.tests)
    marks = f', "-m", {json.dumps(target.marks)}' if target.marks else ""
    marks += f', "-k", {json.dumps(target.keyword)}' if target.keyword else ""
    return (
        "\n[tool.mutmut]\n"
        'source_paths = ["quizforge/"]\n'
        f"only_mutate = [{json.dumps(target.module)}]\n"
        f"pytest_add_cli_args_test_selection = [{tests}]\n"
        'pytest_add_cli_args = ["-p", "no:xdist", "-p", "no:cacheprovider", "-q", "-x",'
        f' "--hypothesis-profile=mutation"{marks}]\n'
        'also_copy = ["question_bank/"]\n'
        # a mutant's tests get (estimate + constant) × multiplier seconds of wall clock (twice that of CPU), the
        # estimate being the clean run, under tracing on the same loaded machine, of every test that reaches the
        # function. mutmut's default (1 s, × 15) let each endless loop hold a core for minutes (4 minutes for
        # the tokenizer, reached by the whole grading suite); × 1 with 1 s counted slow survivors of the small
        # formatting functions as timeouts (= killed). The estimate plus 10 s does neither here
        "timeout_constant = 10.0\n"
        f"timeout_multiplier = {target.timeout_multiplier}\n"
    )


_FRESH_CACHES = """

@pytest.fixture(autouse=True)
def _mutation_fresh_caches() -> None:  # written by benchmarks/mutation.py for this target only
    import importlib

    module = importlib.import_module({module!r})
    for name in {names!r}:
        getattr(module, name).cache_clear()
"""


def write_config(work: Path, target: Target) -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8") + config(target)
    (work / "pyproject.toml").write_text(text, encoding="utf-8")
    if target.caches:
        module = target.module.removesuffix(".py").replace("/", ".")
        fixture = _FRESH_CACHES.format(module=module, names=target.caches)
        for tests in (work / "tests", work / "mutants" / "tests"):
            conftest = tests / "conftest.py"
            if conftest.exists() and "_mutation_fresh_caches" not in conftest.read_text(encoding="utf-8"):
                with conftest.open("a", encoding="utf-8") as fh:
                    fh.write(fixture)


def prepare(name: str, target: Target) -> Path:
    """A scratch copy of the repository configured to mutate ``target`` only."""
    work = WORK / name
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", ".hypothesis", "*.pyc")
    for part in ("quizforge", "tests", "question_bank"):
        shutil.copytree(ROOT / part, work / part, ignore=ignore)
    write_config(work, target)
    return work


MEMORY_BYTES = 2 << 30  # address space of mutmut and its test processes (torch needs ~0.7 GiB)


def _limit_memory() -> None:  # in the mutmut process before exec; its forked test runs inherit it
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


# one thread for torch and NumPy: mutmut forks each mutant's test run from a process that already ran torch, and
# torch's OpenMP pool does not survive a fork (a pooling or convolution test hung until the timeout, counted as
# killed); on a shared 2-core machine one thread a run is also the fair share
_ENV = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


def mutmut(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run mutmut in ``work``. A mutant that loops while appending to a list (``i = j`` → ``i = i``) would grow
    by gigabytes until its CPU-time limit; under the address-space limit it fails at once and counts as killed."""
    exe = Path(sys.executable).with_name("mutmut")
    return subprocess.run(
        [str(exe), *args], cwd=work, capture_output=True, text=True, preexec_fn=_limit_memory, env=_ENV
    )


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


_STRING = re.compile(r"""[rRbBfFuU]{0,2}("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")


def strings_only(diff: str) -> bool:
    """Whether a mutant's diff changes nothing but the text inside string literals (a first sort, checked by hand:
    a string compared with input is behaviour, a string shown to a person is a message)."""
    lines = diff.splitlines()
    old = [ln[1:] for ln in lines if ln.startswith("-") and not ln.startswith("---")]
    new = [ln[1:] for ln in lines if ln.startswith("+") and not ln.startswith("+++")]

    def blank(text: list[str]) -> list[str]:
        return [_STRING.sub('""', ln).strip() for ln in text]

    return bool(old) and old != new and blank(old) == blank(new)


def refresh(work: Path) -> None:
    """Copy the current code and tests over a kept run (mutmut regenerates the mutants of functions that changed
    and keeps the results of the others), and drop mutmut's record of which tests reach which function: its
    incremental update missed tests added to a known file."""
    ignore = shutil.ignore_patterns("__pycache__", ".hypothesis", "*.pyc")
    for part in ("quizforge", "tests", "question_bank"):
        shutil.rmtree(work / part)
        shutil.copytree(ROOT / part, work / part, ignore=ignore)
    tests = work / "mutants" / "tests"
    if tests.exists():
        shutil.rmtree(tests)
    shutil.copytree(ROOT / "tests", tests, ignore=ignore)
    (work / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)


def run_some(work: Path, keys: list[str], max_children: int) -> None:
    for i in range(0, len(keys), 200):  # keep the command line short
        mutmut(work, "run", "--max-children", str(max_children), *keys[i : i + 200])


def run_target(name: str, target: Target, max_children: int, again: bool = False) -> dict[str, object]:
    start = time.monotonic()
    work = WORK / name
    if again and (work / "mutants").exists():  # keep the mutants and results: run what is not killed yet
        refresh(work)
        write_config(work, target)
        names = mutant_names(work, target)
        chosen = [k for k in names[:: target.every] if target.wants(k)]
        done = statuses(work)
        rerun = [k for k in chosen if done.get(k) not in STATUS_KILLED]
    else:
        work = prepare(name, target)
        names = mutant_names(work, target)
        chosen = [k for k in names[:: target.every] if target.wants(k)]
        rerun = chosen
    if rerun == names:
        mutmut(work, "run", "--max-children", str(max_children))
    else:
        run_some(work, rerun, max_children)
    wanted = set(chosen)
    # a changed timeout setting makes mutmut forget its timeouts during the run above: run those now
    forgotten = [k for k, v in statuses(work).items() if k in wanted and v == "not checked"]
    run_some(work, forgotten, max_children)
    status = {k: v for k, v in statuses(work).items() if k in wanted}
    killed = sum(1 for v in status.values() if v in STATUS_KILLED)
    survived = sorted(k for k, v in status.items() if v == "survived")
    other = sorted(f"{k}: {v}" for k, v in status.items() if v not in STATUS_KILLED and v != "survived")
    with (work / "survivors.md").open("w", encoding="utf-8") as fh:
        fh.write(f"# {name}: {len(survived)} survivors of {len(status)} mutants\n\n")
        for key in survived:
            diff = mutmut(work, "show", key).stdout
            hint = " — [changes a string literal only: message-only or equivalent?]" if strings_only(diff) else ""
            fh.write(f"## {key}{hint}\n\n{diff}\n")
        if other:
            fh.write("## not run or unclear\n\n" + "\n".join(other) + "\n")
    result: dict[str, object] = {
        "target": name,
        "module": target.module,
        "mutants": len(names),
        "run": len(status),
        "rerun": len(rerun),
        "killed": killed,
        "survived": len(survived),
        "other": len(other),
        "score": killed / len(status) if status else 0.0,
        "seconds": round(time.monotonic() - start, 1),
        "survivors": survived,
        "not_killed": [k for k, v in status.items() if v not in STATUS_KILLED],
    }
    (work / "result.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help="target names (default: all)")
    parser.add_argument("--list", action="store_true", help="list the targets and exit")
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--again", action="store_true", help="re-run only the last run's surviving mutants")
    args = parser.parse_args()
    if args.list:
        for name, t in TARGETS.items():
            limits = (f"  -m {t.marks!r}" if t.marks else "") + (f"  -k {t.keyword!r}" if t.keyword else "")
            scope = f"  functions: {', '.join(t.functions)}" if t.functions else ""
            print(f"{name:18} {t.module:36} every {t.every}  tests: {' '.join(t.tests)}{limits}{scope}")
        return 0
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        print(f"unknown target(s): {', '.join(unknown)}; see --list", file=sys.stderr)
        return 2
    results = []
    for name in args.targets or list(TARGETS):
        if not (ROOT / TARGETS[name].module).exists():
            print(f"{name:18} skipped: {TARGETS[name].module} does not exist yet", flush=True)
            continue
        r = run_target(name, TARGETS[name], args.max_children, again=args.again)
        results.append(r)
        print(
            f"{name:18} {r['killed']:>5}/{r['run']:<5} killed  score {100 * float(r['score']):5.1f} %"  # type: ignore[arg-type]
            f"  ({r['survived']} survived, {r['other']} other, {r['mutants']} mutants, {r['rerun']} run now,"
            f" {r['seconds']} s)",
            flush=True,
        )
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "summary.json").write_text(json.dumps(results, indent=2), encoding="utf-8")  # this run's targets
    print(f"survivors with diffs: {WORK}/<target>/survivors.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
