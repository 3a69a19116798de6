"""Any SPARQL 1.1 endpoint over HTTP (SPARQL 1.1 Protocol), and pushing a graph to a Graph Store.

Queries are POSTed as ``application/x-www-form-urlencoded``; results come back as SPARQL JSON (SELECT,
ASK) or N-Triples (CONSTRUCT, DESCRIBE) and are parsed by pyoxigraph, so terms are the same as with
the embedded store. The project prefixes are declared in front of every query.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

import pyoxigraph as ox

from kg.core.errors import QueryError, StoreError, excerpt
from kg.core.prefixes import sparql_prologue
from kg.store.protocol import GRAPH_ACCEPT, ProtocolStore

DEFAULT_TIMEOUT = 60.0


def _http(request: urllib.request.Request, timeout: float) -> bytes:
    """The response body; HTTP errors become :class:`QueryError` (4xx) or :class:`StoreError`."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as err:
        detail = err.read().decode("utf-8", "replace").strip()[:500]
        kind = QueryError if 400 <= err.code < 500 else StoreError
        raise kind(f"{request.full_url} answered HTTP {err.code}: {detail or err.reason}") from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise StoreError(f"cannot reach the endpoint {request.full_url}: {reason}") from None


class RemoteStore(ProtocolStore):
    name = "remote"

    def __init__(self, endpoint: str, timeout: float = DEFAULT_TIMEOUT):
        if urllib.parse.urlparse(endpoint).scheme not in ("http", "https"):
            raise StoreError(f"not an http(s) endpoint URL: {excerpt(endpoint)}")
        self.endpoint = endpoint
        self.timeout = timeout

    def _fetch(self, query: str, accept: str) -> bytes:
        body = urllib.parse.urlencode({"query": sparql_prologue() + query}).encode()
        request = urllib.request.Request(self.endpoint, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
        return _http(request, self.timeout)

    @property
    def origin(self) -> str:
        return self.endpoint


def push(triples: Iterable[ox.Triple], graph_store: str, replace: bool = True,
         timeout: float = DEFAULT_TIMEOUT) -> None:
    """Send triples to the default graph of a SPARQL 1.1 Graph Store (HTTP PUT replaces, POST adds).

    ``graph_store`` is the store's URL, e.g. ``http://127.0.0.1:7878/store`` for ``oxigraph serve``.
    """
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    separator = "&" if "?" in graph_store else "?"
    request = urllib.request.Request(f"{graph_store}{separator}default", data=data,
                                     method="PUT" if replace else "POST",
                                     headers={"Content-Type": GRAPH_ACCEPT})
    _http(request, timeout)
