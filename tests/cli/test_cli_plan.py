"""`quizforge plan`: the JSON contract, --show/--clear, and one-line errors for bad input."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from quizforge import cli
from quizforge.store import Store
from quizforge.study.planning import current_plan

KEYS = {
    "date", "days_left", "cards_in_scope", "new_per_day", "minutes_per_day", "feasible", "predicted_ready",
    "alternatives",
}  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--data-dir", str(data), "--lang", "en", "plan", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def in_days(n: int) -> str:
    return (date.today() + timedelta(days=n)).isoformat()


def test_setting_a_plan_prints_the_contract_keys_and_stores_the_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, tmp_path, "--date", in_days(20), "--areas", "cnn,optim", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) == KEYS
    assert data["date"] == in_days(20) and data["minutes_per_day"] == 30
    assert 19 <= data["days_left"] <= 21  # the study day may still be yesterday's before the day-start hour
    with Store.open(tmp_path / "quizforge.db") as store:
        plan = current_plan(store)
    assert plan is not None and plan.areas == ("cnn", "optim")
    # the cards of exactly those areas, all unseen: spread over the days before the 3-day cut-off
    assert data["new_per_day"] == -(-data["cards_in_scope"] // (data["days_left"] - 3))
    code, out, _ = run(capsys, tmp_path, "--show", "--json")
    assert code == 0 and json.loads(out)["cards_in_scope"] == data["cards_in_scope"]
    code, out, _ = run(capsys, tmp_path, "--show")
    assert code == 0 and "cnn, optim" in out and in_days(20) in out


def test_an_impossible_plan_lists_alternatives(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, tmp_path, "--date", in_days(5), "--minutes-per-day", "5", "--json")
    data = json.loads(out)
    assert code == 0 and data["feasible"] is False and data["alternatives"]
    for a in data["alternatives"]:
        assert a["change"] in ("date", "minutes", "areas") and a["predicted_ready"] >= 0.9
    code, out, _ = run(capsys, tmp_path, "--show")
    assert "Not feasible" in out and "more time" in out


def test_clear_and_show_without_a_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, tmp_path, "--show", "--json")[1].strip() == "null"
    assert "no plan" in run(capsys, tmp_path, "--clear")[1]
    run(capsys, tmp_path, "--date", in_days(9))
    assert run(capsys, tmp_path, "--clear")[1].strip() == "Plan cleared."
    assert "No interview plan" in run(capsys, tmp_path, "--show")[1]


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--date", "2026-02-30"], "--date 2026-02-30"),
        (["--date", "next week"], "--date next week"),
        (["--date", "2001-01-01"], "--date 2001-01-01"),
        (["--date", "YESTERDAY"], "--date"),
        (["--date", "FUTURE", "--areas", "cnn,nosuch"], "--areas nosuch"),
        (["--date", "FUTURE", "--retention", "1.2"], "--retention 1.2"),
        (["--date", "FUTURE", "--retention", "0.5"], "--retention 0.5"),
        (["--date", "FUTURE", "--minutes-per-day", "0"], "--minutes-per-day 0"),
        ([], "--date"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], names: str
) -> None:
    args = [{"FUTURE": in_days(10), "YESTERDAY": in_days(-1)}.get(a, a) for a in args]
    code, out, err = run(capsys, tmp_path, *args)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and names in err and "Traceback" not in err
    with Store.open(tmp_path / "quizforge.db") as store:
        assert current_plan(store) is None


def test_a_number_flag_that_is_not_a_number_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        run(capsys, tmp_path, "--date", in_days(10), "--minutes-per-day", "ten")
    err = capsys.readouterr().err
    assert exc.value.code == 2 and err.count("\n") == 1 and "--minutes-per-day" in err
