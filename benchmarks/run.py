"""Every docs/architecture.md §8 budget in one command (``make bench``): build what is needed, run, print one table.

    python benchmarks/run.py [--only NAME ...]

Runs each ``bench_*.py`` in its own process with ``--record --json``, gathers the budgets they measured
into one table (median, budget, PASS/FAIL), adds the scaling table (1k → 100k cards, 10k → 1M reviews)
and the quizforge/Anki ratios, prints them and writes ``benchmarks/RESULTS.md`` with the machine's
description. Synthetic stores, banks and Anki collections are cached under ``benchmarks/.work/``.
Byte-code is compiled first and ``PYTHONDONTWRITEBYTECODE`` is dropped for the children, so start-up
figures are not inflated by re-compiling our modules on every run. Each script's own output goes to
``benchmarks/.work/logs/``. Exit status 1 when any budget fails or a script fails.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import WORK, machine  # noqa: E402

ORDER = [
    "bench_startup.py",
    "bench_keystroke.py",
    "bench_numeric.py",
    "bench_bank.py",
    "bench_store.py",
    "bench_report.py",
    "bench_anki.py",
    "bench_judge.py",
    "bench_keypoints.py",
    "bench_order.py",
]
SIZE_LABEL = {"1000:10000": "1k / 10k", "10000:100000": "10k / 100k", "100000:1000000": "100k / 1M"}
SCALING_ROWS = {
    "queue": "build the day's queue",
    "next": "next card",
    "save": "save a review",
    "counts": "dashboard counts",
    "report": "full report (text)",
}
# quizforge operation -> the Anki operation it is compared with
PEER = {
    "queue": ("queue", "day's queue / `get_queued_cards(fetch_limit=1)` from cold"),
    "next": ("next", "next card / `get_queued_cards` on the live queue + `Card`"),
    "save": ("save", "save a review / `build_answer` + `answer_card`"),
    "counts": ("counts", "dashboard counts / `deck_due_tree()`"),
}


def fmt_value(value: float, unit: str) -> str:
    if unit == "":
        return "yes" if value == 0 else "no"
    if unit == "×":
        return f"{value:.2f}×"
    if unit == "s":
        return f"{value:.3f} s"
    if value >= 100:
        return f"{value:.0f} ms"
    if value >= 1:
        return f"{value:.2f} ms"
    return f"{value:.3f} ms"


def fmt_budget(b: dict[str, Any]) -> str:
    if b["unit"] == "":
        return "yes"
    if b["unit"] == "×":
        return f"≤ {b['budget']:g}×"
    return f"< {b['budget']:g} {b['unit']}"


def run_scripts(names: list[str], env: dict[str, str]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    out_dir = WORK / "results"
    logs = WORK / "logs"
    out_dir.mkdir(parents=True, exist_ok=True)
    logs.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, Any]] = {}
    failed: list[str] = []
    for name in names:
        target = out_dir / (name.removesuffix(".py") + ".json")
        target.unlink(missing_ok=True)
        log = logs / (name.removesuffix(".py") + ".log")
        print(f"== {name} ", end="", flush=True)
        t0 = time.perf_counter()
        with log.open("w", encoding="utf-8") as fh:
            rc = subprocess.run(
                [sys.executable, str(HERE / name), "--record", "--json", str(target)],
                env=env,
                stdout=fh,
                stderr=subprocess.STDOUT,
            ).returncode
        print(f"({time.perf_counter() - t0:.0f} s, log: {log.relative_to(HERE.parent)})", flush=True)
        if target.exists():
            results[name] = json.loads(target.read_text(encoding="utf-8"))
        if not target.exists() or (rc and not any(not b["passed"] for b in results[name]["budgets"])):
            failed.append(name)
            print(f"   {name} failed (exit {rc}); its log ends:")
            print("   " + "\n   ".join(log.read_text(encoding="utf-8").splitlines()[-15:]))
    return results, failed


def budget_table(results: dict[str, dict[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    rows = [b for name in ORDER if name in results for b in results[name]["budgets"]]
    rows.sort(key=lambda b: "optimize" in b["name"])  # the order of docs/architecture.md §8: optimize last
    lines = ["| budget (docs/architecture.md §8) | measured | budget | result | notes |", "|---|---:|---:|:---:|---|"]
    for b in rows:
        verdict = "PASS" if b["passed"] else "**FAIL**"
        lines.append(
            f"| {b['name']} | {fmt_value(b['measured'], b['unit'])} | {fmt_budget(b)} | {verdict} | {b['note']} |"
        )
    return lines, rows


def scaling_table(results: dict[str, dict[str, Any]]) -> list[str]:
    merged: dict[str, dict[str, float]] = {}
    for name in ("bench_store.py", "bench_report.py"):
        for size, ops in results.get(name, {}).get("tables", {}).get("scaling", {}).items():
            merged.setdefault(size, {}).update(ops)
    if not merged:
        return []
    sizes = sorted(merged, key=lambda s: int(s.split(":")[0]))
    lines = [
        "| operation (median ms) | "
        + " | ".join(SIZE_LABEL.get(s, s) for s in sizes)
        + " | growth, smallest → largest |",
        "|---|" + "---:|" * (len(sizes) + 1),
    ]
    for key, label in SCALING_ROWS.items():
        vals = [merged[s].get(key) for s in sizes]
        if any(v is None for v in vals):
            continue
        growth = vals[-1] / vals[0] if vals[0] else float("nan")
        lines.append(f"| {label} | " + " | ".join(f"{v:.3f}" for v in vals) + f" | ×{growth:.1f} |")
    return lines


def peer_table(results: dict[str, dict[str, Any]]) -> list[str]:
    anki = results.get("bench_anki.py", {}).get("tables", {}).get("anki")
    store = results.get("bench_store.py", {}).get("tables", {}).get("scaling")
    if not anki or not store:
        return ["(the Anki comparison did not run)"]
    if "skipped" in anki:
        return [f"Skipped: {anki['skipped']}"]
    sizes = [s for s in sorted(anki["sizes"], key=lambda s: int(s.split(":")[0])) if s in store]
    lines = [
        "| quizforge / Anki operation | "
        + " | ".join(f"{SIZE_LABEL.get(s, s)}: quizforge · Anki ms → ratio" for s in sizes)
        + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for ours, (theirs, label) in PEER.items():
        cells = []
        for s in sizes:
            q, a = store[s][ours], anki["sizes"][s][theirs]
            cells.append(f"{q:.3f} · {a:.3f} → **{q / a:.2f}**")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    extra = []
    for s in sizes:
        t = anki["sizes"][s]
        extra.append(
            f"{SIZE_LABEL.get(s, s)}: queued {t['queued'][0]} new / {t['queued'][1]} learning / {t['queued'][2]} "
            f"review; fetching the whole queue {t['queue_all']:.2f} ms; `counts()` on the cached queue "
            f"{t['counts_cached']:.3f} ms"
        )
    lines += ["", f"Anki {anki['version']} (Rust backend), FSRS on. " + "; ".join(extra) + "."]
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", metavar="NAME", help="run only these scripts (e.g. bench_bank.py)")
    args = ap.parse_args()
    started = time.perf_counter()
    compileall.compile_dir(HERE.parent / "quizforge", quiet=1)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    names = [n for n in ORDER if not args.only or n in args.only]
    results, failed = run_scripts(names, env)
    table, rows = budget_table(results)
    scaling = scaling_table(results)
    peer = peer_table(results)
    n_fail = sum(not b["passed"] for b in rows)
    elapsed = time.perf_counter() - started
    summary = f"{len(rows) - n_fail} of {len(rows)} budgets pass" + (f"; {n_fail} FAIL" if n_fail else "")
    if failed:
        summary += f"; scripts that failed: {', '.join(failed)}"
    print()
    print("\n".join(table))
    print()
    print(summary)
    if scaling:
        print("\nScaling (cards / reviews):\n" + "\n".join(scaling))
    print("\nPeer, quizforge ÷ Anki (below 1: quizforge faster):\n" + "\n".join(peer))
    print(f"\nmake bench took {elapsed:.0f} s")

    if not args.only:
        m = machine()
        doc = [
            "# Benchmarks against the docs/architecture.md §8 budgets",
            "",
            f"Recorded {time.strftime('%Y-%m-%d %H:%M %Z')} by `make bench` (`benchmarks/run.py`), "
            f"which took {elapsed:.0f} s. {summary}.",
            "",
            "## Machine",
            "",
            "| | |",
            "|---|---|",
            *(f"| {k} | {v} |" for k, v in m.items()),
            "",
            "## Budgets",
            "",
            "Medians unless the notes say otherwise. Start-up is measured against an empty Textual app in the "
            "same run, in 80×24 pseudo-terminals, with compiled byte-code.",
            "",
            *table,
            "",
            "## Scaling",
            "",
            "The same operations on `bench_store.py`'s synthetic collections of 1k cards / 10k reviews, "
            "10k / 100k and 100k / 1M (the 100k/1M row is the budgeted one above).",
            "",
            *scaling,
            "",
            "## Peer: Anki's backend",
            "",
            "`bench_anki.py` builds Anki collections of the same sizes (Basic notes, one deck, the same mix of "
            "states and a revlog of the same length) and times the same operations in the same run. "
            "Ratios are quizforge ÷ Anki: below 1 quizforge is faster.",
            "",
            *peer,
            "",
            "## Notes",
            "",
            "- The `--help` wall-time bound (0.5 s) is ours; the budget asks only that `--help` load neither torch "
            "nor textual, checked in `sys.modules` of a subprocess.",
            "- The 10,000-question bank is the shipped questions copied under new ids (`synth_bank.py`); they "
            "average ~1.9 kB each, so it is ~19 MB rather than the 12 MB the budget assumed. "
            "The shipped bank is loaded too.",
            "- Anki's queue holds every due intraday-learning card (1,536 at 100k) besides 200 reviews + 20 new; "
            "quizforge keeps learning cards apart and reads due cards through an index with a `LIMIT`, which is "
            "why its queue build barely grows. Anki's answer includes its undo entry and load balancer "
            "(defaults). The Anki figures the budgets were first set against (9 ms queue, 0.05 ms answer) "
            "were not reproduced on this run's collections; the table shows what this run measured.",
            "",
            "Each script's own table: `RESULTS-startup.md`, `RESULTS-numeric.md`, `RESULTS-bank.md`, "
            "`RESULTS-store.md`, `RESULTS-report.md`, `RESULTS-anki.md`.",
            "",
        ]
        (HERE / "RESULTS.md").write_text("\n".join(doc), encoding="utf-8")
    return 1 if (n_fail or failed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
