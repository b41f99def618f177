"""Malformed and hostile bank files through `quizforge validate` and `quizforge --bank DIR list`."""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.faults.helpers import main

GOOD = """\
questions:
  - id: good.one
    kind: choice
    topic: cnn.pool
    difficulty: 2
    prompt:
      en: Which pooling keeps the maximum?
    choices:
      - en: max pooling
      - en: average pooling
    correct: [0]
"""

PROBLEM = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): \S+: .+$")


def alias_bomb(d: Path) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(9))}]" for i in range(1, 12)]
    (d / "bomb.yaml").write_text("\n".join(lines) + "\n")
    return "bomb.yaml"


def deep_nesting(d: Path) -> str:
    (d / "deep.yaml").write_text("questions: " + "[" * 200_000 + "]" * 200_000 + "\n")
    return "deep.yaml"


def deep_mapping(d: Path) -> str:
    (d / "deepmap.yaml").write_text("".join(" " * i + f"k{i}:\n" for i in range(500)))
    return "deepmap.yaml"


def fifty_mb(d: Path) -> str:
    with (d / "huge.yaml").open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: the size is what matters
    return "limited to 16 MB"


def binary(d: Path) -> str:
    (d / "binary.yaml").write_bytes(GOOD.encode() + bytes(range(256)))
    return "binary data"


def utf16(d: Path) -> str:
    (d / "utf16.yaml").write_bytes(GOOD.encode("utf-16"))
    return "utf16.yaml"


def latin1(d: Path) -> str:
    (d / "latin1.yaml").write_bytes(GOOD.replace("maximum", "maximum café").encode("latin-1"))
    return "not UTF-8"


def directory_named_yaml(d: Path) -> str:
    (d / "x.yaml").mkdir()
    (d / "x.yaml" / "inner.txt").write_text("hi")
    return "Is a directory"


def fifo(d: Path) -> str:
    os.mkfifo(d / "pipe.yaml")
    return "not a regular file"


def device(d: Path) -> str:
    (d / "zero.yaml").symlink_to("/dev/zero")
    return "not a regular file"


def dangling_symlink(d: Path) -> str:
    (d / "gone.yaml").symlink_to(d / "nowhere.yaml")
    return "No such file"


def not_a_mapping(d: Path) -> str:
    (d / "list.yaml").write_text("- 1\n- 2\n")
    return "list.yaml:1:"


def empty(d: Path) -> str:
    (d / "empty.yaml").write_text("# nothing here\n\n")
    return "empty.yaml"


def tags(d: Path) -> str:
    (d / "tags.yaml").write_text("questions: !!python/object/apply:os.system ['echo pwned']\n")
    return "tags.yaml"


def huge_scalar(d: Path) -> str:
    (d / "bigtext.yaml").write_text(GOOD.replace("Which pooling keeps the maximum?", "x" * 5_000_000))
    return "longer than"


HOSTILE: dict[str, Callable[[Path], str]] = {
    f.__name__: f
    for f in (
        alias_bomb,
        deep_nesting,
        deep_mapping,
        fifty_mb,
        binary,
        utf16,
        latin1,
        directory_named_yaml,
        fifo,
        device,
        dangling_symlink,
        not_a_mapping,
        empty,
        tags,
        huge_scalar,
    )
}


def _bank(tmp_path: Path, case: str) -> tuple[Path, str]:
    d = tmp_path / "bank"
    d.mkdir()
    (d / "good.yaml").write_text(GOOD)
    return d, HOSTILE[case](d)


