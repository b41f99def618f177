"""The shipped bank's coverage rules (``quizforge validate`` runs them: see :mod:`quizforge.validation`)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from quizforge.bank.loader import Problem, display_path
from quizforge.bank.schema import Bank

MIN_QUESTIONS_PER_TOPIC = 8
MIN_CONCEPTS_PER_TOPIC = 4


def coverage_problems(bank: Bank, catalogue: Path) -> list[Problem]:
    """The shipped bank's coverage rules (issue 4): every topic has enough questions and concept cards.

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
    concepts = Counter(q.topic for q in bank if len(getattr(q.body, "key_points", ())) >= 3)
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
    return problems
