"""The text catalogue: both languages everywhere, the same fields in both, plural forms where a count
changes the English, and no screen building an English sentence by hand."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from quizforge import i18n

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "quizforge"


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("key", sorted(i18n.keys()))
def test_every_text_has_both_languages_and_the_same_fields(key: str) -> None:
    text = i18n.both(key)
    assert text.en.strip() and text.zh.strip(), key
    assert fields(text.en) == fields(text.zh), key


@pytest.mark.parametrize("key", sorted(i18n.plural_keys()))
def test_every_plural_text_has_its_forms_and_counts_n(key: str) -> None:
    p = i18n.plural(key)
    assert p.one.strip() and p.other.strip() and p.zh.strip(), key
    assert p.one != p.other, f"{key}: the English forms should differ, else it is not a plural text"
    assert "n" in fields(p.other) and fields(p.one) == fields(p.other) == fields(p.zh), key


def test_plural_forms_follow_the_count() -> None:
    assert i18n.tn("dashboard.days", 1, "en") == "1 day"
    assert i18n.tn("dashboard.days", 2, "en") == "2 days"
    assert i18n.tn("dashboard.days", 0, "en") == "0 days"
    assert i18n.tn("study.session_done", 1, "en") == "Session complete: 1 card reviewed."
    assert i18n.tn("study.session_done", 3, "en") == "Session complete: 3 cards reviewed."
    # Chinese has no plural: one form, whatever the count
    assert i18n.tn("dashboard.days", 1, "zh") == "1 天" and i18n.tn("dashboard.days", 5, "zh") == "5 天"
    # a count already formatted for display is used as given
    assert i18n.tn("browse.matches", 1024, "en", n="1,024") == "1,024 questions"


def test_the_rating_names_live_once() -> None:
    assert [i18n.rating_name(r, "en") for r in (1, 2, 3, 4)] == ["Again", "Hard", "Good", "Easy"]
    assert [i18n.rating_name(r, "zh") for r in (1, 2, 3, 4)] == ["重来", "困难", "良好", "简单"]
    hits = [
        str(p.relative_to(ROOT))
        for p in PACKAGE.rglob("*.py")
        if p.name != "i18n.py" and re.search(r"[\"']Again[\"']|[\"']重来[\"']", p.read_text(encoding="utf-8"))
    ]
    assert hits == []


def test_durations_read_naturally() -> None:
    assert i18n.duration_text(3 * 3_600_000 + 5 * 60_000, "en") == "3 h 05 min"
    assert i18n.duration_text(3 * 3_600_000 + 5 * 60_000, "zh") == "3 小时 05 分"
    assert i18n.duration_text(42 * 60_000, "en") == "42 min"
    assert i18n.duration_text(42 * 60_000, "zh") == "42 分钟"


# -- the source: every literal key exists; screens build no English by hand --------------------------

LOOKUPS = {"t": i18n.keys(), "tn": i18n.plural_keys()}


def _modules_using_the_catalogue() -> list[Path]:
    return [
        p
        for p in PACKAGE.rglob("*.py")
        if re.search(r"^\s*from quizforge\.i18n import", p.read_text(encoding="utf-8"), re.M)
    ]


def test_every_literal_key_in_the_code_is_in_the_catalogue() -> None:
    missing = []
    for path in _modules_using_the_catalogue():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in LOOKUPS):
                continue
            key = node.args[0] if node.args else None
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value not in LOOKUPS[node.func.id]:
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.id}({key.value!r})")
    assert missing == []


# calls whose text argument the user reads: (positional index, keyword names)
SHOWN = {
    "Static": (0, {"renderable", "content"}),
    "Label": (0, {"renderable", "content"}),
    "Button": (0, {"label"}),
    "notify": (0, {"message", "title"}),
    "Binding": (2, {"description", "tooltip"}),
    "SystemCommand": (0, {"title", "help"}),
}
# key names and marks are not language: "(ctrl+s)", "(esc)", "(y)", "F2"
KEY_NAMES = re.compile(r"\b(?:ctrl|shift|alt)\+\w+|\besc\b|\bF\d+\b|\(\w\)")
LOOKUP_CALLS = {"t", "tn", "rating_name", "duration_text"}


# the same in every language
NOT_LANGUAGE = {"English / 中文"}


def _english(node: ast.expr) -> bool:
    """Whether ``node`` builds text with English words in it that are not catalogue lookups."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value not in NOT_LANGUAGE and re.search(r"[A-Za-z]{2,}", KEY_NAMES.sub("", node.value)) is not None
    if isinstance(node, ast.JoinedStr):
        return any(_english(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _english(node.left) or _english(node.right)
    if isinstance(node, ast.IfExp):
        return _english(node.body) or _english(node.orelse)
    return False  # a name, an attribute, a call (a lookup or bank text): not built here


def _shown_arguments(node: ast.Call) -> list[ast.expr]:
    name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
    if name not in SHOWN:
        return []
    index, keywords = SHOWN[name]
    out = [node.args[index]] if len(node.args) > index else []
    return out + [k.value for k in node.keywords if k.arg in keywords]


def hand_built(source: str) -> list[int]:
    """The lines of ``source`` where a shown string is written in English by hand."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            lines += [node.lineno for arg in _shown_arguments(node) if _english(arg)]
        elif isinstance(node, ast.Assign):
            titled = any(isinstance(t, ast.Attribute) and t.attr in ("title", "sub_title") for t in node.targets)
            if titled and _english(node.value):
                lines.append(node.lineno)
    return lines


def test_the_check_catches_hand_built_english() -> None:
    assert hand_built('Static("Card 1 of 3")') == [1]
    assert hand_built('self.notify(f"{n} cards left")') == [1]
    assert hand_built('Binding("s", "study", "Study")') == [1]
    assert hand_built('self.title = "Mock" + " interview"') == [1]
    assert hand_built("Button(f\"{t('action.save', lang)} (ctrl+s)\")") == []
    assert hand_built('Static(t("study.progress", lang, done=1, left=3))') == []
    assert hand_built('Static("✓")') == []


def test_no_screen_or_widget_builds_an_english_string_by_hand() -> None:
    tui = PACKAGE / "tui"
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in [tui / "app.py", *sorted((tui / "screens").glob("*.py")), *sorted((tui / "widgets").glob("*.py"))]
        for line in hand_built(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_keys_the_code_builds_are_in_the_catalogue() -> None:
    """The keys not written out as literals: a widget's hints, a kind's name, a model answer's label."""
    from quizforge import kinds
    from quizforge.kinds.base import Expected
    from quizforge.tui.widgets import answers

    widgets = [w for w in vars(answers).values() if isinstance(w, answers.AnswerWidget)]
    hints = {key for w in widgets for key in (w.hint, w.mock_hint) if key}
    assert hints and hints <= i18n.keys()
    assert {f"kind.{k.name}" for k in kinds.all_kinds()} <= i18n.keys()  # the scorecard names each kind
    given = re.findall(r"model_label=[\"'](\w+)[\"']", "".join(p.read_text("utf-8") for p in PACKAGE.rglob("*.py")))
    labels = {Expected.model_label, *given}
    assert len(labels) > 1 and {f"answer.{label}" for label in labels} <= i18n.keys()
