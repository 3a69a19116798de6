"""An rdflib in-memory backend: parses the curated Turtle directly (no build step, no validation).

Slower than Oxigraph, but a second, independent SPARQL engine: the named queries must give the same
answers on both (tests compare them).
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.core.errors import QueryError
from kg.core.locations import Sources
from kg.core.prefixes import PREFIXES
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


class RdflibStore(Store):
    name = "rdflib"

    def __init__(self, graph):
        self._graph = graph

    @classmethod
    def from_sources(cls, sources: Sources | None = None) -> RdflibStore:
        """Parse the ontology and curated Turtle of ``sources`` (default: the shipped ones)."""
        from kg.core.loading import parse_files, to_rdflib

        sources = sources or Sources.default()
        sources.check(shapes=False)
        return cls(to_rdflib(parse_files(sources.files()).all_triples()))

    def _run(self, query: str):
        try:
            return self._graph.query(query, initNs=PREFIXES)
        except Exception as err:  # rdflib raises pyparsing and assorted evaluation errors
            raise QueryError(f"rdflib could not run the query: {err}") from err

    def _select(self, query):
        result = self._run(query)
        if result.type != "SELECT":
            raise QueryError("not a SELECT query")
        names = [str(v) for v in result.vars]
        rows: list[Row] = []
        for solution in result:
            rows.append({name: to_oxigraph(value) for name, value in zip(names, solution, strict=True)
                         if value is not None})
        return names, rows

    def _ask(self, query):
        result = self._run(query)
        if result.type != "ASK":
            raise QueryError("not an ASK query")
        return bool(result.askAnswer)

    def _construct(self, query):
        result = self._run(query)
        if result.type not in ("CONSTRUCT", "DESCRIBE"):
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        return [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in result.graph]

    def __len__(self) -> int:
        return len(self._graph)
