"""Every card must make sense on its own: study, quizzes and Anki show it without its parent.

A follow-up that opened with "Same problem, …" was shown alone in a quiz, where nobody had seen the
problem. Follow-ups may still refer to their subject by name; they may not lean on the card before.
"""

from __future__ import annotations

import re

import pytest

from quizforge.kinds import load

LEANS_ON_PARENT = re.compile(
    r"^(same|the same)\b|\b(as above|previous (question|card|example)|the one above|as before)\b"
    r"|^(同样|同一个|同上|接上题)|上一题|上题",
    re.IGNORECASE,
)

BANK = load(include_shipped=True)


@pytest.mark.parametrize("qid", sorted(BANK.questions))
def test_the_prompt_stands_on_its_own(qid: str) -> None:
    q = BANK.questions[qid]
    for lang, text in (("en", q.prompt.en), ("zh", q.prompt.zh)):
        match = LEANS_ON_PARENT.search(text.strip())
        assert match is None, f"{qid} ({lang}) leans on another card: {match.group(0)!r} in {text[:80]!r}"
