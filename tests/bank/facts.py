"""Shared helpers for the bank fact tests (``test_facts_*.py``): reading cards, finding numbers, formatting facts.

Each fact test module checks that every number stated in a group of bank cards is either computed by the test,
a documented given, or a small structural integer. The machinery they have in common lives here:

- reading the shipped YAML cards (`load_cards`, `card_loaders`, `all_bank_ids`);
- walking a card's text, both languages at once (`card_texts`) or one language (`texts`, `full_text`);
- tokenising the numbers in that text (`NUMBER_GROUPED`, `NUMBER_SCI`, `number_tokens`, `card_numbers`) and telling
  which of them need no check (`is_structural`, `unchecked`);
- formatting computed values the way the cards write them (`dec`, `sci`, `whole`, `unsigned`, `MINUS`);
- the per-card fact registry of the maths and training tests (`Facts`, `fact_registrar`) and the checks built on it
  (`allowed_numbers`, `unchecked_by_lang`, `missing_stated`, `missing_phrases`);
- comparing numeric answers (`flat`, `decimals`, `answer_mismatches`);
- small facts most card groups need (`givens`, `defaults`, `kw`, `n_params`, `choice_index`).

This module holds no tests; the assertions stay in the test modules.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import torch
import yaml

BANK = Path(__file__).resolve().parents[2] / "question_bank"
LANGS = ("en", "zh")
MINUS = "−"

# -------------------------------------------------------------------------------------------------
# Reading the cards
# -------------------------------------------------------------------------------------------------


def read_yaml(name: str) -> dict[str, Any]:
    """One bank file, parsed (``name`` is relative to question_bank/)."""
    data: dict[str, Any] = yaml.load((BANK / name).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return data


@cache
def load_cards(files: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """The cards of ``files`` by id, each with its file's topic filled in; ids must be unique across the files.

    Cached per tuple of files: callers share the same card dicts and must not modify them.
    """
    cards: dict[str, dict[str, Any]] = {}
    for name in files:
        data = read_yaml(name)
        for q in data["questions"]:
            q.setdefault("topic", data["topic"])
            assert q["id"] not in cards, f"duplicate id {q['id']}"
            cards[q["id"]] = q
    return cards


def card_loaders(
    files: tuple[str, ...],
) -> tuple[Callable[[], dict[str, dict[str, Any]]], Callable[[str], dict[str, Any]]]:
    """``(load_cards, card)`` for a test module's files: all its cards by id, and one card by id."""

    def cards() -> dict[str, dict[str, Any]]:
        return load_cards(files)

    def card(card_id: str) -> dict[str, Any]:
        return load_cards(files)[card_id]

    return cards, card


@cache
def all_bank_ids() -> frozenset[str]:
    """Ids of every card in the shipped bank (every file but topics.yaml), for cross-file follow-ups."""
    ids: set[str] = set()
    for path in BANK.glob("*.yaml"):
        if path.name != "topics.yaml":
            ids |= {q["id"] for q in read_yaml(path.name)["questions"]}
    return frozenset(ids)


# -------------------------------------------------------------------------------------------------
# A card's text
# -------------------------------------------------------------------------------------------------

TEXT_KEYS = ("prompt", "answer", "explanation", "solution")
ITEM_KEYS = ("key_points", "choices")


def card_texts(q: dict[str, Any]) -> Iterator[str]:
    """Every text of a card in both languages: prompt, answer, explanation, solution, key points, choices.

    A language missing from a text is skipped, as is a field that is not a bilingual text (a numeric answer).
    """

    def both(t: Any) -> Iterator[str]:
        if isinstance(t, dict):
            yield from (str(t[lang]) for lang in LANGS if lang in t)

    for key in TEXT_KEYS:
        yield from both(q.get(key))
    for item in (*q.get("key_points", ()), *q.get("choices", ())):
        yield from both(item)


def texts(q: dict[str, Any], lang: str) -> Iterator[str]:
    """A card's texts in one language; every key point and choice must have that language."""
    for key in TEXT_KEYS:
        value = q.get(key)
        if isinstance(value, dict):
            yield str(value[lang])
    for item in (*q.get("key_points", ()), *q.get("choices", ())):
        yield str(item[lang])


def full_text(q: dict[str, Any], lang: str) -> str:
    """A card's texts in one language, one per line."""
    return "\n".join(texts(q, lang))


