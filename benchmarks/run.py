"""Run every benchmark script in this folder and record its figures (``make bench``).

Each ``bench_*.py`` prints its own table and, with ``--record``, writes ``RESULTS-*.md`` beside it.
Byte-code is compiled first and ``PYTHONDONTWRITEBYTECODE`` is dropped for the children, so start-up
figures are not inflated by re-compiling our modules on every run (DESIGN §8).
"""

from __future__ import annotations

import compileall
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    compileall.compile_dir(HERE.parent / "quizforge", quiet=1)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        rc = subprocess.run([sys.executable, str(script), "--record", *sys.argv[1:]], env=env).returncode
        if rc:
            failed.append(script.name)
    if failed:
        print("over budget or failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
