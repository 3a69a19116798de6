"""Shared fixtures: the tiny fixture graph and the real curated graph, each built once per session."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from kg.build.pipeline import build
from kg.core.locations import Sources
from kg.store import open_store

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini"


@pytest.fixture(scope="session")
def mini_sources() -> Sources:
    return Sources.default(triples=MINI)


@pytest.fixture
def mini_copy(tmp_path) -> Sources:
    """A writable copy of the fixture data, for tests that break it."""
    folder = tmp_path / "triples"
    shutil.copytree(MINI, folder)
    return Sources.default(triples=folder)


def _built(tmp_path_factory, name: str, sources: Sources) -> Path:
    """A store built from ``sources`` in a fresh temporary folder."""
    path = tmp_path_factory.mktemp(name) / "store"
    build(path, sources)
    return path


def _opened(path: Path):
    with open_store(path) as store:
        yield store


@pytest.fixture(scope="session")
def mini_store_path(tmp_path_factory, mini_sources) -> Path:
    return _built(tmp_path_factory, "mini", mini_sources)


@pytest.fixture
def mini_store(mini_store_path):
    yield from _opened(mini_store_path)


@pytest.fixture(scope="session")
def real_store_path(tmp_path_factory) -> Path:
    return _built(tmp_path_factory, "real", Sources.default())


@pytest.fixture
def real_store(real_store_path):
    yield from _opened(real_store_path)


@pytest.fixture(scope="session")
def analysis_store_path(tmp_path_factory) -> Path:
    """The hand-made graph-analysis fixture (tests/data/analysis) built into a store."""
    return _built(tmp_path_factory, "analysis", Sources.default(triples=DATA / "analysis"))


@pytest.fixture
def analysis_store(analysis_store_path):
    yield from _opened(analysis_store_path)


@pytest.fixture(scope="session")
def query_sources(tmp_path_factory) -> Sources:
    """The mini fixture plus the query-layer fixture (tests/data/queries), in one folder."""
    folder = tmp_path_factory.mktemp("query-data") / "triples"
    shutil.copytree(MINI, folder)
    for path in (DATA / "queries").glob("*.ttl"):
        shutil.copy(path, folder / path.name)
    return Sources.default(triples=folder)


@pytest.fixture(scope="session")
def query_store_path(tmp_path_factory, query_sources) -> Path:
    return _built(tmp_path_factory, "query", query_sources)


@pytest.fixture
def query_store(query_store_path):
    yield from _opened(query_store_path)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium through chromedriver, network blocked but loopback (tests/webdriver.py)."""
    from webdriver import WebDriver, binary

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    driver = subprocess.Popen([binary("chromedriver", "chromium-driver"), f"--port={port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/status", timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "chromedriver did not start"
            time.sleep(0.1)
    session = WebDriver(url, binary("chromium", "chromium-browser", "google-chrome"),
                        str(tmp_path_factory.mktemp("chromium-profile")))
    yield session
    session.quit()
    driver.terminate()
    driver.wait(timeout=10)


@pytest.fixture(scope="module")
def query_graphs(query_store_path, query_sources):
    """The query fixture as ``kg.open()`` gives it on the embedded store and on rdflib: backend → KG."""
    import kg

    graphs = {"oxigraph": kg.open(query_store_path),
              "rdflib": kg.open(backend="rdflib", sources=query_sources)}
    yield graphs
    for graph in graphs.values():
        graph.close()


class Listener:
    """A TCP listener on 127.0.0.1 (ephemeral port) that counts the connections it gets and answers each
    with one HTTP response: SPARQL JSON results with one row (?s ?p ?o), as an endpoint would."""

    ROW = {"s": {"type": "uri", "value": "http://example.org/from-the-listener"},
           "p": {"type": "uri", "value": "http://example.org/p"},
           "o": {"type": "literal", "value": "remote answer"}}

    def __init__(self):
        import json
        import socket
        import threading

        body = json.dumps({"head": {"vars": ["s", "p", "o"]}, "results": {"bindings": [self.ROW]}}).encode()
        self.reply = (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                      b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)) + body
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.05)
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}/sparql"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:  # the accept timeout; or the socket closed
                continue
            with connection:
                connection.settimeout(5)
                data = b""
                try:
                    while not self._complete(data) and len(data) < 1 << 20:
                        chunk = connection.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                    self.requests.append(data)
                    connection.sendall(self.reply)
                except OSError:
                    self.requests.append(data)

    @staticmethod
    def _complete(data: bytes) -> bool:
        """Whether ``data`` holds the whole request: headers and Content-Length bytes of body."""
        import re

        head, sep, body = data.partition(b"\r\n\r\n")
        length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        return bool(sep) and len(body) >= (int(length.group(1)) if length else 0)

    def connections(self, settle: float = 0.1) -> int:
        """How many connections arrived (after waiting ``settle`` seconds for late ones)."""
        import time

        time.sleep(settle)
        return len(self.requests)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.socket.close()


@pytest.fixture
def listener():
    """A :class:`Listener`: tests assert that no query connects to it (or, when opted in, that one does)."""
    server = Listener()
    yield server
    server.close()