# -------------------------------------------------------------------------------------------------
# Numbers in the text
# -------------------------------------------------------------------------------------------------

# A number: digits with optional thousands separators and decimals; not glued to a word (v2, int8, C1, B0).
# Used by the CNN and architecture tests.
NUMBER_GROUPED = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|(?<![\w.,])\d+(?:\.\d+)?")
# A number: digits (optionally with thousands separators), decimals, and an exponent as in 1e-8. Glued to an
# ASCII word it is a name (L1, float32, conv1), not a claim; glued to Chinese text it still counts.
# Used by the maths and training tests.
NUMBER_SCI = re.compile(r"(?<![A-Za-z0-9_.])(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?(?:e-?\d+)?")


def number_tokens(text: str, number: re.Pattern[str], model_name: re.Pattern[str] | None = None) -> set[str]:
    """Every ``number`` token in ``text``, thousands separators removed.

    Matches of ``model_name`` (VGG-16, ResNet-50: numbers that are names, not claims) are blanked out first.
    """
    if model_name is not None:
        text = model_name.sub(" ", text)
    return {m.replace(",", "") for m in number.findall(text)}


def card_numbers(q: dict[str, Any], number: re.Pattern[str], model_name: re.Pattern[str] | None = None) -> set[str]:
    """Every number token in a card's text, both languages (see `card_texts` and `number_tokens`)."""
    found: set[str] = set()
    for text in card_texts(q):
        found |= number_tokens(text, number, model_name)
    return found


def is_structural(token: str) -> bool:
    """A small integer 0–10 (a kernel size, a count): allowed in any card without a check."""
    return token.isdigit() and int(token) <= 10


def unchecked(tokens: Iterable[str], allowed: set[str] | frozenset[str]) -> set[str]:
    """The tokens that are neither structural nor ``allowed``: numbers no test accounts for."""
    return {n for n in tokens if not is_structural(n) and n not in allowed}


# -------------------------------------------------------------------------------------------------
# Formatting computed values the way the cards write them
# -------------------------------------------------------------------------------------------------


def num(x: Any) -> float:
    """A plain float, detached from any autograd graph (float() on a graph tensor warns)."""
    return float(x.detach()) if isinstance(x, torch.Tensor) else float(x)


def dec(x: float | torch.Tensor, places: int = 4) -> str:
    """Rounded to ``places`` decimals, trailing zeros dropped; a Unicode minus for negatives."""
    v = num(x)
    s = f"{abs(v):.{places}f}".rstrip("0").rstrip(".")
    return (MINUS + s) if v < 0 and s != "0" else s


def sci(x: Any, digits: int = 1) -> str:
    """9.5367e-07 → '9.5e-7'; 1e-08 → '1e-8' (the cards' way of writing small numbers)."""
    mantissa, exponent = f"{num(x):.{digits}e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def whole(x: float | torch.Tensor) -> str:
    """An integral value as an integer string (asserted integral), with a Unicode minus for negatives."""
    v = num(x)
    assert abs(v - round(v)) < 1e-9, v
    return (MINUS if v < 0 else "") + str(abs(round(v)))


def unsigned(value: str) -> str:
    """A formatted value without its Unicode minus."""
    return value.removeprefix(MINUS)


# -------------------------------------------------------------------------------------------------
# The fact registry (maths and training tests)
# -------------------------------------------------------------------------------------------------

Phrase = str | tuple[str, str]


@dataclass
class Facts:
    """What a card's fact function computed.

    - ``stated``: name → value formatted as the card writes it; each must appear in both languages;
    - ``givens``: number tokens that are inputs of the problem;
    - ``phrases``: exact phrases, one for both languages or an (en, zh) pair;
    - ``answer`` for numeric cards and ``correct`` for choice cards.
    """

    stated: dict[str, str] = field(default_factory=dict)
    givens: frozenset[str] = frozenset()
    phrases: tuple[Phrase, ...] = ()  # one phrase for both languages, or (en, zh)
    answer: Any = None
    correct: list[int] | None = None


FactFn = Callable[[], Facts]


def fact_registrar(registry: dict[str, FactFn]) -> Callable[..., Callable[[FactFn], FactFn]]:
    """A decorator factory ``facts(*card_ids)`` registering a (cached) fact function for those cards.

    Each card id may be registered once; the decorated function itself is returned unchanged.
    """

    def facts(*card_ids: str) -> Callable[[FactFn], FactFn]:
        def register(fn: FactFn) -> FactFn:
            for cid in card_ids:
                assert cid not in registry, cid
                registry[cid] = cache(fn)
            return fn

        return register

    return facts


