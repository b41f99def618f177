"""The judge: a user's solution to a drill runs in a limited child process; this process compares.

The child (``runner.py``) is started with ``python -I`` in a temporary directory of its own, in a new
session, with stdin a pipe that only says "go" (then ``/dev/null``), no other open files, and limits:
CPU seconds, address space, size of any file written (its printed output included), and no new
processes. The parent enforces a wall-clock timeout and kills the child's whole process group (and,
under root, every process of the child's own uid). Cases and expected answers are made here, by
trusted code; the child only sees the inputs.

A warm child (Python started, NumPy imported, waiting for the go-ahead) can be prepared in the
background with :meth:`Judge.prepare`, e.g. when a drill is about to be shown; a verdict then costs
only the user's code. Each child runs one verdict and exits.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

from quizforge.drills.base import Drill

RUNNER = Path(__file__).with_name("runner.py")
CASES = 20
TIMEOUT = 4.0  # seconds of wall clock for the whole verdict
CPU_SECONDS = 4
MEMORY_BYTES = 1 << 30
OUTPUT_BYTES = 8 << 20  # any file the child writes, its printed output included
RESULT_BYTES = 1 << 20  # result.json is read only up to this size
UID_BASE = 2_000_000  # as in runner.py
SHOWN_VALUES = 24  # an input or output with at most this many numbers is shown whole


@dataclass(frozen=True)
class Failure:
    """The first case a solution got wrong."""

    case: int  # 1-based
    label: str
    inputs: str
    expected: str
    got: str
    max_error: float | None = None
    where: list[int] | None = None
    message: str = ""


@dataclass(frozen=True)
class Verdict:
    """``quizforge drill --json``'s object: ``ok`` when every case passed."""

    drill: str
    ok: bool
    passed: int
    total: int
    first_failure: Failure | None
    error: str | None
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def text(self, lang: str) -> str:
        """The verdict for a person: passed count, then the run's error or the first failing case."""
        zh = lang == "zh"
        mark = "✓" if self.ok else "✗"
        head = f"{mark} {self.drill}: " + (
            f"通过 {self.passed}/{self.total} 个用例（{self.seconds:.2f} 秒）"
            if zh
            else f"{self.passed} of {self.total} cases passed ({self.seconds:.2f} s)"
        )
        if self.error is not None:
            return f"{head}\n{self.error}"
        if self.first_failure is not None:
            return f"{head}\n{self.first_failure.message}"
        return head


# -- the cases, made and compared in this process ---------------------------------------------------


def case_rng(drill: Drill, seed: int) -> np.random.Generator:
    """The generator a verdict's cases are drawn from: the same seed gives the same cases."""
    return np.random.default_rng([seed, zlib.crc32(drill.name.encode())])


def _fmt(a: Any) -> str:
    a = np.asarray(a)
    if a.size <= SHOWN_VALUES:
        return np.array2string(a, precision=5, separator=", ", threshold=SHOWN_VALUES)
    return f"array of shape {a.shape}"


def describe(drill: Drill, args: tuple[Any, ...]) -> str:
    """The inputs of a case as ``name=value`` lines (arrays by shape when large)."""
    parts = []
    for name, v in zip(drill.arg_names, args, strict=True):
        if isinstance(v, np.ndarray):
            shown = _fmt(v) if v.size <= SHOWN_VALUES else f"shape {v.shape}"
            parts.append(f"{name}={shown}" if v.size <= SHOWN_VALUES else f"{name}: {shown}")
        else:
            parts.append(f"{name}={v!r}")
    return "; ".join(parts)


def compare(drill: Drill, expected: tuple[Any, ...], got: tuple[Any, ...]) -> str | None:
    """``None`` when ``got`` matches ``expected`` within the drill's tolerance, else why not."""
    for j, (e, g) in enumerate(zip(expected, got, strict=True)):
        e, g = np.asarray(e), np.asarray(g)
        which = f"output {j + 1}: " if len(expected) > 1 else ""
        if e.shape != g.shape:
            return f"{which}shape {g.shape}, expected {e.shape}"
        if e.dtype.kind in "biu":
            if not np.array_equal(e, g):
                return f"{which}wrong values"
            continue
        g = g.astype(np.float64)
        if not np.all(np.isfinite(g)):
            return f"{which}inf or nan in the output"
        if not np.allclose(g, e, rtol=drill.rtol, atol=drill.atol):
            return f"{which}values differ"
    return None


