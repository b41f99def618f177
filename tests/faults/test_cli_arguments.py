"""Bad arguments to every sub-command: exit 2, one clear error line, no traceback, no data touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.faults.helpers import main, make_history, snapshot

HUGE = "99999999999999999999999"

# (arguments, a fragment of the error); {d} is a scratch directory, {f} a regular file in it
CHECKED_BY_QUIZFORGE = [
    (["study", "--plain", "--new", "-1"], "--new must be ≥ 0"),
    (["study", "--new", "-1"], "--new must be ≥ 0"),
    (["study", "--plain", "--topic", "nope"], "--topic nope: unknown topic"),
    (["study", "--topic", "cnn.nope"], "--topic cnn.nope: unknown topic"),
    (["quiz", "-n", "0"], "-n must be 1..200"),
    (["quiz", "-n", "201"], "-n must be 1..200"),
    (["quiz", "--topic", "nope"], "--topic nope: unknown topic"),
    (["mock", "--minutes", "0"], "--minutes must be 1..600"),
    (["mock", "--minutes", HUGE], "--minutes must be 1..600"),
    (["mock", "--questions", "51"], "--questions must be 1..50"),
    (["mock", "--topic", "nope"], "--topic nope: unknown topic"),
    (["report", "--days", "0"], "--days must be 1..36500"),
    (["report", "--topic", "nope"], "--topic nope: unknown topic"),
    (["report", "--output", "{d}"], "it is a directory"),
    (["report", "--output", "{d}/missing/r.txt"], "no such directory"),
    (["validate", "{d}/missing.yaml"], "no such file or directory"),
    (["--bank", "{d}/missing", "topics"], "no such file or directory"),
    (["--bank", "{d}/missing", "validate"], "no such file or directory"),
    (["list", "--topic", "nope"], "--topic nope: unknown topic"),
    (["generate"], "give a FAMILY"),
    (["generate", "conv_output_sise"], "unknown family 'conv_output_sise' (did you mean"),
    (["generate", "nosuch"], "unknown family 'nosuch'"),
    (["generate", "conv_output_size", "--count", "0"], "--count must be 1..100000"),
    (["generate", "conv_output_size", "--count", HUGE], "--count must be 1..100000"),
    (["generate", "conv_output_size", "--seed", "-1"], "--seed must be ≥ 0"),
    (["grade", "nosuch", "--seed", "1", "--answer", "3"], "unknown family 'nosuch'"),
    (["grade", "conv_output_size", "--seed", "-1", "--answer", "3"], "--seed must be ≥ 0"),
    (["export", "--output", "{d}/missing/x.jsonl"], "cannot write"),
    (["export", "--output", "{d}"], "cannot write"),
    (["export", "--format", "apkg", "--output", "{d}/missing/x.apkg"], "cannot write"),
    (["import", "{d}/missing.jsonl"], "no such file"),
    (["import", "{d}"], "no such file"),
    (["--data-dir", "{f}", "export"], "cannot create the data directory"),
    (["--data-dir", "{f}/sub", "report"], "cannot create the data directory"),
    (["--data-dir", "{f}", "study", "--plain"], "cannot create the data directory"),
    (["--data-dir", "{f}", "import", "{f}"], "cannot create the data directory"),
    (["--data-dir", "{f}", "optimize"], "cannot create the data directory"),
]

REJECTED_BY_ARGPARSE = [
    (["nosuch"], "invalid choice: 'nosuch'"),
    (["--lang", "fr", "topics"], "argument --lang: invalid choice: 'fr'"),
    (["topics", "--lang", "fr"], "argument --lang: invalid choice: 'fr'"),
    (["study", "--new", "x"], "argument --new: invalid int value: 'x'"),
    (["quiz", "-n", "ten"], "argument -n: invalid int value: 'ten'"),
    (["quiz", "--difficulty", "9"], "argument --difficulty: invalid choice: 9"),
    (["mock", "--minutes", "1.5"], "argument --minutes: invalid int value: '1.5'"),
    (["mock", "--seed", "s"], "argument --seed: invalid int value: 's'"),
    (["report", "--format", "pdf"], "argument --format: invalid choice: 'pdf'"),
    (["report", "--days", "week"], "argument --days: invalid int value: 'week'"),
    (["validate", "--strict", "--lenient"], "not allowed with argument"),
    (["list", "--kind", "essay"], "argument --kind: invalid choice: 'essay'"),
    (["generate", "conv_output_size", "--seed", "x"], "argument --seed: invalid int value: 'x'"),
    (["generate", "conv_output_size", "--count", "1e3"], "argument --count: invalid int value: '1e3'"),
    (["grade", "conv_output_size", "--seed", "1"], "the following arguments are required: --answer"),
    (["grade", "--seed", "1", "--answer", "3"], "the following arguments are required: FAMILY"),
    (["export", "--format", "csv"], "argument --format: invalid choice: 'csv'"),
    (["import"], "the following arguments are required: FILE"),
    (["import", "a.jsonl", "b.jsonl"], "unrecognized arguments: b.jsonl"),
    (["optimize", "--now"], "unrecognized arguments: --now"),
    (["topics", "extra"], "unrecognized arguments: extra"),
]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("data")
    make_history(d, 30)
    return d


def _args(args: list[str], tmp_path: Path) -> list[str]:
    (tmp_path / "file").write_text("x")
    return [a.replace("{d}", str(tmp_path)).replace("{f}", str(tmp_path / "file")) for a in args]


@pytest.mark.parametrize(
    ("args", "fragment"), CHECKED_BY_QUIZFORGE, ids=lambda v: " ".join(v) if isinstance(v, list) else ""
)
def test_bad_value_is_one_line_exit_2(
    args: list[str], fragment: str, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZFORGE_FORCE_TUI", "1")  # TUI commands check their arguments before starting
    before = snapshot(data)
    argv = _args(args, tmp_path)
    if "--data-dir" not in argv:
        argv = ["--data-dir", str(data), *argv]
    run = main(*argv)
    run.one_line_error("quizforge: error: ", fragment)
    assert snapshot(data) == before


@pytest.mark.parametrize(
    ("args", "fragment"), REJECTED_BY_ARGPARSE, ids=lambda v: " ".join(v) if isinstance(v, list) else ""
)
def test_malformed_arguments_exit_2_with_one_error_line(args: list[str], fragment: str, data: Path) -> None:
    before = snapshot(data)
    run = main("--data-dir", str(data), *args)
    assert run.code == 2 and run.out == "" and "Traceback" not in run.err
    errors = [line for line in run.err.splitlines() if "error:" in line]
    assert len(errors) == 1 and fragment in errors[0] and run.err.splitlines()[-1] == errors[0], run.err
    assert snapshot(data) == before


def test_argparse_errors_are_a_single_line_too() -> None:
    run = main("report", "--format", "pdf")
    assert run.code == 2 and run.err.count("\n") == 1, run.err


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--days", HUGE],
        ["report", "--format", "json", "--days", HUGE],
    ],
    ids=" ".join,
)
def test_huge_days_is_refused(args: list[str], data: Path) -> None:
    main("--data-dir", str(data), *args).one_line_error("--days")


def test_huge_new_limit_studies_everything_instead_of_crashing(data: Path, tmp_path: Path) -> None:
    """`--new 10**23` used to reach SQLite's LIMIT and raise OverflowError (fixed in Store)."""
    run = main("--data-dir", str(tmp_path / "fresh"), "study", "--plain", "--new", HUGE, stdin="")
    assert run.code == 0, run.err
    assert "Traceback" not in run.err


def test_list_accepts_an_area_like_the_other_commands() -> None:
    run = main("list", "--topic", "cnn")
    assert run.code == 0, run.err


def test_a_few_bad_arguments_in_a_real_subprocess(tmp_path: Path) -> None:
    for args in (
        ["generate", "nosuch"],
        ["--data-dir", str(tmp_path / "f" / "x"), "export"],
        ["report", "--days", "0"],
    ):
        if "--data-dir" in args:
            (tmp_path / "f").write_text("x")
        result = run_cli(*args)
        assert result.returncode == 2 and result.stderr.count("\n") == 1, (args, result.stderr)
        assert result.stderr.startswith("quizforge: error: ") and "Traceback" not in result.stderr
