"""The report core stays below the TUI: building and rendering a report imports neither textual nor torch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CODE = """
import sys
from datetime import UTC, datetime
from pathlib import Path
import tempfile
from quizforge.report.command import render
from quizforge.report.stats import build_report
from quizforge.store import Store
from tests.study.conftest import make_bank, question

with tempfile.TemporaryDirectory() as d, Store.open(Path(d) / "q.db") as store:
    report = build_report(store, make_bank([question("a")]), datetime(2026, 1, 1, tzinfo=UTC))
    for fmt in ("text", "md", "html", "json"):
        render(report, fmt)
print(sorted(m for m in ("textual", "torch") if m in sys.modules))
"""


def test_report_imports_neither_textual_nor_torch() -> None:
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == "[]"
