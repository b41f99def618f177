"""Which key points a free concept answer seems to make: suggestions the user then confirms.

``suggest_ticks(key_points, answer, prompt)`` gives one flag per key point; ``keyword_hits`` gives, for
each key point, the words of the answer that made it (``None`` where it was not made). The scorecard
pre-ticks the flags and the user corrects them; ``quizforge grade ID --answer`` scores the flags by the
same rule as ticked key points (``score_key_points``). docs/keypoints.md explains the method:

- both sides are *normalised*: NFKC, case, hyphens, British spellings, Greek letters, number words;
  English words are stemmed (Snowball), Chinese is read as characters and character pairs;
- *synonyms* (``synonyms.yaml``) join terms across languages ("skip connection" = "捷径");
- *typos*: an English word within one edit (two for long words) of a word of the card counts as it;
- a key point is suggested on *evidence*: one of its keywords in the answer (a specific one, or a
  generic one backed by the point's own words), or enough of the point's own words; words of the
  question itself count for little, since every answer repeats them;
- only *sentences* count: a bare list of terms ("BN normalisation mean variance gamma beta") is no
  answer, so a line without the small words that make a claim (is, of, so, 的, 是, 把 …) gives nothing,
  and one answer cannot make more points than it has words for.

Pure and fast: each card is prepared once and each sentence read once per card (both cached), so a
keystroke in a 2,000-character answer costs well under a millisecond (``benchmarks/bench_keypoints.py``).
Grading stays free of the bank: a key point is anything with ``text``, ``keywords_en`` and ``keywords_zh``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Protocol

from quizforge.text import Text


class KeyPointLike(Protocol):
    """A rubric point of a concept card (``quizforge.bank.KeyPoint``)."""

    @property
    def text(self) -> Text: ...

    @property
    def keywords_en(self) -> tuple[str, ...]: ...

    @property
    def keywords_zh(self) -> tuple[str, ...]: ...


# -- tuning: global, never per card (docs/keypoints.md) -----------------------------------------------

STRONG_CUE = 1.0  # a specific keyword: several words, a name, a formula, three or more Chinese characters
WEAK_CUE = 0.6  # a single everyday word or two Chinese characters
PROMPT_FACTOR = 0.5  # a word of the question itself is weak evidence: every answer repeats it
SHARED_FACTOR = 0.5  # so is a keyword that the texts of several of the card's key points use
COVERAGE_WEIGHT = 1.5  # how much the point's own words count next to its keywords
MORE_CUES = 0.4  # each further keyword found adds this share of its weight
SUGGEST_AT = 0.95  # evidence needed to suggest a tick
MIN_FUNCTION_RATIO = 0.12  # small words per word below which a sentence is a list of terms
PHRASE_GAP = 3  # the words of a keyword phrase may stand this far apart in an answer, in their order
WORDS_PER_POINT = 2  # an answer makes at most one key point per this many content words

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_IS_CJK = re.compile(f"[{_CJK}]")
_CJK_RUN = re.compile(f"[{_CJK}]+")
_WORD = re.compile(r"\d+x\d+|\d+(?:\.\d+)?|[a-z_][a-z0-9_']*")
_SENTENCE_END = re.compile(r"[.!?．](?=\s|$)|[。！？]|\n\s*\n")  # a line break may just wrap a sentence
_LIST_SEP = re.compile(r"[,，、;；:：/|\n和与及或]|\b(?:and|or)\b")
_NOT_COMPACT = re.compile(f"[^0-9a-z{_CJK}]")

_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "η": "eta", "θ": "theta",
    "λ": "lambda", "μ": "mu", "σ": "sigma", "τ": "tau", "ω": "omega", "∇": "nabla",
}  # fmt: skip
_GREEK_LETTER = re.compile("[" + "".join(_GREEK) + "]")
_NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "零": "0",
}  # fmt: skip
_MINUS_INF = re.compile(r"float\(\s*['\"]-inf['\"]\s*\)|[-−]\s*(?:inf(?:inity)?|∞)\b|[-−]\s*∞")
_TIMES = re.compile(r"(\d)\s*[x×*]\s*(\d)")
_BRITISH = re.compile(r"(?<=\w{3})is(e|ed|es|ing|ation|ations|er|ers)\b")

# Words that carry a claim's grammar rather than its terms: a sentence needs some of them.
_FUNCTION_EN = frozenset(
    """a an the is are was were be been being am it its it's this that these those there they them their
    we you your i he she his her our of in on at to for with by from over per into onto through across
    as and or but so because since if then than when while whereas which who whom whose what where why
    how not no nor can can't cannot could will won't would should must may might has have had having do
    does doesn't don't did didn't isn't aren't wasn't weren't each every only also just more less most
    least all both same like unlike such very too much many some any other another instead rather even
    still yet again once here about after before between under up down out off than whether either
    neither thus hence therefore i.e e.g vs via""".split()  # noqa: SIM905 (reads better than 150 quoted words)
)
# The words a keyword phrase may leave out or put in ("sum to 1" = "sums to one" = "sum 1"); the other
# small words of a phrase ("no", "same", "only", "per") carry its meaning and must be said.
_GLUE = frozenset(
    ("a", "an", "the", "of", "to", "in", "on", "at", "for", "with", "by", "from", "and", "or", "is", "are", "be",
     "been", "it", "its", "as")
)  # fmt: skip
_FUNCTION_ZH = (
    "的", "了", "是", "在", "把", "被", "就", "都", "也", "会", "能", "因为", "所以", "如果", "但", "而", "时",
    "用", "对", "让", "使", "它", "这", "那", "着", "地", "得", "从", "到", "将", "为", "再", "还", "才", "只",
    "可以", "要", "和", "与", "及", "或", "即", "每", "比", "更", "很", "等于", "导致", "因此", "于是",
    "给", "里", "中", "并", "且", "则", "其", "又", "当", "若", "越", "或者", "没有", "不是", "不会",
)  # fmt: skip


# -- text normalisation ---------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Case-folded NFKC text with the spellings that mean one thing written one way."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _MINUS_INF.sub(" negative infinity ", text)
    text = _TIMES.sub(r"\1x\2", text)
    text = _GREEK_LETTER.sub(lambda m: f" {_GREEK[m.group()]} ", text)
    text = re.sub(r"[-‐‑–—_]+(?=\w)", lambda m: "_" if m.group().startswith("_") else " ", text)
    text = text.replace("×", " ").replace("−", " - ")
    return _BRITISH.sub(r"iz\1", text)


@cache
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer  # lazily: off the start path

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of one normalised English word; numbers and identifiers stay as they are."""
    word = _NUMBER_WORDS.get(word, word)
    if word.endswith("'s"):
        word = word[:-2]
    if not word.isalpha() or len(word) <= 2:
        return word
    return str(_stemmer().stemWord(word))


