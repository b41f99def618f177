"""The coding drills' judge against its budgets: a verdict for 20 cases < 300 ms warm, < 2 s cold.

Cold: a verdict with no child prepared (start ``python -I``, import NumPy, run the user's code, compare).
Warm: :meth:`Judge.prepare` was called when the drill was shown, and the user took a while to write the
code (the pause below stands for that; the child is ready long before), so only the user's code runs.
Each is the median over ``--repeat`` verdicts of the model solution, for a few drills of different
weight (the slowest median is the one checked). Prints a table and, with ``--record``, writes it to
``benchmarks/RESULTS-judge.md``.

Run: ``.venv/bin/python benchmarks/bench_judge.py [--repeat 7] [--record]``
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import Budget, Results  # noqa: E402

from quizforge.drills import get_drill  # noqa: E402
from quizforge.drills.judge import Judge  # noqa: E402

WARM_BUDGET_MS = 300.0
COLD_BUDGET_MS = 2000.0
DRILLS = ["softmax", "conv2d_forward", "scaled_dot_product_attention", "max_pool2d_backward", "nms"]
WRITING_PAUSE = 1.5  # seconds between showing the drill and submitting: the warm child gets ready meanwhile


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--record", action="store_true", help="write benchmarks/RESULTS-judge.md")
    parser.add_argument("--json", metavar="FILE", help="write the budgets measured as JSON (for run.py)")
    args = parser.parse_args()

    judge = Judge()
    rows: list[tuple[str, float, float]] = []
    for name in DRILLS:
        drill = get_drill(name)
        cold: list[float] = []
        warm: list[float] = []
        for seed in range(args.repeat):
            t0 = time.perf_counter()
            ok = judge.judge(drill, drill.model_solution, seed=seed).ok
            cold.append(time.perf_counter() - t0)
            judge.prepare()
            time.sleep(WRITING_PAUSE)
            t0 = time.perf_counter()
            ok = judge.judge(drill, drill.model_solution, seed=seed).ok and ok
            warm.append(time.perf_counter() - t0)
            if not ok:
                print(f"warning: {name} seed {seed}: the model solution failed")
        rows.append((name, statistics.median(warm) * 1e3, statistics.median(cold) * 1e3))
    judge.close()

    worst_warm = max(rows, key=lambda r: r[1])
    worst_cold = max(rows, key=lambda r: r[2])
    res = Results("bench_judge.py")
    res.budgets.append(
        Budget("drill verdict, 20 cases, warm (worst drill median)", worst_warm[1], WARM_BUDGET_MS, "ms", worst_warm[0])
    )
    res.budgets.append(
        Budget("drill verdict, 20 cases, cold (worst drill median)", worst_cold[2], COLD_BUDGET_MS, "ms", worst_cold[0])
    )
    res.write(args.json)
    ok = res.ok
    lines = [
        f"# Drill judge benchmark ({len(rows)} drills, {args.repeat} verdicts each, 20 cases per verdict)",
        "",
        f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.system()}; recorded {time.strftime('%Y-%m-%d')}.",
        "",
        f"Budgets: verdict < {WARM_BUDGET_MS:.0f} ms warm, < {COLD_BUDGET_MS:.0f} ms cold. "
        f"Worst median: warm {worst_warm[1]:.0f} ms, cold {worst_cold[2]:.0f} ms → {'PASS' if ok else 'FAIL'}.",
        "",
        "| drill | warm median (ms) | cold median (ms) |",
        "|---|---:|---:|",
        *(f"| {n} | {w:.0f} | {c:.0f} |" for n, w, c in rows),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.record:
        (ROOT / "benchmarks" / "RESULTS-judge.md").write_text(text, encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
