"""HTTP plumbing shared by the routes: answers as responses, plain-text errors, the capped request body,
and the headers every answer carries (CORS, ``Vary: Accept``, ``nosniff``)."""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.server.protocol import TEXT, Answer

MAX_BODY = 1_000_000
CORS = {"access-control-allow-origin": "*", "access-control-allow-methods": "GET, HEAD, POST, OPTIONS",
        "access-control-allow-headers": "Content-Type, Accept", "access-control-max-age": "86400"}
READ_ONLY = "this endpoint is read-only: SPARQL updates and graph writes are refused"


def answer_response(answer: Answer, headers: dict[str, str] | None = None) -> Response:
    """A :class:`kg.server.protocol.Answer` as a response (HEAD requests get no body from Starlette)."""
    return Response(answer.body, answer.status, headers=headers, media_type=answer.content_type)


def text_error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A plain-text error answer."""
    return answer_response(Answer.error(status, message), headers)


class BodyTooLarge(Exception):
    """The request body is over :data:`MAX_BODY` bytes (or announces a length that is not a number)."""


async def read_body(request: Request, cap: int = MAX_BODY) -> bytes:
    """The request body, at most ``cap`` bytes: a larger announced ``Content-Length`` is refused before
    anything is read, and a body that streams past the cap (chunked, or longer than announced) is cut off
    there. A ``Content-Length`` that is not a plain number (``-1``) is refused too."""
    announced = request.headers.get("content-length")
    if announced is not None and (not announced.strip().isdigit() or int(announced) > cap):
        raise BodyTooLarge(announced)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise BodyTooLarge(str(size))
        chunks.append(chunk)
    return b"".join(chunks)


def too_large() -> Response:
    return text_error(413, f"the request body is over {MAX_BODY} bytes, or its Content-Length is not a "
                           "byte count")


class CommonHeaders:
    """ASGI middleware: every answer carries CORS headers, ``X-Content-Type-Options: nosniff`` and
    ``Vary: Accept`` (the same address answers HTML, RDF or SPARQL results by Accept header), is not
    cached unless the route says so, and says how long the server took to start it
    (``Server-Timing: app;dur=<ms>``, what ``benchmarks/explorer.py`` reads)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                elapsed = (time.perf_counter() - started) * 1000
                extra = {**CORS, "x-content-type-options": "nosniff", "vary": "Accept",
                         "cache-control": "no-store", "server-timing": f"app;dur={elapsed:.2f}"}
                headers += [(k.encode(), v.encode()) for k, v in extra.items() if k.encode() not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


__all__ = ["TEXT", "BodyTooLarge", "CommonHeaders", "answer_response", "read_body", "text_error"]
