"""The judge's child: runs a user's solution on the cases of one verdict and writes what it returned.

Run as a script (``python -I runner.py``), never imported by quizforge: it uses only the standard
library and NumPy, so that it can start (and import NumPy) before the user's code is known. The
parent starts it with its limits already set (CPU, address space, file size, no new processes, a new
session, a temporary working directory, no other open files). It then waits for one line on stdin,
the go-ahead; stdin is replaced by ``/dev/null`` before any user code runs. When run as root (where
the process limit does not apply) it moves to a uid of its own first, so that the limit does.

Files in the working directory: ``solution.py`` (the user's code), ``job.json`` (function name,
allowed imports, number of outputs, the cases' arguments, arrays in ``cases.npz``); it writes
``result.json`` and ``out.npz``. The parent compares; nothing here knows the expected answers.
"""

from __future__ import annotations

import builtins
import json
import os
import sys
import traceback
from typing import Any

import numpy as np
import numpy.fft  # imported before the uid changes: the user may use them
import numpy.linalg
import numpy.random

SOLUTION = "solution.py"
ALWAYS_ALLOWED = {"math", "itertools", "functools", "collections", "typing", "__future__", "dataclasses"}
UID_BASE = 2_000_000  # root's child runs as UID_BASE + pid (a uid nobody else uses)


def _drop_root() -> None:
    if os.getuid() != 0:
        return
    uid = UID_BASE + os.getpid()
    for name in os.listdir("."):
        os.chown(name, uid, uid)
    os.chown(".", uid, uid)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def _user_traceback(exc: BaseException) -> str:
    """The exception with only the frames of the user's own file."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == SOLUTION]
    lines = traceback.format_list(frames) if frames else []
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines).rstrip()


def _guarded_import(allowed: set[str]) -> Any:
    real = builtins.__import__

    def guarded(name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0) -> Any:
        if level == 0 and name.split(".")[0] not in allowed:
            names = ", ".join(sorted(allowed - ALWAYS_ALLOWED)) or "nothing"
            raise ImportError(f"import {name} is not allowed in this drill (allowed: {names} and math)")
        return real(name, globals, locals, fromlist, level)

    return guarded


def _store(value: Any, key: str, arrays: dict[str, Any]) -> str | None:
    """Keep one returned value as an array; the problem as text when it is not numeric."""
    try:
        a = np.asarray(value)
    except Exception as exc:  # a ragged list, an object that cannot become an array
        return f"returned {type(value).__name__} that is not an array ({exc})"
    if a.dtype.kind not in "biuf":
        return f"returned {type(value).__name__} of dtype {a.dtype}, expected numbers"
    arrays[key] = a
    return None


def main() -> None:
    sys.stdin.readline()  # the go-ahead: the job's files are written
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    with open("job.json", encoding="utf-8") as f:
        job = json.load(f)
    with np.load("cases.npz", allow_pickle=False) as npz:
        stored = {k: npz[k] for k in npz.files}
    with open(SOLUTION, encoding="utf-8") as f:
        source = f.read()
    _drop_root()
    result: dict[str, Any] = {"error": None, "cases": []}
    arrays: dict[str, Any] = {}
    allowed = set(job["allowed"]) | ALWAYS_ALLOWED
    user_builtins = dict(vars(builtins))
    user_builtins["__import__"] = _guarded_import(allowed)
    namespace: dict[str, Any] = {"__name__": "solution", "__builtins__": user_builtins}
    try:
        exec(compile(source, SOLUTION, "exec"), namespace)
        fn = namespace.get(job["function"])
        if not callable(fn):
            result["error"] = f"no function {job['function']}(…) is defined"
    except BaseException as exc:  # a syntax error, a forbidden import, anything raised at the top level
        result["error"] = _user_traceback(exc)
        fn = None
    if fn is not None:
        outputs = job["outputs"]
        for i, spec in enumerate(job["cases"]):
            args = [stored[a["a"]].copy() if "a" in a else a["v"] for a in spec]
            entry: dict[str, Any] = {"error": None}
            try:
                value = fn(*args)
            except MemoryError as exc:  # the next cases would only fill memory again
                result["error"] = f"stopped: out of memory (the limit is 1 GiB)\n{_user_traceback(exc)}"
                break
            except BaseException as exc:  # SystemExit and KeyboardInterrupt are the user's too
                entry["error"] = _user_traceback(exc)
                result["cases"].append(entry)
                continue
            if outputs > 1:
                if not isinstance(value, (tuple, list)) or len(value) != outputs:
                    entry["error"] = f"returned {type(value).__name__}, expected a tuple of {outputs} arrays"
                else:
                    problems = [_store(v, f"c{i}_{j}", arrays) for j, v in enumerate(value)]
                    entry["error"] = next((p for p in problems if p), None)
            else:
                entry["error"] = _store(value, f"c{i}_0", arrays)
            result["cases"].append(entry)
    np.savez("out.npz", **arrays)
    with open("result.json", "w", encoding="utf-8") as f:
        json.dump(result, f)
    sys.stdout.flush()
    os._exit(0)  # no atexit handlers the user may have registered


if __name__ == "__main__":
    main()
