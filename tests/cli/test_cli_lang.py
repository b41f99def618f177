"""The command line's own messages speak the resolved language: --lang, $QUIZFORGE_LANG, the locale, and
(once a command has opened the store) the language saved in the TUI's settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizforge import cli
from quizforge.store import Store


@pytest.fixture(autouse=True)
def _no_language_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("QUIZFORGE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(
    ("args", "env", "line"),
    [
        ([], {}, "quizforge: error: --count must be 1..100000\n"),
        (["--lang", "en"], {"LANG": "zh_CN.UTF-8"}, "quizforge: error: --count must be 1..100000\n"),
        (["--lang", "zh"], {}, "quizforge：错误：--count 必须为 1..100000\n"),
        ([], {"QUIZFORGE_LANG": "zh"}, "quizforge：错误：--count 必须为 1..100000\n"),
        ([], {"LANG": "zh_CN.UTF-8"}, "quizforge：错误：--count 必须为 1..100000\n"),
        ([], {"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "quizforge: error: --count must be 1..100000\n"),
    ],
)
def test_an_error_speaks_the_language_given(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: dict[str, str],
    line: str,
) -> None:
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    code, _, err = run(capsys, *args, "generate", "conv_output_size", "--count", "0")
    assert code == cli.EXIT_USAGE and err == line


def test_a_command_with_the_store_open_speaks_the_saved_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(tmp_path / "quizforge.db") as store:
        store.set_settings(language="zh")
    data = ["--data-dir", str(tmp_path)]
    code, out, _ = run(capsys, *data, "optimize")
    assert code == 0 and out.startswith("复习记录还不够：可用的复习 0 条")
    code, out, _ = run(capsys, *data, "--lang", "en", "optimize")  # an explicit --lang still wins
    assert code == 0 and out.startswith("not enough history yet: 0 usable reviews")


def test_a_count_reads_naturally_in_both_languages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "log.jsonl"
    data = ["--data-dir", str(tmp_path / "d")]
    _, _, err = run(capsys, *data, "--lang", "en", "export", "--output", str(out_file))
    assert err == f"exported 0 reviews to {out_file}\n"
    _, _, err = run(capsys, *data, "--lang", "zh", "export", "--output", str(out_file))
    assert err == f"已导出 0 条复习记录到 {out_file}\n"