def phrase_in(phrase: Phrase, lang: str) -> str:
    """The phrase as written in ``lang``."""
    return phrase if isinstance(phrase, str) else phrase[lang == "zh"]


def allowed_numbers(f: Facts, numbers_in: Callable[[str], set[str]]) -> set[str]:
    """Numbers a card may state given its facts: stated values (unsigned), givens, numbers inside its phrases."""
    allowed = {unsigned(v) for v in f.stated.values()} | set(f.givens)
    allowed |= {n for p in f.phrases for part in ([p] if isinstance(p, str) else p) for n in numbers_in(part)}
    return allowed


def unchecked_by_lang(q: dict[str, Any], f: Facts, numbers_in: Callable[[str], set[str]]) -> dict[str, list[str]]:
    """Per language, the sorted numbers of a card's text that its facts do not account for (see `allowed_numbers`
    and `unchecked`); a language with none is left out, so an empty dict means every number is checked."""
    allowed = allowed_numbers(f, numbers_in)
    out = {lang: sorted(unchecked(numbers_in(full_text(q, lang)), allowed)) for lang in LANGS}
    return {lang: left for lang, left in out.items() if left}


def missing_stated(f: Facts, found: set[str]) -> dict[str, str]:
    """Stated values whose (unsigned) token is not among the ``found`` number tokens."""
    return {k: v for k, v in f.stated.items() if unsigned(v) not in found}


def missing_phrases(f: Facts, text: str, lang: str) -> list[str]:
    """The card's phrases, in ``lang``, that do not occur in ``text``."""
    return [w for w in (phrase_in(p, lang) for p in f.phrases) if w not in text]


# -------------------------------------------------------------------------------------------------
# Numeric answers
# -------------------------------------------------------------------------------------------------


def flat(x: Any) -> list[Any]:
    """Nested lists/tuples flattened, in order; a scalar becomes a one-element list."""
    return [v for row in x for v in flat(row)] if isinstance(x, (list, tuple)) else [x]


def decimals(x: float) -> int:
    """How many decimals a card's answer shows (0 for integers and exponent notation)."""
    text = repr(num(x))
    return 0 if "e" in text else len(text.split(".")[1].rstrip("0"))


def answer_mismatches(
    given: Sequence[float], computed: Sequence[Any], tolerance: dict[str, float]
) -> list[tuple[float, Any]]:
    """Pairs (card value, computed value) outside the card's tolerance, or not the computed value rounded to the
    decimals the card shows. ``given`` and ``computed`` must have the same length (asserted)."""
    assert len(given) == len(computed)
    rel, abs_ = tolerance.get("rel", 1e-3), tolerance.get("abs", 1e-6)
    bad = []
    for g, c in zip(given, computed, strict=True):
        within = abs(g - c) <= max(abs_, rel * abs(c)) + 1e-12
        # The card's answer is the computed value rounded to the decimals it shows.
        rounded = math.isclose(round(c, decimals(g)), g, abs_tol=1e-12)
        if not (within and rounded):
            bad.append((g, c))
    return bad


# -------------------------------------------------------------------------------------------------
# Small facts most card groups need
# -------------------------------------------------------------------------------------------------


def givens(*values: Any) -> frozenset[str]:
    """Number tokens that are inputs of a card's problem (``Facts.givens``)."""
    return frozenset(str(v) for v in values)


@cache
def defaults(obj: Any) -> dict[str, Any]:
    """Default arguments of a torch class or function, from its real signature."""
    return {
        name: p.default
        for name, p in inspect.signature(obj).parameters.items()
        if p.default is not inspect.Parameter.empty
    }


def kw(obj: Any, name: str) -> str:
    """'stride=1', 'eps=1e-05', "reduction='mean'": a default as the cards write it."""
    return f"{name}={defaults(obj)[name]!r}"


def n_params(module: torch.nn.Module) -> int:
    """``sum(p.numel() for p in module.parameters())``."""
    return sum(p.numel() for p in module.parameters())


def choice_index(q: dict[str, Any], text: str) -> int:
    """The index of the choice whose English text is exactly ``text``."""
    found = [i for i, c in enumerate(q["choices"]) if c["en"] == text]
    assert len(found) == 1, (q["id"], text)
    return found[0]