def words(text: str) -> list[str]:
    """The English words (and numbers, identifiers) of normalised text, in order."""
    return [_NUMBER_WORDS.get(w, w) for w in _WORD.findall(text)]


def compact(text: str) -> str:
    """Normalised text with everything but letters, digits and Chinese characters removed.

    Chinese has no spaces between words and answers put them in at random ("batch 大小", "batch大小"),
    so Chinese cues are looked for in this form.
    """
    return _NOT_COMPACT.sub("", _NUMBER_WORDS_ZH.sub(lambda m: _NUMBER_WORDS[m.group()], text))


_NUMBER_WORDS_ZH = re.compile("零")


def bigrams(text: str) -> set[str]:
    """The pairs of adjacent Chinese characters in ``text``."""
    out: set[str] = set()
    for run in _CJK_RUN.findall(text):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


def _function_count_zh(text: str) -> int:
    """Chinese function words in clauses: runs of four or more characters (a term like 和为1 is no clause)."""
    return sum(run.count(w) for run in _CJK_RUN.findall(text) if len(run) >= 4 for w in _FUNCTION_ZH)


def _chinese_clause(text: str) -> bool:
    """A run of Chinese long enough to be a clause rather than a term."""
    return any(len(run) >= 8 or (len(run) >= 5 and _function_count_zh(run)) for run in _CJK_RUN.findall(text))


# -- synonyms -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Synonyms:
    """Synonym groups: English phrases as stem tuples, Chinese phrases and symbols as compact strings."""

    english: dict[tuple[str, ...], int]
    chinese: dict[str, int]
    symbols: dict[str, int]
    longest: int
    units: dict[int, frozenset[str]]  # what saying a group says: its one-word stems, its Chinese pairs

    def english_group(self, phrase: str) -> int | None:
        return self.english.get(tuple(stem(w) for w in words(normalise(phrase))))


