"""``quizforge validate``: schema problems, coverage rules and a run of every generator family."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from quizforge.bank import standalone
from quizforge.bank.files import TOPICS_FILE, bank_files
from quizforge.bank.loader import Problem, display_path, load_bank
from quizforge.bank.schema import Bank, Kind
from quizforge.locations import shipped_bank_dir

MIN_QUESTIONS_PER_TOPIC = 8
MIN_CONCEPTS_PER_TOPIC = 4
FAMILY_SEEDS = 25
TORCH_SEEDS = 50


def coverage_problems(bank: Bank, catalogue: Path) -> list[Problem]:
    """The shipped bank's coverage rules (issue 4): every topic has enough questions and concept cards,
    and every generator family is used by a generated card."""
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
    concepts = Counter(q.topic for q in bank if q.kind == Kind.CONCEPT and len(q.key_points) >= 3)
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
    from quizforge.numeric.base import families

    used = {q.generator for q in bank if q.generator}
    for name in sorted(set(families()) - used):
        problems.append(
            Problem(
                display,
                1,
                1,
                f"generators.{name}",
                f"no generated card uses this family; add `kind: generated` with `generator: {name}`",
            )
        )
    return problems


def family_problems(names: Sequence[str], *, torch: bool) -> list[Problem]:
    """Run each family on many seeds: it must produce a complete bilingual instance; with ``torch``
    its answer must also match the torch oracle."""
    from quizforge.numeric.base import answers_agree, get_family

    oracles = {}
    if torch:
        from quizforge.numeric.oracle import oracles as load_oracles

        oracles = load_oracles()
    problems = []
    for name in names:
        fam = get_family(name)
        where = f"quizforge/numeric/families ({name})"
        if torch and name not in oracles:
            problems.append(Problem(where, 0, 0, f"generators.{name}", "no torch oracle"))
        for seed in range(TORCH_SEEDS if torch else FAMILY_SEEDS):
            try:
                inst = fam.generate(seed)
            except Exception as exc:  # a family bug: report it, keep checking the others
                problems.append(Problem(where, 0, 0, f"generators.{name}", f"seed {seed}: {exc!r}"))
                break
            for label, text in (("prompt", inst.prompt), ("solution", inst.solution)):
                if not (text.en.strip() and text.zh.strip()):
                    problems.append(
                        Problem(where, 0, 0, f"generators.{name}.{label}", f"seed {seed}: needs both languages")
                    )
            if torch and name in oracles:
                expected = oracles[name](inst.params)
                if not answers_agree(inst.answer, expected, inst.answer_kind, inst.tolerance):
                    problems.append(
                        Problem(
                            where,
                            0,
                            0,
                            f"generators.{name}",
                            f"seed {seed}: torch says {expected!r}, NumPy {inst.answer!r}",
                        )
                    )
                    break
    return problems


def validate(
    paths: Sequence[Path],
    *,
    extra_banks: Sequence[Path] = (),
    strict: bool | None = None,
    torch: bool = False,
    out: TextIO | None = None,
) -> int:
    """Check bank files and print one line per problem, then a summary. Returns the exit code."""
    out = out if out is not None else sys.stdout  # looked up now: a default would bind the first stdout
    from quizforge.numeric.base import families

    shipped = shipped_bank_dir().resolve()
    whole_shipped = not paths or any(p.resolve() == shipped for p in paths)
    targets = list(paths) or [shipped, *extra_banks]
    if strict is None:
        strict = whole_shipped
    catalogue = shipped / TOPICS_FILE
    known = families()
    bank, problems = load_bank(targets, strict=strict, topic_catalogues=[catalogue], known_generators=known)
    problems += standalone.problems(bank)
    if strict:
        if whole_shipped:
            problems += coverage_problems(bank, catalogue)
        used = sorted({q.generator for q in bank if q.generator})
        problems += family_problems(used if not whole_shipped else sorted(known), torch=torch)
    for problem in problems:
        print(problem, file=out)
    n_files = len([f for f in bank_files(targets) if f.name != TOPICS_FILE])
    if problems:
        print(f"{len(problems)} problem{'s' * (len(problems) != 1)} in {n_files} files", file=out)
        return 1
    topics = len({q.topic for q in bank})
    print(
        f"{len(bank)} questions in {n_files} files, {topics} topics"
        + (f", {len(known)} generator families checked" if strict else ""),
        file=out,
    )
    return 0
