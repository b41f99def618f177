"""``quizforge validate``: schema problems, coverage rules and a run of every generator family.

This sits above the bank and the numeric engine: it loads bank files with every kind registered and
runs the engine (and, with ``--torch``, torch) over the families the bank uses.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

import quizforge.kinds  # noqa: F401 - registers the question kinds the loader reads
from quizforge.bank import standalone
from quizforge.bank.files import TOPICS_FILE, bank_files
from quizforge.bank.loader import Problem, display_path, load_bank
from quizforge.bank.schema import Bank
from quizforge.bank.validate import coverage_problems
from quizforge.locations import shipped_bank_dir
from quizforge.numeric.base import families

FAMILY_SEEDS = 25
TORCH_SEEDS = 50


def unused_family_problems(bank: Bank, catalogue: Path, known: Iterable[str]) -> list[Problem]:
    """One problem per generator family in ``known`` that no card of ``bank`` uses."""
    used = {q.generator for q in bank if q.generator}
    return [
        Problem(
            display_path(catalogue),
            1,
            1,
            f"generators.{name}",
            f"no generated card uses this family; add `kind: generated` with `generator: {name}`",
        )
        for name in sorted(set(known) - used)
    ]


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
            problems += unused_family_problems(bank, catalogue, known)
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
