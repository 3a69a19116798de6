"""An rdflib in-memory backend: parses the curated Turtle directly (no build step, no validation).

Slower than Oxigraph, but a second, independent SPARQL engine: the named queries must give the same
answers on both (tests compare them).

rdflib fetches over HTTP for ``SERVICE`` (and would for ``FROM``). :func:`kg.core.sparql.check_syntax`
refuses SERVICE before rdflib sees a query; as a second line, unless :attr:`Store.allow_service`, queries
run with the network cut off for their thread (a Python audit hook, installed on first use, refuses
socket connections and URL requests while a query runs).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pyoxigraph as ox

from kg.core.errors import QueryError
from kg.core.locations import Sources
from kg.core.prefixes import PREFIXES
from kg.core.sparql import deepest_bracket
from kg.store.base import Row, Store, Term


def to_oxigraph(term) -> Term:
    """The pyoxigraph term for an rdflib term."""
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"unsupported RDF term from rdflib: {term!r}")


# rdflib's SPARQL parser recurses in Python: deeper queries hit the recursion limit, at a depth that
# depends on the caller's stack. Refusing them up front gives the same answer every time.
RDFLIB_MAX_NESTING = 24
TOO_DEEP = (f"the query nests too deep for rdflib's parser (more than {RDFLIB_MAX_NESTING} levels of "
            "brackets); the oxigraph backend takes it")
_OFFLINE = threading.local()
_NETWORK_EVENTS = frozenset({"socket.connect", "socket.getaddrinfo", "urllib.Request"})
_hook_installed = False


def _refuse_network(event: str, args: tuple) -> None:
    if event in _NETWORK_EVENTS and getattr(_OFFLINE, "active", False):
        raise QueryError("the query tried to open a network connection, which is refused (no SERVICE)")


@contextmanager
def offline() -> Iterator[None]:
    """Within this block, this thread opens no network connection (an attempt raises :class:`QueryError`)."""
    global _hook_installed
    if not _hook_installed:
        sys.addaudithook(_refuse_network)  # stays for the process's life: audit hooks cannot be removed
        _hook_installed = True
    _OFFLINE.active = True
    try:
        yield
    finally:
        _OFFLINE.active = False


class RdflibStore(Store):
    name = "rdflib"

    def __init__(self, graph):
        self._graph = graph

    @contextmanager
    def _guarded(self) -> Iterator[None]:
        """Run (and read) a query offline unless SERVICE is allowed; rdflib's errors become QueryError."""
        try:
            if self.allow_service:
                yield
            else:
                with offline():
                    yield
        except QueryError:
            raise
        except RecursionError:
            raise QueryError(TOO_DEEP) from None
        except Exception as err:  # rdflib raises pyparsing and assorted evaluation errors
            raise QueryError(f"rdflib could not run the query: {err}") from err

    @classmethod
    def from_sources(cls, sources: Sources | None = None) -> RdflibStore:
        """Parse the ontology and curated Turtle of ``sources`` (default: the shipped ones)."""
        from kg.core.loading import parse_files, to_rdflib

        sources = sources or Sources.default()
        sources.check(shapes=False)
        return cls(to_rdflib(parse_files(sources.files()).all_triples()))

    def _run(self, query: str, kinds: tuple[str, ...]):
        if deepest_bracket(query, RDFLIB_MAX_NESTING) is not None:  # its parser recurses in Python
            raise QueryError(TOO_DEEP)
        result = self._graph.query(query, initNs=PREFIXES)
        if result.type not in kinds:
            raise QueryError(f"not a {' or '.join(kinds)} query")
        return result

    def _select(self, query):
        with self._guarded():
            result = self._run(query, ("SELECT",))
            names = [str(v) for v in result.vars]
            rows: list[Row] = []
            for solution in result:
                rows.append({name: to_oxigraph(value) for name, value in zip(names, solution, strict=True)
                             if value is not None})
        return names, rows

    def _ask(self, query):
        with self._guarded():
            return bool(self._run(query, ("ASK",)).askAnswer)

    def _construct(self, query):
        with self._guarded():
            result = self._run(query, ("CONSTRUCT", "DESCRIBE"))
            return [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in result.graph]

    def __len__(self) -> int:
        return len(self._graph)
