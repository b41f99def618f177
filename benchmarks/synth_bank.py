"""A synthetic question bank in the shipped schema: the shipped questions copied under new ids.

    python benchmarks/synth_bank.py [--questions 10000] [--out DIR]

Copy ``k`` of every shipped file gets ids ending ``-x{k}`` (its ``follow_ups`` renamed alike) and a
prompt that names the copy, so every question is distinct; the last copy is cut to reach exactly
``--questions`` (follow-ups into the cut part are dropped, so the bank loads without problems). The
result is a folder to pass as ``--bank``; ``benchmarks/bench_bank.py`` builds it once under
``benchmarks/.work/`` (keyed by the shipped bank's bytes and this script's version).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from quizforge.bank.files import TOPICS_FILE  # noqa: E402
from quizforge.locations import shipped_bank_dir  # noqa: E402

VERSION = 1  # bump when the output changes


def shipped_files() -> list[Path]:
    return sorted(p for p in shipped_bank_dir().glob("*.yaml") if p.name != TOPICS_FILE)


def key(n_questions: int) -> str:
    h = hashlib.blake2b(f"{VERSION}\0{n_questions}".encode(), digest_size=8)
    for p in shipped_files():
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _renamed(q: dict[str, Any], k: int, keep: set[str] | None) -> dict[str, Any]:
    q = dict(q)
    q["id"] = f"{q['id']}-x{k}"
    if "follow_ups" in q:
        q["follow_ups"] = [f"{f}-x{k}" for f in q["follow_ups"] if keep is None or f in keep]
        if not q["follow_ups"]:
            del q["follow_ups"]
    prompt = q.get("prompt")
    if isinstance(prompt, dict):
        q["prompt"] = {lang: f"{text} [copy {k}]" for lang, text in prompt.items()}
    elif isinstance(prompt, str):
        q["prompt"] = f"{prompt} [copy {k}]"
    return q


def generate(out: Path, n_questions: int) -> tuple[int, int]:
    """Write the bank to ``out`` (replaced); returns (questions, bytes)."""
    docs = [(p, yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)) for p in shipped_files()]
    per_copy = sum(len(d["questions"]) for _, d in docs)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    written = size = 0
    k = 0
    while written < n_questions:
        room = n_questions - written
        keep: set[str] | None = None
        if room < per_copy:  # the last, partial copy: the first `room` questions in file order
            keep = set()
            for _, d in docs:
                for q in d["questions"]:
                    if len(keep) < room:
                        keep.add(q["id"])
        for path, doc in docs:
            qs = [_renamed(q, k, keep) for q in doc["questions"] if keep is None or q["id"] in keep]
            if not qs:
                continue
            body = {kk: v for kk, v in doc.items() if kk != "questions"} | {"questions": qs}
            text = yaml.dump(
                body, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=110, default_flow_style=None
            )
            target = out / f"c{k:03d}_{path.name}"
            target.write_text(f"# synthetic copy {k} of {path.name} (benchmarks/synth_bank.py)\n{text}", "utf-8")
            size += target.stat().st_size
            written += len(qs)
        k += 1
    return written, size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questions", type=int, default=10_000)
    ap.add_argument("--out", type=Path, default=HERE / ".work" / "bank-10000")
    args = ap.parse_args()
    n, size = generate(args.out, args.questions)
    print(f"wrote {n} questions, {size / 1e6:.1f} MB, to {args.out}")


if __name__ == "__main__":
    main()
