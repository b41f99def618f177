"""TUI start-up against an empty Textual app, side by side in real pseudo-terminals (docs/architecture.md §8).

Each run starts the program in an 80×24 pty and times how long until its first screen is painted
(a marker string appears in the output): for the empty app a Static saying "ready", for quizforge
the dashboard's buttons. Both use the same interpreter and the same warm byte-code cache. quizforge
starts twice per run: a first launch (a new data dir: no store, no bank cache yet) and a later one
(the data dir of earlier runs). Budgets (issue 13): the first launch's median within 1.5× of the empty
app's, a later launch's within 1.3×. Also times ``quizforge --help``.

Run: ``.venv/bin/python benchmarks/bench_startup.py [--runs 30] [--record] [--instructions]``
(``--instructions`` also counts, under valgrind, the instructions each program runs to its first screen:
a figure the machine's load does not move, for a shared machine.)
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import platform
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import Budget, Results  # noqa: E402

# the dashboard's buttons, or the interview-plan dialog over it (until a plan is made or declined)
FIRST_SCREEN = (b"Settings", b"Interview plan")
BUDGET_RATIO = 1.3  # a later launch
FIRST_BUDGET_RATIO = 1.5  # the first launch with a new data dir
HELP_BUDGET_S = 0.5  # not a budget figure: "--help loads neither torch nor textual" is; this bounds its wall time

# `quizforge --help` in-process, then which heavy modules it left in sys.modules
HELP_MODULES = """
import json, sys
from quizforge.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
sys.stderr.write("MODULES " + json.dumps(sorted(m for m in ("torch", "textual") if m in sys.modules)) + "\\n")
"""

# The TUI as `quizforge` starts it, with a thread that keeps writing whether torch is loaded yet
TUI_WATCHED = """
import json, sys, threading, time
out = sys.argv.pop(1)
def watch():
    while True:
        with open(out + ".tmp", "w") as fh:
            json.dump(sorted(m for m in sys.modules if m == "torch" or m.startswith("torch.")), fh)
        import os; os.replace(out + ".tmp", out)
        time.sleep(0.05)
threading.Thread(target=watch, daemon=True).start()
sys.argv[0] = "quizforge"
from quizforge.cli import main
sys.exit(main())
"""

# For the instruction counts: each program exits at its first screen (App.on_ready), so the count is
# exactly the work before the first frame
EMPTY_APP_EXIT = """
import os
from textual.app import App
from textual.widgets import Static
class Empty(App):
    def compose(self):
        yield Static("ready")
    def on_ready(self):
        os._exit(0)
Empty().run()
"""

TUI_EXIT = """
import os
import quizforge.cli as cli
run = cli._run_tui
def run_to_first_screen(*args, **kwargs):  # the TUI's own path (its imports included), ending at on_ready
    import quizforge.tui.app as app
    app.QuizforgeApp.on_ready = lambda self: os._exit(0)
    return run(*args, **kwargs)
cli._run_tui = run_to_first_screen
cli.main([])
"""

EMPTY_APP = """
from textual.app import App
from textual.widgets import Static
class Empty(App):
    def compose(self):
        yield Static("ready")
