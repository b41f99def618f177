"""The question bank: schema, safe loading with file:line errors, coverage rules."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizforge.bank.files import TOPICS_FILE, bank_files
from quizforge.bank.schema import Bank, KeyPoint, Kind, Question, Topic
from quizforge.locations import shipped_bank_dir

if TYPE_CHECKING:
    from quizforge.bank.loader import BankError, Problem, load_bank

_LAZY = {"BankError", "Problem", "load_bank"}  # the loader imports YAML: only when files must be parsed


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from quizforge.bank import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Bank",
    "BankError",
    "KeyPoint",
    "Kind",
    "Problem",
    "Question",
    "Topic",
    "load",
    "load_bank",
    "shipped_catalogue",
]


def shipped_catalogue() -> Path:
    return shipped_bank_dir() / TOPICS_FILE


def load(
    extra_banks: Sequence[Path] = (),
    *,
    include_shipped: bool = True,
    cache_dir: Path | None = None,
    known_generators: Callable[[Path | None], frozenset[str]] | None = None,
) -> Bank:
    """The bank the app studies from: the shipped bank plus the user's bank folders.

    Questions with problems are left out, as long as something loads; a bank where every file is
    broken raises so the user hears about it. The question kinds must be registered (import
    ``quizforge.kinds``); :func:`quizforge.kinds.load` does both and passes the generator families.

    Args:
        extra_banks: The user's bank folders or files, loaded after the shipped bank.
        include_shipped: Whether to load the shipped bank.
        cache_dir: Where parsed files are cached by content hash (``None``: no cache).
        known_generators: Gives the generator family names (called with ``cache_dir``, where it may
            keep them); cards naming another family are problems. ``None``: every name is accepted.

    Raises:
        BankError: when no question could be loaded at all, listing every problem.
    """
    from quizforge.bank.cache import BankCache, BankSnapshot

    paths = ([shipped_bank_dir()] if include_shipped else []) + list(extra_banks)
    generators = known_generators(cache_dir) if known_generators is not None else None
    snapshot = key = None
    if cache_dir is not None:
        files = bank_files(paths)
        snapshot = BankSnapshot(cache_dir)
        key = snapshot.key(files, [shipped_catalogue().resolve()], generators)
        cached = snapshot.get(key) if key else None
        if cached is not None:
            return cached
    from quizforge.bank.loader import BankError, load_bank

    bank, problems = load_bank(
        paths,
        strict=False,
        topic_catalogues=[shipped_catalogue()],
        known_generators=generators,
        cache=BankCache(cache_dir) if cache_dir is not None else None,
    )
    if problems and not bank.questions:
        raise BankError(problems)
    if snapshot is not None and key is not None and not problems:
        snapshot.put(key, bank)
    return bank
