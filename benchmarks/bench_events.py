"""The event log's timings: export and import of a million events, and sync through a folder.

    python benchmarks/bench_events.py [--repeat N] [--record] [--json FILE]

Works on a copy of ``bench_store.py``'s cached 100,000-card / 1,000,000-review collection (built
first if missing) with 20,000 other events added (suspensions, buries, settings, mock results,
drill attempts). Measures ``export_jsonl`` to a file, ``import_jsonl`` of that file into an empty
data dir (the whole file checked, merged in one transaction, every card replayed), the first sync of
the whole log into an empty folder, the same log arriving at a second device by sync, and a sync with
nothing new to do (target < 50 ms; also as a whole ``quizforge sync`` process). Results are printed
and written to ``benchmarks/RESULTS-events.md``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import Results, short_machine, timed, timing_table  # noqa: E402
from bench_store import N_CARDS, N_REVIEWS, cached_store  # noqa: E402

from quizforge.store import Event, Store, iso  # noqa: E402
from quizforge.store.models import EventKind  # noqa: E402
from quizforge.study.exchange import export_jsonl, import_jsonl  # noqa: E402
from quizforge.study.sync import sync  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS-events.md"
N_OTHER = 20_000
NOOP_BUDGET_MS = 50.0
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def other_events(device: str) -> list[Event]:
    """Suspensions, buries, settings, mock results and drill attempts, spread over the cards."""
    out: list[Event] = []
    for i in range(N_OTHER):
        at = T0 + timedelta(minutes=i)
        card = f"q{(i * 7919) % N_CARDS:06d}"
        kind = i % 5
        if kind == 0:
            e = (EventKind.SUSPEND, card, {"suspended": i % 10 == 0})
        elif kind == 1:
            e = (EventKind.BURY, card, {"until": iso(at + timedelta(days=1))})
        elif kind == 2:
            e = (EventKind.SETTING, "new_per_day", {"value": 10 + i % 20})
        elif kind == 3:
            mid = str(uuid.UUID(int=i // 5 % 500 + 1))
            details = {"questions": [card], "answers": ["x"]}
            e = (EventKind.MOCK_RESULT, mid, {"started_at": iso(at), "finished_at": iso(at), "score": 0.5,
                                              "details": details})  # fmt: skip
        else:
            e = (EventKind.DRILL_ATTEMPT, card, {"passed": True, "seconds": 42})
        out.append(Event(str(uuid.UUID(int=(1 << 100) + i)), e[0], e[1], at, device, e[2]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--record", action="store_true", help="write benchmarks/RESULTS-events.md")
    ap.add_argument("--json", metavar="FILE", help="write the budgets measured as JSON (for run.py)")
    args = ap.parse_args()
    src = cached_store(N_CARDS, N_REVIEWS)
    tmp = Path(tempfile.mkdtemp(prefix="qf-bench-events-"))
    rows: list[tuple[str, list[float], float | None]] = []
    cpu: dict[str, float] = {}  # this process's CPU seconds per one-off row: on a shared machine, wall time lies

    class Clock:
        def __enter__(self) -> Clock:
            self.wall, self.cpu = time.perf_counter(), time.process_time()
            return self

        def done(self, name: str) -> None:
            rows.append((name, [(time.perf_counter() - self.wall) * 1000], None))
            cpu[name] = time.process_time() - self.cpu

        def __exit__(self, *exc: object) -> None:
            pass

    try:
        a_dir, b_dir, c_dir, folder = tmp / "a", tmp / "b", tmp / "c", tmp / "shared"
        for d in (a_dir, b_dir, c_dir, folder):
            d.mkdir()
        shutil.copyfile(src, a_dir / "quizforge.db")
        with Store.open(a_dir / "quizforge.db") as a:
            a.merge([], other_events(a.device))
            n_events = a.review_count() + a.event_count()
            file = tmp / "all.jsonl"
            with Clock() as clock, file.open("w", encoding="utf-8") as f:
                export_jsonl(a, f)
            clock.done(f"export {n_events:,} events to a file")
        size_mb = file.stat().st_size / 1e6
        with Store.open(b_dir / "quizforge.db") as b:
            with Clock() as clock:
                summary = import_jsonl(b, file)
            clock.done(f"import them into an empty data dir ({summary.cards_replayed:,} cards replayed)")
        with Store.open(a_dir / "quizforge.db") as a:
            with Clock() as clock:
                sent = sync(a, folder).sent
            clock.done(f"first sync: send {sent:,} events to an empty folder")
        with Store.open(c_dir / "quizforge.db") as c:
            with Clock() as clock:
                sync(c, folder)
            clock.done("first sync of a second device: receive them all (every card replayed)")
            c.add_event(EventKind.DRILL_ATTEMPT, "q000001", {"passed": False})
            sync(c, folder)
        with Store.open(a_dir / "quizforge.db") as a:
            sync(a, folder)  # the second device's line
            noop = timed(lambda: sync(a, folder), args.repeat)
            rows.append(("sync with nothing new (2 device files, 1M events known)", noop, NOOP_BUDGET_MS))
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        quizforge = str(Path(sys.executable).with_name("quizforge"))
        proc = []
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run(
                [quizforge, "--data-dir", str(a_dir), "sync", str(folder)], env=env, capture_output=True, check=True
            )
            proc.append((time.perf_counter() - t0) * 1000)
        rows.append(("`quizforge sync` with nothing new, whole process", proc, None))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    res = Results("bench_events.py")
    res.timing_budgets(rows)
    res.write(args.json)
    text = (
        "# Event log benchmark (benchmarks/bench_events.py)\n\n"
        f"Collection: {N_CARDS:,} cards, {N_REVIEWS:,} reviews and {N_OTHER:,} other events; the export file "
        f"is {size_mb:.0f} MB.\nMeasured {datetime.now(UTC):%Y-%m-%d} on {short_machine()}; "
        f"{args.repeat} repetitions for the no-op sync, 5 for the process, one run otherwise.\n\n"
        + timing_table(rows)
        + "\n\nCPU time of this process for the one-off rows (the machine is shared; wall time includes waiting):\n\n"
        + "\n".join(f"- {name}: {seconds:.1f} s CPU" for name, seconds in cpu.items())
        + "\n"
    )
    print(text)
    if args.record:
        RESULTS.write_text(text, encoding="utf-8")
    return 0 if res.ok else 1


if __name__ == "__main__":
    sys.exit(main())