@cache
def synonyms() -> Synonyms:
    """The groups of ``synonyms.yaml`` (loaded once, on first use)."""
    from importlib.resources import files

    import yaml

    raw = yaml.load(files("quizforge.grading").joinpath("synonyms.yaml").read_text("utf-8"), Loader=yaml.CSafeLoader)
    english: dict[tuple[str, ...], int] = {}
    chinese: dict[str, int] = {}
    symbols: dict[str, int] = {}
    for group, phrases in enumerate(raw):
        for phrase in phrases:
            text = normalise(str(phrase))
            if _IS_CJK.search(text):
                chinese.setdefault(compact(text), group)
            elif ws := words(text):
                english.setdefault(tuple(stem(w) for w in ws), group)
            else:
                symbols.setdefault(text.strip(), group)
    units: dict[int, set[str]] = {}
    for phrase, g in english.items():
        if len(phrase) == 1:
            units.setdefault(g, set()).add(phrase[0])
    for phrase, g in chinese.items():
        units.setdefault(g, set()).update(bigrams(phrase))
    frozen = {g: frozenset(u) for g, u in units.items()}
    return Synonyms(english, chinese, symbols, max(map(len, english), default=1), frozen)


# -- one answer, read -----------------------------------------------------------------------------


@dataclass
class _Sentence:
    raw: str  # normalised
    stems: list[str]
    words: list[str]
    groups: set[int]
    compact: str
    at_stem: dict[str, list[int]] = field(default_factory=dict)  # where each stem stands
    at_word: dict[str, list[int]] = field(default_factory=dict)  # where each word stands

    def __post_init__(self) -> None:
        for i, (w, st) in enumerate(zip(self.words, self.stems, strict=True)):
            self.at_stem.setdefault(st, []).append(i)
            self.at_word.setdefault(w, []).append(i)


@dataclass(frozen=True)
class _Reading:
    """One sentence of an answer as one card sees it (cached: typing changes only the last sentence)."""

    prose: bool
    content: float  # about how many content words
    units: frozenset[str]  # stems, Chinese pairs, "#group"s and what the groups say
    hits: tuple[tuple[int, ...], ...]  # per key point, per cue: 2 said as written, 1 by a synonym, 0 not


_NOT_PROSE = _Reading(False, 0.0, frozenset(), ())
_READINGS_KEPT = 4096  # sentences remembered per card


def _sentences(text: str) -> list[str]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append(text[start : m.end()])
        start = m.end()
    out.append(text[start:])
    return [s for s in out if s.strip()]


def _is_prose(raw: str, ws: list[str], stems: list[str], phrases: frozenset[tuple[str, ...]]) -> bool:
    """Whether a sentence makes a claim rather than list terms: enough small words, not a list of items.

    The small words inside the card's own keyword phrases ("weight and bias", "batch of 1") do not count:
    a list of the keywords is still a list.
    """
    n_zh = len(_IS_CJK.findall(raw))
    size = len(ws) + n_zh / 2  # two Chinese characters make about one word
    if size < 2:
        return False
    quoted = [False] * len(ws)
    longest = max(map(len, phrases), default=0)
    for i in range(len(ws)):
        for n in range(min(longest, len(ws) - i), 1, -1):
            if tuple(stems[i : i + n]) in phrases:
                quoted[i : i + n] = [True] * n
                break
    function = sum(1 for w, q in zip(ws, quoted, strict=True) if w in _FUNCTION_EN and not q)
    function += _function_count_zh(raw)
    if function / size < MIN_FUNCTION_RATIO and not _chinese_clause(raw):
        return False
    items = [i for i in _LIST_SEP.split(raw) if i.strip()]
    bare = 0
    for item in items:
        iw = words(item)
        content = [w for w in iw if w not in _FUNCTION_EN and len(w) > 2]
        n = len(_IS_CJK.findall(item))
        grammar = any(w in _FUNCTION_EN for w in iw) or any(f in item for f in _FUNCTION_ZH)  # "都用 sigmoid"
        if not grammar and len(content) + n / 2 <= 2:
            bare += 1 if (content or n) else 0
    return not (bare >= 3 and bare * 2 >= len(items))


def _groups(stems: list[str], comp: str, raw: str, syn: Synonyms) -> set[int]:
    found: set[int] = set()
    i = 0
    while i < len(stems):
        for n in range(min(syn.longest, len(stems) - i), 0, -1):
            g = syn.english.get(tuple(stems[i : i + n]))
            if g is not None:
                found.add(g)
                i += n
                break
        else:
            i += 1
    found.update(g for phrase, g in syn.chinese.items() if phrase in comp)
    found.update(g for phrase, g in syn.symbols.items() if phrase in raw)
    return found