def _failure(
    drill: Drill, i: int, label: str, args: tuple[Any, ...], expected: tuple[Any, ...], got: Any, why: str
) -> Failure:
    max_error = where = None
    at = ""
    if got is not None:
        for e, g in zip(expected, got, strict=True):
            e, g = np.asarray(e, dtype=np.float64), np.asarray(g, dtype=np.float64)
            if e.shape == g.shape and e.size:
                with np.errstate(invalid="ignore"):
                    err = np.abs(e - g)
                err = np.where(np.isnan(err), np.inf, err)
                k = int(np.argmax(err))
                if err.flat[k] > 0:
                    max_error = float(err.flat[k])
                    where = [int(x) for x in np.unravel_index(k, e.shape)]
                    at = f": expected {e.flat[k]:.6g}, got {g.flat[k]:.6g}"
                    break
    shown_expected = " ; ".join(_fmt(e) for e in expected)
    shown_got = why if got is None else " ; ".join(_fmt(g) for g in got)
    shapes = ", ".join(
        f"{n} {v.shape}" for n, v in zip(drill.arg_names, args, strict=True) if isinstance(v, np.ndarray)
    )
    lines = [f"case {i + 1} ({label}; {shapes}): {why}", f"inputs: {describe(drill, args)}"]
    if got is not None:
        lines += [f"expected: {shown_expected}", f"got:      {shown_got}"]
        if max_error is not None:
            lines.append(f"max error {max_error:.3g} at {tuple(where or ())}{at}")
    return Failure(i + 1, label, describe(drill, args), shown_expected, shown_got, max_error, where, "\n".join(lines))


def make_cases(drill: Drill, seed: int, n: int = CASES) -> list[tuple[str, tuple[Any, ...], tuple[Any, ...]]]:
    """``n`` cases ``(label, args, expected outputs)``, small first and edge cases last."""
    rng = case_rng(drill, seed)
    out = []
    for i in range(n):
        case = drill.cases(rng, i, n)
        copies = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in case.args)
        expected = drill.reference(*copies)
        out.append((case.label, case.args, expected if drill.outputs > 1 else (expected,)))
    return out


def judge_in_process(drill: Drill, fn: Any, seed: int, n: int = CASES) -> Verdict:
    """Run trusted ``fn`` here (the model solution in tests; never a user's code)."""
    start = time.perf_counter()
    passed, first = 0, None
    for i, (label, args, expected) in enumerate(make_cases(drill, seed, n)):
        value = fn(*(a.copy() if isinstance(a, np.ndarray) else a for a in args))
        got = tuple(value) if drill.outputs > 1 else (value,)
        why = compare(drill, expected, got)
        if why is None:
            passed += 1
        elif first is None:
            first = _failure(drill, i, label, args, expected, got, why)
    return Verdict(drill.name, passed == n, passed, n, first, None, time.perf_counter() - start)


# -- the child ----------------------------------------------------------------------------------------


def _limits() -> None:  # runs in the child between fork and exec
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_BYTES, OUTPUT_BYTES))
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


_CHILD_ENV = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": "1",  # no threads: they count as processes, which the child may not make
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


class _Child:
    """One started runner, waiting for its go-ahead."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="quizforge-judge-"))
        self._output: IO[bytes] = open(self.dir / "printed.txt", "wb")  # noqa: SIM115  # closed in cleanup
        self.proc = subprocess.Popen(
            [sys.executable, "-I", str(RUNNER)],
            cwd=self.dir,
            stdin=subprocess.PIPE,
            stdout=self._output,
            stderr=subprocess.STDOUT,
            env=_CHILD_ENV,
            close_fds=True,
            start_new_session=True,
            preexec_fn=_limits,  # the limits must be set before exec; no threads touch it
        )

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        if os.getuid() == 0:
            _kill_uid(UID_BASE + self.proc.pid)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=2)

    def cleanup(self) -> None:
        self.kill()
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        self._output.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def _kill_uid(uid: int) -> None:
    """Kill every process of ``uid`` (a child that left its process group)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("Uid:"):
                if int(line.split()[1]) == uid:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(int(entry.name), signal.SIGKILL)
                break


def _killed_reason(returncode: int) -> str:
    sig = -returncode
    if sig == signal.SIGXCPU:
        return f"stopped: more than {CPU_SECONDS} s of CPU time"
    if sig == signal.SIGXFSZ:
        return f"stopped: wrote more than {OUTPUT_BYTES >> 20} MiB of output"
    if sig in (signal.SIGKILL, signal.SIGSEGV):
        return f"stopped by signal {signal.Signals(sig).name} (memory limit {MEMORY_BYTES >> 30} GiB, or a crash)"
    return f"stopped by signal {signal.Signals(sig).name}" if sig > 0 else f"exited with status {returncode}"


