"""One SPARQL Protocol request, evaluated: content negotiation, the result-size cap, serialisation.

Pure functions of an open pyoxigraph store, so that the worker processes of :mod:`kg.server.executor`
(and tests) can call them directly.

>>> negotiate("text/csv;q=0.5, application/sparql-results+xml", SELECT_FORMATS).name
'xml'
>>> negotiate("", GRAPH_FORMATS).name
'turtle'
>>> negotiate("image/png", SELECT_FORMATS) is None
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox

from kg.core.errors import QueryError
from kg.core.prefixes import PREFIXES
from kg.core.sparql import check_syntax
from kg.query.results import boolean_json, sparql_json

TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, content type and body."""

    status: int
    content_type: str
    body: bytes

    @classmethod
    def error(cls, status: int, message: str) -> Answer:
        return cls(status, TEXT, (message.rstrip() + "\n").encode("utf-8"))


@dataclass(frozen=True)
class Request:
    """One SPARQL Protocol query: the text, how the answer is asked for (Accept header, ``format=``),
    the base IRI relative IRIs resolve against, and the protocol's dataset (``default-graph-uri`` and
    ``named-graph-uri``: graphs of the store; one it lacks is empty, nothing is fetched)."""

    query: str
    accept: str = ""
    explicit_format: str = ""
    base_iri: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    accepts: tuple[str, ...]  # media types a client may ask for


SELECT_FORMATS = (
    Format("json", "application/sparql-results+json",
           ("application/sparql-results+json", "application/json")),
    Format("xml", "application/sparql-results+xml",
           ("application/sparql-results+xml", "application/xml", "text/xml")),
    Format("csv", "text/csv; charset=utf-8", ("text/csv",)),
    Format("tsv", "text/tab-separated-values; charset=utf-8", ("text/tab-separated-values",)),
)
GRAPH_FORMATS = (
    Format("turtle", "text/turtle; charset=utf-8", ("text/turtle", "application/x-turtle")),
    Format("nt", "application/n-triples", ("application/n-triples", "text/plain")),
    Format("rdfxml", "application/rdf+xml", ("application/rdf+xml",)),
    Format("jsonld", "application/ld+json", ("application/ld+json",)),
)
_RESULTS_FORMAT = {"xml": ox.QueryResultsFormat.XML, "csv": ox.QueryResultsFormat.CSV,
                   "tsv": ox.QueryResultsFormat.TSV}
RDF_FORMAT = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
               "jsonld": ox.RdfFormat.JSON_LD}
FORMAT_ALIASES = {"ttl": "turtle", "n-triples": "nt", "ntriples": "nt", "json-ld": "jsonld", "rdf": "rdfxml"}


def accept_ranges(accept: str) -> list[str]:
    """Media ranges of an Accept header, best first (stable for equal q)."""
    ranges = []
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((-q, position, media.lower()))
    return [media for _, _, media in sorted(ranges)]


def negotiate(accept: str, formats: tuple[Format, ...], explicit: str = "") -> Format | None:
    """The format a request asks for: ``explicit`` (a ``format=`` parameter) if this kind of result has
    it, else the Accept header; the first of ``formats`` when anything goes; None when nothing offered
    is acceptable."""
    if explicit:
        name = FORMAT_ALIASES.get(explicit.lower(), explicit.lower())
        if formats is GRAPH_FORMATS and name == "json":
            name = "jsonld"
        found = next((f for f in formats if f.name == name), None)
        if found is not None:
            return found
    ranges = accept_ranges(accept) or ["*/*"]
    for media in ranges:
        if media in ("*/*", "*"):
            return formats[0]
        for f in formats:
            if media in f.accepts or (media.endswith("/*") and f.media_type.startswith(media[:-1])):
                return f
    return None


def _not_acceptable(formats: tuple[Format, ...]) -> Answer:
    offered = ", ".join(f.media_type.split(";")[0] for f in formats)
    return Answer.error(406, f"none of the requested formats is available for this query; offered: {offered}")


def _too_large(max_rows: int, what: str) -> Answer:
    return Answer.error(413, f"the result has more than {max_rows} {what}, the server's cap; add a LIMIT "
                             "(or start `kg serve` with a larger --max-rows)")


def _dataset(request: Request) -> dict:
    """pyoxigraph's dataset arguments for the protocol's ``default-graph-uri`` / ``named-graph-uri``."""
    if not (request.default_graphs or request.named_graphs):
        return {}
    # as with FROM / FROM NAMED: naming only one kind leaves the other empty
    return {"default_graph": [ox.NamedNode(g) for g in request.default_graphs],
            "named_graphs": [ox.NamedNode(g) for g in request.named_graphs]}


def evaluate(store: ox.Store, request: Request | str, accept: str = "", explicit_format: str = "",
             max_rows: int = 10_000) -> Answer:
    """Run one query against ``store`` and serialise the answer as negotiated (``request``: a
    :class:`Request`, or the query text with ``accept`` and ``explicit_format``)."""
    if isinstance(request, str):
        request = Request(request, accept, explicit_format)
    query, accept, explicit_format = request.query, request.accept, request.explicit_format
    try:
        # refuses updates and SERVICE (never allowed here), and deep nesting
        check_syntax(query, PREFIXES, base_iri=request.base_iri)
        dataset = _dataset(request)
    except QueryError as err:
        return Answer.error(403 if "not allowed" in str(err) else 400, str(err))
    except ValueError as err:
        return Answer.error(400, f"not an IRI in default-graph-uri or named-graph-uri: {err}")
    try:
        result = store.query(query, prefixes=PREFIXES, base_iri=request.base_iri, **dataset)
        if isinstance(result, ox.QueryTriples):
            fmt = negotiate(accept, GRAPH_FORMATS, explicit_format)
            if fmt is None:
                return _not_acceptable(GRAPH_FORMATS)
            triples = []
            for triple in result:
                if len(triples) >= max_rows:
                    return _too_large(max_rows, "triples")
                triples.append(triple)
            prefixes = PREFIXES if fmt.name == "turtle" else None
            body = ox.serialize(triples, format=RDF_FORMAT[fmt.name], prefixes=prefixes)
            return Answer(200, fmt.media_type, body)
        fmt = negotiate(accept, SELECT_FORMATS, explicit_format)
        if fmt is None:
            return _not_acceptable(SELECT_FORMATS)
        if isinstance(result, ox.QueryBoolean):
            document = boolean_json(bool(result))
        else:
            names = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) >= max_rows:
                    return _too_large(max_rows, "rows")
                rows.append({n: solution[n] for n in names if solution[n] is not None})
            document = sparql_json(names, rows)
    except SyntaxError as err:
        return Answer.error(400, f"SPARQL syntax error: {err}")
    except OSError as err:
        return Answer.error(500, f"store error: {err}")
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    if fmt.name != "json":
        body = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON).serialize(
            format=_RESULTS_FORMAT[fmt.name])
    return Answer(200, fmt.media_type, body)