# -- one card, prepared ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cue:
    """One keyword of a key point, in the form it is looked for."""

    label: str  # as the bank writes it
    group: int | None  # a synonym group it belongs to
    stems: tuple[str, ...]  # English: its words (function words dropped unless it has no others)
    raws: tuple[str, ...]  # its words as written; a long one also matches as a prefix ("saturat")
    chinese: str  # Chinese: compact form
    symbol: str  # neither: as written
    weight: float


@dataclass
class _Point:
    cues: tuple[_Cue, ...]
    units: tuple[dict[str, float], ...]  # per language, the point's own words (stem, pair, "#group") → weight
    text: Text  # to name what an answer said of it

    def said(self, units: set[str], lang: int) -> str | None:
        """The words of the point's text that ``units`` say, as the text writes them: up to three English
        words, or the longest run of Chinese."""
        if lang == 0:
            found = dict.fromkeys(
                w
                for w in _WORD.findall(self.text.en)
                if w.casefold() not in _FUNCTION_EN and stem(normalise(w).strip()) in units
            )
            return " ".join(list(found)[:3]) or None
        best = ""
        for run in _CJK_RUN.findall(self.text.zh):
            start = 0
            for i in range(1, len(run) + 1):
                if i == len(run) or run[i - 1 : i + 1] not in units:
                    if i - start >= 2 and i - start > len(best):
                        best = run[start:i]
                    start = i
        return best or None


@dataclass
class _Card:
    points: tuple[_Point, ...]
    vocabulary: dict[str, str]  # raw word of the card → its stem, for typo matching
    phrases: frozenset[tuple[str, ...]]  # the card's keyword phrases of two or more words, as stems
    stems: frozenset[str]  # the stems of its vocabulary
    fuzzy: dict[str, str | None] = field(default_factory=dict)  # answer word → the card word it misspells
    readings: dict[str, _Reading] = field(default_factory=dict)  # sentence → what it says to this card


def _units(text: str, syn: Synonyms) -> set[str]:
    """The content units of one text: English stems, Chinese character pairs, "#group" for synonyms."""
    raw = normalise(text)
    ws = words(raw)
    stems = [stem(w) for w in ws]
    out = {s for w, s in zip(ws, stems, strict=True) if w not in _FUNCTION_EN and len(w) > 1}
    out.update(b for b in bigrams(raw) if not any(c in _FUNCTION_ZH for c in b))
    out.update(f"#{g}" for g in _groups(stems, compact(raw), raw, syn))
    return out


def _is_specific(label: str, ws: list[str], content: list[str], chinese: str) -> bool:
    if chinese:
        return len(_IS_CJK.findall(chinese)) >= 3 or bool(re.search(r"[0-9a-z]", chinese))
    if len(content) >= 2:
        return True
    word = content[0] if content else (ws[0] if ws else "")
    has_caps = sum(1 for c in label if c.isupper()) >= 2 or any(c.isupper() for c in label[1:])
    return has_caps or any(not c.isalpha() for c in word) or len(word) >= 10


def _cue(label: str, syn: Synonyms) -> _Cue | None:
    raw = normalise(label)
    chinese = compact(raw) if _IS_CJK.search(raw) else ""
    ws = [] if chinese else words(raw)
    content = [w for w in ws if w not in _GLUE] or ws
    symbol = "" if chinese or ws else raw.strip()
    if not (chinese or ws or symbol):
        return None
    group = syn.chinese.get(chinese) if chinese else (syn.english_group(raw) if ws else syn.symbols.get(symbol))
    stems = tuple(stem(w) for w in content)
    weight = STRONG_CUE if _is_specific(label, ws, content, chinese) else WEAK_CUE
    return _Cue(label, group, stems, tuple(content), chinese, symbol, weight)


