"""Entity pages at each IRI's own path: ``https://w3id.org/nanomet-kg/id/target/cd44`` is served at
``/id/target/cd44`` — as HTML for browsers, or as the entity's concise bounded description in Turtle,
JSON-LD, N-Triples or RDF/XML (Accept header, or ``?format=ttl|jsonld|nt|rdfxml``).
``/api/neighbours?iri=…`` gives the graph widget an entity's neighbourhood as JSON."""

from __future__ import annotations

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kg.core.errors import excerpt
from kg.core.prefixes import PREFIXES
from kg.server.entity import (
    entity_iri,
    exists,
    identifier_text,
    local_path,
    neighbourhood,
    read_entity,
    template,
)
from kg.server.protocol import FORMAT_ALIASES, GRAPH_FORMATS, RDF_FORMAT, Format, accept_ranges
from kg.server.responses import text_error

HTML_TYPES = ("text/html", "application/xhtml+xml", "*/*", "text/*", "*")


def wanted(accept: str, explicit: str = "") -> Format | str | None:
    """``"html"`` or the RDF format a request asks for; None when nothing offered is acceptable.

    >>> wanted("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"), wanted("text/turtle").name
    ('html', 'turtle')
    >>> wanted("application/ld+json, text/html;q=0.5").name, wanted("", "nt").name, wanted("image/png")
    ('jsonld', 'nt', None)
    """
    if explicit:
        name = FORMAT_ALIASES.get(explicit.lower(), explicit.lower())
        return "html" if name == "html" else next((f for f in GRAPH_FORMATS if f.name == name), None)
    for media in accept_ranges(accept) or ["*/*"]:
        if media in HTML_TYPES:
            return "html"
        for f in GRAPH_FORMATS:
            if media in f.accepts:
                return f
    return None


def class_labels_of(explorer) -> dict[str, str]:
    """Class name → label, read once per store."""
    from kg.server.entity import class_labels

    return explorer.cached("class-labels", lambda: class_labels(explorer.store))


def entity(request: Request) -> Response:
    explorer = request.app.state.explorer
    path = request.url.path
    iri = entity_iri(request.path_params["path"])
    fmt = wanted(request.headers.get("accept", ""), request.query_params.get("format", ""))
    if fmt is None:
        offered = ", ".join(["text/html"] + [f.media_type.split(";")[0] for f in GRAPH_FORMATS])
        return text_error(406, f"none of the requested formats is available; offered: {offered}")
    from kg.server.page_routes import not_found

    try:
        ox.NamedNode(iri)
    except ValueError:
        return not_found(request, f"{excerpt(path, quote=False)} is not the path of an entity")
    if not exists(explorer.store, iri):
        return not_found(request, f"the graph has no entity {excerpt(iri, quote=False)}")
    if isinstance(fmt, Format):
        triples = explorer.store.construct(template("entity-description"), {"entity": ox.NamedNode(iri)})
        prefixes = PREFIXES if fmt.name == "turtle" else None
        body = ox.serialize(triples, format=RDF_FORMAT[fmt.name], prefixes=prefixes)
        return Response(body, media_type=fmt.media_type)
    page = explorer.render("entity.html.jinja", e=read_entity(explorer.store, iri, class_labels_of(explorer)),
                           path=path, identifier_name=identifier_text)
    return Response(page, media_type="text/html; charset=utf-8")


def neighbours(request: Request) -> Response:
    explorer = request.app.state.explorer
    iri = request.query_params.get("iri", "")
    if local_path(iri) is None:
        return text_error(400, "give iri=… the IRI of an entity of this graph")
    try:
        ox.NamedNode(iri)
    except ValueError:
        return text_error(400, f"not an IRI: {iri!r}")
    return JSONResponse(neighbourhood(explorer.store, iri, class_labels_of(explorer)))


ROUTES = [
    Route("/id/{path:path}", entity, methods=["GET", "HEAD"]),
    Route("/api/neighbours", neighbours, methods=["GET", "HEAD"]),
]
