"""Store and study-core timings on a synthetic collection: 100,000 cards, 1,000,000 review rows.

    python benchmarks/bench_store.py [--rebuild] [--repeat N]

The collection is built once (executemany in one transaction) and cached under
``benchmarks/.work/``; every run works on a fresh copy of it. Targets (DESIGN §9): building the
day's queue < 20 ms, the next card < 10 ms, saving a review < 1 ms, the dashboard counts < 10 ms.
Results are printed as a table and written to ``benchmarks/RESULTS-store.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizforge.bank import Bank, Kind, Question, Topic  # noqa: E402
from quizforge.bank.schema import Source  # noqa: E402
from quizforge.store import Store  # noqa: E402
from quizforge.store.database import MIGRATIONS, schema_version  # noqa: E402
from quizforge.study.session import StudySession, counts, mastery  # noqa: E402
from quizforge.text import Text  # noqa: E402

N_CARDS = 100_000
N_REVIEWS = 1_000_000
N_TOPICS = 30
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
WORK = Path(__file__).resolve().parent / ".work"
# keyed by the schema text too, so an edited index never benchmarks a stale cache
_SCHEMA_KEY = hashlib.sha1("".join(MIGRATIONS).encode()).hexdigest()[:8]
CACHE = WORK / f"store-{N_CARDS}-{N_REVIEWS}-v{schema_version()}-{_SCHEMA_KEY}.db"
RESULTS = Path(__file__).resolve().parent / "RESULTS-store.md"


def iso_strings(seconds: np.ndarray) -> list[str]:
    text = np.datetime_as_string(seconds.astype("datetime64[us]"), unit="us")
    return [t + "+00:00" for t in text.tolist()]


def build(path: Path) -> None:
    t0 = time.perf_counter()
    path.unlink(missing_ok=True)
    Store.open(path).close()
    rng = np.random.default_rng(0)
    now_us = int(NOW.timestamp() * 1e6)
    day = 86_400 * 1_000_000
    # 85% reviewed (mostly in Review, some (re)learning), 15% new
    reviewed = int(N_CARDS * 0.85)
    phase = np.zeros(N_CARDS, dtype=int)
    phase[:reviewed] = rng.choice([1, 2, 3], size=reviewed, p=[0.03, 0.94, 0.03])
    stability = rng.uniform(0.5, 200, N_CARDS)
    difficulty = rng.uniform(1, 10, N_CARDS)
    last = now_us - rng.integers(day, 120 * day, N_CARDS)
    due = last + (stability * day).astype(np.int64)
    reps = rng.integers(1, 25, N_CARDS)
    lapses = rng.integers(0, 5, N_CARDS)
    due_s, last_s = iso_strings(due), iso_strings(last)
    cards = []
    for i in range(N_CARDS):
        new = phase[i] == 0
        cards.append(
            (
                f"q{i:06d}",
                f"topic.{i % N_TOPICS}",
                i,
                int(phase[i]),
                None if phase[i] in (0, 2) else 0,
                None if new else float(stability[i]),
                None if new else float(difficulty[i]),
                None if new else due_s[i],
                None if new else last_s[i],
                0 if new else int(reps[i]),
                0 if new else int(lapses[i]),
                0,
                int(rng.random() < 0.01),
                None,
            )
        )
    card_of = rng.integers(0, reviewed, N_REVIEWS)
    at = now_us - rng.integers(day, 365 * day, N_REVIEWS)  # every day of the past year; none yet today
    at_s = iso_strings(at)
    ratings = rng.choice([1, 2, 3, 4], size=N_REVIEWS, p=[0.1, 0.1, 0.7, 0.1])
    r = random.Random(0)
    reviews = (
        (str(uuid.UUID(int=r.getrandbits(128), version=4)), f"q{card_of[k]:06d}", int(ratings[k]), at_s[k], "study",
         None, "", int(ratings[k] > 1), None, 8000)
        for k in range(N_REVIEWS)
    )  # fmt: skip
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO cards VALUES ({', '.join('?' * 14)})", cards)
    conn.executemany(
        "INSERT INTO review_log (id, card_id, rating, reviewed_at, source, seed, answer, correct, score, duration_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        reviews,
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    print(f"built {path.name} in {time.perf_counter() - t0:.1f} s ({path.stat().st_size / 1e6:.0f} MB)")


def synthetic_bank() -> Bank:
    src = Source(Path("synthetic.yaml"), 1)
    choices = (Text("a"), Text("b"), Text("c"), Text("d"))
    questions = {}
    for i in range(N_CARDS):
        qid = f"q{i:06d}"
        questions[qid] = Question(
            qid, Kind.CHOICE, f"topic.{i % N_TOPICS}", 2, Text(qid), src, choices=choices, correct=(1,)
        )
    topics = {f"topic.{t}": Topic(f"topic.{t}", "synthetic", Text(f"topic {t}")) for t in range(N_TOPICS)}
    return Bank(topics=topics, questions=questions)


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()
    WORK.mkdir(exist_ok=True)
    for stale in WORK.glob("store-*.db"):
        if stale != CACHE:
            stale.unlink()
    if args.rebuild or not CACHE.exists():
        build(CACHE)
    tmp = Path(tempfile.mkdtemp(prefix="qf-bench-"))
    try:
        db = tmp / "quizforge.db"
        shutil.copyfile(CACHE, db)
        bank = synthetic_bank()
        store = Store.open(db)
        clock_t = [NOW]

        def clock() -> datetime:
            return clock_t[0]

        rows: list[tuple[str, list[float], float | None]] = []
        t0 = time.perf_counter()
        session = StudySession(store, bank, now=clock, tz=UTC, rng=random.Random(0))
        rows.append(
            ("open session, first run (bank sync of 100k questions + queue)", [(time.perf_counter() - t0) * 1000], None)
        )
        t0 = time.perf_counter()
        session = StudySession(store, bank, now=clock, tz=UTC, rng=random.Random(0))
        rows.append(("open session, bank unchanged", [(time.perf_counter() - t0) * 1000], None))
        rows.append(("build the day's queue", timed(session.build_queue, args.repeat), 20.0))
        one_topic = StudySession(store, bank, now=clock, tz=UTC, topics=["topic.3"])
        rows.append(("build the day's queue, one topic", timed(one_topic.build_queue, args.repeat), 20.0))
        nxt, save = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            p = session.next_card()
            nxt.append((time.perf_counter() - t0) * 1000)
            assert p is not None
            clock_t[0] += timedelta(seconds=10)
            session.submit("b")
            t0 = time.perf_counter()
            session.rate()
            save.append((time.perf_counter() - t0) * 1000)
        rows.append(("next card", nxt, 10.0))
        rows.append(("save a review (rate: FSRS + log row + card row, one transaction)", save, 1.0))
        settings = store.settings()
        rows.append(
            (
                "dashboard counts (due, new, done, streak)",
                timed(lambda: counts(store, settings, clock(), UTC), args.repeat),
                10.0,
            )
        )
        rows.append(
            (
                "per-topic mastery (vectorised retrievability, 100k cards)",
                timed(lambda: mastery(store, bank, settings, clock()), 5),
                None,
            )
        )
        from quizforge.study.exchange import replay_cards

        rows.append(
            ("rebuild one card from the log", timed(lambda: replay_cards(store, ["q000123"]), args.repeat), None)
        )
        from quizforge.study.optimize import fit_parameters, training_items

        sample = store.reviews()[:100_000]
        t0 = time.perf_counter()
        items = training_items(sample)
        fit_parameters(items)
        rows.append(
            (f"optimize: fit on 100k reviews ({len(items)} items)", [(time.perf_counter() - t0) * 1000], 5000.0)
        )
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    header = "| operation | median ms | p95 ms | target ms |\n|---|---:|---:|---:|"
    lines = []
    for name, times, target in rows:
        med = statistics.median(times)
        p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
        ok = "" if target is None else (f"< {target:g} ✓" if med < target else f"< {target:g} ✗")
        lines.append(f"| {name} | {med:.3f} | {p95:.3f} | {ok} |")
    table = header + "\n" + "\n".join(lines)
    print(table)
    machine = (
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )
    RESULTS.write_text(
        "# Store benchmark (benchmarks/bench_store.py)\n\n"
        f"Synthetic collection: {N_CARDS:,} cards ({N_TOPICS} topics, 15% new), {N_REVIEWS:,} review-log rows.\n"
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {machine}; {args.repeat} repetitions unless shown as one run.\n\n"
        + table
        + "\n"
    )


if __name__ == "__main__":
    main()
