"""Store and study-core timings on synthetic collections: 1k/10k, 10k/100k and 100k/1M cards/reviews.

    python benchmarks/bench_store.py [--sizes 1000:10000,10000:100000,100000:1000000] [--rebuild]
                                     [--repeat N] [--record] [--json FILE]

Each collection is built once (executemany in one transaction) and cached under ``benchmarks/.work/``,
keyed by its size and the schema; every run works on a fresh copy. Budgets (docs/architecture.md §8), judged on the
100,000-card / 1,000,000-review collection: building the day's queue < 20 ms, the next card < 10 ms,
saving a review < 1 ms, the dashboard counts < 10 ms; ``quizforge optimize`` on 100,000 reviews (the
10,000-card collection's whole log) < 5 s. The smaller sizes give the scaling table. Results are
printed and written to ``benchmarks/RESULTS-store.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import Budget, Results, median, p95, short_machine, timed, timing_table  # noqa: E402

from quizforge.bank import Bank, Kind, Question, Topic  # noqa: E402
from quizforge.bank.schema import Source  # noqa: E402
from quizforge.kinds.choice import ChoiceBody  # noqa: E402
from quizforge.store import Store  # noqa: E402
from quizforge.store.database import MIGRATIONS, schema_version  # noqa: E402
from quizforge.study.session import StudySession, counts, mastery  # noqa: E402
from quizforge.text import Text  # noqa: E402

N_CARDS = 100_000
N_REVIEWS = 1_000_000
SIZES = ((1_000, 10_000), (10_000, 100_000), (100_000, 1_000_000))
N_TOPICS = 30
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
WORK = Path(__file__).resolve().parent / ".work"
# keyed by the schema text too, so an edited index never benchmarks a stale cache
_SCHEMA_KEY = hashlib.sha1(
    "".join(m if isinstance(m, str) else inspect.getsource(m) for m in MIGRATIONS).encode()
).hexdigest()[:8]
_SUFFIX = f"-v{schema_version()}-{_SCHEMA_KEY}.db"
RESULTS = Path(__file__).resolve().parent / "RESULTS-store.md"
OPTIMIZE_BUDGET_MS = 5000.0


def cache_path(n_cards: int, n_reviews: int) -> Path:
    return WORK / f"store-{n_cards}-{n_reviews}{_SUFFIX}"


CACHE = cache_path(N_CARDS, N_REVIEWS)


def cached_store(n_cards: int, n_reviews: int, rebuild: bool = False) -> Path:
    """The cached collection of that size, built first if missing (stale schema versions are removed)."""
    WORK.mkdir(exist_ok=True)
    for stale in WORK.glob("store-*.db"):
        if not stale.name.endswith(_SUFFIX):
            stale.unlink()
    path = cache_path(n_cards, n_reviews)
    if rebuild or not path.exists():
        tmp = path.with_suffix(".building")
        build(tmp, n_cards, n_reviews)
        os.replace(tmp, path)
    return path


def iso_strings(seconds: np.ndarray) -> list[str]:
    text = np.datetime_as_string(seconds.astype("datetime64[us]"), unit="us")
    return [t + "+00:00" for t in text.tolist()]


def build(path: Path, n_cards: int = N_CARDS, n_reviews: int = N_REVIEWS) -> None:
    t0 = time.perf_counter()
    path.unlink(missing_ok=True)
    Store.open(path).close()
    rng = np.random.default_rng(0)
    now_us = int(NOW.timestamp() * 1e6)
    day = 86_400 * 1_000_000
    # 85% reviewed (mostly in Review, some (re)learning), 15% new
    reviewed = int(n_cards * 0.85)
    phase = np.zeros(n_cards, dtype=int)
    phase[:reviewed] = rng.choice([1, 2, 3], size=reviewed, p=[0.03, 0.94, 0.03])
    stability = rng.uniform(0.5, 200, n_cards)
    difficulty = rng.uniform(1, 10, n_cards)
    last = now_us - rng.integers(day, 120 * day, n_cards)
    due = last + (stability * day).astype(np.int64)
    reps = rng.integers(1, 25, n_cards)
    lapses = rng.integers(0, 5, n_cards)
    due_s, last_s = iso_strings(due), iso_strings(last)
    cards = []
    for i in range(n_cards):
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
    card_of = rng.integers(0, reviewed, n_reviews)
    at = now_us - rng.integers(day, 365 * day, n_reviews)  # every day of the past year; none yet today
    at_s = iso_strings(at)
    ratings = rng.choice([1, 2, 3, 4], size=n_reviews, p=[0.1, 0.1, 0.7, 0.1])
    r = random.Random(0)
    with Store.open(path) as store:
        device = store.device
    reviews = (
        (str(uuid.UUID(int=r.getrandbits(128), version=4)), f"q{card_of[k]:06d}", int(ratings[k]), at_s[k], "study",
         None, "", int(ratings[k] > 1), None, 8000, device, k + 1)
        for k in range(n_reviews)
    )  # fmt: skip
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO cards VALUES ({', '.join('?' * 14)})", cards)
    conn.executemany(
        "INSERT INTO review_log (id, card_id, rating, reviewed_at, source, seed, answer, correct, score, duration_ms, "
        "device, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        reviews,
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for extra in ("-wal", "-shm"):
        Path(str(path) + extra).unlink(missing_ok=True)
    print(f"built {path.name} in {time.perf_counter() - t0:.1f} s ({path.stat().st_size / 1e6:.0f} MB)")


def synthetic_bank(n_cards: int = N_CARDS) -> Bank:
    src = Source(Path("synthetic.yaml"), 1)
    choices = (Text("a"), Text("b"), Text("c"), Text("d"))
    questions = {}
    for i in range(n_cards):
        qid = f"q{i:06d}"
        questions[qid] = Question(
            qid, Kind.CHOICE, f"topic.{i % N_TOPICS}", 2, Text(qid), src, body=ChoiceBody(choices, (1,))
        )
    topics = {f"topic.{t}": Topic(f"topic.{t}", "synthetic", Text(f"topic {t}")) for t in range(N_TOPICS)}
    return Bank(topics=topics, questions=questions)


Row = tuple[str, list[float], float | None]

# the operations of the scaling table (and of Anki's, in bench_anki.py), by key
SCALING_OPS = {
    "queue": "build the day's queue",
    "next": "next card",
    "save": "save a review",
    "counts": "dashboard counts",
}


def measure(n_cards: int, n_reviews: int, repeat: int, rebuild: bool, full: bool) -> tuple[list[Row], dict[str, float]]:
    """Time the study core on a fresh copy of that collection; ``full`` adds the one-off rows."""
    src = cached_store(n_cards, n_reviews, rebuild)
    tmp = Path(tempfile.mkdtemp(prefix="qf-bench-"))
    rows: list[Row] = []
    try:
        db = tmp / "quizforge.db"
        shutil.copyfile(src, db)
        bank = synthetic_bank(n_cards)
        store = Store.open(db)
        clock_t = [NOW]

        def clock() -> datetime:
            return clock_t[0]

        t0 = time.perf_counter()
        session = StudySession(store, bank, now=clock, tz=UTC, rng=random.Random(0))
        rows.append(("open session, first run (bank sync + queue)", [(time.perf_counter() - t0) * 1000], None))
        t0 = time.perf_counter()
        session = StudySession(store, bank, now=clock, tz=UTC, rng=random.Random(0))
        rows.append(("open session, bank unchanged", [(time.perf_counter() - t0) * 1000], None))
        rows.append(("build the day's queue", timed(session.build_queue, repeat), 20.0))
        one_topic = StudySession(store, bank, now=clock, tz=UTC, topics=["topic.3"])
        rows.append(("build the day's queue, one topic", timed(one_topic.build_queue, repeat), 20.0))
        nxt, save = [], []
        for _ in range(repeat):
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
                timed(lambda: counts(store, settings, clock(), UTC), repeat),
                10.0,
            )
        )
        if full:
            rows.append(
                (
                    f"per-topic mastery (vectorised retrievability, {n_cards // 1000}k cards)",
                    timed(lambda: mastery(store, bank, settings, clock()), 5),
                    None,
                )
            )
            from quizforge.study.exchange import replay_cards

            rows.append(
                ("rebuild one card from the log", timed(lambda: replay_cards(store, ["q000123"]), repeat), None)
            )
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    by_name = {name: median(times) for name, times, _ in rows}
    scaling = {
        "queue": by_name["build the day's queue"],
        "next": by_name["next card"],
        "save": by_name["save a review (rate: FSRS + log row + card row, one transaction)"],
        "counts": by_name["dashboard counts (due, new, done, streak)"],
    }
    return rows, scaling


def measure_optimize(n_cards: int, n_reviews: int, rebuild: bool) -> tuple[float, float, int]:
    """``quizforge optimize`` as a process on a copy of that collection, and ``optimize()`` in-process (ms)."""
    from quizforge.study.optimize import optimize

    src = cached_store(n_cards, n_reviews, rebuild)
    tmp = Path(tempfile.mkdtemp(prefix="qf-bench-opt-"))
    try:
        shutil.copyfile(src, tmp / "quizforge.db")
        with Store.open(tmp / "quizforge.db") as store:
            t0 = time.perf_counter()
            fit = optimize(store)
            inproc = (time.perf_counter() - t0) * 1000
        shutil.copyfile(src, tmp / "quizforge.db")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        quizforge = str(Path(sys.executable).with_name("quizforge"))
        t0 = time.perf_counter()
        subprocess.run([quizforge, "--data-dir", str(tmp), "optimize"], env=env, capture_output=True, check=True)
        process = (time.perf_counter() - t0) * 1000
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return process, inproc, fit.items


def parse_sizes(text: str) -> list[tuple[int, int]]:
    return [(int(c), int(r)) for c, r in (part.split(":") for part in text.split(","))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=",".join(f"{c}:{r}" for c, r in SIZES), help="cards:reviews,...")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--repeat", type=int, default=50)
    ap.add_argument("--record", action="store_true", help="write benchmarks/RESULTS-store.md")
    ap.add_argument("--json", metavar="FILE", help="write the budgets measured as JSON (for run.py)")
    args = ap.parse_args()
    sizes = parse_sizes(args.sizes)
    biggest = max(sizes)
    scaling: dict[str, dict[str, float]] = {}
    rows: list[Row] = []
    for n_cards, n_reviews in sizes:
        size_rows, scaling[f"{n_cards}:{n_reviews}"] = measure(
            n_cards, n_reviews, args.repeat, args.rebuild, full=(n_cards, n_reviews) == biggest
        )
        if (n_cards, n_reviews) == biggest:
            rows = size_rows
    opt_size = (10_000, 100_000)
    opt_process, opt_inproc, opt_items = measure_optimize(*opt_size, args.rebuild)
    rows.append(
        (
            f"`quizforge optimize`, whole process, {opt_size[1] // 1000}k reviews ({opt_items} training items)",
            [opt_process],
            OPTIMIZE_BUDGET_MS,
        )
    )
    rows.append(("  optimize() in-process (read log, build items, fit, save)", [opt_inproc], None))

    res = Results("bench_store.py")
    label = f"{biggest[0] // 1000}k cards / {biggest[1]:,} reviews"
    by_name = {name: (times, target) for name, times, target in rows}
    for name, key, budget in (
        ("day's queue", "build the day's queue", 20.0),
        ("day's queue, one topic", "build the day's queue, one topic", 20.0),
        ("next card", "next card", 10.0),
        ("dashboard counts", "dashboard counts (due, new, done, streak)", 10.0),
        ("save a review", "save a review (rate: FSRS + log row + card row, one transaction)", 1.0),
    ):
        times, _ = by_name[key]
        res.budgets.append(Budget(f"{label}: {name}", median(times), budget, "ms", f"p95 {p95(times):.3f} ms"))
    res.budgets.append(
        Budget(
            f"`quizforge optimize` on {opt_size[1]:,} reviews (whole process)",
            opt_process,
            OPTIMIZE_BUDGET_MS,
            "ms",
            f"one run; optimize() itself {opt_inproc:.0f} ms, {opt_items} training items",
        )
    )
    res.tables["scaling"] = scaling
    res.write(args.json)

    table = timing_table(rows)
    sc_header = (
        "| operation | "
        + " | ".join(f"{int(k.split(':')[0]):,} cards / {int(k.split(':')[1]):,} reviews" for k in scaling)
        + " |"
    )
    sc_lines = [sc_header, "|---|" + "---:|" * len(scaling)]
    for key, name in SCALING_OPS.items():
        sc_lines.append(f"| {name} (ms) | " + " | ".join(f"{v[key]:.3f}" for v in scaling.values()) + " |")
    print(table + "\n\n" + "\n".join(sc_lines))
    if args.record:
        RESULTS.write_text(
            "# Store benchmark (benchmarks/bench_store.py)\n\n"
            f"Synthetic collection: {biggest[0]:,} cards ({N_TOPICS} topics, 15% new), "
            f"{biggest[1]:,} review-log rows.\n"
            f"Measured {datetime.now(UTC):%Y-%m-%d} on {short_machine()}; {args.repeat} repetitions unless shown as "
            "one run.\n\n" + table + "\n\n## Scaling (medians)\n\n" + "\n".join(sc_lines) + "\n",
            encoding="utf-8",
        )
    return 0 if res.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
