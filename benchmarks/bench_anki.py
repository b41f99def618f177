"""The peer: the same study operations on Anki's own Rust backend (the ``anki`` package), FSRS on.

    python benchmarks/bench_anki.py [--sizes 1000:10000,...] [--repeat 50] [--record] [--json FILE]

For each size of ``bench_store.py`` this builds an Anki collection (``anki.collection.Collection``) with
that many Basic notes (one card each) in one deck, and the same mix of states as quizforge's synthetic
collection (15% new; of the rest 94% in review, 3% learning, 3% relearning; stability 0.5–200 days,
difficulty 1–10, last review 1–120 days ago, FSRS memory states stored on the cards) and that many
revlog rows over the past year (inserted with SQL). FSRS is switched on (``col.set_config("fsrs", True)``);
deck limits stay Anki's defaults (20 new, 200 reviews a day), which are quizforge's too, except that new
cards are not capped by the review limit (``newCardsIgnoreReviewLimit``), as in quizforge. Timed:

- queue build: ``col.sched.get_queued_cards(fetch_limit=1)`` just after a write that clears the backend's
  cached queues (what the reviewer asks for); also with ``fetch_limit`` = the whole queue;
- next card: ``get_queued_cards(fetch_limit=1)`` on the live queue + loading the ``Card``;
- answering a card: ``col.sched.build_answer`` + ``col.sched.answer_card`` (Good);
- counts: ``col.sched.deck_due_tree()`` (the deck list's due counts, computed from the database; the
  dashboard counts' analogue); ``col.sched.counts()`` on the cached queue is shown too.

Collections are cached under ``benchmarks/.work/`` per day (due dates are relative to "today") and each
run opens a fresh copy. Writes ``--json`` rows that ``run.py`` turns into quizforge/Anki ratios.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import date
from importlib import metadata
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import WORK, Results, median, p95, short_machine, timed  # noqa: E402

SIZES = ((1_000, 10_000), (10_000, 100_000), (100_000, 1_000_000))
DAY_S = 86_400
OPS = {
    "queue": "build the queue (get_queued_cards, fetch_limit=1, cold)",
    "queue_all": "build the queue, fetching every queued card",
    "next": "next card (get_queued_cards on the live queue + Card)",
    "save": "answer a card (build_answer + answer_card, Good)",
    "counts": "deck counts (deck_due_tree, from the database)",
    "counts_cached": "col.sched.counts() on the cached queue",
}


def anki_version() -> str:
    return metadata.version("anki")


BUILD_VERSION = 2  # bump when build() changes


def cache_path(n_cards: int, n_reviews: int) -> Path:
    stamp = f"{anki_version()}-b{BUILD_VERSION}-{date.today().isoformat()}"
    return WORK / f"anki-{n_cards}-{n_reviews}-{stamp}.anki2"


def build(path: Path, n_cards: int, n_reviews: int) -> None:
    from anki.collection import AddNoteRequest, Collection

    t0 = time.perf_counter()
    for extra in ("", "-wal", "-shm"):
        Path(str(path) + extra).unlink(missing_ok=True)
    col = Collection(str(path))
    basic = col.models.by_name("Basic")
    assert basic is not None
    deck_id = col.decks.id("Default")
    for lo in range(0, n_cards, 10_000):
        reqs = []
        for i in range(lo, min(n_cards, lo + 10_000)):
            note = col.new_note(basic)
            note["Front"] = f"q{i:06d}"
            note["Back"] = f"answer {i}"
            reqs.append(AddNoteRequest(note=note, deck_id=deck_id))
        col.add_notes(reqs)
    col.set_config("fsrs", True)
    # quizforge's day is 200 reviews + 20 new; Anki by default lets the review limit cap new cards too
    col.set_config("newCardsIgnoreReviewLimit", True)
    today = col.sched.today
    day_cutoff = col.sched.day_cutoff  # epoch seconds at which "today" ends
    col.close()

    rng = np.random.default_rng(0)
    now = int(time.time())
    today_start = day_cutoff - DAY_S
    conn = sqlite3.connect(path, isolation_level=None)
    # Anki's own collation (case-insensitive), needed to ANALYZE its tables outside Anki
    conn.create_collation("unicase", lambda a, b: (a.casefold() > b.casefold()) - (a.casefold() < b.casefold()))
    ids = [r[0] for r in conn.execute("SELECT id FROM cards ORDER BY id")]
    reviewed = int(n_cards * 0.85)
    phase = np.zeros(n_cards, dtype=int)  # 0 new, 1 learning, 2 review, 3 relearning (as bench_store.py)
    phase[:reviewed] = rng.choice([1, 2, 3], size=reviewed, p=[0.03, 0.94, 0.03])
    stability = rng.uniform(0.5, 200, n_cards)
    difficulty = rng.uniform(1, 10, n_cards)
    last = now - rng.integers(DAY_S, 120 * DAY_S, n_cards)
    due = last + (stability * DAY_S).astype(np.int64)
    reps = rng.integers(1, 25, n_cards)
    lapses = rng.integers(0, 5, n_cards)
    updates = []
    for i, cid in enumerate(ids):
        p = int(phase[i])
        if p == 0:
            updates.append((0, 0, i + 1, 0, 2500, 0, 0, 0, json.dumps({"pos": i + 1}), cid))
            continue
        data = json.dumps(
            {
                "s": round(float(stability[i]), 4),
                "d": round(float(difficulty[i]), 3),
                "dr": 0.9,
                "decay": 0.1542,
                "lrt": int(last[i]),
            }
        )
        ivl = max(1, round(float(stability[i])))
        if p == 2:  # review: due is a day number relative to the collection's creation
            due_day = today + (int(due[i]) - today_start) // DAY_S
            updates.append((2, 2, due_day, ivl, 2500, int(reps[i]), int(lapses[i]), 0, data, cid))
        else:  # (re)learning: due is an epoch timestamp
            updates.append((1 if p == 1 else 3, 1, int(due[i]), ivl, 2500, int(reps[i]), int(lapses[i]), 1, data, cid))
    conn.execute("BEGIN")
    conn.executemany(
        "UPDATE cards SET type=?, queue=?, due=?, ivl=?, factor=?, reps=?, lapses=?, left=?, data=? WHERE id=?",
        updates,
    )
    card_of = rng.integers(0, reviewed, n_reviews)
    at_ms = np.sort((now - rng.integers(DAY_S, 365 * DAY_S, n_reviews)) * 1000 + rng.integers(0, 1000, n_reviews))
    step = np.arange(n_reviews)
    at_ms = np.maximum.accumulate(at_ms - step) + step  # strictly increasing: revlog ids are unique
    ratings = rng.choice([1, 2, 3, 4], size=n_reviews, p=[0.1, 0.1, 0.7, 0.1])
    ivls = rng.integers(1, 200, n_reviews)
    card_ids = np.array(ids, dtype=np.int64)[card_of]
    conn.executemany(
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
        "VALUES (?, ?, 0, ?, ?, ?, 2500, 8000, 1)",
        zip(at_ms.tolist(), card_ids.tolist(), ratings.tolist(), ivls.tolist(), (ivls // 2).tolist(), strict=True),
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    print(f"built {path.name} in {time.perf_counter() - t0:.1f} s ({path.stat().st_size / 1e6:.0f} MB)", flush=True)


def cached(n_cards: int, n_reviews: int) -> Path:
    WORK.mkdir(exist_ok=True)
    path = cache_path(n_cards, n_reviews)
    for stale in WORK.glob(f"anki-{n_cards}-{n_reviews}-*.anki2"):
        if stale != path:
            stale.unlink()
    if not path.exists():
        tmp = path.with_name(path.name + ".building")
        build(tmp, n_cards, n_reviews)
        tmp.rename(path)
    return path


def measure(n_cards: int, n_reviews: int, repeat: int) -> dict[str, list[float]]:
    from anki.cards import Card
    from anki.collection import Collection
    from anki.scheduler.v3 import CardAnswer

    src = cached(n_cards, n_reviews)
    tmp = Path(tempfile.mkdtemp(prefix="qf-bench-anki-"))
    try:
        shutil.copyfile(src, tmp / "collection.anki2")
        col = Collection(str(tmp / "collection.anki2"))
        assert col.get_config("fsrs", False) is True, "FSRS is not on"
        sched = col.sched
        out: dict[str, list[float]] = {k: [] for k in OPS}
        sched.get_queued_cards(fetch_limit=1)  # warm the page cache and the backend
        queued = sched.get_queued_cards(fetch_limit=1)
        whole = queued.new_count + queued.learning_count + queued.review_count
        out["queued_new_learning_review"] = [queued.new_count, queued.learning_count, queued.review_count]
        for _ in range(repeat):
            col.db.execute("UPDATE col SET mod = mod")  # any write through the DB proxy clears the queues
            t0 = time.perf_counter()
            sched.get_queued_cards(fetch_limit=1)
            out["queue"].append((time.perf_counter() - t0) * 1000)
        for _ in range(max(5, repeat // 5)):
            col.db.execute("UPDATE col SET mod = mod")
            t0 = time.perf_counter()
            sched.get_queued_cards(fetch_limit=whole)
            out["queue_all"].append((time.perf_counter() - t0) * 1000)
        col.db.execute("UPDATE col SET mod = mod")
        sched.get_queued_cards(fetch_limit=1)
        fsrs_states = 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            q = sched.get_queued_cards(fetch_limit=1).cards[0]
            card = Card(col)
            card._load_from_backend_card(q.card)
            card.start_timer()
            out["next"].append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            sched.answer_card(sched.build_answer(card=card, states=q.states, rating=CardAnswer.GOOD))
            out["save"].append((time.perf_counter() - t0) * 1000)
            card.load()
            fsrs_states += card.memory_state is not None
        assert fsrs_states == repeat, "answered cards have no FSRS memory state: FSRS is not in use"
        out["counts"] = timed(sched.deck_due_tree, repeat)
        out["counts_cached"] = timed(sched.counts, repeat)
        col.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=",".join(f"{c}:{r}" for c, r in SIZES), help="cards:reviews,...")
    ap.add_argument("--repeat", type=int, default=50)
    ap.add_argument("--record", action="store_true", help="write benchmarks/RESULTS-anki.md")
    ap.add_argument("--json", metavar="FILE", help="write the timings as JSON (for run.py)")
    args = ap.parse_args()
    res = Results("bench_anki.py")
    try:
        import anki.collection  # noqa: F401
    except ImportError as exc:
        why = f"the anki package cannot be imported: {exc} (`pip install 'quizforge[bench]'` or `pip install anki`)"
        print(why)
        res.tables["anki"] = {"skipped": why}
        res.write(args.json)
        return 0
    sizes = [tuple(int(x) for x in part.split(":")) for part in args.sizes.split(",")]
    table: dict[str, dict[str, float]] = {}
    lines = [
        f"# Anki peer benchmark (anki {anki_version()}, FSRS on)",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {short_machine()}; {args.repeat} repetitions; medians (p95) in ms.",
        "",
        "| operation | " + " | ".join(f"{c:,} cards / {r:,} revlog" for c, r in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    per_size = {}
    for n_cards, n_reviews in sizes:
        samples = measure(n_cards, n_reviews, args.repeat)
        per_size[(n_cards, n_reviews)] = samples
        queued = samples.pop("queued_new_learning_review")
        table[f"{n_cards}:{n_reviews}"] = {k: median(v) for k, v in samples.items()} | {"queued": queued}
    for key, name in OPS.items():
        cells = [f"{median(s[key]):.3f} ({p95(s[key]):.3f})" for s in per_size.values()]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append(
        "| queued today: new / learning / review | "
        + " | ".join("{} / {} / {}".format(*t["queued"]) for t in table.values())
        + " |"
    )
    text = "\n".join(lines) + "\n"
    print(text)
    res.tables["anki"] = {"version": anki_version(), "sizes": table}
    res.write(args.json)
    if args.record:
        (HERE / "RESULTS-anki.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
