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

import urllib.parse

import anyio.to_thread
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from kg.server.protocol import Answer
from kg.server.protocol import Request as QueryRequest
from kg.server.responses import READ_ONLY, BodyTooLarge, answer_response, read_body, text_error, too_large

ALLOW = "GET, HEAD, POST, OPTIONS"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
FALLBACK_BASE = "http://localhost/sparql"


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


def _api(request: Request, answer) -> Response:
    """A JSON answer of :mod:`kg.server.api`, its queries run by the workers; a bad request is a 400."""
    from http import HTTPStatus

    from kg.core.errors import KGError, QueryError
    from kg.server.executor import ExecutorStore

    params = urllib.parse.parse_qs(request.url.query, keep_blank_values=True)
    try:
        body = answer(ExecutorStore(request.app.state.explorer.executor), params)
    except QueryError as err:
        return answer_response(Answer.error(HTTPStatus.BAD_REQUEST, str(err)))
    except KGError as err:
        return answer_response(Answer.error(HTTPStatus.SERVICE_UNAVAILABLE, str(err)))
    return Response(body, media_type="application/json")


def bind_api(request: Request) -> Response:
    """``/api/bind/<query>?param=value``: a named query's SPARQL with its parameters bound as terms."""
    from kg.server.api import bind

    name = request.path_params["name"]
    return _api(request, lambda store, params: bind(store, name, params))


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
    Route("/api/bind/{name}", bind_api, methods=["GET", "HEAD"]),
    Route("/static/{name:path}", static, methods=["GET", "HEAD"]),
]
