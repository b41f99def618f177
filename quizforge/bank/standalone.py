"""Prompts that lean on another card.

Study, quizzes, mock interviews and the Anki deck all show a card on its own, follow-ups included, so a
prompt may never depend on a card shown before it ("For the same A…", "上题中…", "还是这个网络…"). These
are pure text rules, in both languages:

- an opening that only makes sense as a continuation ("Same …", "For the same …", "Again, …",
  "同样…", "还是…", "接上题…");
- a reference to another card anywhere ("as above", "the previous question", "上一题", "如上");
- a demonstrative noun ("that layer", "the same network", "这一层", "该网络") whose noun the prompt has
  not named before it: the thing referred to lives on another card.

Technical phrases stay legal: "same padding", "What is the same and what changed?", "卷积层还是全连接层"
("or"), "that layer" after the prompt described a layer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from quizforge.bank.loader import Problem, display_path
from quizforge.bank.schema import Question

# Openings that continue an earlier card. "Same padding" / "same convolution" are technical terms.
_OPENING_EN = re.compile(
    r"^(?:(?:for|with|using|on|in|keeping)\s+)?(?:the\s+)?same\b(?!\s+(?:padding|convolution|conv)\b)"
    r"|^(?:again|also|continuing|as before|still)\b",
    re.IGNORECASE,
)
_ANYWHERE_EN = re.compile(
    r"\bas (?:above|before)\b|\bthe one above\b|\babove (?:question|card|example|problem)\b"
    r"|\b(?:previous|preceding|last|earlier) (?:question|card|answer|example|problem|exercise)\b",
    re.IGNORECASE,
)
# Nouns a card's setting is made of; "that <noun>" / "the same <noun>" points back at one.
_NOUNS_EN = (
    "layer|network|net|model|block|matrix|setup|set-up|problem|example|question|kernel|filter|input|"
    "tensor|image|batch|configuration|numbers|values|data|function|vector|box|boxes|map"
)
_DEMONSTRATIVE_EN = re.compile(
    rf"\b(?:that|those|this same|these same|(?:for|with|using|on|in|keeping) the same)\s+(?P<noun>{_NOUNS_EN})\b"
    r"(?!\s+as\b)",
    re.IGNORECASE,
)

_OPENING_ZH = re.compile(r"^(?:同样|同一个?|同上|接上题|承上|还是|仍然|仍是|继续|沿用|依然)")
_ANYWHERE_ZH = re.compile(
    r"上一题|上题|前一题|同上|如上|上面(?:的|那)(?:题|道题|个例子|例子)|前面(?:那|的)(?:道题|一题|个例子)"
)
_NOUNS_ZH = "层|网络|模型|模块|矩阵|卷积核|输入|张量|图像|函数|向量|框|特征图|设置|数据"
_DEMONSTRATIVE_ZH = re.compile(rf"(?:这一|那一|该|这个|那个|同一个?|同样的)(?P<noun>{_NOUNS_ZH})")
_RULES_EN = (_OPENING_EN, _ANYWHERE_EN, _DEMONSTRATIVE_EN)
_RULES_ZH = (_OPENING_ZH, _ANYWHERE_ZH, _DEMONSTRATIVE_ZH)


@dataclass(frozen=True)
class Lean:
    """Where a prompt leans on another card: the offending phrase and its offset in the prompt."""

    phrase: str
    offset: int


def leans(text: str, lang: str) -> Lean | None:
    """The first phrase of ``text`` (a prompt in ``lang``, ``"en"`` or ``"zh"``) that leans on another card.

    Returns:
        ``None`` when the prompt stands on its own.
    """
    stripped = text.lstrip()
    start = len(text) - len(stripped)
    rules = _RULES_EN if lang == "en" else _RULES_ZH
    opening, anywhere, demonstrative = rules
    if m := opening.match(stripped):
        return Lean(m.group(0), start)
    if m := anywhere.search(stripped):
        return Lean(m.group(0), start + m.start())
    for m in demonstrative.finditer(stripped):
        noun = m.group("noun")
        before = stripped[: m.start()]
        named = noun.casefold() in before.casefold() if lang == "en" else noun in before
        if not named:
            return Lean(m.group(0), start + m.start())
    return None


def _prompt_line(lines: list[str], first: int, lang: str) -> tuple[int, int]:
    """(line, column) of the ``lang:`` entry of the prompt of the question starting at line ``first``."""
    in_prompt = False
    for number in range(first, len(lines) + 1):
        line = lines[number - 1]
        body = line.lstrip()
        if number > first and body.startswith("- id:"):
            break
        if body.startswith("prompt:"):
            in_prompt = True
            inline = body.find(f"{lang}:")
            if inline >= 0:
                return number, len(line) - len(body) + inline + 1
        elif in_prompt and body.startswith(f"{lang}:"):
            return number, len(line) - len(body) + 1
    return first, 1


def problems(questions: Iterable[Question]) -> Iterator[Problem]:
    """One problem per prompt (and language) that leans on another card, as ``file:line:col: field: message``."""
    files: dict[Path, list[str]] = {}
    for q in questions:
        for lang in ("en", "zh"):
            lean = leans(q.prompt.get(lang) if q.prompt else "", lang)
            if lean is None:
                continue
            path = q.source.path
            if path not in files:
                try:
                    files[path] = path.read_text(encoding="utf-8").splitlines()
                except OSError:
                    files[path] = []
            line, column = _prompt_line(files[path], q.source.line, lang)
            yield Problem(
                display_path(path),
                line,
                column,
                f"{q.id}.prompt.{lang}",
                f"leans on another card ({lean.phrase!r}); every card is shown alone: state its setting in full",
            )
