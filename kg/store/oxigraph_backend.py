"""The default backend: an embedded Oxigraph store, on disk (built by ``kg build``) or in memory."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.prefixes import PREFIXES
from kg.sparql import inject_bindings
from kg.store.base import Row, Store, Term

MANIFEST = "manifest.json"


class OxigraphStore(Store):
    name = "oxigraph"

    def __init__(self, store: ox.Store, path: Path | None = None):
        self._store = store
        self.path = path

    @classmethod
    def open(cls, path: Path) -> OxigraphStore:
        """Open a built store read-only; a clear error if there is none."""
        if not (path / MANIFEST).is_file():
            raise StoreError(f"no built store at {path}: run `kg build` first (or pass --store)")
        try:
            return cls(ox.Store.read_only(str(path)), path)
        except OSError as err:
            raise StoreError(f"cannot open the store at {path}: {err}") from err

    @classmethod
    def in_memory(cls, triples) -> OxigraphStore:
        store = ox.Store()
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        return cls(store)

    @property
    def raw(self) -> ox.Store:
        """The underlying pyoxigraph store."""
        return self._store

    def manifest(self) -> dict:
        return json.loads((self.path / MANIFEST).read_text()) if self.path else {}

    def _run(self, query: str, bindings: Mapping[str, Term] | None):
        query = inject_bindings(query, bindings)
        try:
            return self._store.query(query, prefixes=PREFIXES)
        except SyntaxError as err:
            raise QueryError(f"SPARQL syntax error: {err}") from err
        except OSError as err:
            raise StoreError(f"store error: {err}") from err

    def select(self, query, bindings=None):
        result = self._run(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        names = [v.value for v in result.variables]
        rows: list[Row] = []
        for solution in result:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = value
            rows.append(row)
        return names, rows

    def ask(self, query, bindings=None):
        result = self._run(query, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("not an ASK query")
        return bool(result)

    def construct(self, query, bindings=None):
        result = self._run(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        return list(result)

    def close(self) -> None:
        self._store = None

