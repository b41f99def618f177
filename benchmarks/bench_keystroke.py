"""What one keystroke in an answer box costs, with 2,000 characters typed (issue 13, item 8).

Three measurements, all on a generated matrix card (scaled dot-product attention) in the study screen:

- **handler**: the answer box's on-change path alone (``AnswerInput._changed``: the live preview),
  called with the text of one more key, median over many keys; beside it, what the same key cost when
  the preview read the answer twice on every key (``parse_answer`` then ``describe``), as it did before.
- **whole keystroke**: CPU time of the process per key while Pilot presses keys into a 2,000-character
  answer (the Input's own editing, the on-change path, layout and painting); Pilot's waiting is idle
  time and not counted. Median over batches of keys.
- **paste**: 800 characters written at once into a real 80×24 pty (as ``tmux send-keys`` does) until
  their last characters are on the terminal.

Budget: ≤ 5 ms per keystroke (handler and whole keystroke).

Run: ``.venv/bin/python benchmarks/bench_keystroke.py [--record] [--json FILE]``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from _common import Budget, Results  # noqa: E402

BUDGET_MS = 5.0
CARD = "attn-gen-attention-output"
ROW = "1.25 -3 4 0.5; "
TYPED = (ROW * 200)[:1990]  # 1,990 characters, then each key makes it longer
PASTE = (ROW * 60)[:792] + "7 8 9 6"  # 800 characters ending in a run the screen shows only once pasted

# the real app in a pty, opening a cram session on CARD once the bank is synced
PTY_APP = f"""
import os
from quizforge.kinds import load
from quizforge.tui.app import make_app
app = make_app(os.environ["QUIZFORGE_DATA_DIR"], load, "en")
def open_card():
    app.sync_bank()
    app.study_cards([{CARD!r}])
app.call_later(lambda: app.set_timer(0.3, open_card))
app.run()
"""


def old_preview(text: str, kind: object, lang: str) -> None:
    """The preview as it was: read once to colour it, and again to describe it."""
    from quizforge.grading import AnswerParseError, describe, parse_answer

    with contextlib.suppress(AnswerParseError):
        parse_answer(text, kind)  # type: ignore[arg-type]
    describe(text, kind, lang)  # type: ignore[arg-type]


async def handler_cost() -> dict[str, float]:
    from textual.widgets import Input

    from quizforge.kinds import load
    from quizforge.tui.app import make_app
    from quizforge.tui.widgets.answer_input import AnswerInput

    app = make_app(Path(tempfile.mkdtemp(prefix="qf-keys-")), load(), "en", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.1)
        app.sync_bank()
        app.study_cards([CARD])
        await pilot.pause(0.1)
        box = app.screen.query_one(AnswerInput)
        field = box.query_one(Input)
        field.value = TYPED
        field.cursor_position = len(TYPED)
        await pilot.pause(0.3)

        handler, before = [], []
        for i in range(200):
            text = TYPED + str(i % 10)
            event = Input.Changed(field, text)
            t0 = time.perf_counter()
            box._changed(event)
            handler.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            old_preview(text, box.kind, "en")
            before.append(time.perf_counter() - t0)
    return {"handler_ms": statistics.median(handler) * 1e3, "before_ms": statistics.median(before) * 1e3}


EMPTY_APP = """
from textual.app import App
from textual.widgets import Input
class Empty(App):
    def compose(self):
        yield Input(placeholder="Type your answer")
