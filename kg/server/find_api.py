"""``GET /api/find``: ``kg find`` over HTTP, as JSON.

The query string carries the filters (``target=PD-L1&step=extravasation&evidence=in%20vivo``; repeat a
key for OR), ``facet=AXIS`` (repeatable), ``studies=true``, ``include_strategies=true`` and ``limit=N``.
The answer is :meth:`kg.query.find_result.FindResult.to_json_document`; a bad request is a 400 with
``{"error": message}``. The queries :func:`kg.query.find.find` generates run in the server's query
workers (:class:`ExecutorStore`), under the same time limit and row cap as ``/sparql``.
"""

from __future__ import annotations

import json
import urllib.parse
from http import HTTPStatus

import pyoxigraph as ox

from kg.core.errors import KGError, QueryError, StoreError
from kg.server.executor import QueryExecutor
from kg.server.protocol import Answer
from kg.store.base import Store, solution_rows

OPTIONS = {"facet", "studies", "include_strategies", "include-strategies", "limit"}
JSON_TYPE = "application/json; charset=utf-8"


class ExecutorStore(Store):
    """A store whose SELECT and ASK queries run in the server's worker processes."""

    name = "kg serve"

    def __init__(self, executor: QueryExecutor):
        self.executor = executor

    def _results(self, query: str):
        answer = self.executor.run(query, "application/sparql-results+json")
        if answer.status != HTTPStatus.OK:
            kind = QueryError if answer.status < 500 else StoreError
            raise kind(answer.body.decode("utf-8", "replace").strip())
        return ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)

    def _select(self, query):
        return solution_rows(self._results(query))

    def _ask(self, query):
        return bool(self._results(query))

    def _construct(self, query):
        raise QueryError("the find API runs no CONSTRUCT queries")


def _flag(params: dict[str, list[str]], *names: str) -> bool:
    values = [v for name in names for v in params.get(name, [])]
    if not values:
        return False
    text = values[-1].strip().lower()
    if text in ("", "1", "true", "yes"):
        return True
    if text in ("0", "false", "no"):
        return False
    raise QueryError(f"{names[0]} is true or false, got {values[-1]!r}")


def find_answer(executor: QueryExecutor, query_string: str) -> Answer:
    """The JSON answer to ``GET /api/find?<query_string>``."""
    from kg.query.find import facets, find

    params = urllib.parse.parse_qs(query_string, keep_blank_values=True)
    try:
        filters = {key: values for key, values in params.items() if key not in OPTIONS}
        limits = params.get("limit", [])
        if limits and not limits[-1].isdigit():
            raise QueryError(f"limit is a number of rows, got {limits[-1]!r}")
        limit = int(limits[-1]) if limits else None
        strategies = _flag(params, "include_strategies", "include-strategies")
        store = ExecutorStore(executor)
        if params.get("facet"):
            result = facets(store, params["facet"], filters, include_strategies=strategies).head(limit)
        else:
            result = find(store, filters, studies=_flag(params, "studies"), include_strategies=strategies,
                          limit=limit)
    except KGError as err:
        status = HTTPStatus.SERVICE_UNAVAILABLE if isinstance(err, StoreError) else HTTPStatus.BAD_REQUEST
        return Answer(status, JSON_TYPE, json.dumps({"error": str(err)}, ensure_ascii=False).encode("utf-8"))
    body = json.dumps(result.to_json_document(), ensure_ascii=False).encode("utf-8")
    return Answer(HTTPStatus.OK, JSON_TYPE, body)
