"""Pages: the summary (home), search and its completion (``/api/complete``), the question library as
forms (``/questions``), and the not-found page."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from kg.core.errors import KGError
from kg.server.responses import text_error

COMPLETIONS = 10
SEARCH_RESULTS = 50


def wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(request.app.state.explorer.render(template, **context), status)


def not_found(request: Request, message: str | None = None) -> Response:
    """404: a page for browsers, one line of text for programs (a long path cut short)."""
    from kg.core.errors import excerpt

    message = message or f"nothing at {excerpt(request.url.path, quote=False)}"
    if wants_html(request):
        return page(request, "message.html.jinja", 404, title="Not found", message=message)
    return text_error(404, f"{message}; the SPARQL endpoint is /sparql")


# ---------------------------------------------------------------- home


@dataclass
class Summary:
    triples: int
    classes: list[tuple[str, str, int]]     # class name, label, nodes
    sources: list[tuple[str, str, int, int]]  # source, DOI, studies, formulations
    evidence: list[tuple[str, str, int]]    # level IRI, label, studies


def summary(explorer) -> Summary:
    from kg.query.stats import summarize
    from kg.server.entity import template
    from kg.server.entity_routes import class_labels_of

    found = summarize(explorer.store)
    names = class_labels_of(explorer)
    _, evidence = explorer.store.select(template("evidence-counts"))
    _, dois = explorer.store.select("SELECT ?name ?doi WHERE { ?d nmo:shortName ?name ; nmo:doi ?doi }")
    doi = {r["name"].value: r["doi"].value for r in dois}
    return Summary(found.triples, [(c, names.get(c, c), n) for c, n in found.classes],
                   [(s, doi.get(s, ""), a, b) for s, a, b in found.sources],
                   [(r["level"].value, r["label"].value, int(r["studies"].value)) for r in evidence])


def home(request: Request) -> Response:
    from kg.server.entity import local_path

    explorer = request.app.state.explorer
    found = explorer.cached("summary", lambda: summary(explorer))
    return page(request, "home.html.jinja", title="Summary", s=found, local_path=local_path)


# ---------------------------------------------------------------- search


def name_index(explorer):
    from kg.server.completion import name_index

    return explorer.cached("names", lambda: name_index(explorer.store))


def _matches(request: Request, limit: int) -> list[dict]:
    from kg.server.entity import local_path
    from kg.server.entity_routes import class_labels_of

    explorer = request.app.state.explorer
    names = class_labels_of(explorer)
    types = [t for t in request.query_params.get("type", "").split("|") if t]
    found = name_index(explorer).search(request.query_params.get("q", ""), limit, types)
    return [{"iri": m.iri, "label": m.label, "matched": m.matched if m.matched != m.label else "",
             "type": m.type, "type_label": names.get(m.type, m.type), "href": local_path(m.iri)}
            for m in found]


def complete(request: Request) -> Response:
    """``/api/complete?q=TEXT[&type=Class|Class][&limit=N]``: the best matches as JSON."""
    try:
        limit = min(max(int(request.query_params.get("limit", COMPLETIONS)), 1), SEARCH_RESULTS)
    except ValueError:
        return text_error(400, "limit must be a number")
    return JSONResponse({"query": request.query_params.get("q", ""), "matches": _matches(request, limit)})


def search(request: Request) -> Response:
    """``/search?q=TEXT``: the search box without JavaScript."""
    query = request.query_params.get("q", "")
    return page(request, "search.html.jinja", title=f"Search: {query}" if query else "Search", query=query,
                matches=_matches(request, SEARCH_RESULTS) if query.strip() else [])


# ---------------------------------------------------------------- questions


def questions(request: Request) -> Response:
    explorer = request.app.state.explorer
    return page(request, "questions.html.jinja", title="Questions", queries=explorer.graph.queries())


def question(request: Request) -> Response:
    """``/questions/NAME?param=value…``: a named query run with the parameters of its form."""
    from kg.server.entity import local_path

    explorer = request.app.state.explorer
    try:
        named = explorer.graph.named(request.path_params["name"])
    except KGError as err:
        return not_found(request, str(err))
    values = {p.name: v for p in named.params if (v := request.query_params.get(p.name, "").strip())}
    result, error = None, ""
    if "run" in request.query_params or values or not named.params:
        try:
            result = explorer.graph.query(named.name, **values)
        except KGError as err:
            error = str(err)
    return page(request, "question.html.jinja", 400 if error else 200, title=named.title or named.name,
                q=named, values=values, result=result, error=error, local_path=local_path)


ROUTES = [
    Route("/", home, methods=["GET", "HEAD"]),
    Route("/search", search, methods=["GET", "HEAD"]),
    Route("/api/complete", complete, methods=["GET", "HEAD"]),
    Route("/questions", questions, methods=["GET", "HEAD"]),
    Route("/questions/{name}", question, methods=["GET", "HEAD"]),
]
