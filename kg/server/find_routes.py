"""The find page: ``kg find`` as a form. Every axis lists its values among the matches with their counts
(the counts of an axis use the other axes' filters, so its own alternatives stay visible and each choice
narrows the rest); the matching formulations link to their pages; ``/find.csv`` downloads them."""

from __future__ import annotations

import csv
import io

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kg.core.errors import KGError
from kg.core.prefixes import compact
from kg.server.entity import local_path
from kg.server.page_routes import page

SHOWN_ROWS = 100
SHOWN_VALUES = 12  # per axis; the others are behind "more"
EVIDENCE = "evidence"


def filters_of(request: Request) -> dict[str, list[str]]:
    """The filters in the query string: axis → values (empty values dropped)."""
    from kg.query.find_axes import AXES

    found = {axis: [v.strip() for v in request.query_params.getlist(axis) if v.strip()] for axis in AXES}
    return {axis: values for axis, values in found.items() if values}


def value_key(axis: str, item) -> str:
    """What a ticked value sends: the CURIE of an entity (``=`` in front of an evidence level: exactly
    that level, as its count means), else the text."""
    if not getattr(item, "iri", None):
        return str(getattr(item, "label", item))
    return ("=" if axis == EVIDENCE else "") + compact(item.iri)


def facet_groups(graph, filters: dict[str, list[str]], include_strategies: bool) -> dict[str, list[dict]]:
    """Axis → its values with counts, each computed under the filters of the other axes."""
    from kg.query.find_axes import AXES

    axes = [a for a in AXES if a != "text"]
    found: dict[str, list[dict]] = {a: [] for a in axes}
    free = [a for a in axes if a not in filters]  # one query for every axis without a filter of its own
    calls = [(free, filters)] + [([a], {k: v for k, v in filters.items() if k != a})
                                 for a in axes if a in filters]
    for wanted, applied in calls:
        if not wanted:
            continue
        result = graph.facets(wanted, include_strategies=include_strategies, **applied)
        for record in result.records:
            axis, item = record["axis"], record["value"]
            key = value_key(axis, item)
            found[axis].append({"key": key, "label": getattr(item, "label", str(item)),
                                "href": local_path(item.iri) if getattr(item, "iri", None) else None,
                                "formulations": record["formulations"], "studies": record["studies"],
                                "checked": key in filters.get(axis, ())})
    return found


def find_data(explorer, filters: dict[str, list[str]], strategies: bool):
    """(facet groups, first rows) for these filters; the answers to recent filter sets are remembered
    (counting facets takes seconds at a million triples)."""
    def compute():
        groups = facet_groups(explorer.graph, filters, strategies)
        return groups, explorer.graph.find(include_strategies=strategies, limit=SHOWN_ROWS, **filters)

    key = (tuple(sorted((axis, tuple(values)) for axis, values in filters.items())), strategies)
    return explorer.recent("find", key, compute)


def find_page(request: Request) -> Response:
    from kg.query.find_axes import AXES

    explorer = request.app.state.explorer
    filters = filters_of(request)
    strategies = request.query_params.get("include_strategies", "") in ("1", "true", "on")
    result, groups, error = None, {}, ""
    try:
        groups, result = find_data(explorer, filters, strategies)
    except KGError as err:
        error = str(err)
    return page(request, "find.html.jinja", 400 if error else 200, title="Find", axes=AXES, groups=groups,
                filters=filters, strategies=strategies, result=result, error=error, shown=SHOWN_VALUES,
                local_path=local_path, query_string=request.url.query)


def find_csv(request: Request) -> Response:
    """All the matching formulations as CSV (labels; an ``_iri`` column beside each entity column)."""
    explorer = request.app.state.explorer
    strategies = request.query_params.get("include_strategies", "") in ("1", "true", "on")
    try:
        result = explorer.graph.find(include_strategies=strategies, **filters_of(request))
    except KGError as err:
        from kg.server.responses import text_error

        return text_error(400, str(err))
    header, rows = result.table(iris=True, full_iris=True)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="nanomet-kg-find.csv"'})


ROUTES = [
    Route("/find", find_page, methods=["GET", "HEAD"]),
    Route("/find.csv", find_csv, methods=["GET", "HEAD"]),
]
