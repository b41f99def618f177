"""Which files make up a bank (no YAML needed: the start-up path uses this before any parsing)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

TOPICS_FILE = "topics.yaml"


def bank_files(paths: Iterable[Path]) -> list[Path]:
    """The ``*.yaml``/``*.yml`` files under ``paths`` (files are taken as given), sorted, without duplicates."""
    out: dict[Path, None] = {}
    for p in paths:
        if p.is_dir():
            for f in sorted([*p.rglob("*.yaml"), *p.rglob("*.yml")]):
                out.setdefault(_resolved(f), None)
        else:
            out.setdefault(_resolved(p), None)
    return list(out)


def _resolved(path: Path) -> Path:
    """``path`` resolved; a symlink loop (``RuntimeError`` on Python 3.11) stays as given, and the loader
    reports it as an unreadable file."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return path.absolute()
