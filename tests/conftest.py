from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import Phase, settings

import quizforge.kinds  # noqa: F401 - registers the built-in question kinds with the bank loader

# `make mutation` runs the tests under mutmut's tracing, many times slower: no per-example deadline there,
# the same examples on every run so a mutant's verdict does not depend on the draw, and 25 of them (a surviving
# mutant runs every test that reaches it; the property tests dominated that time on the shared 2-core machine),
# and no shrinking: a failing example already kills the mutant (shrinking it took 10-25 s, ran into mutmut's
# timeout and made the ops.py run several times slower; the verdict is the same, killed).
settings.register_profile(
    "mutation", deadline=None, derandomize=True, max_examples=25, phases=(Phase.explicit, Phase.generate)
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the user's real data dir."""
    monkeypatch.setenv("QUIZFORGE_DATA_DIR", str(tmp_path_factory.mktemp("data")))


def run_cli(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m quizforge`` in a subprocess, as a user would."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "quizforge", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or ROOT,
        timeout=120,
    )