def _check_problem_lines(out: str) -> list[str]:
    lines = out.splitlines()
    assert lines and re.match(r"^\d+ problems? in \d+ files?$", lines[-1]), out[-500:]
    for line in lines[:-1]:
        assert PROBLEM.match(line), line[:300]
        assert len(line) < 1000, line[:300]
    return lines[:-1]


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_validate_reports_each_problem_on_one_line(case: str, tmp_path: Path) -> None:
    d, fragment = _bank(tmp_path, case)
    t = time.perf_counter()
    run = main("validate", "--lenient", str(d))
    elapsed = time.perf_counter() - t
    assert run.code == 1, (run.code, run.out[-500:], run.err[-500:])
    problems = _check_problem_lines(run.out)
    assert any(fragment in p for p in problems), (fragment, problems)
    assert not any("good.yaml" in p for p in problems), problems
    assert run.err == ""
    assert elapsed < 5, elapsed


@pytest.mark.parametrize("case", sorted(set(HOSTILE) - {"fifo", "device"}))
def test_list_with_a_hostile_user_bank_still_lists_the_good_questions(case: str, tmp_path: Path) -> None:
    d, _ = _bank(tmp_path, case)
    t = time.perf_counter()
    run = main("--data-dir", str(tmp_path / "data"), "--bank", str(d), "list", "--topic", "cnn.pool")
    assert run.code == 0, run.err[-500:]
    assert "good.one" in run.out and "Traceback" not in run.err
    assert time.perf_counter() - t < 10


@pytest.mark.slow
def test_list_with_a_fifo_in_the_user_bank_does_not_hang(tmp_path: Path) -> None:
    d, _ = _bank(tmp_path, "fifo")
    try:
        result = subprocess.run(
            [*_cli(), "--data-dir", str(tmp_path / "data"), "--bank", str(d), "list"], timeout=4, capture_output=True
        )
    except subprocess.TimeoutExpired:
        pytest.fail("quizforge --bank DIR list hung on a FIFO")
    assert result.returncode == 0


def _cli() -> list[str]:
    import sys

    return [sys.executable, "-m", "quizforge"]


def test_unreadable_file_is_one_problem_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d, _ = _bank(tmp_path, "empty")
    secret = d / "secret.yaml"
    secret.write_text(GOOD.replace("good.one", "secret.one"))
    secret.chmod(0)
    if os.geteuid() == 0:  # root ignores permission bits: make the open fail as it would for a user
        real_open = pathlib.Path.open

        def deny(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            if self.name == "secret.yaml":
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(pathlib.Path, "open", deny)
    run = main("validate", "--lenient", str(d))
    assert run.code == 1
    problems = _check_problem_lines(run.out)
    assert any("secret.yaml" in p and "Permission denied" in p for p in problems), problems


@pytest.mark.parametrize("command", ["validate", "list"])
def test_symlink_loop_is_a_problem_line(command: str, tmp_path: Path) -> None:
    d, _ = _bank(tmp_path, "empty")
    (d / "a.yaml").symlink_to(d / "b.yaml")
    (d / "b.yaml").symlink_to(d / "a.yaml")
    if command == "validate":
        run = main("validate", "--lenient", str(d))
        assert run.code == 1
        assert any("a.yaml" in p for p in _check_problem_lines(run.out))
    else:
        run = main("--data-dir", str(tmp_path / "data"), "--bank", str(d), "list")
        assert run.code == 0


def test_directory_symlink_loop_is_not_followed(tmp_path: Path) -> None:
    d, _ = _bank(tmp_path, "empty")
    (d / "sub").mkdir()
    (d / "sub" / "up").symlink_to(d)
    (d / "sub" / "q.yaml").write_text(GOOD.replace("good.one", "sub.one"))
    t = time.perf_counter()
    run = main("validate", "--lenient", str(d))
    assert run.code == 1 and time.perf_counter() - t < 5
    assert "sub.one" not in run.out  # a good file: no problem line for it


def test_validate_as_a_subprocess_never_prints_a_traceback(tmp_path: Path) -> None:
    d = tmp_path / "bank"
    d.mkdir()
    for case in ("alias_bomb", "deep_nesting", "binary", "utf16", "directory_named_yaml", "fifo", "tags"):
        HOSTILE[case](d)
    result = run_cli("validate", "--lenient", str(d))
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    _check_problem_lines(result.stdout)