Empty().run()
"""


def time_to_marker(
    argv: list[str],
    marker: bytes | tuple[bytes, ...],
    env: dict[str, str],
    timeout: float = 20.0,
    linger: float = 0.0,
) -> float:
    """Seconds from spawning ``argv`` in a pty until ``marker`` (any of them) shows in its output (then
    ``linger`` s more)."""
    markers = marker if isinstance(marker, tuple) else (marker,)
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    seen = b""
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                seen += chunk
                if any(m in seen for m in markers):
                    elapsed = time.perf_counter() - start
                    end = time.perf_counter() + linger
                    while time.perf_counter() < end:  # keep draining the pty so the app never blocks
                        if select.select([fd], [], [], 0.05)[0]:
                            try:
                                os.read(fd, 65536)
                            except OSError:
                                break
                    return elapsed
        raise RuntimeError(f"{argv}: no {marker!r} within {timeout} s; output ends {seen[-300:]!r}")
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def instructions(argv: list[str], env: dict[str, str]) -> int:
    """Instructions executed by ``argv`` (run in an 80×24 pty under valgrind's callgrind until it exits):
    a count the machine's load does not move, unlike the wall time."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *argv]
        pid, fd = pty.fork()
        if pid == 0:  # child
            os.execvpe(cmd[0], cmd, env)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        while True:  # drain the pty until the program exits
            try:
                if not os.read(fd, 65536):
                    break
            except OSError:
                break
        os.waitpid(pid, 0)
        os.close(fd)
        for line in out.read_text().splitlines():
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise RuntimeError(f"{argv}: callgrind wrote no total")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="interleaved runs (the medians of 10 moved by ±0.1× here)")
    parser.add_argument("--record", action="store_true", help="write benchmarks/RESULTS-startup.md")
    parser.add_argument("--json", metavar="FILE", help="write the budgets measured as JSON (for run.py)")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count the instructions to the first screen under valgrind (a figure load does not move)",
    )
    args = parser.parse_args()

    data = tempfile.mkdtemp(prefix="qf-bench-")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"TERM": "xterm-256color", "QUIZFORGE_DATA_DIR": data, "QUIZFORGE_LANG": "en"}
    quizforge = str(Path(sys.executable).with_name("quizforge"))
    subprocess.run([quizforge, "topics"], env=env, capture_output=True, check=True)  # warm the bank cache
    empty_argv = [sys.executable, "-c", EMPTY_APP]
    qf_argv = [quizforge]
    empty: list[float] = []
    ours: list[float] = []
    first: list[float] = []
    for _ in range(args.runs):  # interleaved, so all see the same machine load
        empty.append(time_to_marker(empty_argv, b"ready", env))
        ours.append(time_to_marker(qf_argv, FIRST_SCREEN, env))
        fresh = env | {"QUIZFORGE_DATA_DIR": tempfile.mkdtemp(prefix="qf-bench-first-")}
        first.append(time_to_marker(qf_argv, FIRST_SCREEN, fresh))
    help_times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        subprocess.run([quizforge, "--help"], env=env, capture_output=True, check=True)
        help_times.append(time.perf_counter() - t0)

    help_run = subprocess.run([sys.executable, "-c", HELP_MODULES], env=env, capture_output=True, text=True, check=True)
    help_modules = json.loads(help_run.stderr.split("MODULES ", 1)[1])
    watch_file = Path(data) / "tui-modules.json"
    time_to_marker([sys.executable, "-c", TUI_WATCHED, str(watch_file)], FIRST_SCREEN, env, linger=2.0)
    tui_torch = json.loads(watch_file.read_text())

    counts: tuple[int, int] | None = None
    if args.instructions and shutil.which("valgrind"):
        counts = (
            instructions([sys.executable, "-c", EMPTY_APP_EXIT], env),
            instructions([sys.executable, "-c", TUI_EXIT], env),
        )

    e, q, h = statistics.median(empty), statistics.median(ours), statistics.median(help_times)
    f = statistics.median(first)
    ratio, first_ratio = q / e, f / e
    res = Results("bench_startup.py")
    res.check(
        "`quizforge --help` imports neither torch nor textual",
        not help_modules,
        "sys.modules after --help: " + (", ".join(help_modules) if help_modules else "neither"),
    )
    res.budgets.append(
        Budget("`quizforge --help` wall time (process start to exit)", h, HELP_BUDGET_S, "s", f"{args.runs} runs")
    )
    res.budgets.append(
        Budget(
            "TUI start to first screen ÷ empty Textual app (same run)",
            ratio,
            BUDGET_RATIO,
            "×",
            f"{q:.3f} s vs {e:.3f} s, {args.runs} interleaved runs, 80×24 pty",
        )
    )
    res.budgets.append(
        Budget(
            "TUI first launch (new data dir) to first screen ÷ empty Textual app",
            first_ratio,
            FIRST_BUDGET_RATIO,
            "×",
            f"{f:.3f} s vs {e:.3f} s, {args.runs} interleaved runs, 80×24 pty",
        )
    )
    res.check(
        "TUI start (first screen + 2 s) imports no torch",
        not tui_torch,
        "torch modules loaded: " + (str(len(tui_torch)) if tui_torch else "none"),
    )
    res.write(args.json)
    ok = res.ok
    lines = [
        "# TUI start-up benchmark",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, CPython {platform.python_version()}; "
        f"recorded {time.strftime('%Y-%m-%d')}; {args.runs} interleaved runs each, 80×24 pty.",
        "",
        "| program | median to first screen (s) | min (s) | max (s) |",
        "|---|---:|---:|---:|",
        f"| empty Textual app | {e:.3f} | {min(empty):.3f} | {max(empty):.3f} |",
        f"| quizforge dashboard, a later launch | {q:.3f} | {min(ours):.3f} | {max(ours):.3f} |",
        f"| quizforge dashboard, first launch (new data dir) | {f:.3f} | {min(first):.3f} | {max(first):.3f} |",
        f"| `quizforge --help` (to exit) | {h:.3f} | {min(help_times):.3f} | {max(help_times):.3f} |",
        "",
        f"Ratio quizforge / empty app: a later launch {ratio:.2f} (budget ≤ {BUDGET_RATIO}) → "
        f"{'PASS' if ratio <= BUDGET_RATIO else 'FAIL'}; the first launch {first_ratio:.2f} "
        f"(budget ≤ {FIRST_BUDGET_RATIO}) → {'PASS' if first_ratio <= FIRST_BUDGET_RATIO else 'FAIL'}.",
        "",
        f"Load average while measuring: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} "
        "CPUs (the ratios move with the machine's load; both programs see the same load, interleaved).",
        "",
        *(
            [
                f"Instructions to the first screen (valgrind callgrind, one run each, a later launch): empty "
                f"Textual app {counts[0] / 1e6:,.0f} M, quizforge {counts[1] / 1e6:,.0f} M = "
                f"{counts[1] / counts[0]:.2f}× (a count the machine's load does not move; it leaves out waiting "
                "and the terminal's writes).",
                "",
            ]
            if counts
            else []
        ),
        f"`quizforge --help` leaves in sys.modules: {', '.join(help_modules) or 'neither torch nor textual'}; "
        f"the TUI, 2 s after its first screen, has {len(tui_torch) or 'no'} torch modules loaded.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.record:
        (ROOT / "benchmarks" / "RESULTS-startup.md").write_text(text, encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
