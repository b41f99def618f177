"""The command line as a user meets it: help, version, errors as one line, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizforge import __version__
from tests.conftest import run_cli

COMMANDS = [
    "study",
    "quiz",
    "mock",
    "report",
    "validate",
    "topics",
    "list",
    "generate",
    "grade",
    "export",
    "import",
    "optimize",
]


def test_help_lists_every_command_with_one_line() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for name in COMMANDS:
        rows = [line for line in result.stdout.splitlines() if line.strip().startswith(name + " ")]
        assert len(rows) == 1, name
        assert len(rows[0].split()) > 1, f"{name} has no description"
    for option in ("--data-dir", "--bank", "--lang", "--version"):
        assert option in result.stdout


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"quizforge {__version__}"


def test_global_options_work_after_the_command_too(tmp_path: Path) -> None:
    before = run_cli("--lang", "zh", "topics")
    after = run_cli("topics", "--lang", "zh")
    assert before.returncode == after.returncode == 0
    assert before.stdout == after.stdout and "卷积" in before.stdout


def test_usage_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    for args, fragment in [
        (["list", "--topic", "nope"], "--topic nope: unknown topic"),
        (["--bank", str(tmp_path / "missing"), "topics"], "no such file or directory"),
        (["validate", str(tmp_path / "missing.yaml")], "no such file or directory"),
        (["generate", "conv_output_sise", "--seed", "1"], "unknown family 'conv_output_sise'"),
    ]:
        result = run_cli(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and fragment in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_validate_reports_problems_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("questions:\n  - id: q\n    kind: quiz\n", encoding="utf-8")
    result = run_cli("validate", str(bad))
    assert result.returncode == 1
    expected = "q.kind: expected one of concept, choice, numeric, generated, implement, got 'quiz'"
    assert f"{bad}:3:11: {expected}" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_validate_summary_on_a_good_user_bank(tmp_path: Path) -> None:
    good = tmp_path / "mine.yaml"
    good.write_text(
        "topic: cnn.pool\nquestions:\n"
        "  - id: my-pool\n    kind: concept\n    difficulty: 1\n"
        "    prompt: Why pool?\n    answer: To down-sample.\n",
        encoding="utf-8",
    )
    result = run_cli("validate", str(good))
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "1 questions in 1 files, 1 topics"


def test_shipped_bank_validates_strictly() -> None:
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "questions in" in result.stdout and "generator families checked" in result.stdout


def test_topics_and_list_plain_when_piped() -> None:
    topics = run_cli("topics")
    assert topics.returncode == 0
    rows = [line.split("\t") for line in topics.stdout.splitlines()]
    assert {r[0] for r in rows} >= {"cnn.conv", "cnn.1x1", "arch.resnet", "optim.algorithms"}
    listing = run_cli("list", "--topic", "cnn.1x1", "--kind", "concept", "--lang", "zh")
    assert listing.returncode == 0
    rows = [line.split("\t") for line in listing.stdout.splitlines()]
    assert rows and all(r[1] == "concept" and r[2] == "cnn.1x1" for r in rows)
    assert any("卷积" in r[4] for r in rows)


def test_tui_commands_without_a_terminal_say_so_in_one_line() -> None:
    for args in (["study"], ["quiz", "--topic", "cnn"], ["mock"], []):
        result = run_cli(*args, stdin="")
        assert result.returncode == 2, args
        assert result.stderr.count("\n") == 1 and "needs a terminal" in result.stderr and "--plain" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_tui_command_that_stops_before_its_first_frame_leaves_the_collector_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The TUI's start-up pauses the cyclic garbage collector until the first frame: a command that stops
    before it (no terminal here) must not leave it paused for the rest of the process."""
    import gc

    from quizforge.cli import main

    monkeypatch.setenv("QUIZFORGE_DATA_DIR", str(tmp_path))
    assert gc.isenabled()
    assert main(["study"]) == 2  # stdin is not a terminal under pytest
    assert "needs a terminal" in capsys.readouterr().err
    assert gc.isenabled()


def test_tui_commands_check_their_arguments_first() -> None:
    for args, fragment in (
        (["mock", "--topic", "nope"], "--topic nope: unknown topic"),
        (["quiz", "-n", "0"], "-n must be 1..200"),
        (["mock", "--minutes", "0"], "--minutes must be 1..600"),
        (["study", "--new", "-1"], "--new must be ≥ 0"),
    ):
        result = run_cli(*args, stdin="")
        assert result.returncode == 2 and fragment in result.stderr, (args, result.stderr)
