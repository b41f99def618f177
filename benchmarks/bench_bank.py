"""Loading a 10,000-question bank, unchanged and after an edit of one file (docs/architecture.md §8).

    python benchmarks/bench_bank.py [--questions 10000] [--repeat 10] [--record] [--json FILE]

The bank is ``synth_bank.py``'s (the shipped questions copied under new ids, built once under
``benchmarks/.work/``), loaded as the app loads it: ``quizforge.kinds.load([bank], cache_dir=...)``, the
shipped bank included, with a fresh cache folder per run. Budgets: under 100 ms unchanged since the
last load (the whole-bank snapshot keyed by file hashes), under 1.5 s after one file was edited (that
file parsed again, the others from their per-file cache). Also times the first load with no cache
(every file parsed) and ``quizforge topics --bank`` as a whole process with a warm cache.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from _common import WORK, Budget, Results, median, short_machine, timed  # noqa: E402
from synth_bank import generate, key  # noqa: E402

from quizforge.kinds import load  # noqa: E402

UNCHANGED_BUDGET_MS = 100.0
EDITED_BUDGET_MS = 1500.0


def bank_folder(n_questions: int) -> Path:
    """The synthetic bank, generated once per shipped-bank version."""
    folder = WORK / f"bank-{n_questions}-{key(n_questions)}"
    if not (folder / ".complete").exists():
        WORK.mkdir(exist_ok=True)
        for stale in WORK.glob(f"bank-{n_questions}-*"):
            shutil.rmtree(stale, ignore_errors=True)
        t0 = time.perf_counter()
        n, size = generate(folder, n_questions)
        (folder / ".complete").write_text("")
        print(f"generated {n} questions ({size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
    return folder


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questions", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--record", action="store_true", help="write benchmarks/RESULTS-bank.md")
    ap.add_argument("--json", metavar="FILE", help="write the budgets measured as JSON (for run.py)")
    args = ap.parse_args()

    folder = bank_folder(args.questions)
    files = sorted(folder.glob("*.yaml"))
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    cache = Path(tempfile.mkdtemp(prefix="qf-bench-bank-"))
    edited = files[len(files) // 2]
    original = edited.read_bytes()
    try:
        t0 = time.perf_counter()
        bank = load([folder], cache_dir=cache)
        cold_ms = (time.perf_counter() - t0) * 1000
        n_loaded = len(bank.questions)
        unchanged = timed(lambda: load([folder], cache_dir=cache), args.repeat)
        after_edit = []
        for i in range(max(3, args.repeat // 2)):
            # a real edit: one prompt's text changes, so that file's hash (and the bank's) changes
            edited.write_bytes(original.replace(b"[copy ", f"[edit {i}, copy ".encode(), 1))
            t0 = time.perf_counter()
            b = load([folder], cache_dir=cache)
            after_edit.append((time.perf_counter() - t0) * 1000)
            assert len(b.questions) == n_loaded
        edited.write_bytes(original)
        load([folder], cache_dir=cache)  # snapshot of the unedited bank again
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["QUIZFORGE_DATA_DIR"] = str(cache.parent / (cache.name + "-data"))
        quizforge = str(Path(sys.executable).with_name("quizforge"))
        cmd = [quizforge, "topics", "--bank", str(folder)]
        subprocess.run(cmd, env=env, capture_output=True, check=True)  # fills that data dir's cache
        whole = []
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run(cmd, env=env, capture_output=True, check=True)
            whole.append((time.perf_counter() - t0) * 1000)
    finally:
        edited.write_bytes(original)
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(cache.parent / (cache.name + "-data"), ignore_errors=True)

    res = Results("bench_bank.py")
    what = f"{n_loaded:,} questions ({args.questions:,} synthetic + shipped), {len(files)} files, {size_mb:.1f} MB"
    res.budgets.append(
        Budget("load a 10,000-question bank, unchanged (snapshot)", median(unchanged), UNCHANGED_BUDGET_MS, "ms", what)
    )
    res.budgets.append(
        Budget(
            "load a 10,000-question bank after editing one file",
            median(after_edit),
            EDITED_BUDGET_MS,
            "ms",
            f"{edited.name} ({len(original) / 1e3:.0f} kB) re-parsed",
        )
    )
    res.tables["bank_extra"] = {"cold_ms": cold_ms, "process_ms": median(whole)}
    res.write(args.json)
    lines = [
        "# Bank loading benchmark (benchmarks/bench_bank.py)",
        "",
        f"Bank: {what}. Measured {time.strftime('%Y-%m-%d')} on {short_machine()}.",
        "",
        "| operation | median ms | max ms | budget ms |",
        "|---|---:|---:|---:|",
        f"| first load, no cache (every file parsed) | {cold_ms:.0f} | {cold_ms:.0f} | |",
        f"| load, unchanged since the last load | {median(unchanged):.1f} | {max(unchanged):.1f} | "
        f"< {UNCHANGED_BUDGET_MS:g} {'✓' if median(unchanged) < UNCHANGED_BUDGET_MS else '✗'} |",
        f"| load after editing one file | {median(after_edit):.0f} | {max(after_edit):.0f} | "
        f"< {EDITED_BUDGET_MS:g} {'✓' if median(after_edit) < EDITED_BUDGET_MS else '✗'} |",
        f"| `quizforge topics --bank …`, whole process, warm cache | {median(whole):.0f} | {max(whole):.0f} | |",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.record:
        (HERE / "RESULTS-bank.md").write_text(text, encoding="utf-8")
    return 0 if res.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
