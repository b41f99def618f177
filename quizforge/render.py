"""Terminal rendering for the informational commands (topics, list, generate).

Rich tables on a terminal; tab-separated plain lines when stdout is a pipe, so scripts can ``cut`` them.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from quizforge.text import Text

if TYPE_CHECKING:
    from rich.console import Console

    from quizforge.bank.schema import Bank
    from quizforge.numeric.base import Instance

_HEAD = {
    "topic": Text("Topic", "主题"),
    "name": Text("Name", "名称"),
    "questions": Text("Questions", "题目数"),
    "kinds": Text("Concept / choice / numeric / generated", "概念 / 选择 / 数值 / 生成"),
    "id": Text("Id", "编号"),
    "kind": Text("Kind", "类型"),
    "diff": Text("Diff.", "难度"),
    "prompt": Text("Prompt", "题目"),
    "family": Text("Family", "题族"),
    "title": Text("What it asks", "内容"),
    "total": Text("Total", "合计"),
    "answer": Text("Answer", "答案"),
    "solution": Text("Worked solution", "解题过程"),
}


def _plain() -> bool:
    return not sys.stdout.isatty()


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def _one_line(s: str, limit: int = 0) -> str:
    s = " ".join(s.split())
    return s if not limit or len(s) <= limit else s[: limit - 1] + "…"


def print_topics(bank: Bank, lang: str) -> None:
    kinds = ("concept", "choice", "numeric", "generated")
    per_kind: dict[str, Counter[str]] = {t: Counter() for t in bank.topics}
    for q in bank:
        per_kind.setdefault(q.topic, Counter())[q.kind] += 1
    rows = [
        (tid, bank.topic_name(tid, lang), sum(c.values()), " / ".join(str(c[k]) for k in kinds))
        for tid, c in per_kind.items()
    ]
    if _plain():
        for tid, name, n, split in rows:
            print(f"{tid}\t{name}\t{n}\t{split}")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for key, justify in (("topic", "left"), ("name", "left"), ("questions", "right"), ("kinds", "right")):
        table.add_column(_HEAD[key].get(lang), justify=justify)  # type: ignore[arg-type]
    for tid, name, n, split in rows:
        table.add_row(tid, name, str(n) if n else "[red]0[/]", split)
    table.add_section()
    table.add_row(_HEAD["total"].get(lang), "", str(len(bank)), "")
    _console().print(table)


def print_questions(bank: Bank, lang: str, *, topics: Sequence[str] | None, kind: str | None) -> None:
    from quizforge.numeric.base import families

    fams = families()
    from quizforge.bank.schema import in_topics

    chosen = [q for q in bank if in_topics(q.topic, topics) and (not kind or q.kind == kind)]

    def prompt(q_prompt: Text, generator: str | None) -> str:
        if generator and generator in fams:
            return fams[generator].title.get(lang)
        return _one_line(q_prompt.get(lang))

    if _plain():
        for q in chosen:
            print(f"{q.id}\t{q.kind}\t{q.topic}\t{q.difficulty}\t{prompt(q.prompt, q.generator)}")
        return
    from rich.table import Table
    from rich.text import Text as RichText

    table = Table(box=None, pad_edge=False, expand=True)
    table.add_column(_HEAD["id"].get(lang), no_wrap=True, style="cyan")
    table.add_column(_HEAD["kind"].get(lang), no_wrap=True)
    table.add_column(_HEAD["diff"].get(lang), justify="right", no_wrap=True)
    table.add_column(_HEAD["prompt"].get(lang), ratio=1)
    for q in chosen:
        # bank text is data: wrap it so a formula like `a[l+2]` is never read as Rich markup
        table.add_row(q.id, q.kind, str(q.difficulty), RichText(prompt(q.prompt, q.generator)))
    _console().print(table)


def print_families(lang: str) -> None:
    from quizforge.numeric.base import families

    fams = sorted(families().values(), key=lambda f: (f.topic, f.name))
    if _plain():
        for f in fams:
            print(f"{f.name}\t{f.topic}\t{f.title.get(lang)}")
        return
    from rich.table import Table
    from rich.text import Text as RichText

    table = Table(box=None, pad_edge=False)
    table.add_column(_HEAD["family"].get(lang), style="cyan", no_wrap=True)
    table.add_column(_HEAD["topic"].get(lang), no_wrap=True)
    table.add_column(_HEAD["title"].get(lang))
    for f in fams:
        table.add_row(f.name, f.topic, RichText(f.title.get(lang)))
    _console().print(table)
    print(f"{len(fams)} families")


def format_answer(inst: Instance, lang: str) -> str:
    """The expected answer as a person would write it."""
    from quizforge.answer import AnswerKind
    from quizforge.grading.preview import format_expected

    def num(v: float) -> str:
        # as many digits as the family's tolerance needs: the shown answer always grades right
        return format_expected(float(v), inst.tolerance)

    a = inst.answer
    if inst.answer_kind == AnswerKind.CHOICE and isinstance(a, list):
        labels = "abcdefghi"
        picked = [int(i) for i in a if isinstance(i, (int, float))]
        return ", ".join(f"{labels[i]}) {inst.choices[i].get(lang)}" for i in picked)
    if inst.answer_kind == AnswerKind.SHAPE and isinstance(a, (tuple, list)):
        return "×".join(str(v) for v in a)
    if inst.answer_kind == AnswerKind.MATRIX and isinstance(a, list):
        return format_matrix(a, num=num)  # type: ignore[arg-type]
    if isinstance(a, (list, tuple)):
        return "[" + ", ".join(num(v) for v in a) + "]"  # type: ignore[arg-type]
    return num(a)


def answer_as_typed(inst: Instance) -> str:
    """The expected answer as a user would type it (``b,d`` for choices, ``1 2; 3 4`` for matrices)."""
    from quizforge.answer import AnswerKind

    if inst.answer_kind == AnswerKind.CHOICE and isinstance(inst.answer, list):
        return ",".join("abcdefghi"[int(i)] for i in inst.answer if isinstance(i, (int, float)))
    text = format_answer(inst, "en")
    if inst.answer_kind == AnswerKind.MATRIX:
        return "; ".join(" ".join(line.split()) for line in text.splitlines())
    return text


def format_matrix(
    rows: Sequence[Sequence[float]], indent: str = "    ", num: Callable[[float], str] | None = None
) -> str:
    """A matrix as right-aligned columns, one row per line (how the families print theirs)."""
    fmt = num or _num
    cells = [[fmt(v) for v in row] for row in rows]
    width = max((len(c) for row in cells for c in row), default=1)
    return "\n".join(indent + "  ".join(c.rjust(width) for c in row) for row in cells)


def _label(key: str, lang: str) -> str:
    """A heading followed by the colon of its language (``Answer:`` / ``答案：``)."""
    return _HEAD[key].get(lang) + ("：" if lang == "zh" else ":")


def _num(v: float) -> str:
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.6g}"


def print_instance(inst: Instance, lang: str) -> None:
    labels = "abcdefghi"
    lines = [inst.prompt.get(lang)]
    lines += [f"  {labels[i]}) {c.get(lang)}" for i, c in enumerate(inst.choices)]
    body = "\n".join(lines)
    if _plain():
        print(f"# {inst.family} (seed {inst.seed}, {inst.topic})\n{body}\n")
        print(f"{_label('answer', lang)}{_answer_block(inst, lang)}\n")
        print(f"{_label('solution', lang)}\n{inst.solution.get(lang)}\n")
        return
    from rich.panel import Panel
    from rich.text import Text as RichText

    console = _console()
    console.print(Panel(RichText(body), title=f"{inst.family} · seed {inst.seed}", subtitle=inst.topic, expand=False))
    console.print(f"[bold]{_label('answer', lang)}[/]", end="")
    console.print(_answer_block(inst, lang), markup=False)
    console.print(f"[bold]{_label('solution', lang)}[/]")
    console.print(inst.solution.get(lang) + "\n", markup=False)


def _answer_block(inst: Instance, lang: str) -> str:
    """The answer after its heading: on the same line, or below it for a matrix."""
    text = format_answer(inst, lang)
    return "\n" + text if "\n" in text else (" " if lang == "en" else "") + text
