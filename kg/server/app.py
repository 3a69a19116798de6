"""``kg serve``: the explorer and read-only SPARQL 1.1 endpoint, a Starlette app served by uvicorn.

Routes: ``/sparql`` (the endpoint), ``/query`` (the SPARQL page), ``/queries.json``, ``/static/…``
(:mod:`kg.server.sparql_routes`); ``/`` (summary), ``/id/…`` (entity pages and their RDF), search and
completion, overviews and questions (the other ``*_routes`` modules). Blocking work (queries, pages)
runs in threads; SPARQL from clients runs in worker processes (:mod:`kg.server.executor`).

>>> from kg.server.app import listen
>>> sock = listen("127.0.0.1", 0); sock.getsockname()[0]
'127.0.0.1'
>>> sock.close()
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path

from kg.core.errors import KGError, os_reason
from kg.server.executor import Limits

BACKLOG = 2048          # pending connections the kernel queues (http.server had 5)
KEEP_ALIVE_SECONDS = 5  # an idle connection is closed after this
SHUTDOWN_SECONDS = 5    # at shutdown, requests still running after this are cancelled


def create_app(explorer):
    """The Starlette app over an :class:`kg.server.state.Explorer`."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware

    from kg.server import entity_routes, find_routes, overview_routes, page_routes, sparql_routes
    from kg.server.responses import CommonHeaders, text_error

    async def http_error(request, exc: HTTPException):
        return text_error(exc.status_code, exc.detail if isinstance(exc.detail, str) else "error",
                          dict(exc.headers or {}))

    async def not_found(request, exc):
        return page_routes.not_found(request)

    routes = [*sparql_routes.ROUTES, *page_routes.ROUTES, *entity_routes.ROUTES, *overview_routes.ROUTES,
              *find_routes.ROUTES]
    app = Starlette(routes=routes, middleware=[Middleware(CommonHeaders)],
                    exception_handlers={404: not_found, HTTPException: http_error})
    app.state.explorer = explorer
    return app


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free port); a one-line error when it is taken."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as err:
        raise KGError(f"cannot listen on {host}:{port}: {err.strerror}; choose another --host") from None
    family = infos[0][0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # no Nagle delay: a response goes out as headers then body, and the second write must not wait
        # for the client's (delayed) acknowledgement of the first
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind(infos[0][4])
        sock.listen(BACKLOG)
    except OSError as err:
        sock.close()
        raise KGError(f"cannot listen on {host}:{port}: {os_reason(err)}; choose another --port "
                      "(0: any free port)") from None
    return sock


class Server:
    """uvicorn serving the app on a socket bound beforehand (so the address is known, and taken ports
    are reported, before anything runs). ``serve_forever()`` blocks; ``shutdown()`` (from another
    thread) stops it; ``server_close()`` releases the socket and the query workers."""

    def __init__(self, explorer, sock: socket.socket, quiet: bool = False):
        import uvicorn

        self.explorer = explorer
        self.socket = sock
        self.server_address = sock.getsockname()[:2]
        config = uvicorn.Config(create_app(explorer), log_level="warning" if quiet else "info",
                                access_log=not quiet, backlog=BACKLOG, timeout_keep_alive=KEEP_ALIVE_SECONDS,
                                lifespan="off", server_header=False,
                                timeout_graceful_shutdown=SHUTDOWN_SECONDS)
        self._uvicorn = uvicorn.Server(config)
        self._stopped = threading.Event()

    @property
    def executor(self):
        """The query workers (:class:`kg.server.executor.QueryExecutor`)."""
        return self.explorer.executor

    @property
    def url(self) -> str:
        host, port = self.server_address
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def serve_forever(self) -> None:
        try:
            self._uvicorn.run(sockets=[self.socket])
        finally:
            self._stopped.set()

    def shutdown(self, timeout: float = 10.0) -> None:
        self._uvicorn.should_exit = True
        self._stopped.wait(timeout)

    def server_close(self) -> None:
        self.socket.close()
        self.explorer.close()


def make_server(store_path: Path, host: str = "127.0.0.1", port: int = 8000, limits: Limits | None = None,
                quiet: bool = False, in_memory: bool | None = None, warm: bool = False) -> Server:
    """A server bound to ``host:port`` (port 0: any free port); run it with ``serve_forever()``.
    ``in_memory``: see :class:`kg.server.executor.QueryExecutor`; ``warm``: compute the overviews and the
    name index in the background at once (:meth:`kg.server.state.Explorer.warm`)."""
    from kg.server.state import Explorer

    sock = listen(host, port)
    try:
        explorer = Explorer(Path(store_path), limits, in_memory)
    except BaseException:
        sock.close()
        raise
    if warm:
        explorer.warm()
    return Server(explorer, sock, quiet)
