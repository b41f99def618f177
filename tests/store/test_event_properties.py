"""Property tests: random histories on two devices travel without loss by export/import and by sync.

- export → import into an empty store shows the same cards, log, settings, mocks, plan and report;
- importing A then B equals B then A (down to the bytes of the export); importing twice equals once;
- syncing A and B through a folder equals importing both.
"""

from __future__ import annotations

import io
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from quizforge.store import Store
from quizforge.study.exchange import export_jsonl, import_jsonl
from quizforge.study.sync import sync
from tests.store.history import histories, open_devices, play, skews, state

EXAMPLES = 60
COUNT: Counter[str] = Counter()


def _export(store: Store, path: Path) -> Path:
    with path.open("w", encoding="utf-8") as f:
        export_jsonl(store, f)
    return path


def _text(store: Store) -> str:
    out = io.StringIO()
    export_jsonl(store, out)
    return out.getvalue()


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories, skew=skews)
def test_export_import_and_sync_lose_nothing(
    history: list[tuple[int, int, tuple[Any, ...]]], skew: tuple[int, int]
) -> None:
    COUNT["examples"] += 1
    COUNT["steps"] += len(history)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        a, b = open_devices(root)
        try:
            play([a, b], history, skew)
            for dev in (a, b):
                COUNT.update(e.kind for e in dev.store.events())
                COUNT["review"] += dev.store.review_count()
            file_a, file_b = _export(a.store, root / "a.jsonl"), _export(b.store, root / "b.jsonl")

            # export -> import into an empty store: the same everything
            with Store.open(root / "copy" / "quizforge.db") as copy:
                import_jsonl(copy, file_a)
                assert state(copy, root) == state(a.store, root)
                assert _text(copy) == file_a.read_text(encoding="utf-8")

            # A + B = B + A, and a second import changes nothing
            with Store.open(root / "ab" / "quizforge.db") as ab, Store.open(root / "ba" / "quizforge.db") as ba:
                import_jsonl(ab, file_a)
                import_jsonl(ab, file_b)
                import_jsonl(ba, file_b)
                import_jsonl(ba, file_a)
                merged = state(ab, root)
                assert state(ba, root) == merged
                assert _text(ab) == _text(ba)
                once = _text(ab)
                summary = import_jsonl(ab, file_b)
                assert summary.added == summary.events_added == 0
                assert _text(ab) == once and state(ab, root) == merged

                # sync through a folder = import of both, on both devices
                folder = root / "shared"
                folder.mkdir()
                for dev in (a, b, a):
                    sync(dev.store, folder)
                for dev in (a, b):
                    assert state(dev.store, root) == merged
                    assert _text(dev.store) == once
        finally:
            a.store.close()
            b.store.close()


def test_zz_report_example_counts() -> None:
    """Runs after the property test (file order): prints how many histories it tried."""
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(COUNT.items()) if k not in ("examples", "steps"))
    print(f"\nevent property test: {COUNT['examples']} histories, {COUNT['steps']} steps on two devices; {kinds}")
