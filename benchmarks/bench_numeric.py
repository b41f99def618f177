"""Generated questions and grading against the docs/architecture.md §8 budgets.

Budgets: a generated instance with its worked solution under 0.5 ms median per family; grading under
1 ms. For every family this draws ``--seeds`` instances (seeds 0..N-1) and times ``Family.generate``
one call at a time, then times ``grading.grade`` on the expected answer written as a user would type
it (so the parser runs too). Prints a table and, with ``--record``, writes it to
``benchmarks/RESULTS-numeric.md``.

Run: ``.venv/bin/python benchmarks/bench_numeric.py [--seeds 200] [--record]``
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

from quizforge.grading import grade  # noqa: E402
from quizforge.numeric.base import families  # noqa: E402
from quizforge.render import answer_as_typed  # noqa: E402

GEN_BUDGET_MS = 0.5
GRADE_BUDGET_MS = 1.0


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1e3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--record", action="store_true", help="write benchmarks/RESULTS-numeric.md")
    parser.add_argument("--json", metavar="FILE", help="write the budgets measured as JSON (for run.py)")
    args = parser.parse_args()

    rows: list[tuple[str, float, float, float]] = []
    for name, fam in sorted(families().items()):
        fam.generate(0)  # warm caches (lazy tables, first-call imports)
        gen: list[float] = []
        grd: list[float] = []
        for seed in range(args.seeds):
            t0 = time.perf_counter()
            inst = fam.generate(seed)
            gen.append(time.perf_counter() - t0)
            text = answer_as_typed(inst)
            n = len(inst.choices) or None
            t0 = time.perf_counter()
            verdict = grade(inst.answer, text, inst.answer_kind, inst.tolerance, lang="en", n_choices=n)
            grd.append(time.perf_counter() - t0)
            if not verdict.correct:
                print(f"warning: {name} seed {seed}: the expected answer {text!r} graded wrong: {verdict.feedback}")
        rows.append((name, median_ms(gen), max(gen) * 1e3, median_ms(grd)))

    worst_gen = max(r[1] for r in rows)
    worst_grade = max(r[3] for r in rows)
    ok = worst_gen < GEN_BUDGET_MS and worst_grade < GRADE_BUDGET_MS
    gen_family = max(rows, key=lambda r: r[1])[0]
    grade_family = max(rows, key=lambda r: r[3])[0]
    res = Results("bench_numeric.py")
    res.budgets.append(
        Budget(
            "generated instance + worked solution (worst family median)",
            worst_gen,
            GEN_BUDGET_MS,
            "ms",
            f"{gen_family}; {len(rows)} families × {args.seeds} seeds",
        )
    )
    res.budgets.append(
        Budget("grading a typed answer (worst family median)", worst_grade, GRADE_BUDGET_MS, "ms", grade_family)
    )
    res.write(args.json)
    lines = [
        f"# Numeric engine benchmark ({len(rows)} families, {args.seeds} seeds each)",
        "",
        f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.system()}; recorded {time.strftime('%Y-%m-%d')}.",
        "",
        f"Budgets (docs/architecture.md §8): generate + solution < {GEN_BUDGET_MS} ms median per family; "
        f"grading < {GRADE_BUDGET_MS} ms.",
        f"Worst family median: generate {worst_gen:.3f} ms, grade {worst_grade:.3f} ms → {'PASS' if ok else 'FAIL'}.",
        "",
        "| family | generate median (ms) | generate max (ms) | grade median (ms) |",
        "|---|---:|---:|---:|",
        *(f"| {n} | {g:.3f} | {gmax:.3f} | {r:.3f} |" for n, g, gmax, r in rows),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.record:
        (ROOT / "benchmarks" / "RESULTS-numeric.md").write_text(text, encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
