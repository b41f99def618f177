"""Malformed import files through the CLI: one line naming the line, exit 2, nothing written."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.faults.helpers import main, make_history, review_line, snapshot

RID = str(uuid.uuid4())

# each case: the bytes of line 3 (line 1 is a good review, line 2 is blank), and a fragment of the message
CASES: dict[str, tuple[Callable[[], bytes], str]] = {
    "not-json": (lambda: b"{not json", ":3:"),
    "json-array": (lambda: b"[1, 2]", "expected a JSON object"),
    "json-string": (lambda: b'"review"', "expected a JSON object"),
    "rating-7": (lambda: review_line(rating=7).encode(), "rating must be an integer 1"),
    "rating-string": (lambda: review_line(rating="3").encode(), "rating must be an integer 1"),
    "rating-bool": (lambda: review_line(rating=True).encode(), "rating must be an integer 1"),
    "rating-float": (lambda: review_line(rating=3.0).encode(), "rating must be an integer 1"),
    "missing-id": (
        lambda: json.dumps({"card_id": "c", "rating": 3, "reviewed_at": "2026-03-01T10:00:00Z"}).encode(),
        "id",
    ),
    "missing-card": (
        lambda: json.dumps({"id": RID, "rating": 3, "reviewed_at": "2026-03-01T10:00:00Z"}).encode(),
        "card_id",
    ),
    "missing-time": (lambda: json.dumps({"id": RID, "card_id": "c", "rating": 3}).encode(), "reviewed_at"),
    "card-id-number": (lambda: review_line(card_id=12).encode(), "card_id must be a non-empty string"),
    "naive-time": (lambda: review_line(reviewed_at="2026-03-01T10:00:00").encode(), "timezone"),
    "time-garbage": (lambda: review_line(reviewed_at="yesterday").encode(), "reviewed_at"),
    "time-year-1": (lambda: review_line(reviewed_at="0001-01-01T00:00:00+01:00").encode(), "reviewed_at"),
    "bad-uuid": (lambda: review_line(id="nope").encode(), "is not a UUID"),
    "source-unknown": (lambda: review_line(source="magic").encode(), "unknown source"),
    "source-list": (lambda: review_line(source=[1]).encode(), "unknown source"),
    "seed-string": (lambda: review_line(seed="1").encode(), "seed has the wrong type"),
    "seed-huge": (lambda: review_line(seed=10**30).encode(), "seed is out of range"),
    "duration-huge": (lambda: review_line(duration_ms=-(10**20)).encode(), "duration_ms is out of range"),
    "score-nan": (lambda: review_line(score=float("nan")).encode(), "score must be a finite number"),
    "answer-dict": (lambda: review_line(answer={"a": 1}).encode(), "answer must be a string"),
    "lone-surrogate": (lambda: review_line(answer="\ud800").encode(), "lone surrogate"),
    "deep-nesting": (lambda: b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    "unknown-type": (lambda: b'{"type": "card"}', "unknown line type"),
    "undone-bad-id": (lambda: b'{"type": "undone", "id": 5}', "id must be a UUID"),
    "settings-not-object": (lambda: b'{"type": "settings", "settings": [1]}', "settings must be an object"),
    "settings-wrong-type": (
        lambda: b'{"type": "settings", "settings": {"desired_retention": "x"}}',
        "desired_retention",
    ),
    "settings-infinite": (lambda: b'{"type": "settings", "settings": {"new_per_day": 1e400}}', "new_per_day"),
    "settings-fsrs-count": (lambda: b'{"type": "settings", "settings": {"fsrs_parameters": [1, 2]}}', "settings"),
    "settings-language": (lambda: b'{"type": "settings", "settings": {"language": "fr"}}', "language"),
    "settings-hour-30": (lambda: b'{"type": "settings", "settings": {"day_start_hour": 30}}', "day_start_hour"),
    "settings-interval-0": (lambda: b'{"type": "settings", "settings": {"maximum_interval": 0}}', "maximum_interval"),
    "settings-steps-str": (lambda: b'{"type": "settings", "settings": {"learning_steps_s": ["1m"]}}', "learning_steps"),
    "binary-garbage": (lambda: bytes(range(11, 256)) * 40, "not UTF-8"),
    "latin-1": (lambda: review_line().encode()[:-1] + b', "answer": "caf\xe9"}', "not UTF-8"),
    "duplicate-conflict": (lambda: review_line(id=RID, rating=1).encode(), "same id on line 1"),
}


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("history")
    make_history(data, 40)
    return data


def _write(path: Path, third: bytes) -> None:
    path.write_bytes(review_line(id=RID, rating=3).encode() + b"\n\n" + third + b"\n" + review_line().encode() + b"\n")


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_line_is_refused_with_its_number(case: str, history: Path, tmp_path: Path) -> None:
    make, fragment = CASES[case]
    before = snapshot(history)
    file = tmp_path / "bad.jsonl"
    _write(file, make())
    t = time.perf_counter()
    run = main("--data-dir", str(history), "import", str(file))
    assert time.perf_counter() - t < 5
    run.one_line_error(f"{file}:3:", fragment, "nothing was imported")
    assert snapshot(history) == before


@pytest.mark.parametrize("case", ["not-json", "rating-7", "binary-garbage"])
def test_malformed_first_line_into_a_fresh_dir_writes_nothing(case: str, tmp_path: Path) -> None:
    file = tmp_path / "bad.jsonl"
    file.write_bytes(CASES[case][0]() + b"\n")
    run = main("--data-dir", str(tmp_path / "d"), "import", str(file))
    run.one_line_error(f"{file}:1:")
    assert snapshot(tmp_path / "d") == (snapshot(tmp_path / "empty")[0], [])


def test_a_50_mb_line_is_refused_quickly(history: Path, tmp_path: Path) -> None:
    before = snapshot(history)
    file = tmp_path / "big.jsonl"
    with file.open("wb") as f:
        f.write(review_line().encode() + b"\n")
        f.write(b'{"id": "' + RID.encode() + b'", "card_id": "c", "rating": 3, "reviewed_at": "2026-03-01T10:00:00Z",')
        f.write(b' "answer": "' + b"x" * 50_000_000 + b'"}\n')
    t = time.perf_counter()
    run = main("--data-dir", str(history), "import", str(file))
    elapsed = time.perf_counter() - t
    run.one_line_error(f"{file}:2:", "line longer than 16 MB")
    assert elapsed < 3, elapsed
    assert snapshot(history) == before


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_an_empty_file_is_refused(content: bytes, history: Path, tmp_path: Path) -> None:
    before = snapshot(history)
    file = tmp_path / "empty.jsonl"
    file.write_bytes(content)
    run = main("--data-dir", str(history), "import", str(file))
    run.one_line_error(f"{file}:1:", "empty")
    assert snapshot(history) == before


def test_identical_duplicates_are_accepted_once(tmp_path: Path) -> None:
    line = review_line(id=RID)
    file = tmp_path / "dup.jsonl"
    file.write_text(line + "\n" + line + "\n")
    run = main("--data-dir", str(tmp_path / "d"), "import", str(file))
    assert run.code == 0 and run.out.startswith("imported 1 new reviews"), run


def test_missing_unreadable_and_directory_import_paths(history: Path, tmp_path: Path) -> None:
    before = snapshot(history)
    main("--data-dir", str(history), "import", str(tmp_path / "missing.jsonl")).one_line_error("no such file")
    (tmp_path / "dir.jsonl").mkdir()
    main("--data-dir", str(history), "import", str(tmp_path / "dir.jsonl")).one_line_error("no such file")
    assert snapshot(history) == before


def test_own_export_with_hostile_but_valid_text_round_trips(tmp_path: Path) -> None:
    """Whatever a valid file holds (odd unicode, NUL, huge numbers within range) exports back unchanged."""
    lines = [
        review_line(answer="\x00\u202e😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \t\r" + "é" * 1000, card_id="q/\"'\\", seed=2**63 - 1),
        review_line(answer="", duration_ms=0, score=1e308, correct=False, source="mock"),
    ]
    file = tmp_path / "ok.jsonl"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = main("--data-dir", str(tmp_path / "d"), "import", str(file))
    assert run.code == 0, run.err
    out = tmp_path / "back.jsonl"
    assert main("--data-dir", str(tmp_path / "d"), "export", "--output", str(out)).code == 0
    run = main("--data-dir", str(tmp_path / "e"), "import", str(out))
    assert run.code == 0 and run.out.startswith("imported 2 new reviews"), run
    assert snapshot(tmp_path / "d")[0] == snapshot(tmp_path / "e")[0]


def test_imported_settings_are_usable_by_a_later_study_session(tmp_path: Path) -> None:
    """A settings line that passes is one every command can use (it used to store day_start_hour 30,
    and every later `study` crashed with "hour must be in 0..23")."""
    file = tmp_path / "s.jsonl"
    values = {"day_start_hour": 23, "maximum_interval": 1, "desired_retention": 0.5, "learning_steps_s": [1]}
    file.write_text(json.dumps({"type": "settings", "settings": values}) + "\n")
    data = tmp_path / "d"
    assert main("--data-dir", str(data), "import", str(file)).code == 0
    run = main("--data-dir", str(data), "study", "--plain", stdin="")
    assert run.code == 0, run.err
    assert main("--data-dir", str(data), "report").code == 0


def test_crlf_and_a_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    file = tmp_path / "windows.jsonl"
    file.write_bytes(b"\xef\xbb\xbf" + review_line().encode() + b"\r\n" + review_line().encode() + b"\r\n")
    run = main("--data-dir", str(tmp_path / "d"), "import", str(file))
    assert run.code == 0 and run.out.startswith("imported 2 new reviews"), run


def test_a_pasted_two_megabyte_answer_exports_and_imports_back(tmp_path: Path) -> None:
    """The line cap is far above what a person can paste into the mock's answer box."""
    file = tmp_path / "big-answer.jsonl"
    file.write_text(review_line(answer="长" * 2_000_000) + "\n", encoding="utf-8")
    assert main("--data-dir", str(tmp_path / "a"), "import", str(file)).code == 0
    out = tmp_path / "out.jsonl"
    assert main("--data-dir", str(tmp_path / "a"), "export", "--output", str(out)).code == 0
    run = main("--data-dir", str(tmp_path / "b"), "import", str(out))
    assert run.code == 0 and run.out.startswith("imported 1 new reviews"), run
