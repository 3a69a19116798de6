"""`kg serve` on its HTTP stack (uvicorn): a runaway query does not hold up cheap ones, the body cap holds,
taken ports and slow clients are handled, and the headers HTTP asks for are there."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

from kg.core.errors import KGError
from kg.server.app import make_server
from kg.server.executor import Limits

pytestmark = pytest.mark.slow

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture
def server(query_store_path):
    server = make_server(query_store_path, port=0, limits=Limits(timeout=4), quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    assert server.explorer.executor.ready(30)
    yield server
    server.shutdown()
    server.server_close()


def request(server, method: str, path: str, body: bytes | None = None, **headers):
    """(status, headers, body) over a fresh connection; headers exactly as given."""
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30)
    try:
        connection.putrequest(method, path)
        for key, value in headers.items():
            connection.putheader(key.replace("_", "-"), value)
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def status_of_oversized(server, body: bytes, **headers) -> int | str:
    """The status of a POST whose body the server stops reading at its cap: 413, or "reset" when the
    server closed the connection while the body was still arriving (the reset can discard its 413)."""
    try:
        return request(server, "POST", "/sparql", body, **headers)[0]
    except (ConnectionResetError, BrokenPipeError):
        return "reset"


def ask(server, query: str = "ASK {}"):
    return request(server, "GET", "/sparql?" + urllib.parse.urlencode({"query": query}),
                   Accept="application/sparql-results+json")


def test_a_cheap_query_is_answered_behind_four_runaway_ones(server):
    runaways = [threading.Thread(target=ask, args=(server, RUNAWAY)) for _ in range(4)]
    for thread in runaways:
        thread.start()
    time.sleep(0.5)  # all four are running: two in the general lane, two in (then out of) the fast lane
    started = time.monotonic()
    status, _, body = ask(server)
    elapsed = time.monotonic() - started
    assert (status, body) == (200, b'{"head": {}, "boolean": true}')
    assert elapsed < 1.0, f"ASK {{}} took {elapsed:.2f} s behind four runaway queries"
    for thread in runaways:
        thread.join(30)
    status, _, body = ask(server, RUNAWAY)
    assert status == 503 and b"time limit of 4 s" in body


def test_the_body_cap_cannot_be_bypassed(server):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, _ = request(server, "POST", "/sparql", b"query=ASK%20%7B%7D", **form, Content_Length="-1")
    assert 400 <= status < 500
    status, _, body = request(server, "POST", "/sparql", b"x", **form, Content_Length="2000000")
    assert status == 413
    # no Content-Length: a chunked body is read only up to the cap
    chunk = b"q" * 65536
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(20)) + b"0\r\n\r\n"
    assert status_of_oversized(server, chunked, **form, Transfer_Encoding="chunked") in (413, "reset")
    assert ask(server)[0] == 200  # and the server goes on


def test_form_post_needs_a_content_type(server):
    status, _, body = request(server, "POST", "/sparql", b"query=ASK%20%7B%7D")
    assert status == 415 and b"no Content-Type" in body


def test_vary_allow_and_head(server):
    status, headers, _ = ask(server)
    assert status == 200 and headers["vary"] == "Accept"
    status, headers, body = request(server, "PUT", "/sparql", b"<a> <b> <c> .")
    assert status == 405 and headers["allow"] == "GET, HEAD, POST, OPTIONS" and b"read-only" in body
    status, headers, body = request(server, "DELETE", "/queries.json")
    assert status == 405 and "GET" in headers["allow"]
    status, headers, body = request(server, "HEAD", "/sparql?query=ASK%20%7B%7D")
    assert status == 200 and body == b"" and headers["content-type"].startswith("application/sparql-results")


def test_idle_connections_do_not_block_requests(server):
    idle = []
    try:
        for _ in range(300):  # loopback only, bounded
            idle.append(socket.create_connection(server.server_address, timeout=5))
            idle[-1].sendall(b"GET /sparql?query=ASK")  # an unfinished request line
        started = time.monotonic()
        assert ask(server)[0] == 200
        assert time.monotonic() - started < 2
    finally:
        for sock in idle:
            sock.close()


def test_a_taken_port_is_one_clear_line(query_store_path, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with pytest.raises(KGError, match=f"cannot listen on 127.0.0.1:{port}: Address already in use"):
            make_server(query_store_path, port=port, quiet=True)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        run = subprocess.run([sys.executable, "-m", "kg", "--store", str(query_store_path), "serve",
                              "--port", str(port)], capture_output=True, text=True, timeout=60, env=env)
    assert run.returncode != 0
    assert run.stderr.strip().splitlines() == [
        f"error: cannot listen on 127.0.0.1:{port}: Address already in use; choose another --port "
        "(0: any free port)"]


def test_an_entity_iri_dereferences_as_turtle_over_http(server):
    """What `curl -H 'Accept: text/turtle' http://127.0.0.1:PORT/id/target/cd44` gets."""
    import rdflib

    status, headers, body = request(server, "GET", "/id/target/cd44", Accept="text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/nanomet-kg/id/target/cd44"), rdflib.RDFS.label,
            rdflib.Literal("CD44")) in graph
