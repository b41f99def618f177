"""The commands built on the study core: study --plain, export, import, optimize."""

from __future__ import annotations

import io
import json
import random
import sqlite3
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from quizforge import cli
from quizforge.bank import Kind
from quizforge.store import Review, Store
from quizforge.study.session import StudySession
from tests.conftest import run_cli

from .conftest import T0, Clock, make_bank, question, right_answer, wrong_answer

BANK = make_bank([question("c1", Kind.CHOICE), question("n1", Kind.NUMERIC), question("k1", Kind.CONCEPT)])


def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str, stdin: str = ""):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def db(data: Path) -> Store:
    return Store.open(data / "quizforge.db")


def test_plain_study_dialogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "_load_bank", lambda args: BANK)
    stdin = "zzz\na\n7\n\n21\n4\n\nq\n"
    code, out, err = run_main(monkeypatch, capsys, "--data-dir", str(tmp_path), "study", "--plain", stdin=stdin)
    assert code == 0 and err == ""
    assert "c1?" in out and "  a) yes" in out and "try again" in out  # unreadable answer re-asked
    assert "rating [1 again, 2 hard, 3 good, 4 easy; Enter = 4 easy]> " in out  # "a" is right: Easy proposed
    assert "please type 1, 2, 3 or 4" in out  # bad rating re-asked
    assert "Expected: 20" in out  # wrong numeric answer shows the right one
    assert "Model answer:" in out and "  1. p1" in out  # concept card revealed with key points
    assert "Stopped after 2 cards; your reviews are saved." in out  # q at the concept card's key points
    with db(tmp_path) as s:
        reviews = s.reviews()
    assert [(r.card_id, r.rating, r.answer, r.correct) for r in reviews] == [
        ("c1", 4, "a", True),  # answered at once: Easy proposed and accepted
        ("n1", 4, "21", False),  # wrong, but the user overrode the rating
    ]


def test_plain_study_in_chinese_names_the_ratings_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "_load_bank", lambda args: BANK)
    stdin = "a\n\nq\n"
    code, out, _ = run_main(
        monkeypatch, capsys, "--data-dir", str(tmp_path), "--lang", "zh", "study", "--plain", stdin=stdin
    )
    assert code == 0
    assert "评分 [1 重来、2 困难、3 良好、4 简单；回车 = 4 简单]> " in out  # "a" is right: Easy proposed
    assert "已在 1 张卡片后停止；你的复习记录已保存。" in out


def test_plain_study_ends_at_end_of_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "_load_bank", lambda args: BANK)
    code, out, _ = run_main(monkeypatch, capsys, "--data-dir", str(tmp_path), "study", "--plain", stdin="a\n2\nb")
    assert code == 0 and "Stopped after 1 card; your reviews are saved." in out
    code, out, _ = run_main(monkeypatch, capsys, "--data-dir", str(tmp_path), "study", "--plain", stdin="")
    assert code == 0 and "Stopped after 0 cards" in out and "Session over" not in out


