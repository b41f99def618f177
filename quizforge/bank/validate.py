"""The shipped bank's coverage rules (``quizforge validate`` runs them: see :mod:`quizforge.validation`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from quizforge.bank.loader import Problem, display_path
from quizforge.bank.schema import Bank, Kind, Question

MIN_QUESTIONS_PER_TOPIC = 8
MIN_CONCEPTS_PER_TOPIC = 4
# The modern theory round (issues 15 and 16) asks more of each of its topics, wherever the catalogue has them.
PART2_TOPICS = frozenset(
    [
        "seq.rnn",
        "attn.attention",
        "attn.transformer",
        "attn.vit",
        "train.norms",
        "arch.blocks",
        "train.efficient",
        "train.losses",
        "train.metrics",
        "train.practice",
        "cv.detection",
        "cv.segmentation",
        "cnn.compute",
        "torch.practice",
    ]
)
PART2_MINIMUMS = {
    "questions": 18,
    "concept questions with 3–6 key points": 5,
    "choice questions": 3,
    "numeric or generated questions": 3,
}


def coverage_problems(bank: Bank, catalogue: Path) -> list[Problem]:
    """The shipped bank's coverage rules (issue 4): every topic has enough questions and concept cards;
    a catalogued topic of the modern theory round (``PART2_TOPICS``) must also meet ``PART2_MINIMUMS``.

    (That every generator family is used by a generated card is checked above the bank, in
    :mod:`quizforge.validation`, which knows the numeric engine.)"""
    from quizforge.bank.yamlsafe import MarkedDict, parse, read_text

    lines: dict[str, int] = {}
    try:
        data = parse(read_text(catalogue))
        if isinstance(data, MarkedDict):
            for item, mark in zip(data["topics"], data["topics"].item_marks, strict=True):
                lines[item.get("id")] = mark[0]
    except Exception:  # the catalogue's own problems are reported by the loader
        pass
    display = display_path(catalogue)
    problems = []
    counts = Counter(q.topic for q in bank)
    concepts = Counter(q.topic for q in bank if len(_key_points(q)) >= 3)
    for tid in bank.topics:
        where = (display, lines.get(tid, 1), 1, f"topics.{tid}")
        if counts[tid] < MIN_QUESTIONS_PER_TOPIC:
            problems.append(Problem(*where, f"{counts[tid]} questions; every topic needs ≥ {MIN_QUESTIONS_PER_TOPIC}"))
        if concepts[tid] < MIN_CONCEPTS_PER_TOPIC:
            problems.append(
                Problem(
                    *where,
                    f"{concepts[tid]} concept questions with key points; every topic needs ≥ {MIN_CONCEPTS_PER_TOPIC}",
                )
            )
        if tid in PART2_TOPICS:
            problems += [Problem(*where, msg) for msg in _part2_shortfalls([q for q in bank if q.topic == tid])]
    return problems


def _key_points(q: Question) -> tuple[object, ...]:
    return tuple(getattr(q.body, "key_points", ()))


def _part2_shortfalls(questions: Sequence[Question]) -> list[str]:
    """What a Part-2 topic with these questions lacks, one message per unmet minimum."""
    have = {
        "questions": len(questions),
        "concept questions with 3–6 key points": sum(
            q.kind == Kind.CONCEPT and 3 <= len(_key_points(q)) <= 6 for q in questions
        ),
        "choice questions": sum(q.kind == Kind.CHOICE for q in questions),
        "numeric or generated questions": sum(q.kind in (Kind.NUMERIC, Kind.GENERATED) for q in questions),
    }
    return [
        f"{have[what]} {what}; a Part-2 topic needs ≥ {least}"
        for what, least in PART2_MINIMUMS.items()
        if have[what] < least
    ]
