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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

import numpy as np

from quizforge.drills.base import Drill
from quizforge.i18n import t

RUNNER = Path(__file__).with_name("runner.py")
CASES = 20
TIMEOUT = 4.0  # seconds of wall clock for the whole verdict
CPU_SECONDS = 4
MEMORY_BYTES = 1 << 30
OUTPUT_BYTES = 8 << 20  # any file the child writes, its printed output included
RESULT_BYTES = 1 << 20  # result.json is read only up to this size
UID_BASE = 2_000_000  # as in runner.py
SHOWN_VALUES = 24  # an input or output with at most this many numbers is shown whole

Said = tuple[str, dict[str, Any]]  # a text of the catalogue (quizforge.i18n): its key and fields


def _say(said: Said, lang: str) -> str:
    key, fields = said
    return t(key, lang, **fields)


def _why_text(why: Said, lang: str) -> str:
    """What is wrong with a case's output; ``output`` names which one when a drill returns several."""
    key, fields = why
    text = t(key, lang, **{k: v for k, v in fields.items() if k != "output"})
    return t("drill.why.output", lang, n=fields["output"], why=text) if fields.get("output") else text


@dataclass(frozen=True)
class Failure:
    """The first case a solution got wrong. ``message`` is :meth:`text` in English (the JSON's)."""

    case: int  # 1-based
    label: str
    inputs: str
    expected: str
    got: str
    max_error: float | None = None
    where: list[int] | None = None
    message: str = ""
    # what the texts are made of (not in the JSON)
    why: Said = ("drill.why.values", {})
    shapes: str = ""
    has_output: bool = True  # the function returned (else ``why`` is its error)
    at_values: tuple[float, float] | None = None  # expected and got where the error is largest

    def text(self, lang: str) -> str:
        """The case, its inputs, and (when the function returned) expected, got and the largest error."""
        why = _why_text(self.why, lang)
        lines = [t("drill.fail.case", lang, case=self.case, label=self.label, shapes=self.shapes, why=why)]
        lines.append(t("drill.fail.inputs", lang, inputs=self.inputs))
        if self.has_output:
            lines += [t("drill.fail.expected", lang, values=self.expected), t("drill.fail.got", lang, values=self.got)]
            if self.max_error is not None:
                error, where = f"{self.max_error:.3g}", str(tuple(self.where or ()))
                if self.at_values is None:
                    lines.append(t("drill.fail.max_error", lang, error=error, where=where))
                else:
                    e, g = (f"{v:.6g}" for v in self.at_values)
                    lines.append(t("drill.fail.max_error_at", lang, error=error, where=where, expected=e, got=g))
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "label": self.label,
            "inputs": self.inputs,
            "expected": self.expected,
            "got": self.got,
            "max_error": self.max_error,
            "where": self.where,
            "message": self.message,
        }


@dataclass(frozen=True)
class Verdict:
    """``quizforge drill --json``'s object: ``ok`` when every case passed."""

    drill: str
    ok: bool
    passed: int
    total: int
    first_failure: Failure | None
    error: str | None  # in English (the JSON's); ``said`` makes it in any language
    seconds: float
    said: Said | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "drill": self.drill,
            "ok": self.ok,
            "passed": self.passed,
            "total": self.total,
            "first_failure": None if self.first_failure is None else self.first_failure.to_json(),
            "error": self.error,
            "seconds": self.seconds,
        }

    def text(self, lang: str) -> str:
        """The verdict for a person: passed count, then the run's error or the first failing case."""
        mark = "✓" if self.ok else "✗"
        head = t(
            "drill.verdict",
            lang,
            mark=mark,
            drill=self.drill,
            passed=self.passed,
            total=self.total,
            s=f"{self.seconds:.2f}",
        )
        if self.error is not None:
            return f"{head}\n{_say(self.said, lang) if self.said is not None else self.error}"
        if self.first_failure is not None:
            return f"{head}\n{self.first_failure.text(lang)}"
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


def mismatch(drill: Drill, expected: tuple[Any, ...], got: tuple[Any, ...]) -> Said | None:
    """``None`` when ``got`` matches ``expected`` within the drill's tolerance, else why not."""
    for j, (e, g) in enumerate(zip(expected, got, strict=True)):
        e, g = np.asarray(e), np.asarray(g)
        which = j + 1 if len(expected) > 1 else 0
        if e.shape != g.shape:
            return "drill.why.shape", {"output": which, "got": str(g.shape), "expected": str(e.shape)}
        if e.dtype.kind in "biu":
            if not np.array_equal(e, g):
                return "drill.why.int_values", {"output": which}
            continue
        g = g.astype(np.float64)
        if not np.all(np.isfinite(g)):
            return "drill.why.nonfinite", {"output": which}
        if not np.allclose(g, e, rtol=drill.rtol, atol=drill.atol):
            return "drill.why.values", {"output": which}
    return None


