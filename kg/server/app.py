"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the built store, with a query page.

Routes: ``/sparql`` (GET ``?query=``, POST form ``query=`` or ``application/sparql-query``), ``/`` (the
query page), ``/static/<file>``, ``/queries.json`` (the named queries: metadata and SPARQL),
``/api/find`` (``kg find`` as JSON: :mod:`kg.server.find_api`), ``/api/complete`` and ``/api/bind/<query>``
(the page's parameter inputs: :mod:`kg.server.api`).
Updates (``update=``, ``application/sparql-update``, INSERT/DELETE … as a query) and PUT/DELETE/PATCH
are refused; every answer carries CORS headers.
"""

from __future__ import annotations

import sys
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from kg.core.errors import KGError, QueryError, excerpt, os_reason
from kg.server.api import bind, completions, library_document
from kg.server.executor import ExecutorStore, Limits, QueryExecutor
from kg.server.protocol import TEXT, Answer

MAX_BODY = 1_000_000
STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8", ".txt": TEXT, ".json": "application/json"}
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, Accept", "Access-Control-Max-Age": "86400"}
READ_ONLY = "this endpoint is read-only: SPARQL updates and graph writes are refused"


def static_files() -> dict[str, tuple[str, bytes]]:
    """name → (content type, bytes) of the query page's files shipped in ``kg/server/static``."""
    folder = resources.files("kg.server") / "static"
    files = {}
    for entry in folder.iterdir():
        suffix = Path(entry.name).suffix
        if suffix in STATIC_TYPES:
            files[entry.name] = (STATIC_TYPES[suffix], entry.read_bytes())
    return files


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], store_path: Path, limits: Limits | None = None,
                 quiet: bool = False, in_memory: bool | None = None):
        self.executor = QueryExecutor(store_path, limits, in_memory)
        self.store = ExecutorStore(self.executor)
        try:
            self.library = library_document(store_path)
            self.static = static_files()
            try:
                super().__init__(address, SparqlHandler)
            except OSError as err:
                raise KGError(f"cannot listen on {address[0]}:{address[1]}: {os_reason(err)}; choose "
                              "another --port (0: any free port)") from None
        except BaseException:
            self.executor.close()
            raise
        self.quiet = quiet

    def handle_error(self, request, client_address) -> None:
        """A client that went away before its answer was written is not worth a traceback in the log."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def server_close(self) -> None:
        super().server_close()
        self.executor.close()


class SparqlHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "nanomet-kg"

    def log_message(self, format: str, *args) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)

    def _send(self, answer: Answer, head_only: bool = False) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in CORS.items():
            self.send_header(key, value)
        self.end_headers()
        if not head_only:
            self.wfile.write(answer.body)

    def _query(self, params: dict[str, list[str]], head_only: bool = False) -> None:
        if "update" in params:
            return self._send(Answer.error(HTTPStatus.FORBIDDEN, READ_ONLY))
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return self._send(Answer.error(HTTPStatus.BAD_REQUEST,
                                           "give exactly one SPARQL query as query=…"))
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return self._send(Answer.error(HTTPStatus.BAD_REQUEST,
                                           "this endpoint has one default graph; default-graph-uri and "
                                           "named-graph-uri are not supported"))
        explicit = (params.get("format") or [""])[0]
        self._send(self.server.executor.run(queries[0], self.headers.get("Accept", ""), explicit), head_only)

    def do_OPTIONS(self) -> None:
        self._send(Answer(HTTPStatus.NO_CONTENT, TEXT, b""))

    def do_HEAD(self) -> None:
        self.do_GET(head_only=True)

    def do_GET(self, head_only: bool = False) -> None:
        url = urllib.parse.urlsplit(self.path)
        path = url.path.rstrip("/") or "/"
        if path == "/sparql":
            params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            if not params and "text/html" in self.headers.get("Accept", ""):
                return self._redirect("/")
            return self._query(params, head_only)
        if path in ("/", "/index.html"):
            return self._static("index.html", head_only)
        if path == "/api/find":
            from kg.server.find_api import find_answer

            return self._send(find_answer(self.server.executor, url.query), head_only)
        if path == "/queries.json":
            return self._send(Answer(HTTPStatus.OK, "application/json", self.server.library), head_only)
        if path == "/api/complete" or path.startswith("/api/bind/"):
            return self._api(path, urllib.parse.parse_qs(url.query, keep_blank_values=True), head_only)
        if path.startswith("/static/"):
            return self._static(path.removeprefix("/static/"), head_only)
        nothing = f"nothing at {excerpt(url.path, quote=False)}; the SPARQL endpoint is /sparql"
        self._send(Answer.error(HTTPStatus.NOT_FOUND, nothing))

    def do_POST(self) -> None:
        if urllib.parse.urlsplit(self.path).path.rstrip("/") != "/sparql":
            return self._send(Answer.error(HTTPStatus.NOT_FOUND, "POST queries to /sparql"))
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self._send(Answer.error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                                           f"request body over {MAX_BODY} bytes"))
        body = self.rfile.read(length).decode("utf-8", "replace")
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        url_params = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
        if content_type == "application/sparql-update":
            return self._send(Answer.error(HTTPStatus.FORBIDDEN, READ_ONLY))
        if content_type == "application/sparql-query":
            return self._query({**url_params, "query": [body]})
        if content_type in ("application/x-www-form-urlencoded", ""):
            return self._query({**url_params, **urllib.parse.parse_qs(body, keep_blank_values=True)})
        self._send(Answer.error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                                "POST a query as application/x-www-form-urlencoded (query=…) "
                                "or as application/sparql-query"))

    def _api(self, path: str, params: dict[str, list[str]], head_only: bool) -> None:
        try:
            if path == "/api/complete":
                body = completions(self.server.store, params)
            else:
                body = bind(self.server.store, urllib.parse.unquote(path.removeprefix("/api/bind/")), params)
        except QueryError as err:
            return self._send(Answer.error(HTTPStatus.BAD_REQUEST, str(err)), head_only)
        except KGError as err:
            return self._send(Answer.error(HTTPStatus.SERVICE_UNAVAILABLE, str(err)), head_only)
        self._send(Answer(HTTPStatus.OK, "application/json", body), head_only)

    def _refuse_write(self) -> None:
        self._send(Answer.error(HTTPStatus.METHOD_NOT_ALLOWED, READ_ONLY))

    do_PUT = do_DELETE = do_PATCH = _refuse_write

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.SEE_OTHER)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _static(self, name: str, head_only: bool = False) -> None:
        if name not in self.server.static:
            return self._send(Answer.error(HTTPStatus.NOT_FOUND, f"no file {excerpt(name, quote=False)}"))
        content_type, data = self.server.static[name]
        self._send(Answer(HTTPStatus.OK, content_type, data), head_only)


def make_server(store_path: Path, host: str = "127.0.0.1", port: int = 8000, limits: Limits | None = None,
                quiet: bool = False, in_memory: bool | None = None) -> SparqlServer:
    """A server bound to ``host:port`` (port 0: any free port); run it with ``serve_forever()``.
    ``in_memory``: see :class:`kg.server.executor.QueryExecutor`."""
    from kg.store.oxigraph_backend import OxigraphStore

    OxigraphStore.open(Path(store_path)).close()  # a clear error now if there is no built store
    return SparqlServer((host, port), Path(store_path), limits, quiet, in_memory)
