"""House rules: the core knows no screen, and start-up paths never pay for torch."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "quizforge"


def modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=120,
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def heavy(mods: set[str]) -> set[str]:
    return {m for m in mods if m.split(".")[0] in ("torch", "textual")}


def test_cli_import_and_help_load_neither_torch_nor_textual() -> None:
    assert heavy(modules_after("import quizforge.cli")) == set()
    code = (
        "import contextlib, io\nfrom quizforge.cli import main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()): main(['--help'])"
    )
    assert heavy(modules_after(code)) == set()


def test_bank_grading_and_generation_do_not_import_torch() -> None:
    code = (
        "from quizforge.kinds import load\nfrom quizforge.numeric.base import families, generate\n"
        "b = load()\n[generate(n, 1) for n in families()]\nimport quizforge.grading"
    )
    assert heavy(modules_after(code)) == set()


def test_nothing_outside_tui_imports_textual() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.is_relative_to(PACKAGE / "tui"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}:{node.lineno} {n}" for n in names if n.split(".")[0] == "textual"]
    assert offenders == []


def test_torch_is_imported_only_inside_functions_of_the_oracles() -> None:
    """Module-level torch imports are allowed nowhere in the package (oracles import it lazily)."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}:{node.lineno}" for n in names if n.split(".")[0] == "torch"]
    assert offenders == []


def test_tui_start_does_not_import_torch() -> None:
    code = (
        "import tempfile\nfrom quizforge.kinds import load\nfrom quizforge.tui.app import make_app\n"
        "import quizforge.tui.screens.dashboard, quizforge.tui.screens.study\n"
        "app = make_app(tempfile.mkdtemp(), load(), 'en')\napp.counts()\napp.mastery()"
    )
    mods = modules_after(code)
    assert "textual" in mods  # the check is meaningful: the TUI was really loaded
    assert {m for m in mods if m.split(".")[0] == "torch"} == set()
