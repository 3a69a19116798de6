"""Overview pages: ``/overview`` (the list), ``/overview/<matrix>`` (a heatmap whose cells link to their
evidence), ``/overview/<matrix>/cell?row=IRI&col=IRI`` (the formulations and studies behind a cell, or
for an empty carrier family × step cell its ranked hypothesis with paths), ``/overview/hypotheses``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kg.server.entity import Terms, local_path, record_sources
from kg.server.overview import HYPOTHESIS_MATRIX, MATRICES, compute, heatmap, strongest_paths
from kg.server.page_routes import not_found, page

HYPOTHESES_SHOWN = 40


RETRY_SECONDS = 5


def overview_of(explorer):
    """The overviews if computed, else None (their computation is started in the background)."""
    return explorer.pending("overview", lambda: compute(explorer.store))


def computing(request: Request) -> Response:
    """503 with a page that reloads itself while the overviews are computed."""
    response = page(request, "computing.html.jinja", 503, title="Computing the overviews",
                    retry=RETRY_SECONDS)
    response.headers["Retry-After"] = str(RETRY_SECONDS)
    return response


def overviews(request: Request) -> Response:
    return page(request, "overviews.html.jinja", title="Overviews", matrices=MATRICES)


def matrix_page(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in MATRICES:
        return not_found(request, f"No overview called {name}; see /overview.")
    overview = overview_of(request.app.state.explorer)
    if overview is None:
        return computing(request)
    matrix = overview.matrices[name]
    return page(request, "matrix.html.jinja", title=MATRICES[name][4], name=name, m=matrix,
                table=heatmap(matrix, overview, name), local_path=local_path,
                with_hypotheses=name == HYPOTHESIS_MATRIX)


def cell_page(request: Request) -> Response:
    from kg.server.entity_routes import class_labels_of

    explorer = request.app.state.explorer
    name = request.path_params["name"]
    row, col = request.query_params.get("row", ""), request.query_params.get("col", "")
    overview = overview_of(explorer) if name in MATRICES else None
    if name in MATRICES and overview is None:
        return computing(request)
    matrix = overview.matrices[name] if overview else None
    if matrix is None or row not in matrix.rows or col not in matrix.cols:
        return not_found(request, "No such cell; pick one from an overview (/overview).")
    cell = matrix.cell(row, col)
    terms = Terms(explorer.store, class_labels_of(explorer))
    terms.load([*cell.formulations, *cell.studies])
    sources = record_sources(explorer.store, terms, sorted(cell.studies))
    studies = sorted(((terms.ref(s), sources.get(s)) for s in cell.studies),
                     key=lambda x: (-(x[1].evidence_rank if x[1] else 0), x[0].label.casefold()))
    formulations = sorted((terms.ref(f) for f in cell.formulations), key=lambda r: r.label.casefold())
    found = overview.hypothesis(row, col) if name == HYPOTHESIS_MATRIX and not cell.studies else None
    return page(request, "cell.html.jinja", title=f"{matrix.labels[row]} × {matrix.labels[col]}", name=name,
                matrix_title=MATRICES[name][4],
                row_label=matrix.labels[row], col_label=matrix.labels[col], row_href=local_path(row),
                col_href=local_path(col), cell=cell, formulations=formulations, studies=studies,
                hypothesis=found, paths=strongest_paths(found[1], overview.lifted) if found else [],
                local_path=local_path)


def hypotheses_page(request: Request) -> Response:
    overview = overview_of(request.app.state.explorer)
    if overview is None:
        return computing(request)
    ranked = [(n, h, strongest_paths(h, overview.lifted, 1)) for n, h in
              enumerate(overview.ranked[:HYPOTHESES_SHOWN], 1)]
    return page(request, "hypotheses.html.jinja", title="Hypotheses", ranked=ranked, lifted=overview.lifted,
                total=len(overview.ranked), local_path=local_path)


ROUTES = [
    Route("/overview", overviews, methods=["GET", "HEAD"]),
    Route("/overview/hypotheses", hypotheses_page, methods=["GET", "HEAD"]),
    Route("/overview/{name}", matrix_page, methods=["GET", "HEAD"]),
    Route("/overview/{name}/cell", cell_page, methods=["GET", "HEAD"]),
]
