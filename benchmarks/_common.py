"""Shared helpers of the benchmark scripts: timing, the machine's description, machine-readable results.

Every ``bench_*.py`` takes ``--json FILE``: it writes there the budgets it measured (one row each: name,
median, budget, unit, pass) and any extra tables (scaling, peer ratios), which ``run.py`` gathers into
the one table that ``make bench`` prints and ``benchmarks/RESULTS.md`` records. Not imported by tests.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"


@dataclass
class Budget:
    """One docs/architecture.md §8 budget as measured: ``measured`` is a median unless ``note`` says otherwise."""

    name: str
    measured: float
    budget: float
    unit: str  # "ms", "s", "×" (ratio) or "" (a yes/no check: measured 1 = yes)
    note: str = ""
    passed: bool = field(init=False)

    def __post_init__(self) -> None:
        self.passed = self.measured <= self.budget if self.unit == "×" else self.measured < self.budget


@dataclass
class Results:
    script: str
    budgets: list[Budget] = field(default_factory=list)
    tables: dict[str, Any] = field(default_factory=dict)  # free-form extras: scaling rows, peer ratios

    def check(self, name: str, ok: bool, note: str = "") -> None:
        """A yes/no budget (e.g. "no torch in sys.modules"): recorded as 0 (yes) against < 1."""
        self.budgets.append(Budget(name, 0.0 if ok else 1.0, 1.0, "", note))

    def timing_budgets(self, rows: list[tuple[str, list[float], float | None]]) -> None:
        """A millisecond budget, checked on the median, for each timing row that has one (rows as in
        :func:`timing_table`)."""
        for name, times, budget in rows:
            if budget is not None:
                self.budgets.append(Budget(name, median(times), budget, "ms", f"p95 {p95(times):.3f} ms"))

    def write(self, path: str | None) -> None:
        if path:
            payload = {"script": self.script, "budgets": [asdict(b) for b in self.budgets], "tables": self.tables}
            Path(path).write_text(json.dumps(payload, indent=1), encoding="utf-8")

    @property
    def ok(self) -> bool:
        return all(b.passed for b in self.budgets)


def timed(fn: Callable[[], object], repeat: int, clock: Callable[[], float] = time.perf_counter) -> list[float]:
    """Times of ``repeat`` calls of ``fn``, in milliseconds: wall times, or ``clock=time.thread_time``
    for this thread's CPU time (on a shared machine the wall clock also measures the neighbours)."""
    out = []
    for _ in range(repeat):
        t0 = clock()
        fn()
        out.append((clock() - t0) * 1000)
    return out


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    s = sorted(samples)
    return s[max(0, int(len(s) * 0.95) - 1)]


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def ram_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return 0.0


def machine() -> dict[str, str]:
    import numpy as np

    return {
        "CPU": f"{cpu_model()} ({platform.machine()})",
        "cores": str(os.cpu_count()),
        "RAM": f"{ram_gib():.1f} GiB",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "SQLite": sqlite3.sqlite_version,
        "NumPy": np.__version__,
        "Textual": _version("textual"),
        "torch": _version("torch"),
        "fsrs (py-fsrs)": _version("fsrs"),
        "fsrs-rs-python": _version("fsrs-rs-python"),
        "anki": _version("anki"),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(unset)"),
    }


def timing_table(rows: list[tuple[str, list[float], float | None]]) -> str:
    """A Markdown table of ``(operation, times in ms, target ms or None)`` rows: median, p95, target met."""
    lines = ["| operation | median ms | p95 ms | target ms |", "|---|---:|---:|---:|"]
    for name, times, target in rows:
        med = median(times)
        ok = "" if target is None else (f"< {target:g} ✓" if med < target else f"< {target:g} ✗")
        lines.append(f"| {name} | {med:.3f} | {p95(times):.3f} | {ok} |")
    return "\n".join(lines)


def short_machine() -> str:
    m = machine()
    return f"{m['CPU']}, {m['cores']} cores, {m['RAM']}, {m['Python']}, SQLite {m['SQLite']}"