def test_plain_study_in_a_subprocess_over_the_shipped_bank(tmp_path: Path) -> None:
    # the first card is a concept card: reveal, no ticks, accept the rating; then the input ends
    stdin = "\n0\n\n"
    result = run_cli("--data-dir", str(tmp_path), "study", "--plain", "--topic", "cnn.conv", "--new", "2", stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert "· concept · new]" in result.stdout.split("\n")[1]
    assert "Stopped after 1 card" in result.stdout
    result = run_cli("--data-dir", str(tmp_path), "study", "--plain", "--topic", "nope")
    assert result.returncode == 2 and "unknown topic" in result.stderr


def make_history(data: Path, seed: int, days: int = 6) -> None:
    bank = make_bank([question(f"q{i}", Kind.CHOICE if i % 2 else Kind.NUMERIC, topic=f"t.{i % 3}") for i in range(12)])
    rng = random.Random(seed)
    clock = Clock(T0 + timedelta(hours=seed))
    with db(data) as store:
        for _ in range(days):
            s = StudySession(store, bank, now=clock, rng=rng)
            while (p := s.next_card()) is not None:
                clock.advance(seconds=rng.choice([3, 30, 300]))
                s.submit(right_answer(p) if rng.random() < 0.7 else wrong_answer(p))
                s.rate(rng.choice([None, 1, 3]))
                if rng.random() < 0.1:
                    s.undo()
            clock.advance(days=rng.choice([1, 2]))


def states(data: Path) -> dict[str, object]:
    with db(data) as s:
        return {c.card_id: (c.memory, c.leech) for c in s.cards() if c.memory.reps}


def log_ids(data: Path) -> set[str]:
    with db(data) as s:
        return {r.id for r in s.reviews()}


def test_export_then_import_into_an_empty_dir_reproduces_card_states(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b, file = tmp_path / "a", tmp_path / "b", tmp_path / "a.jsonl"
    make_history(a, 1)
    with db(a) as s:
        s.set_settings(desired_retention=0.85)
    make_history(a, 2, days=2)
    code, _, err = run_main(monkeypatch, capsys, "--data-dir", str(a), "export", "--output", str(file))
    assert code == 0 and "exported" in err
    lines = [json.loads(x) for x in file.read_text().splitlines()]
    assert lines[0] == {"type": "header", "format": 2}
    setting = next(x for x in lines if x["type"] == "event" and x["kind"] == "setting")
    assert setting["key"] == "desired_retention" and setting["data"] == {"value": 0.85}
    review = next(x for x in lines if x["type"] == "review")
    assert {"id", "card_id", "rating", "reviewed_at"} <= set(review) and review["reviewed_at"].endswith("+00:00")
    code, out, _ = run_main(monkeypatch, capsys, "--data-dir", str(b), "import", str(file))
    assert code == 0 and "settings applied" in out
    # exact equality needs the same settings throughout: rebuild a's cache with today's settings
    from quizforge.study.exchange import replay_cards

    with db(a) as s:
        replay_cards(s, [c.card_id for c in s.cards()])
    assert states(b) == states(a) and len(states(a)) > 5
    assert log_ids(b) == log_ids(a)
    code, out, _ = run_main(monkeypatch, capsys, "--data-dir", str(b), "export")
    assert code == 0 and out.splitlines()[1:] == file.read_text().splitlines()[1:]


def test_import_is_idempotent_and_commutative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    make_history(a, 3)
    run_main(monkeypatch, capsys, "--data-dir", str(a), "export", "--output", str(tmp_path / "a0.jsonl"))
    make_history(b, 4)
    run_main(monkeypatch, capsys, "--data-dir", str(b), "import", str(tmp_path / "a0.jsonl"))  # overlap
    make_history(b, 5, days=2)
    make_history(a, 6, days=2)
    for name, data in (("a", a), ("b", b)):
        run_main(monkeypatch, capsys, "--data-dir", str(data), "export", "--output", str(tmp_path / f"{name}.jsonl"))
    ab, ba = tmp_path / "ab", tmp_path / "ba"
    for target, order in ((ab, "ab"), (ba, "ba")):
        for name in order:
            code, _, _ = run_main(
                monkeypatch, capsys, "--data-dir", str(target), "import", str(tmp_path / f"{name}.jsonl")
            )
            assert code == 0
    assert states(ab) == states(ba) and log_ids(ab) == log_ids(ba) == log_ids(a) | log_ids(b)
    before = states(ab)
    code, out, _ = run_main(monkeypatch, capsys, "--data-dir", str(ab), "import", str(tmp_path / "a.jsonl"))
    assert code == 0 and out.startswith("imported 0 new reviews") and states(ab) == before


def test_a_malformed_import_writes_nothing_and_names_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    good = {"id": str(uuid.uuid4()), "card_id": "q1", "rating": 3, "reviewed_at": "2026-03-01T10:00:00+00:00"}
    for bad in (
        "{not json",
        json.dumps({**good, "id": str(uuid.uuid4()), "rating": 5}),
        json.dumps({**good, "id": str(uuid.uuid4()), "reviewed_at": "2026-03-01T10:00:00"}),
        json.dumps({**good, "id": "nope"}),
        json.dumps([1, 2]),
    ):
        file = tmp_path / "bad.jsonl"
        file.write_text(json.dumps(good) + "\n\n" + bad + "\n" + json.dumps(good) + "\n")
        code, _, err = run_main(monkeypatch, capsys, "--data-dir", str(tmp_path / "d"), "import", str(file))
        assert code == 2 and "bad.jsonl:3:" in err and "nothing was imported" in err and err.count("\n") == 1
        with db(tmp_path / "d") as s:
            assert s.review_count() == 0 and s.cards() == []
    code, _, err = run_main(monkeypatch, capsys, "--data-dir", str(tmp_path / "d"), "import", str(tmp_path / "missing"))
    assert code == 2 and "no such file" in err


def test_export_apkg_writes_an_anki_package(tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    result = run_cli("--data-dir", str(tmp_path), "export", "--format", "apkg", "--output", str(out))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as z:
        z.extract("collection.anki2", tmp_path)
    conn = sqlite3.connect(tmp_path / "collection.anki2")
    n_notes = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
    assert f"wrote {n_notes} notes" in result.stderr
    fields = [r[0] for r in conn.execute("SELECT flds FROM notes")]
    assert any("#2" in f for f in fields)  # generated questions as fixed instances (seeds 0–2)


def fake_log(store: Store, cards: int, reviews_per_card: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    rows = []
    for c in range(cards):
        t = T0
        for _ in range(reviews_per_card):
            rows.append(Review(str(uuid.UUID(int=rng.getrandbits(128))), f"c{c}", rng.choice([1, 2, 3, 3, 3, 4]), t))
            t += timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600))
    store.add_reviews(rows)


def test_optimize_says_how_much_more_history_it_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with db(tmp_path) as s:
        fake_log(s, 10, 4)  # 30 usable reviews
    code, out, _ = run_main(monkeypatch, capsys, "--data-dir", str(tmp_path), "optimize")
    assert code == 0 and "30 usable reviews, 400 needed (370 more" in out
    with db(tmp_path) as s:
        assert s.settings().fsrs_parameters is None


def test_optimize_fits_stores_and_reschedules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with db(tmp_path) as s:
        fake_log(s, 200, 6)
    code, out, _ = run_main(monkeypatch, capsys, "--data-dir", str(tmp_path), "optimize", "--reschedule")
    assert code == 0 and "fitted 21 FSRS parameters to 1000 reviews" in out and "rescheduled 200 cards" in out
    from quizforge.study.scheduling import Scheduling

    with db(tmp_path) as s:
        params = s.settings().fsrs_parameters
        assert params is not None and len(params) == 21
        sched = Scheduling(s.settings())
        card = s.card("c7")
        assert card is not None and card.memory == sched.replay(s.reviews("c7"))


def test_plain_study_speaks_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "_load_bank", lambda args: BANK)
    code, out, _ = run_main(
        monkeypatch, capsys, "--data-dir", str(tmp_path), "--lang", "zh", "study", "--plain", stdin="a\n\n"
    )
    assert code == 0 and "c1？" in out and "评分" in out and "已在 1 张卡片后停止" in out


def test_format_interval() -> None:
    from quizforge.study.plain import format_interval

    assert [format_interval(timedelta(seconds=s)) for s in (30, 600, 7200, 3 * 86400, 75 * 86400, 800 * 86400)] == [
        "30s",
        "10m",
        "2h",
        "3d",
        "2.5mo",
        "2.2y",
    ]


def test_import_accepts_minimal_review_objects_from_other_tools(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "other.jsonl"
    rows = [
        {"id": str(uuid.uuid4()), "card_id": "conv-output-size", "rating": r, "reviewed_at": at}
        for r, at in ((3, "2026-03-01T10:00:00Z"), (3, "2026-03-04T10:00:00+08:00"))
    ]
    file.write_text("".join(json.dumps(r) + "\n" for r in rows))
    code, out, _ = run_main(monkeypatch, capsys, "--data-dir", str(tmp_path / "d"), "import", str(file))
    assert code == 0 and out.startswith("imported 2 new reviews") and "settings applied" not in out
    with db(tmp_path / "d") as s:
        log = s.reviews()
        card = s.card("conv-output-size")
    assert [r.source for r in log] == ["import", "import"] and log[
        1
    ].reviewed_at.isoformat() == "2026-03-04T02:00:00+00:00"
    assert card is not None and card.memory.reps == 2


def test_plain_study_speaks_the_language_saved_in_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "_load_bank", lambda args: BANK)
    monkeypatch.delenv("QUIZFORGE_LANG", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    with db(tmp_path) as s:
        s.set_settings(language="zh")
    data = ["--data-dir", str(tmp_path)]
    _, out, _ = run_main(monkeypatch, capsys, *data, "study", "--plain", stdin="q\n")
    assert "答案> " in out
    _, out, _ = run_main(monkeypatch, capsys, *data, "--lang", "en", "study", "--plain", stdin="q\n")
    assert "answer> " in out and "答案" not in out  # an explicit --lang still wins
