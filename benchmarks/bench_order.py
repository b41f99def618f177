"""What ordering new cards costs (study/order.py): the shipped bank and a 100,000-question bank.

    python benchmarks/bench_order.py [--repeat N] [--record] [--json FILE]

``order_new`` for a day of 20 new cards in each order: over the shipped bank with every card new (a
first day), and over a synthetic 100,000-question bank with 15 % of it new (the store benchmark's
collection: 30 topics, one area, one kind). Also the whole day's queue (``StudySession.build_queue``)
on a fresh store with the shipped bank. CPU time of this thread (the machine is shared); the queue's
budget is docs/architecture.md §8's 20 ms. Results are printed and written to
``benchmarks/RESULTS-order.md``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import Results, short_machine, timed, timing_table  # noqa: E402
from bench_store import synthetic_bank  # noqa: E402

from quizforge.kinds import load  # noqa: E402
from quizforge.store import Store  # noqa: E402
from quizforge.study.order import NewOrder, order_new  # noqa: E402
from quizforge.study.session import StudySession  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS-order.md"
QUEUE_BUDGET_MS = 20.0


def cpu_times(fn: Callable[[], object], repeat: int) -> list[float]:
    return timed(fn, repeat, time.thread_time)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--record", action="store_true", help="write benchmarks/RESULTS-order.md")
    ap.add_argument("--json", metavar="FILE", help="write the budgets measured as JSON (for run.py)")
    args = ap.parse_args()
    rows: list[tuple[str, list[float], float | None]] = []
    shipped = load()
    first_day = [(q.id, q.topic) for q in shipped]
    big = synthetic_bank(100_000)
    big_new = [(q.id, q.topic) for i, q in enumerate(big) if i % 7 == 0]  # ~15 % new, in bank order
    for order in NewOrder:
        rng = random.Random(1)
        rows.append(
            (
                f"order 20 new cards, {order.value}, shipped bank ({len(first_day)} new)",
                cpu_times(partial(order_new, first_day, 20, shipped, order, rng), args.repeat),
                None,
            )
        )
        rows.append(
            (
                f"order 20 new cards, {order.value}, 100k bank ({len(big_new)} new)",
                cpu_times(partial(order_new, big_new, 20, big, order, rng), args.repeat),
                QUEUE_BUDGET_MS,
            )
        )
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "q.db") as store:
        session = StudySession(store, shipped, rng=random.Random(0))
        rows.append(("the day's queue, shipped bank, fresh store", cpu_times(session.build_queue, args.repeat), 20.0))
    res = Results("bench_order.py")
    res.timing_budgets(rows)
    res.write(args.json)
    text = (
        "# New-card order: cost (benchmarks/bench_order.py)\n\n"
        f"Machine: {short_machine()}. Load average {os.getloadavg()[0]:.1f}; CPU time of this thread.\n\n"
        + timing_table(rows)
        + "\n"
    )
    print(text)
    if args.record:
        RESULTS.write_text(text, encoding="utf-8")
    return 0 if res.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