@lru_cache(maxsize=256)
def _prepare(points: tuple[tuple[Text, tuple[str, ...], tuple[str, ...]], ...], prompt: Text | None) -> _Card:
    syn = synonyms()
    prompt_units = _units(prompt.en, syn) | _units(prompt.zh, syn) if prompt is not None else set()
    prompt_compact = compact(normalise(prompt.zh)) if prompt is not None else ""
    own = [(_units(text.en, syn), _units(text.zh, syn)) for text, _, _ in points]
    texts = [compact(normalise(text.zh)) for text, _, _ in points]
    df: dict[str, int] = {}
    for units in own:
        for u in units[0] | units[1]:
            df[u] = df.get(u, 0) + 1
    prepared = []
    vocabulary: dict[str, str] = {}
    phrases = set()
    for (text, kw_en, kw_zh), units in zip(points, own, strict=True):
        for label in (*kw_en, *kw_zh):
            phrase = tuple(stem(w) for w in words(normalise(label)))
            if len(phrase) >= 2:
                phrases.add(phrase)
        cues = []
        for label in (*kw_en, *kw_zh):
            cue = _cue(label, syn)
            if cue is None:
                continue
            said = [(en | zh, zh_text) for (en, zh), zh_text in zip(own, texts, strict=True)]
            shared = sum(1 for u, c in said if _cue_said(cue, u, c))
            in_prompt = _cue_said(cue, prompt_units, prompt_compact)
            factor = (PROMPT_FACTOR if in_prompt else 1.0) * (SHARED_FACTOR if shared >= 2 else 1.0)
            cues.append(replace(cue, weight=cue.weight * factor))
        weights = tuple({u: (PROMPT_FACTOR if u in prompt_units else 1.0) / df[u] for u in lang} for lang in units)
        prepared.append(_Point(tuple(cues), weights, text))
        for part in (text.en, *kw_en):
            for w in words(normalise(part)):
                if len(w) >= 4 and w.isalpha() and w not in _FUNCTION_EN:
                    vocabulary[w] = stem(w)
    return _Card(tuple(prepared), vocabulary, frozenset(phrases), frozenset(vocabulary.values()))


def _cue_said(cue: _Cue, units: set[str], chinese_text: str) -> bool:
    """Whether a text with these units (and this compact Chinese) says the cue."""
    if cue.group is not None and f"#{cue.group}" in units:
        return True
    if cue.chinese:
        return bool(chinese_text) and cue.chinese in chinese_text
    return bool(cue.stems) and all(s in units for s in cue.stems)


def _card(key_points: Sequence[KeyPointLike], prompt: Text | None) -> _Card:
    return _prepare(tuple((kp.text, tuple(kp.keywords_en), tuple(kp.keywords_zh)) for kp in key_points), prompt)


def _typo_of(word: str, card: _Card) -> str | None:
    """The stem of the card word that ``word`` misspells, if any (one edit; two for long words)."""
    if word in card.fuzzy:
        return card.fuzzy[word]
    found = None
    if len(word) >= 5 and word.isalpha() and word not in _FUNCTION_EN and word not in card.vocabulary:
        from rapidfuzz import process
        from rapidfuzz.distance import DamerauLevenshtein

        limit = 2 if len(word) >= 8 else 1
        best = process.extractOne(word, card.vocabulary.keys(), scorer=DamerauLevenshtein.distance, score_cutoff=limit)
        if best is not None:
            found = card.vocabulary[best[0]]
    card.fuzzy[word] = found
    return found


def _reading(typed: str, card: _Card) -> _Reading:
    """What one sentence of an answer, as typed, says to ``card`` (cached per card)."""
    known = card.readings.get(typed)
    if known is not None:
        return known
    sentence = normalise(typed)
    syn = synonyms()
    ws = words(sentence)
    stems = [stem(w) for w in ws]
    stems_of_card = card.stems
    for i, w in enumerate(ws):
        if w not in card.vocabulary and stems[i] not in stems_of_card:
            stems[i] = _typo_of(w, card) or stems[i]
    reading = _NOT_PROSE
    if _is_prose(sentence, ws, stems, card.phrases):
        comp = compact(sentence)
        s = _Sentence(sentence, stems, ws, _groups(stems, comp, sentence, syn), comp)
        units = set(stems) | bigrams(comp) | {f"#{g}" for g in s.groups}  # compact: "捷 径" is 捷径
        for g in s.groups:
            units.update(syn.units.get(g, ()))
        hits = tuple(tuple(_cue_in(c, s) for c in point.cues) for point in card.points)
        reading = _Reading(True, _content_size(s), frozenset(units), hits)
    if len(card.readings) >= _READINGS_KEPT:
        card.readings.clear()
    card.readings[typed] = reading
    return reading


# -- matching -------------------------------------------------------------------------------------


_SUFFIX = re.compile(r"e|es|ed|s|ing|ings|ion|ions|ation|ations|ational|er|ers|ly|ity|ive|ze|zed|zes|zing|zations?")


