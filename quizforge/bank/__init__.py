"""The question bank: schema, safe loading with file:line errors, coverage rules."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from quizforge.bank.loader import TOPICS_FILE, BankError, Problem, load_bank
from quizforge.bank.schema import Bank, KeyPoint, Kind, Question, Topic
from quizforge.locations import shipped_bank_dir

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


def load(extra_banks: Sequence[Path] = (), *, include_shipped: bool = True, cache_dir: Path | None = None) -> Bank:
    """The bank the app studies from: the shipped bank plus the user's bank folders.

    Questions with problems are left out, as long as something loads; a bank where every file is
    broken raises so the user hears about it.

    Args:
        extra_banks: The user's bank folders or files, loaded after the shipped bank.
        include_shipped: Whether to load the shipped bank.
        cache_dir: Where parsed files are cached by content hash (``None``: no cache).

    Raises:
        BankError: when no question could be loaded at all, listing every problem.
    """
    from quizforge.bank.cache import BankCache
    from quizforge.numeric.base import families

    paths = ([shipped_bank_dir()] if include_shipped else []) + list(extra_banks)
    bank, problems = load_bank(
        paths,
        strict=False,
        topic_catalogues=[shipped_catalogue()],
        known_generators=families(),
        cache=BankCache(cache_dir) if cache_dir is not None else None,
    )
    if problems and not bank.questions:
        raise BankError(problems)
    return bank
