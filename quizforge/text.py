"""Bilingual text: every user-facing string of the bank and of generated questions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Lang(StrEnum):
    EN = "en"
    ZH = "zh"


@dataclass(frozen=True, slots=True)
class Text:
    """A string in English and Chinese; either may be empty when a bank gives only one."""

    en: str
    zh: str = ""

    def get(self, lang: Lang | str) -> str:
        """The text in ``lang``, falling back to the other language when that one is empty."""
        if lang == Lang.ZH:
            return self.zh or self.en
        return self.en or self.zh

    def to_dict(self) -> dict[str, str]:
        return {"en": self.en, "zh": self.zh}

    @classmethod
    def same(cls, s: str) -> Text:
        """Text that reads the same in both languages (a formula, a name)."""
        return cls(s, s)
