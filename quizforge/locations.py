"""Where quizforge keeps things. Nothing happens at import time; directories are created by the caller."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "quizforge"
DATA_DIR_ENV = "QUIZFORGE_DATA_DIR"
DB_FILENAME = "quizforge.db"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: ``override`` (``--data-dir``), else ``$QUIZFORGE_DATA_DIR``, else the platform's.

    Returns:
        An absolute path; it may not exist yet.
    """
    if override is not None:
        return Path(override).expanduser().resolve()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs  # deferred: only needed when no override is given

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def db_path(data: Path) -> Path:
    return data / DB_FILENAME


def bank_cache_dir(data: Path) -> Path:
    """Parsed bank files, keyed by content hash (safe to delete at any time)."""
    return data / "cache" / "bank"


def shipped_bank_dir() -> Path:
    """The question bank shipped with quizforge.

    In a source checkout (or an editable install) it is ``question_bank/`` beside the package; an
    installed wheel carries it as ``quizforge/question_bank``.
    """
    package = Path(__file__).resolve().parent
    bundled = package / "question_bank"
    if bundled.is_dir():
        return bundled
    return package.parent / "question_bank"