class Judge:
    """Judges solutions in child processes, keeping one warm child ready when asked to."""

    def __init__(self, timeout: float = TIMEOUT) -> None:
        self.timeout = timeout
        self._warm: _Child | None = None
        self._lock = threading.Lock()

    def prepare(self) -> None:
        """Start a child now (Python and NumPy loading in the background) for the next verdict."""
        with self._lock:
            if self._warm is None or self._warm.proc.poll() is not None:
                if self._warm is not None:
                    self._warm.cleanup()
                self._warm = _Child()

    def close(self) -> None:
        """Stop the warm child, if any."""
        with self._lock:
            if self._warm is not None:
                self._warm.cleanup()
                self._warm = None

    def _take(self) -> _Child:
        with self._lock:
            child, self._warm = self._warm, None
        if child is not None and child.proc.poll() is None:
            return child
        if child is not None:
            child.cleanup()
        return _Child()

    def judge(self, drill: Drill, source: str, seed: int = 0, n: int = CASES) -> Verdict:
        """Run ``source`` (the user's code) on ``n`` cases of ``drill`` and compare with the reference."""
        start = time.perf_counter()
        cases = make_cases(drill, seed, n)
        child = self._take()
        try:
            error, got = self._run(child, drill, source, cases)
        finally:
            child.cleanup()
        passed, first = 0, None
        if error is None:
            for i, (label, args, expected) in enumerate(cases):
                entry = got[i]
                why = entry if isinstance(entry, str) else compare(drill, expected, entry)
                if why is None:
                    passed += 1
                elif first is None:
                    first = _failure(drill, i, label, args, expected, None if isinstance(entry, str) else entry, why)
        seconds = time.perf_counter() - start
        return Verdict(drill.name, error is None and passed == n, passed, n, first, error, round(seconds, 4))

    def _run(self, child: _Child, drill: Drill, source: str, cases: list[Any]) -> tuple[str | None, list[Any]]:
        """Send the job, wait; ``(error, per-case outputs or error texts)``."""
        arrays: dict[str, np.ndarray] = {}
        specs = []
        for i, (_, args, _) in enumerate(cases):
            spec: list[dict[str, Any]] = []
            for j, a in enumerate(args):
                if isinstance(a, np.ndarray):
                    arrays[f"c{i}_{j}"] = a
                    spec.append({"a": f"c{i}_{j}"})
                else:
                    spec.append({"v": a})
            specs.append(spec)
        job = {"function": drill.function, "allowed": list(drill.allowed), "outputs": drill.outputs, "cases": specs}
        (child.dir / "job.json").write_text(json.dumps(job), encoding="utf-8")
        np.savez(child.dir / "cases.npz", **arrays)  # type: ignore[arg-type]
        (child.dir / "solution.py").write_text(source, encoding="utf-8")
        try:
            assert child.proc.stdin is not None
            child.proc.stdin.write(b"go\n")
            child.proc.stdin.close()
        except OSError:
            pass  # the child is gone already: its return code says why
        try:
            returncode = child.proc.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            return f"stopped: no answer within {self.timeout:g} s (an endless loop?)", []
        if returncode != 0:
            return _killed_reason(returncode) if returncode < 0 else self._exited(child, returncode), []
        return self._read(child, drill, len(cases))

    @staticmethod
    def _exited(child: _Child, returncode: int) -> str:
        with open(child.dir / "printed.txt", "rb") as f:
            tail = f.read(4000).decode("utf-8", "replace").strip()
        if "MemoryError" in tail:
            return f"stopped: more than {MEMORY_BYTES >> 30} GiB of memory"
        return f"your code ended the judge (exit status {returncode}) before the cases finished"

    @staticmethod
    def _read(child: _Child, drill: Drill, n: int) -> tuple[str | None, list[Any]]:
        if not (child.dir / "result.json").exists():
            return "your code ended the judge (os._exit?) before the cases finished", []
        try:
            with open(child.dir / "result.json", "rb") as f:
                result = json.loads(f.read(RESULT_BYTES))
            if result.get("error"):
                return str(result["error"]), []
            entries = result["cases"]
            if len(entries) != n:
                return "the judge's result is incomplete", []
            got: list[Any] = []
            with np.load(child.dir / "out.npz", allow_pickle=False) as npz:
                for i, entry in enumerate(entries):
                    if entry.get("error"):
                        got.append(str(entry["error"]))
                    else:
                        got.append(tuple(npz[f"c{i}_{j}"] for j in range(drill.outputs)))
            return None, got
        except (OSError, ValueError, KeyError, TypeError, AttributeError, zlib.error) as exc:
            return f"the judge's result could not be read ({type(exc).__name__}); did your code change its files?", []
