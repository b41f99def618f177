"""``quizforge export --format apkg``: the bank as an Anki deck (genanki), to study on a phone."""

from __future__ import annotations

import html
from pathlib import Path

from quizforge.bank import Bank, Kind, Question

DECK_ID = 1_734_290_417  # stable: re-importing the deck in Anki updates it instead of duplicating it
MODEL_ID = 1_734_290_418
INSTANCES_PER_GENERATED = 3
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _p(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _sides(q: Question, lang: str, seed: int | None) -> tuple[str, str]:
    if q.kind == Kind.GENERATED:
        from quizforge.numeric.base import get_family

        assert q.generator is not None and seed is not None
        inst = get_family(q.generator).generate(seed)
        front = _p(inst.prompt.get(lang))
        if inst.choices:
            front += "<br>" + "<br>".join(f"{_LETTERS[i]}) {_p(c.get(lang))}" for i, c in enumerate(inst.choices))
        answer = inst.answer
        back = (
            f"<b>{_p(str(list(answer) if isinstance(answer, tuple) else answer))}</b><br>{_p(inst.solution.get(lang))}"
        )
        return front, back
    front = _p(q.prompt.get(lang))
    if q.kind == Kind.CHOICE:
        front += "<br>" + "<br>".join(f"{_LETTERS[i]}) {_p(c.get(lang))}" for i, c in enumerate(q.choices))
        back = "<b>" + ", ".join(f"{_LETTERS[i]}) {_p(q.choices[i].get(lang))}" for i in q.correct) + "</b>"
        if q.explanation is not None:
            back += "<br>" + _p(q.explanation.get(lang))
    elif q.kind == Kind.NUMERIC:
        back = f"<b>{_p(str(q.value))}</b>"
        if q.solution is not None:
            back += "<br>" + _p(q.solution.get(lang))
    else:
        back = _p(q.answer.get(lang)) if q.answer is not None else ""
        if q.key_points:
            back += "<ul>" + "".join(f"<li>{_p(k.text.get(lang))}</li>" for k in q.key_points) + "</ul>"
    return front, back


def export_apkg(bank: Bank, path: Path, lang: str = "en") -> int:
    """Write the bank to ``path`` as an Anki package. Returns the number of notes.

    Generated questions become ``INSTANCES_PER_GENERATED`` fixed instances (seeds 0, 1, …) with
    their worked solutions: Anki cannot draw fresh numbers.
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
        seeds: list[int | None] = list(range(INSTANCES_PER_GENERATED)) if q.kind == Kind.GENERATED else [None]
        for seed in seeds:
            front, back = _sides(q, lang, seed)
            key = q.id if seed is None else f"{q.id}#{seed}"
            tags = [q.topic.replace(" ", "_"), *(t.replace(" ", "_") for t in q.tags)]
            deck.add_note(
                genanki.Note(model=model, fields=[front, back, html.escape(key)], guid=genanki.guid_for(key), tags=tags)
            )
            n += 1
    genanki.Package(deck).write_to_file(str(path))
    return n
