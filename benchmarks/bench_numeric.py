"""Generated questions and grading against the docs/architecture.md §8 budgets.

Budgets: a generated instance with its worked solution under 0.5 ms median per family; grading under
1 ms; naming the mistake behind a wrong answer (numeric tutoring) adds under 0.2 ms to grading. For
every family this draws ``--seeds`` instances (seeds 0..N-1) and times ``Family.generate`` one call at
a time, then times ``grading.grade`` on the expected answer written as a user would type it (so the
parser runs too), then ``tutor.diagnose`` on a wrong answer that matches none of the family's
mistakes (the worst case: every mistake is computed and compared). Prints a table and, with
``--record``, writes it to ``benchmarks/RESULTS-numeric.md``.

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

from quizforge.answer import AnswerKind  # noqa: E402
from quizforge.grading import grade  # noqa: E402
from quizforge.kinds.tutor import diagnose  # noqa: E402
from quizforge.numeric.base import Answer, Instance, families  # noqa: E402
from quizforge.render import answer_as_typed  # noqa: E402

GEN_BUDGET_MS = 0.5
GRADE_BUDGET_MS = 1.0
DIAGNOSE_BUDGET_MS = 0.2


def unrelated_wrong(inst: Instance) -> Answer:
    """A wrong answer no mistake produces: every number far off, or another option."""
    if inst.answer_kind == AnswerKind.CHOICE:
        n = len(inst.choices)
        return [(int(i) + 1) % n for i in inst.answer]  # type: ignore[union-attr]
    if inst.answer_kind == AnswerKind.SHAPE:
        return tuple(int(d) + 1000 for d in inst.answer)  # type: ignore[union-attr]
    if isinstance(inst.answer, list) and inst.answer and isinstance(inst.answer[0], list):
        return [[float(v) + 1e4 for v in row] for row in inst.answer]  # type: ignore[union-attr]
    if isinstance(inst.answer, list):
        return [float(v) + 1e4 for v in inst.answer]  # type: ignore[arg-type]
    return float(inst.answer) + 1e4  # type: ignore[arg-type]


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1e3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--record", action="store_true", help="write benchmarks/RESULTS-numeric.md")
    parser.add_argument("--json", metavar="FILE", help="write the budgets measured as JSON (for run.py)")
    args = parser.parse_args()

    rows: list[tuple[str, float, float, float, float]] = []
    for name, fam in sorted(families().items()):
        fam.generate(0)  # warm caches (lazy tables, first-call imports)
        gen: list[float] = []
        grd: list[float] = []
        dia: list[float] = []
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
            wrong = unrelated_wrong(inst)
            t0 = time.perf_counter()
            diagnose(inst, wrong)
            dia.append(time.perf_counter() - t0)
        rows.append((name, median_ms(gen), max(gen) * 1e3, median_ms(grd), median_ms(dia)))

    worst_gen = max(r[1] for r in rows)
    worst_grade = max(r[3] for r in rows)
    worst_diag = max(r[4] for r in rows)
    ok = worst_gen < GEN_BUDGET_MS and worst_grade < GRADE_BUDGET_MS and worst_diag < DIAGNOSE_BUDGET_MS
    diag_family = max(rows, key=lambda r: r[4])[0]
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
    res.budgets.append(
        Budget(
            "naming the mistake on top of grading (worst family median)",
            worst_diag,
            DIAGNOSE_BUDGET_MS,
            "ms",
            f"{diag_family}; a wrong answer no mistake matches",
        )
    )
    res.write(args.json)
    lines = [
        f"# Numeric engine benchmark ({len(rows)} families, {args.seeds} seeds each)",
        "",
        f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.system()}; recorded {time.strftime('%Y-%m-%d')}.",
        "",
        f"Budgets (docs/architecture.md §8): generate + solution < {GEN_BUDGET_MS} ms median per family; "
        f"grading < {GRADE_BUDGET_MS} ms; diagnosis of a wrong answer adds < {DIAGNOSE_BUDGET_MS} ms.",
        f"Worst family median: generate {worst_gen:.3f} ms ({gen_family}), grade {worst_grade:.3f} ms "
        f"({grade_family}), diagnose {worst_diag:.3f} ms ({diag_family}) → {'PASS' if ok else 'FAIL'}.",
        "",
        "| family | generate median (ms) | generate max (ms) | grade median (ms) | diagnose median (ms) |",
        "|---|---:|---:|---:|---:|",
        *(f"| {n} | {g:.3f} | {gmax:.3f} | {r:.3f} | {d:.3f} |" for n, g, gmax, r, d in rows),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.record:
        (ROOT / "benchmarks" / "RESULTS-numeric.md").write_text(text, encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
