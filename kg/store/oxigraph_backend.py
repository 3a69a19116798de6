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
import re
from pathlib import Path

import pyoxigraph as ox

from kg.core.errors import QueryError, SparqlSyntaxError, StoreError
from kg.core.prefixes import PREFIXES
from kg.store.base import Store, Values, solution_rows

MANIFEST = "manifest.json"
MANIFEST_KEYS = frozenset({"built_at", "triples", "files", "fingerprint"})  # what every kg build writes
SNAPSHOT = "snapshot.ttl"  # the validated graph as Turtle, written by ``kg build`` for in-memory loading
IN_MEMORY_UP_TO = 200_000  # triples: below, loading into memory costs less than the slower on-disk queries


_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_ESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f"}


def _unescape(match: re.Match) -> str:
    code = match.group(1)
    return chr(int(code[1:], 16)) if len(code) > 1 else _ESCAPED.get(code, code)


def _plain(cell: str) -> str | None:
    r"""The plain value of a term in SPARQL TSV results (None for an empty cell: unbound).

    >>> [_plain(c) for c in ('<http://a>', '"x\\ty"@en', '"2"^^<http://t>', '3', '_:b1', '')]
    ['http://a', 'x\ty', '2', '3', 'b1', None]
    """
    if cell[:1] == "<":
        return cell[1:-1]
    if cell[:1] == '"':
        text = cell[1:cell.rindex('"')]
        return _ESCAPE.sub(_unescape, text) if "\\" in text else text
    if cell[:2] == "_:":
        return cell[2:]
    return cell or None


def tsv_values(data: bytes) -> tuple[list[str], Values]:
    r"""(variables, rows of plain values) of SELECT results serialised as SPARQL TSV — read in bulk, much
    faster than a pyoxigraph term object per cell.

    >>> tsv_values(b'?s\t?o\n<http://a>\t"b"\n<http://c>\t\n<http://d>\t<http://e>\n')
    (['s', 'o'], [('http://a', 'b'), ('http://c', None), ('http://d', 'http://e')])
    >>> tsv_values(b'?s\t?o\t?p\n<http://a>\t"2"^^<http://t>\t<http://b>\n')[1]
    [('http://a', '2', 'http://b')]
    """
    head, _, body = data.decode().partition("\n")
    names = [name[1:] for name in head.split("\t")] if head else []
    lines = body.split("\n")
    if lines[-1] == "":
        lines.pop()  # the last row's line end
    iris = len(names) - 1  # a line of IRIs only has this many ">\t<" (a term holds no raw tab), and starts
    # with "<": then every cell starts with "<" and ends with ">" — an IRI (no other term starts with "<")
    return names, [tuple(line[1:-1].split(">\t<")) if line[:1] == "<" and line.count(">\t<") == iris
                   else tuple(c[1:-1] if c[:1] == "<" else _plain(c) for c in line.split("\t"))
                   for line in lines]


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

    def __init__(self, store: ox.Store, path: Path | None = None, on_disk: bool = False):
        self._store: ox.Store | None = store
        self.path = path
        self.on_disk = on_disk

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
                return cls(ox.Store.read_only(str(folder)), path, on_disk=True)
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

    def _select_values(self, query):
        return self._run(query, ox.QuerySolutions, "SELECT",
                         lambda result: tsv_values(result.serialize(format=ox.QueryResultsFormat.TSV)))

    def bulk_reader(self) -> OxigraphStore:
        """This store if in memory; an on-disk one loaded into memory from its snapshot (several times
        faster for whole-graph queries, at ~750 bytes per triple while it is in use)."""
        if not self.on_disk or self.path is None or not (self.path.resolve() / SNAPSHOT).is_file():
            return self
        return OxigraphStore.open(self.path, in_memory=True)

    def _ask(self, query):
        return self._run(query, ox.QueryBoolean, "ASK", bool)

    def _construct(self, query):
        return self._run(query, ox.QueryTriples, "CONSTRUCT or DESCRIBE", list)

    def close(self) -> None:
        self._store = None

