"""Numeric tutoring: name the mistake behind a wrong answer, and pick a re-check that exposes it.

It lives above the numeric engine and the grader (it parses and grades typed answers), beside the
generated kind that uses it.

A family's named mistakes (:func:`quizforge.numeric.base.mistake`) are functions of an instance's
params that return the answer the mistake produces. A wrong answer that equals one of them, within
the family's tolerance, is diagnosed as that mistake. A mistake whose answer happens to equal the
right one on an instance is never reported there: on that instance it is not a mistake at all.
"""

from __future__ import annotations

import contextlib
import zlib
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from quizforge.grading.parse import parse_answer
from quizforge.grading.tokens import AnswerParseError
from quizforge.grading.verdict import Verdict, grade
from quizforge.numeric.base import Answer, Instance, Mistake, answers_agree, get_family
from quizforge.text import Lang, Text

# A re-check seed is searched among this many candidates; families whose mistakes coincide with
# the right answer on most instances are rejected by the tests long before this matters.
_RECHECK_TRIES = 1000


def mistake_answer(instance: Instance, mistake: Mistake) -> Answer | None:
    """What ``mistake`` produces on ``instance``; ``None`` when it does not apply to the instance or
    produces the right answer there."""
    if mistake.applies is not None and not mistake.applies(instance.params):
        return None
    wrong = mistake.answer(instance.params)
    if answers_agree(instance.answer, wrong, instance.answer_kind, instance.tolerance):
        return None
    return wrong


def diagnose(instance: Instance, parsed_value: Any) -> tuple[Mistake, ...]:
    """The family's mistakes whose answer on ``instance`` equals ``parsed_value``.

    Args:
        instance: the question that was answered.
        parsed_value: the user's answer as the grader parsed it (``Parsed.value``).

    Returns:
        Every matching mistake, in the order the family declares them; empty when the answer is
        right, matches no mistake, or only matches mistakes that give the right answer here.
    """
    kind, tol = instance.answer_kind, instance.tolerance
    try:
        if answers_agree(instance.answer, parsed_value, kind, tol):
            return ()
    except (TypeError, ValueError):
        return ()
    found: list[Mistake] = []
    for m in get_family(instance.family).mistakes:
        wrong = mistake_answer(instance, m)
        if wrong is not None and answers_agree(wrong, parsed_value, kind, tol):
            found.append(m)
    return tuple(found)


def diagnose_text(instance: Instance, text: str) -> tuple[Mistake, ...]:
    """:func:`diagnose` for an answer as typed; unreadable text matches no mistake."""
    try:
        parsed = parse_answer(text, instance.answer_kind, n_choices=len(instance.choices) or None)
    except AnswerParseError:
        return ()
    return diagnose(instance, parsed.value)


def mistake_sentence(mistakes: tuple[Mistake, ...], lang: Lang | str) -> str:
    """ "Looks like you …" naming every diagnosed mistake and the solution step it breaks."""
    zh = lang == Lang.ZH
    parts = []
    for m in mistakes:
        if zh:
            parts.append(f"看起来是常见错误（解答第 {m.step} 步）：{m.text.zh}")
        else:
            parts.append(f"Looks like a common mistake (step {m.step} of the solution): {m.text.en}")
    return ("\n或者：" if zh else "\nOr: ").join(parts)


def grade_instance(instance: Instance, text: str, *, lang: Lang | str = Lang.EN) -> tuple[Verdict, tuple[Mistake, ...]]:
    """Grade ``text`` against ``instance`` and name the mistake behind a wrong answer.

    Returns:
        The verdict (its feedback ends with the mistake sentence when one was diagnosed) and the
        diagnosed mistakes.
    """
    verdict = grade(
        instance.answer,
        text,
        instance.answer_kind,
        instance.tolerance,
        lang=lang,
        n_choices=len(instance.choices) or None,
    )
    if verdict.correct:
        return verdict, ()
    mistakes = diagnose_text(instance, text)
    if mistakes:
        verdict = replace(verdict, feedback=f"{verdict.feedback}\n{mistake_sentence(mistakes, lang)}")
    return verdict, mistakes


def mistake_json(m: Mistake) -> dict[str, Any]:
    """A mistake as ``grade --json`` reports it: ``{"id", "text": {"en", "zh"}, "step"}``."""
    return {"id": m.id, "text": Text.to_dict(m.text), "step": m.step}


def targeted_recheck(family_name: str, mistake_id: str, seed: int, level: int | None = None) -> int:
    """A fresh seed whose instance makes ``mistake_id`` give a different answer from the right one.

    The seed is a deterministic function of the arguments (the same slip on the same question is
    followed up by the same re-check), and never ``seed`` itself.

    Raises:
        KeyError: no such family or mistake.
        ValueError: no candidate among the first tries separates the mistake.
    """
    fam = get_family(family_name)
    by_id = {m.id: m for m in fam.mistakes}
    if mistake_id not in by_id:
        raise KeyError(f"family {family_name!r} has no mistake {mistake_id!r}")
    m = by_id[mistake_id]
    lvl = fam.default_level if level is None else level
    rng = np.random.default_rng([seed, lvl, zlib.crc32(f"{family_name}/{mistake_id}".encode())])
    for candidate in rng.integers(0, 2**31 - 1, size=_RECHECK_TRIES):
        c = int(candidate)
        if c == seed:
            continue
        if mistake_answer(fam.generate(c, lvl), m) is not None:
            return c
    raise ValueError(f"no seed separates mistake {mistake_id!r} of {family_name!r} at level {lvl}")


SNIPPET_TIMEOUT = 60.0  # seconds: importing torch alone takes a few on a busy machine


@dataclass(frozen=True)
class SnippetRun:
    """What an instance's PyTorch snippet printed when run (:func:`run_torch_code`)."""

    stdout: str
    stderr: str
    returncode: int | None  # None: stopped at the timeout
    seconds: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_torch_code(code: str, timeout: float = SNIPPET_TIMEOUT) -> SnippetRun:
    """Run ``code`` in a child ``python -I -c`` (torch loads there, never in this process).

    The child gets its own session; at the timeout its whole process group is killed. Blocks until
    it ends: call it from a worker thread.
    """
    import os
    import signal
    import subprocess
    import sys
    import time

    start = time.monotonic()
    with subprocess.Popen(
        [sys.executable, "-I", "-c", code],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as child:
        try:
            out, err = child.communicate(timeout=timeout)
            code_ = child.returncode
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            out, err = child.communicate()
            code_ = None
    return SnippetRun(out, err, code_, time.monotonic() - start)
