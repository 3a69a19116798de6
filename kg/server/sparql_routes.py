"""The SPARQL 1.1 Protocol endpoint (``/sparql``), the query page (``/query``) and its library
(``/queries.json``), and ``kg find`` as JSON (``/api/find``).

GET ``?query=``, POST form (``application/x-www-form-urlencoded``, ``query=``) or direct
(``application/sparql-query``, UTF-8). Relative IRIs resolve against the endpoint's own address.
``default-graph-uri`` / ``named-graph-uri`` are honoured over the local store: the knowledge graph is the
store's default graph and the store has no named graphs, so a graph named there is empty — nothing is
ever fetched. Updates (``update=``, ``application/sparql-update``, INSERT/DELETE … as a query) are
refused with 403, other methods with 405.
"""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import anyio.to_thread
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from kg.core.prefixes import PREFIXES
from kg.server.protocol import Request as QueryRequest
from kg.server.responses import READ_ONLY, BodyTooLarge, answer_response, read_body, text_error, too_large

ALLOW = "GET, HEAD, POST, OPTIONS"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
FALLBACK_BASE = "http://localhost/sparql"


def library_document(store_path: Path) -> bytes:
    """The prefixes and the named queries as JSON for the page, each query with its example (required
    parameters) or default (optional ones) bound."""
    from kg.core.errors import KGError
    from kg.core.sparql import inject_bindings
    from kg.query.handle import KG
    from kg.store.oxigraph_backend import OxigraphStore

    entries = []
    with OxigraphStore.open(store_path) as store:
        graph = KG(store)
        for q in graph.queries():
            bound, notes = {}, []
            for p in q.params:
                value = p.example if p.required else None if p.default == "any" else p.default
                try:
                    bound[p.name] = p.coerce(store, value) if value is not None else None
                    bound_to = f" — bound to {value}" if value else " — unbound"
                    notes.append(f"# ?{p.name}: {p.describe()}{bound_to}")
                except KGError:
                    notes.append(f"# ?{p.name}: {p.describe()} — bind it in the VALUES line "
                                 f"(example {value!r} is not in this graph)")
                    bound[p.name] = None
            text = inject_bindings(q.text, bound) if bound else q.text
            if notes:
                text = "# parameters:\n" + "\n".join(notes) + "\n" + text
            entries.append({"name": q.name, "title": q.title, "description": q.description, "text": text,
                            "params": [{"name": p.name, "type": f"{p.kind} {p.type}".strip(),
                                        "default": p.default, "example": p.example, "help": p.help}
                                       for p in q.params]})
    document = {"prefixes": PREFIXES, "queries": entries}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _base_iri(request: Request) -> str:
    """The endpoint's own address, the base IRI of relative IRIs in a query."""
    base = str(request.url.replace(query="", fragment=""))
    try:
        ox.NamedNode(base)
    except ValueError:
        return FALLBACK_BASE
    return base


def _media_type(request: Request) -> tuple[str, str]:
    """(media type, charset) of the request's Content-Type, both lower-case; empty when absent."""
    media, *params = [p.strip() for p in request.headers.get("content-type", "").split(";")]
    charset = next((p.split("=", 1)[1].strip('" ') for p in params if p.lower().startswith("charset=")), "")
    return media.lower(), charset.lower()


async def _answer(request: Request, params: dict[str, list[str]]) -> Response:
    if "update" in params:
        return text_error(403, READ_ONLY)
    queries = params.get("query", [])
    if len(queries) != 1 or not queries[0].strip():
        return text_error(400, "give exactly one SPARQL query as query=…")
    query = QueryRequest(queries[0], request.headers.get("accept", ""), (params.get("format") or [""])[0],
                         _base_iri(request), tuple(params.get("default-graph-uri", ())),
                         tuple(params.get("named-graph-uri", ())))
    explorer = request.app.state.explorer
    answer = await anyio.to_thread.run_sync(explorer.executor.run, query, limiter=explorer.sparql_threads)
    return answer_response(answer)


async def sparql(request: Request) -> Response:
    """``/sparql``: the SPARQL 1.1 Protocol query operation, read-only."""
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": ALLOW})
    if request.method not in ("GET", "HEAD", "POST"):
        return text_error(405, READ_ONLY, {"Allow": ALLOW})
    params = urllib.parse.parse_qs(request.url.query, keep_blank_values=True)
    if request.method != "POST":
        if not params and "text/html" in request.headers.get("accept", ""):
            return RedirectResponse("/query", status_code=303)
        return await _answer(request, params)
    try:
        body = await read_body(request)
    except BodyTooLarge:
        return too_large()
    media, charset = _media_type(request)
    if media == UPDATE or "update" in params:
        return text_error(403, READ_ONLY)
    if media not in (FORM, DIRECT):
        return text_error(415, f"POST a query as {FORM} (query=…) or as {DIRECT}"
                               + ("; this request has no Content-Type" if not media else ""))
    if charset and charset not in ("utf-8", "utf8"):
        return text_error(415, f"a query must be sent as UTF-8, not {charset}")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return text_error(400, "the request body is not UTF-8")
    if media == DIRECT:
        return await _answer(request, {**params, "query": [text]})
    return await _answer(request, {**params, **urllib.parse.parse_qs(text, keep_blank_values=True)})


def find_api(request: Request) -> Response:
    """``/api/find``: ``kg find`` as JSON (:mod:`kg.server.find_api`), its queries run by the workers."""
    from kg.server.find_api import find_answer

    explorer = request.app.state.explorer
    return answer_response(find_answer(explorer.executor, request.url.query))


def query_page(request: Request) -> Response:
    return _static(request, "index.html")


def queries_json(request: Request) -> Response:
    return Response(request.app.state.explorer.library, media_type="application/json")


def static(request: Request) -> Response:
    return _static(request, request.path_params["name"])


def _static(request: Request, name: str) -> Response:
    files = request.app.state.explorer.static
    if name not in files:
        from kg.core.errors import excerpt

        return text_error(404, f"no file {excerpt(name, quote=False)}")
    content_type, data = files[name]
    return Response(data, media_type=content_type, headers={"Cache-Control": "max-age=3600"})


ROUTES = [
    Route("/sparql", sparql, methods=["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"]),
    Route("/sparql/", sparql, methods=["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"]),
    Route("/query", query_page, methods=["GET", "HEAD"]),
    Route("/api/find", find_api, methods=["GET", "HEAD"]),
    Route("/queries.json", queries_json, methods=["GET", "HEAD"]),
    Route("/static/{name:path}", static, methods=["GET", "HEAD"]),
]
