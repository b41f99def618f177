"""UI-free study logic (docs/architecture.md §3): FSRS scheduling, the daily queue, the study session.

The pieces a view needs:

- :class:`~quizforge.study.session.StudySession` — ``next_card() -> Presented | None``,
  ``submit(text) -> Result``, ``reveal() -> Result``, ``self_grade(ticked) -> Result`` (concept cards),
  ``rate(rating=None) -> Saved``, ``undo() -> Presented | None``, ``suspend(card_id)``,
  ``unsuspend(card_id)``, ``counts(now=None) -> Counts``, ``mastery(now=None) -> dict[topic, float]``,
  ``remaining``.
- :mod:`~quizforge.study.scheduling` — FSRS through py-fsrs with fuzz fixed by each review's UUID,
  ``replay`` of a card's log, vectorised ``retrievability``.
- :mod:`~quizforge.study.exchange` — JSONL ``export_jsonl`` / ``import_jsonl`` (union by id, then replay).
- :mod:`~quizforge.study.optimize` — ``optimize(store, reschedule=...)`` with fsrs-rs-python.
- :mod:`~quizforge.study.anki` — ``export_apkg(bank, path, lang)``.
- :mod:`~quizforge.study.plain` — ``run_plain(session, stdin, stdout, lang)`` for ``study --plain``.

Modules are imported by their full names; this package imports nothing at start-up.
"""
