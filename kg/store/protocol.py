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
_BOOLEAN = rb'"datatype"\s*:\s*"http://www\.w3\.org/2001/XMLSchema#boolean"'
_VALUE = rb'"value"\s*:\s*"'
_NUMERIC_BOOLEAN = re.compile(rb"(" + _BOOLEAN + rb"\s*,\s*" + _VALUE + rb")([01])(\")"
                              rb"|(" + _VALUE + rb")([01])(\"\s*,\s*" + _BOOLEAN + rb")")


def canonical_booleans(document: bytes) -> bytes:
    """``document`` (SPARQL JSON results) with booleans written ``1``/``0`` rewritten as ``true``/``false``.

    >>> xsd = b'"http://www.w3.org/2001/XMLSchema#boolean"'
    >>> canonical_booleans(b'{"type": "typed-literal", "datatype": ' + xsd + b', "value": "1"}')[-16:]
    b'"value": "true"}'
    >>> canonical_booleans(b'{"value": "0", "datatype": ' + xsd + b'}')[:18]
    b'{"value": "false",'
    """
    if b"XMLSchema#boolean" not in document:
        return document

    def word(match: re.Match) -> bytes:
        before, digit, after = (match.group(1, 2, 3) if match.group(1) is not None else match.group(4, 5, 6))
        return before + (b"true" if digit == b"1" else b"false") + after

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