def compare(drill: Drill, expected: tuple[Any, ...], got: tuple[Any, ...]) -> str | None:
    """``None`` when ``got`` matches ``expected`` within the drill's tolerance, else why not (English)."""
    why = mismatch(drill, expected, got)
    return None if why is None else _why_text(why, "en")


def _failure(
    drill: Drill, i: int, label: str, args: tuple[Any, ...], expected: tuple[Any, ...], got: Any, why: Said
) -> Failure:
    max_error = where = None
    at: tuple[float, float] | None = None
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
                    at = (float(e.flat[k]), float(g.flat[k]))
                    break
    shown_expected = " ; ".join(_fmt(e) for e in expected)
    shown_got = _why_text(why, "en") if got is None else " ; ".join(_fmt(g) for g in got)
    shapes = ", ".join(
        f"{n} {v.shape}" for n, v in zip(drill.arg_names, args, strict=True) if isinstance(v, np.ndarray)
    )
    failure = Failure(
        i + 1,
        label,
        describe(drill, args),
        shown_expected,
        shown_got,
        max_error,
        where,
        "",
        why,
        shapes,
        has_output=got is not None,
        at_values=at,
    )
    return replace(failure, message=failure.text("en"))


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
        why = mismatch(drill, expected, got)
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


def _killed_reason(returncode: int) -> Said:
    sig = -returncode
    if sig == signal.SIGXCPU:
        return "drill.error.cpu", {"s": CPU_SECONDS}
    if sig == signal.SIGXFSZ:
        return "drill.error.output", {"mib": OUTPUT_BYTES >> 20}
    if sig in (signal.SIGKILL, signal.SIGSEGV):
        return "drill.error.killed", {"signal": signal.Signals(sig).name, "gib": MEMORY_BYTES >> 30}
    if sig > 0:
        return "drill.error.signal", {"signal": signal.Signals(sig).name}
    return "drill.error.status", {"status": returncode}


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
                why = (
                    ("drill.why.raised", {"error": entry})
                    if isinstance(entry, str)
                    else mismatch(drill, expected, entry)
                )
                if why is None:
                    passed += 1
                elif first is None:
                    first = _failure(drill, i, label, args, expected, None if isinstance(entry, str) else entry, why)
        seconds = time.perf_counter() - start
        ok = error is None and passed == n
        english = None if error is None else _say(error, "en")
        return Verdict(drill.name, ok, passed, n, first, english, round(seconds, 4), error)

    def _run(self, child: _Child, drill: Drill, source: str, cases: list[Any]) -> tuple[Said | None, list[Any]]:
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
            return ("drill.error.timeout", {"s": f"{self.timeout:g}"}), []
        if returncode != 0:
            return _killed_reason(returncode) if returncode < 0 else self._exited(child, returncode), []
        return self._read(child, drill, len(cases))

    @staticmethod
    def _exited(child: _Child, returncode: int) -> Said:
        with open(child.dir / "printed.txt", "rb") as f:
            tail = f.read(4000).decode("utf-8", "replace").strip()
        if "MemoryError" in tail:
            return "drill.error.memory", {"gib": MEMORY_BYTES >> 30}
        return "drill.error.exit", {"status": returncode}

    @staticmethod
    def _read(child: _Child, drill: Drill, n: int) -> tuple[Said | None, list[Any]]:
        if not (child.dir / "result.json").exists():
            return ("drill.error.os_exit", {}), []
        try:
            with open(child.dir / "result.json", "rb") as f:
                result = json.loads(f.read(RESULT_BYTES))
            if result.get("error"):
                return ("drill.error.raised", {"error": str(result["error"])}), []
            entries = result["cases"]
            if len(entries) != n:
                return ("drill.error.incomplete", {}), []
            got: list[Any] = []
            with np.load(child.dir / "out.npz", allow_pickle=False) as npz:
                for i, entry in enumerate(entries):
                    if entry.get("error"):
                        got.append(str(entry["error"]))
                    else:
                        got.append(tuple(npz[f"c{i}_{j}"] for j in range(drill.outputs)))
            return None, got
        except (OSError, ValueError, KeyError, TypeError, AttributeError, zlib.error) as exc:
            return ("drill.error.unreadable", {"what": type(exc).__name__}), []
