"""How fast key points are suggested while an answer is typed (docs/keypoints.md).

    python benchmarks/bench_keypoints.py [--repeat N] [--record] [--json FILE]

A 2,000-character answer (English, and Chinese with English terms) to a card of the shipped bank, built
from the labelled answers of ``tests/fixtures/freetext/`` with typos put in. Measures one keystroke: the
suggestions for the answer with one more character, the card already prepared (a screen may re-match
on every keystroke; the budget is 5 ms of the whole keystroke, so the matcher should take a small part
of it), in CPU time of this thread, with the wall time beside it. Also the first answer on a card (its
preparation and the typo look-ups of a new answer) and the first call in a process (the synonyms file
and the stemmer loaded). Results are printed and written to ``benchmarks/RESULTS-keypoints.md``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import Results, short_machine, timing_table  # noqa: E402

from quizforge.kinds import load  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS-keypoints.md"
FIXTURES = ROOT / "tests" / "fixtures" / "freetext"
CARD = "norm-why-transformers-layernorm"
LENGTH = 2000
KEYSTROKE_BUDGET_MS = 1.0  # a fifth of the 5 ms keystroke


def long_answer(lang: str, rng: random.Random) -> str:
    """About LENGTH characters of answers from the labelled set, with a typo in every tenth word."""
    answers = [e["answer"] for e in yaml.safe_load((FIXTURES / f"answers_{lang}.yaml").read_text("utf-8"))]
    rng.shuffle(answers)
    words = " ".join(answers).split(" ")
    for i in range(0, len(words), 10):
        w = words[i]
        if len(w) > 4:
            j = rng.randrange(len(w) - 1)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)[:LENGTH]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=300, help="keystrokes timed (the last of the answer)")
    ap.add_argument("--record", action="store_true", help="write benchmarks/RESULTS-keypoints.md")
    ap.add_argument("--json", metavar="FILE", help="write the budgets measured as JSON (for run.py)")
    args = ap.parse_args()
    q = load().questions[CARD]
    points = q.body.key_points  # type: ignore[attr-defined]
    rng = random.Random(19)
    rows: list[tuple[str, list[float], float | None]] = []

    t0 = time.perf_counter()
    from quizforge.grading import keypoints

    keypoints.suggest(points, "warm-up: the first call in a process.", q.prompt)
    first_call = (time.perf_counter() - t0) * 1000

    for lang in ("en", "zh"):
        text = long_answer(lang, rng)
        assert len(text) == LENGTH, len(text)
        cold: list[float] = []
        for _ in range(max(5, args.repeat // 20)):
            keypoints._prepare.cache_clear()  # a card not seen yet: prepared, every typo looked up anew
            t = time.thread_time()
            keypoints.suggest(points, text, q.prompt)
            cold.append((time.thread_time() - t) * 1000)
        keystroke: list[float] = []
        wall: list[float] = []
        start = LENGTH - args.repeat
        keypoints.suggest(points, text[:start], q.prompt)
        for end in range(start + 1, LENGTH + 1):  # the last characters typed one by one
            t, w = time.thread_time(), time.perf_counter()
            keypoints.suggest(points, text[:end], q.prompt)
            keystroke.append((time.thread_time() - t) * 1000)
            wall.append((time.perf_counter() - w) * 1000)
        rows.append((f"one keystroke, {LENGTH}-character answer ({lang}), CPU", keystroke, KEYSTROKE_BUDGET_MS))
        rows.append((f"one keystroke, {LENGTH}-character answer ({lang}), wall", wall, None))
        rows.append((f"first answer on a card, {LENGTH} characters ({lang}), CPU", cold, None))

    res = Results("bench_keypoints.py")
    res.timing_budgets(rows)  # CPU time: on a shared machine the wall clock measures the neighbours
    res.write(args.json)
    text = (
        "# Key-point suggestions: speed\n\n"
        f"Machine: {short_machine()}. Card `{CARD}` ({len(points)} key points). "
        f"First call in a process (synonyms, stemmer, typo matcher loaded): {first_call:.1f} ms wall. "
        f"Load average {os.getloadavg()[0]:.1f}: CPU time (this thread) is what the budget is checked on.\n\n"
        + timing_table(rows)
    )
    print(text)
    if args.record:
        RESULTS.write_text(text, encoding="utf-8")
    return 0 if res.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