Empty().run()
"""


def keys_in_pty(program: str, runs: int, keys: int) -> tuple[list[float], list[float]]:
    """For ``program`` in a real 80×24 pty: seconds per key for ``keys`` keys typed after 1,990
    characters arrived as one bracketed paste, and seconds for PASTE typed key by key (as ``tmux
    send-keys`` does) into an empty box, until the last characters show."""
    import fcntl
    import pty
    import select
    import signal
    import struct
    import termios

    def wait_for(fd: int, marker: bytes, t0: float, what: str) -> None:
        seen = b""
        while marker not in seen:
            if time.perf_counter() - t0 > 60:
                raise RuntimeError(f"{what}: no {marker!r}; output ends {seen[-300:]!r}")
            if select.select([fd], [], [], 0.02)[0]:
                seen += os.read(fd, 65536)

    def drain(fd: int) -> None:
        time.sleep(0.5)
        while select.select([fd], [], [], 0.05)[0]:
            os.read(fd, 65536)

    per_key, pastes = [], []
    typed = "".join(str(i % 10) for i in range(keys - 5)) + "wxyzq"[: min(5, keys)]
    for _ in range(runs):
        for mode in ("long", "paste"):
            data = tempfile.mkdtemp(prefix="qf-keys-")
            env = dict(os.environ, TERM="xterm-256color", QUIZFORGE_DATA_DIR=data, QUIZFORGE_LANG="en")
            pid, fd = pty.fork()
            if pid == 0:
                os.execvpe(sys.executable, [sys.executable, "-c", program], env)
            fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            try:
                wait_for(fd, b"Type your answer", time.perf_counter(), "the answer box")
                drain(fd)
                if mode == "long":
                    os.write(fd, b"\x1b[200~" + TYPED.encode() + b"\x1b[201~")
                    drain(fd)
                    t0 = time.perf_counter()
                    os.write(fd, typed.encode())
                    wait_for(fd, typed[-5:].encode(), t0, "typing")
                    per_key.append((time.perf_counter() - t0) / len(typed))
                else:
                    t0 = time.perf_counter()
                    os.write(fd, PASTE.encode())
                    wait_for(fd, PASTE[-7:].encode(), t0, "the paste")
                    pastes.append(time.perf_counter() - t0)
            finally:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                os.close(fd)
    return per_key, pastes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=200, help="keys typed after the long answer")
    parser.add_argument("--runs", type=int, default=3, help="pty runs of each program")
    parser.add_argument("--record", action="store_true", help="write benchmarks/RESULTS-keystroke.md")
    parser.add_argument("--json", metavar="FILE", help="write the budgets measured as JSON (for run.py)")
    args = parser.parse_args()

    m = asyncio.run(handler_cost())
    ours_key, ours_paste = keys_in_pty(PTY_APP, args.runs, args.keys)
    empty_key, empty_paste = keys_in_pty(EMPTY_APP, args.runs, args.keys)
    key_ms = statistics.median(ours_key) * 1e3
    empty_ms = statistics.median(empty_key) * 1e3
    res = Results("bench_keystroke.py")
    res.budgets.append(
        Budget(
            "answer box: the on-change path of one key, 2,000 characters typed",
            m["handler_ms"],
            BUDGET_MS,
            "ms",
            f"median of 200 keys; reading the answer twice per key as before: {m['before_ms']:.2f} ms",
        )
    )
    res.budgets.append(
        Budget(
            "answer box: one key to the screen in a pty, 2,000 characters typed",
            key_ms,
            BUDGET_MS,
            "ms",
            f"{args.keys} keys at once, {args.runs} runs; an empty Textual app's Input: {empty_ms:.2f} ms",
        )
    )
    res.write(args.json)
    p, pe = statistics.median(ours_paste), statistics.median(empty_paste)
    lines = [
        "# Keystroke benchmark",
        "",
        f"Recorded {time.strftime('%Y-%m-%d')} by `bench_keystroke.py`: a generated matrix card (`{CARD}`) in "
        f"the study screen, 80×24 pseudo-terminals, {args.runs} runs each; the empty Textual app (one Input) "
        "in the same run.",
        "",
        "| measurement (median) | quizforge | empty Textual app | budget |",
        "|---|---:|---:|---:|",
        f"| on-change path of one key (live preview), 2,000 characters typed | {m['handler_ms']:.3f} ms | | "
        f"≤ {BUDGET_MS} ms |",
        f"| the same, reading the answer twice on every key (the code before) | {m['before_ms']:.2f} ms | | |",
        f"| one key to the screen, 2,000 characters typed ({args.keys} keys written at once) | {key_ms:.2f} ms | "
        f"{empty_ms:.2f} ms | ≤ {BUDGET_MS} ms |",
        f"| 800 characters typed key by key (`tmux send-keys`) until they show | {p:.2f} s | {pe:.2f} s | |",
        "",
        "Up to 200 characters the preview follows every key; a longer answer is read once typing pauses for "
        "0.15 s. What is left of a key's cost is Textual's: the Input's editing and the layout and paint of a "
        "fuller screen than the empty app's one Input. A bracketed paste (a terminal's, or "
        "`tmux paste-buffer -p`) arrives as one event. The figures move with the machine's load "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs when recorded).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.record:
        (ROOT / "benchmarks" / "RESULTS-keystroke.md").write_text(text, encoding="utf-8")
    return 0 if res.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
