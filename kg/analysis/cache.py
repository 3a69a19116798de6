"""Results cached beside a store, per store build: ``.<store folder>.<kind>-<fingerprint>-<key>.pickle``.

``key`` names what the result depends on besides the store (code digest, parameters). Writing a result
removes the store's files of the same kind left by an older build (another fingerprint). A store
without a fingerprint or a folder (in memory, remote) caches nothing.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from kg.store.base import Store


def fingerprint(store: Store) -> str:
    """The store's build fingerprint ("" when it has none)."""
    manifest = getattr(store, "manifest", None)
    return manifest().get("fingerprint", "") if callable(manifest) else ""


def digest(files: Iterable[str], *values: object) -> str:
    """A short digest of source files and values (so a change to either gives a new key).

    >>> len(digest([], 1, "a")), digest([], 1) == digest([], 2)
    (10, False)
    """
    found = hashlib.sha256(repr(values).encode())
    for name in files:
        found.update(Path(name).read_bytes())
    return found.hexdigest()[:10]


def cached(store: Store, kind: str, key: str, compute: Callable[[], Any]) -> Any:
    """The cached result of ``compute()`` for this store build and ``key``, computed and written if absent."""
    path, stamp = getattr(store, "path", None), fingerprint(store)
    if path is None or not stamp:
        return compute()
    path = Path(path)
    file = path.parent / f".{path.name}.{kind}-{stamp}-{key}.pickle"
    try:
        with file.open("rb") as stream:
            return pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    value = compute()
    try:
        for stale in path.parent.glob(f".{path.name}.{kind}-*.pickle"):
            if f"-{stamp}-" not in stale.name:
                stale.unlink(missing_ok=True)
        partial = file.with_name(f"{file.name}.{os.getpid()}.part")
        with partial.open("wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(file)
    except OSError:
        pass   # a read-only folder only costs the cache
    return value
