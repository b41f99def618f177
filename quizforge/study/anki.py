"""``quizforge export --format apkg``: the bank as an Anki deck (genanki), to study on a phone."""

from __future__ import annotations

import html
from pathlib import Path

from quizforge.bank import Bank
from quizforge.kinds import kind_of

DECK_ID = 1_734_290_417  # stable: re-importing the deck in Anki updates it instead of duplicating it
MODEL_ID = 1_734_290_418


def export_apkg(bank: Bank, path: Path, lang: str = "en") -> int:
    """Write the bank to ``path`` as an Anki package. Returns the number of notes.

    Each question's kind writes its notes' sides; a generated question becomes a few fixed instances
    (seeds 0, 1, …) with their worked solutions, as Anki cannot draw fresh numbers.
    """
    import genanki

    model = genanki.Model(
        MODEL_ID,
        "quizforge",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Id"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}],
    )
    deck = genanki.Deck(DECK_ID, "quizforge")
    n = 0
    for q in bank:
        kind = kind_of(q)
        for seed in kind.anki_seeds(q):
            front, back = kind.anki_sides(q, lang, seed)
            key = q.id if seed is None else f"{q.id}#{seed}"
            tags = [q.topic.replace(" ", "_"), *(t.replace(" ", "_") for t in q.tags)]
            deck.add_note(
                genanki.Note(model=model, fields=[front, back, html.escape(key)], guid=genanki.guid_for(key), tags=tags)
            )
            n += 1
    genanki.Package(deck).write_to_file(str(path))
    return n
