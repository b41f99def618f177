"""Report timings on the store benchmark's collections (budget on 100,000 cards, 1,000,000 review rows).

    python benchmarks/bench_report.py [--sizes 1000:10000,...] [--rebuild] [--repeat N] [--record] [--json FILE]

The collections are ``benchmarks/bench_store.py``'s (built once, cached under ``benchmarks/.work/``);
every run works on a fresh copy. Target (docs/architecture.md §8): a full report under 2 s. The full table is for the
largest size; the smaller ones give the scaling row. Results are printed and, with ``--record``,
written to ``benchmarks/RESULTS-report.md``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import Budget, Results, short_machine  # noqa: E402
from bench_store import NOW, SIZES, cached_store, parse_sizes, synthetic_bank  # noqa: E402

from quizforge.report.command import run  # noqa: E402
from quizforge.report.render_html import render_html  # noqa: E402
from quizforge.report.render_json import render_json  # noqa: E402
from quizforge.report.render_md import render_md  # noqa: E402
from quizforge.report.render_text import render_text  # noqa: E402
from quizforge.report.stats import build_report  # noqa: E402
from quizforge.store import Store  # noqa: E402
from quizforge.store.columns import load_cards, load_reviews  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS-report.md"


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def full_report_ms(n_cards: int, n_reviews: int, repeat: int, rebuild: bool) -> float:
    """Median of ``run(fmt='text')`` to a file on a fresh copy of that collection."""
    src = cached_store(n_cards, n_reviews, rebuild)
    tmp = Path(tempfile.mkdtemp(prefix="qf-bench-report-"))
    try:
        shutil.copyfile(src, tmp / "quizforge.db")
        bank = synthetic_bank(n_cards)
        with Store.open(tmp / "quizforge.db") as store:
            out = tmp / "report.txt"
            times = timed(
                lambda: run(store, bank, fmt="text", output=out, days=365, topics=None, lang="en", now=NOW, tz=UTC),
                repeat,
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=",".join(f"{c}:{r}" for c, r in SIZES), help="cards:reviews,...")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--record", action="store_true", help="write benchmarks/RESULTS-report.md")
    ap.add_argument("--json", metavar="FILE", help="write the budgets measured as JSON (for run.py)")
    args = ap.parse_args()
    sizes = parse_sizes(args.sizes)
    N_CARDS, N_REVIEWS = max(sizes)
    scaling = {
        f"{c}:{r}": {"report": full_report_ms(c, r, args.repeat, args.rebuild)}
        for c, r in sizes
        if (c, r) != (N_CARDS, N_REVIEWS)
    }
    CACHE = cached_store(N_CARDS, N_REVIEWS, args.rebuild)
    tmp = Path(tempfile.mkdtemp(prefix="qf-bench-report-"))
    rows: list[tuple[str, list[float], float | None]] = []
    try:
        db = tmp / "quizforge.db"
        shutil.copyfile(CACHE, db)
        bank = synthetic_bank(N_CARDS)
        store = Store.open(db)
        t0 = time.perf_counter()
        build_report(store, bank, NOW, tz=UTC)
        rows.append(
            ("build_report, first run (cold page cache of the copy)", [(time.perf_counter() - t0) * 1000], None)
        )
        rows.append(("  load card table (100k rows → NumPy)", timed(lambda: load_cards(store), args.repeat), None))
        cards = load_cards(store)
        rows.append(
            ("  load review log (1M rows → NumPy)", timed(lambda: load_reviews(store, cards), args.repeat), None)
        )
        rows.append(
            (
                "build_report (every statistic)",
                timed(lambda: build_report(store, bank, NOW, tz=UTC), args.repeat),
                2000.0,
            )
        )
        rows.append(
            (
                "build_report, one topic (--topic topic.3)",
                timed(lambda: build_report(store, bank, NOW, tz=UTC, topics=["topic.3"]), args.repeat),
                2000.0,
            )
        )
        report = build_report(store, bank, NOW, tz=UTC)
        rows.append(("render text (Rich, 80 columns)", timed(lambda: render_text(report), args.repeat), None))
        rows.append(("render Markdown", timed(lambda: render_md(report), args.repeat), None))
        rows.append(("render HTML", timed(lambda: render_html(report), args.repeat), None))
        rows.append(("render JSON", timed(lambda: render_json(report), args.repeat), None))
        for fmt in ("text", "html"):
            out = tmp / f"report.{fmt}"
            rows.append(
                (
                    f"full report: `run(fmt={fmt!r})` to a file",
                    timed(
                        lambda fmt=fmt, out=out: run(  # type: ignore[misc]
                            store, bank, fmt=fmt, output=out, days=365, topics=None, lang="en", now=NOW, tz=UTC
                        ),
                        args.repeat,
                    ),
                    2000.0,
                )
            )
        html_kb = (tmp / "report.html").stat().st_size / 1000
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    header = "| operation | median ms | max ms | target ms |\n|---|---:|---:|---:|"
    lines = []
    for name, times, target in rows:
        med = statistics.median(times)
        ok = "" if target is None else (f"< {target:g} ✓" if med < target else f"< {target:g} ✗")
        lines.append(f"| {name} | {med:.1f} | {max(times):.1f} | {ok} |")
    table = header + "\n" + "\n".join(lines)
    print(table)
    full = {name: statistics.median(times) for name, times, _ in rows}
    res = Results("bench_report.py")
    res.budgets.append(
        Budget(
            f"{N_CARDS // 1000}k cards / {N_REVIEWS:,} reviews: full report (text, to a file)",
            full["full report: `run(fmt='text')` to a file"],
            2000.0,
            "ms",
            "HTML {:.0f} ms; {} runs".format(full["full report: `run(fmt='html')` to a file"], args.repeat),
        )
    )
    scaling[f"{N_CARDS}:{N_REVIEWS}"] = {"report": full["full report: `run(fmt='text')` to a file"]}
    res.tables["scaling"] = scaling
    res.write(args.json)
    if not args.record:
        return 0 if res.ok else 1
    machine = short_machine()
    RESULTS.write_text(
        "# Report benchmark (benchmarks/bench_report.py)\n\n"
        f"Synthetic collection of `bench_store.py`: {N_CARDS:,} cards (30 topics, 15% new), {N_REVIEWS:,} "
        "review-log rows spread over a year (study reviews only: no quiz, mock or generated answers).\n"
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {machine}; {args.repeat} repetitions unless shown as one run. "
        f"The HTML page is {html_kb:.0f} kB.\n\n"
        + table
        + "\n\nHow: the log is read in one `SELECT` of four `group_concat` columns (card id, time, a packed"
        " rating/source/seed/correct integer, duration) that NumPy parses (`np.fromstring`), instead of"
        " 1,000,000 Python rows; every statistic is then a NumPy pass (`argsort` by card and time for true"
        " retention, `searchsorted` against the study-day boundaries, `bincount` per topic).\n",
        encoding="utf-8",
    )
    return 0 if res.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