def _extends(word: str, prefix: str) -> bool:
    """Whether ``word`` is ``prefix`` plus an ending: a bank keyword may be a stem ("saturat", "regulari")."""
    return bool(prefix) and word.startswith(prefix) and _SUFFIX.fullmatch(word[len(prefix) :]) is not None


def _cue_in(cue: _Cue, s: _Sentence) -> int:
    """2 if the sentence says the cue as written (give or take stems and typos), 1 if by a synonym, else 0."""
    if _said_as_written(cue, s):
        return 2
    return 1 if cue.group is not None and cue.group in s.groups else 0


def _said_as_written(cue: _Cue, s: _Sentence) -> bool:
    if cue.chinese:
        return cue.chinese in s.compact
    if cue.symbol:
        return cue.symbol in s.raw
    places = []
    for st, raw in zip(cue.stems, cue.raws, strict=True):
        at = list(s.at_stem.get(st, ()))
        if len(raw) >= 5 and raw.isalpha():
            at += (i for w, where in s.at_word.items() if _extends(w, raw) for i in where)
        if not at:
            return False
        places.append(at)
    # a phrase's words in its order, each within a few words of the one before ("batch of one", "sum to 1")
    reach = set(places[0])
    for at in places[1:]:
        reach = {q for q in at if any(q - gap in reach for gap in range(1, PHRASE_GAP + 1))}
        if not reach:
            return False
    return True


def _content_size(s: _Sentence) -> float:
    """About how many content words a sentence has (two Chinese characters make about one)."""
    return sum(1 for w in s.words if w not in _FUNCTION_EN) + len(_IS_CJK.findall(s.raw)) / 2


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The matcher's view of one key point: suggested or not, on what evidence."""

    suggested: bool
    evidence: float
    hit: str | None  # the keyword (or the point's own words) that made it


def suggest(key_points: Sequence[KeyPointLike], answer: str, prompt: Text | None = None) -> tuple[Suggestion, ...]:
    """For each key point, whether the free ``answer`` seems to make it, and why.

    Args:
        key_points: the card's key points, in the bank's order.
        answer: the answer as typed, in any mix of English and Chinese.
        prompt: the card's question; its words count for little as evidence (optional).

    Returns:
        One :class:`Suggestion` per key point.
    """
    card = _card(key_points, prompt)
    readings = [r for r in (_reading(s, card) for s in _sentences(answer)) if r.prose]
    if not readings:
        return tuple(Suggestion(False, 0.0, None) for _ in key_points)
    units: set[str] = set().union(*(r.units for r in readings))
    scored = []
    for k, point in enumerate(card.points):
        found = [(c, max(r.hits[k][j] for r in readings)) for j, c in enumerate(point.cues)]
        hits = [c for c, how in found if how]
        best = max(((c.weight, how, -j), c) for j, (c, how) in enumerate(found) if how)[1] if hits else None
        coverage, said = 0.0, 0
        for n, lang in enumerate(point.units):
            total = sum(lang.values())
            share = sum(w for u, w in lang.items() if u in units) / total if total else 0.0
            if share > coverage:
                coverage, said = share, n
        others = sum(c.weight for c in hits) - (best.weight if best else 0.0)
        evidence = (best.weight if best else 0.0) + MORE_CUES * others + COVERAGE_WEIGHT * coverage
        hit = best.label if best else (point.said(units, said) or point.text.get("zh" if said else "en"))
        scored.append((evidence, hit))
    content = sum(r.content for r in readings)
    room = max(1, math.ceil(content / WORDS_PER_POINT))
    ranked = sorted((i for i, (e, _) in enumerate(scored) if e >= SUGGEST_AT), key=lambda i: -scored[i][0])
    chosen = set(ranked[:room])
    return tuple(Suggestion(i in chosen, e, h if i in chosen else None) for i, (e, h) in enumerate(scored))


def keyword_hits(key_points: Sequence[KeyPointLike], answer: str, prompt: Text | None = None) -> tuple[str | None, ...]:
    """For each key point, the keyword (or the point's own words) that made it, ``None`` where not made."""
    return tuple(s.hit for s in suggest(key_points, answer, prompt))


def suggest_ticks(key_points: Sequence[KeyPointLike], answer: str, prompt: Text | None = None) -> tuple[bool, ...]:
    """Which key points a free answer seems to make (see :func:`suggest`). Only a suggestion: the user
    ticks or unticks them."""
    return tuple(s.suggested for s in suggest(key_points, answer, prompt))
