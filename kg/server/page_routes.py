"""Pages: the summary (home), search and completion, the question library."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kg.server.responses import text_error


def not_found(request: Request) -> Response:
    return text_error(404, f"nothing at {request.url.path}; the SPARQL endpoint is /sparql")


ROUTES: list[Route] = []
