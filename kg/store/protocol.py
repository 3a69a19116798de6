"""A store whose answers arrive as SPARQL 1.1 results documents: SPARQL JSON for SELECT and ASK,
N-Triples for CONSTRUCT and DESCRIBE, parsed by pyoxigraph so terms are the same as with the embedded
store. Subclasses only fetch the bytes: a remote endpoint (:mod:`kg.store.remote`) or the query workers
of ``kg serve`` (:class:`kg.server.executor.ExecutorStore`)."""

from __future__ import annotations

import re
from abc import abstractmethod

import pyoxigraph as ox

from kg.core.errors import QueryError, StoreError
from kg.store.base import Store, solution_rows

SELECT_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples"

# A boolean in SPARQL JSON written "1" or "0" (legal lexical forms; Virtuoso writes booleans so): the
# canonical "true" / "false" instead, so that terms compare equal whoever sent them.
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_NUMERIC_BOOLEAN = re.compile(rb'("datatype"\s*:\s*"' + re.escape(_BOOLEAN.encode()) + rb'"\s*,\s*"value"\s*:\s*")([01])"'
                              rb'|("value"\s*:\s*")([01])("\s*,\s*"datatype"\s*:\s*"' + re.escape(_BOOLEAN.encode()) + rb'")')


def canonical_booleans(document: bytes) -> bytes:
    """``document`` (SPARQL JSON results) with booleans written ``1``/``0`` rewritten as ``true``/``false``.

    >>> canonical_booleans(b'{"b": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "1"}}')
    b'{"b": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "true"}}'
    >>> canonical_booleans(b'{"value": "0", "datatype": "http://www.w3.org/2001/XMLSchema#boolean"}')
    b'{"value": "false", "datatype": "http://www.w3.org/2001/XMLSchema#boolean"}'
    """
    if _BOOLEAN.encode() not in document:
        return document

    def word(match: re.Match) -> bytes:
        if match.group(1) is not None:
            return match.group(1) + (b"true" if match.group(2) == b"1" else b"false") + b'"'
        return match.group(3) + (b"true" if match.group(4) == b"1" else b"false") + match.group(5)

    return _NUMERIC_BOOLEAN.sub(word, document)


class ProtocolStore(Store):
    @abstractmethod
    def _fetch(self, query: str, accept: str) -> bytes:
        """The answer document to ``query`` in the media type ``accept``."""

    @property
    def origin(self) -> str:
        """Who sent the answers, for messages about malformed ones."""
        return self.name

    def _results(self, query: str):
        data = canonical_booleans(self._fetch(query, SELECT_ACCEPT))
        try:
            return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as err:
            raise StoreError(f"{self.origin} sent results that are not SPARQL JSON: {err}") from None

    def _select(self, query):
        result = self._results(query)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        return solution_rows(result)

    def _ask(self, query):
        result = self._results(query)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("not an ASK query")
        return bool(result)

    def _construct(self, query):
        data = self._fetch(query, GRAPH_ACCEPT)
        try:
            return [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
        except SyntaxError as err:
            raise StoreError(f"{self.origin} sent a graph that is not N-Triples: {err}") from None
