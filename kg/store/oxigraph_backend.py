"""The default backend: an embedded Oxigraph store, on disk (built by ``kg build``) or in memory.

The on-disk store (RocksDB) opens in milliseconds at any size, but answers the named queries 3–7×
slower than the same graph in memory (``docs/PERFORMANCE.md``). So :meth:`OxigraphStore.open` loads the
Turtle snapshot that ``kg build`` keeps in the store folder into memory when that is cheap (up to
:data:`IN_MEMORY_UP_TO` triples: the curated graph loads in about 20 ms) and opens the on-disk store
otherwise; ``in_memory=True`` / ``False`` decides explicitly (a long-running process over a large graph
gains from ``True``, if it has the memory: about 750 bytes per triple at its peak).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from kg.core.errors import QueryError, SparqlSyntaxError, StoreError
from kg.core.prefixes import PREFIXES
from kg.store.base import Store, solution_rows

MANIFEST = "manifest.json"
MANIFEST_KEYS = frozenset({"built_at", "triples", "files", "fingerprint"})  # what every kg build writes
SNAPSHOT = "snapshot.ttl"  # the validated graph as Turtle, written by ``kg build`` for in-memory loading
IN_MEMORY_UP_TO = 200_000  # triples: below, loading into memory costs less than the slower on-disk queries


def read_manifest(folder: Path) -> dict | None:
    """The manifest of the store ``kg build`` made in ``folder``; None if the folder holds no such store
    (no manifest, or a ``manifest.json`` that another program wrote)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and MANIFEST_KEYS <= manifest.keys() else None


class OxigraphStore(Store):
    name = "oxigraph"

    def __init__(self, store: ox.Store, path: Path | None = None):
        self._store: ox.Store | None = store
        self.path = path

    @classmethod
    def open(cls, path: Path, in_memory: bool | None = None) -> OxigraphStore:
        """Open a built store read-only; a clear error if there is none. In memory (a copy loaded from the
        build's snapshot, or from the on-disk store if there is none) when ``in_memory`` is true, or when
        it is None and the graph has at most :data:`IN_MEMORY_UP_TO` triples; else on disk."""
        folder = path.resolve()  # the version folder the store path links to now (kg.build.swap)
        if not (folder / MANIFEST).is_file():
            raise StoreError(f"no built store at {path}: run `kg build` first (or pass --store)")
        try:
            if in_memory is None:
                triples = json.loads((folder / MANIFEST).read_text()).get("triples")
                in_memory = isinstance(triples, int) and triples <= IN_MEMORY_UP_TO
            if not in_memory:
                return cls(ox.Store.read_only(str(folder)), path)
            memory = ox.Store()
            if (folder / SNAPSHOT).is_file():
                memory.load(path=str(folder / SNAPSHOT), format=ox.RdfFormat.TURTLE)
            else:
                memory.load(ox.Store.read_only(str(folder)).dump(format=ox.RdfFormat.N_QUADS),
                            format=ox.RdfFormat.N_QUADS)
            return cls(memory, path)
        except (OSError, SyntaxError, ValueError) as err:
            raise StoreError(f"cannot open the store at {path}: {err}") from err

    @classmethod
    def in_memory(cls, triples) -> OxigraphStore:
        store = ox.Store()
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        return cls(store)

    @property
    def raw(self) -> ox.Store:
        """The underlying pyoxigraph store."""
        if self._store is None:
            raise StoreError("the store is closed")
        return self._store

    def manifest(self) -> dict:
        return json.loads((self.path / MANIFEST).read_text()) if self.path else {}

    def _run(self, query: str, kind: type, what: str, read):
        """``read`` the result of ``query``, which must be of ``kind``; errors (also while reading, where a
        SERVICE call may fail) become :class:`QueryError` or :class:`StoreError`."""
        if self._store is None:
            raise StoreError("the store is closed")
        try:
            result = self._store.query(query, prefixes=PREFIXES)
            if not isinstance(result, kind):
                raise QueryError(f"not a {what} query")
            return read(result)
        except SyntaxError as err:
            raise SparqlSyntaxError(f"SPARQL syntax error: {err}") from err
        except OSError as err:
            raise StoreError(f"store error: {err}") from err
        except RuntimeError as err:  # an evaluation error, e.g. of an (allowed) SERVICE call
            raise QueryError(f"the query failed: {err}") from err

    def _select(self, query):
        return self._run(query, ox.QuerySolutions, "SELECT", solution_rows)

    def _ask(self, query):
        return self._run(query, ox.QueryBoolean, "ASK", bool)

    def _construct(self, query):
        return self._run(query, ox.QueryTriples, "CONSTRUCT or DESCRIBE", list)

    def close(self) -> None:
        self._store = None

