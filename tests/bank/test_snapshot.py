"""The start-up cache of the whole bank: same bank back, invalidated by any edit, no YAML needed."""

from __future__ import annotations

import shutil
from pathlib import Path

from quizforge.kinds import load
from quizforge.locations import shipped_bank_dir
from tests.test_import_hygiene import modules_after


def test_a_cached_load_gives_the_same_bank(tmp_path: Path) -> None:
    first = load(cache_dir=tmp_path)
    assert (tmp_path / "snapshot.json").exists()
    again = load(cache_dir=tmp_path)
    assert again.questions == first.questions
    assert again.topics == first.topics


def test_an_edit_to_a_user_bank_is_seen(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    card = mine / "extra.yaml"
    text = (
        "topic: cnn.1x1\nquestions:\n  - id: my-card\n    kind: concept\n    difficulty: 1\n"
        "    prompt: {en: 'Old prompt?', zh: '旧题目？'}\n    answer: {en: a, zh: 甲}\n"
    )
    card.write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    assert load([mine], cache_dir=cache).questions["my-card"].prompt.en == "Old prompt?"
    card.write_text(text.replace("Old prompt?", "New prompt?"), encoding="utf-8")
    assert load([mine], cache_dir=cache).questions["my-card"].prompt.en == "New prompt?"
    card.unlink()
    assert "my-card" not in load([mine], cache_dir=cache).questions


def test_an_unchanged_bank_loads_without_the_yaml_parser(tmp_path: Path) -> None:
    code = f"from pathlib import Path\nfrom quizforge.kinds import load\nload(cache_dir=Path({str(tmp_path)!r}))"
    modules_after(code)  # fills the cache
    loaded = modules_after(code)
    assert "yaml" not in loaded and "quizforge.bank.loader" not in loaded
    assert "numpy" not in loaded  # generator names come from the catalogue cache too


def test_a_corrupt_snapshot_is_ignored(tmp_path: Path) -> None:
    expected = load(cache_dir=tmp_path)
    (tmp_path / "snapshot.json").write_text("{not json", encoding="utf-8")
    assert load(cache_dir=tmp_path).questions == expected.questions


def test_the_shipped_bank_is_not_written_to(tmp_path: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in shipped_bank_dir().iterdir()}
    load(cache_dir=tmp_path)
    assert {p: p.stat().st_mtime_ns for p in shipped_bank_dir().iterdir()} == before
    shutil.rmtree(tmp_path)


def test_texts_are_decoded_only_when_a_question_is_shown(tmp_path: Path) -> None:
    parsed = load(cache_dir=tmp_path)
    cached = load(cache_dir=tmp_path)
    q = cached.questions["1x1-what-does"]
    assert "_texts" not in q.__dict__  # the start-up path read only the light index
    assert q.topic == "cnn.1x1" and q.follow_ups == parsed.questions[q.id].follow_ups
    assert "_texts" not in q.__dict__
    assert q.prompt == parsed.questions[q.id].prompt and q.body == parsed.questions[q.id].body
    assert "_texts" in q.__dict__


def test_a_missing_texts_file_falls_back_to_the_bank_file(tmp_path: Path) -> None:
    parsed = load(cache_dir=tmp_path)
    for texts in tmp_path.glob("snapshot-*.json"):
        texts.unlink()
    cached = load(cache_dir=tmp_path)
    assert all(cached.questions[i].body == parsed.questions[i].body for i in parsed.questions)


def test_a_new_snapshot_removes_the_old_texts(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    card = mine / "extra.yaml"
    text = (
        "topic: cnn.1x1\nquestions:\n  - id: my-card\n    kind: concept\n    difficulty: 1\n"
        "    prompt: {en: 'First?', zh: '第一？'}\n    answer: {en: a, zh: 甲}\n"
    )
    cache = tmp_path / "cache"
    card.write_text(text, encoding="utf-8")
    load([mine], cache_dir=cache)
    first = set(cache.glob("snapshot-*.json"))
    card.write_text(text.replace("First?", "Second?"), encoding="utf-8")
    assert load([mine], cache_dir=cache).questions["my-card"].prompt.en == "Second?"
    second = set(cache.glob("snapshot-*.json"))
    assert first and second and not first & second
