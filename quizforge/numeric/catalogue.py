"""The names of the generator families, known without importing them (and NumPy) when possible.

Loading a bank checks every ``generator:`` name against the registry, but importing the family
modules costs tens of milliseconds (NumPy) on the TUI's start-up path. The names are kept in a small
file under the cache dir, keyed by the family modules' names, sizes and modification times: any edit
to a family module (or a new one) invalidates it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tempfile
from contextlib import suppress
from pathlib import Path

from quizforge import __version__

CACHE_FILE = "families.json"


def _fingerprint() -> str:
    spec = importlib.util.find_spec("quizforge.numeric.families")
    assert spec is not None and spec.submodule_search_locations
    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    for folder in spec.submodule_search_locations:
        for path in sorted(Path(folder).glob("*.py")):
            st = path.stat()
            h.update(f"\0{path.name}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()


def family_names(cache_dir: Path | None = None) -> frozenset[str]:
    """Every registered family name; from ``cache_dir`` when the family modules are unchanged."""
    key = _fingerprint()
    target = cache_dir / CACHE_FILE if cache_dir is not None else None
    if target is not None:
        with suppress(OSError, ValueError, KeyError, TypeError):
            data = json.loads(target.read_text(encoding="utf-8"))
            if data["key"] == key:
                return frozenset(str(n) for n in data["names"])
    from quizforge.numeric.base import families

    names = frozenset(families())
    if target is not None:
        with suppress(OSError):
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"key": key, "names": sorted(names)}, fh)
            os.replace(tmp, target)
    return names
