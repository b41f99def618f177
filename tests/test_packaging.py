"""The wheel carries everything a non-editable install needs, the shipped bank included."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "quizforge").rglob("__init__.py")}
    assert found | {"quizforge.question_bank"} == listed


@pytest.mark.slow
def test_installed_wheel_finds_the_shipped_bank(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob("quizforge-*.whl"))
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        timeout=300,
    )
    env = {**os.environ, "PYTHONPATH": str(target), "QUIZFORGE_DATA_DIR": str(tmp_path / "data")}
    where = subprocess.run(
        [sys.executable, "-c", "import quizforge.locations as l; print(l.shipped_bank_dir())"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(target)
    result = subprocess.run(
        [sys.executable, "-m", "quizforge", "validate"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "questions in" in result.stdout
    # the TUI's style sheets travel too (CSS_PATH is resolved next to the installed modules)
    shipped_css = {p.relative_to(ROOT / "quizforge") for p in (ROOT / "quizforge").rglob("*.tcss")}
    installed_css = {p.relative_to(target / "quizforge") for p in (target / "quizforge").rglob("*.tcss")}
    assert shipped_css and shipped_css == installed_css
    # and so do the free-text matcher's synonyms
    assert (target / "quizforge" / "grading" / "synonyms.yaml").is_file()
