"""No query reaches the network unless the caller opted in (issue 12, item 1): ``SERVICE`` is refused by
`kg sparql`, the Python API and the endpoint, on every backend, before any engine sees it. A listener on
127.0.0.1 checks that no connection arrives; with the opt-in (`kg sparql --allow-service`,
``kg.open(allow_service=True)``) one does, and its answer comes back."""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.core.errors import QueryError
from kg.core.prefixes import PREFIXES
from kg.core.sparql import check_syntax
from kg.server.protocol import evaluate
from kg.store.oxigraph_backend import OxigraphStore
from kg.store.rdflib_backend import RdflibStore

# Each calls the endpoint {url}; the message names SERVICE.
SERVICE_QUERIES = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?f a nmo:Formulation OPTIONAL {{ SERVICE <{url}> {{ ?f ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?f a nmo:Formulation FILTER EXISTS {{ SERVICE <{url}> {{ ?f ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ ?s ?p 'service' . SERVICE<{url}>{{ ?s ?p ?o }} }}  # service",
    "PREFIX ex: <http://e/>\nSELECT * WHERE {{ ?x ex:a\\#b ?y . SERVICE <{url}> {{ ?s ?p ?o }} }}",
]
# Spellings that a tokenizer could misread (Oxigraph reads `SERVICE:x` as SERVICE and the IRI :x; a
# `<` comparison looks like the start of an IRI): refused all the same, by the parser's own reading.
DISGUISED_QUERIES = [
    "PREFIX : <{url}#>\nSELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?v) FILTER(?v<1)SERVICE?v#>\n{{ ?s ?p ?o }} }}",
]
BACKENDS = ["oxigraph", "rdflib", "remote"]


def _open(backend: str, query_graphs, endpoint: str):
    return query_graphs[backend] if backend in query_graphs else kg.open(endpoint=endpoint)


@pytest.fixture
def endpoint():
    """A second listener, standing for the remote backend's endpoint: refused queries never reach it."""
    from conftest import Listener

    server = Listener()
    yield server
    server.close()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("query", SERVICE_QUERIES + DISGUISED_QUERIES)
def test_python_api_refuses_service_on_every_backend(backend, query, query_graphs, listener, endpoint):
    with pytest.raises(QueryError) as err:
        _open(backend, query_graphs, endpoint.url).sparql(query.format(url=listener.url))
    if query in SERVICE_QUERIES:
        assert "SERVICE (a federated query to another endpoint) is not allowed" in str(err.value)
    assert listener.connections() == 0
    assert endpoint.connections(settle=0) == 0, "a refused query is not sent to the endpoint either"


@pytest.mark.parametrize(("backend", "query"),
                         [("oxigraph", q) for q in SERVICE_QUERIES[:5] + DISGUISED_QUERIES]
                         + [("rdflib", SERVICE_QUERIES[0])])
def test_cli_refuses_service(backend, query, query_store_path, listener):
    result = CliRunner().invoke(main, ["--store", str(query_store_path), "--backend", backend, "sparql",
                                       query.format(url=listener.url)])
    # the plain forms are refused as SERVICE (a query error, 5); a disguised one may fail to parse first (2)
    assert result.exit_code in ((5,) if query in SERVICE_QUERIES else (2, 5)), result.output
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) <= 3
    assert "Traceback" not in result.output and result.stdout == ""
    assert listener.connections() == 0


@pytest.mark.parametrize("query", SERVICE_QUERIES + DISGUISED_QUERIES)
def test_endpoint_refuses_service(query, query_store_path, listener):
    """What a worker of `kg serve` runs for each request; there is no opt-in on the server."""
    store = OxigraphStore.open(query_store_path).raw
    answer = evaluate(store, query.format(url=listener.url), "application/sparql-results+json")
    assert answer.status in (400, 403)
    if query in SERVICE_QUERIES:
        assert answer.status == 403 and b"SERVICE" in answer.body
    assert listener.connections() == 0


@pytest.mark.parametrize("query", [
    "SELECT ?f WHERE {{ ?f rdfs:label ?l FILTER(CONTAINS(?l, 'service')) }}",
    "SELECT ?service WHERE {{ ?service a nmo:Formulation }}  # no SERVICE here",
    "PREFIX service: <http://e/service/> SELECT ?f WHERE {{ ?f a nmo:Formulation . "
    "OPTIONAL {{ ?f service:of <http://e/SERVICE> }} }}",
    "SELECT ?f WHERE {{ ?f a nmo:Formulation FILTER(?f != <{url}>) }}",
])
@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_service_in_strings_iris_comments_and_names_is_no_call(backend, query, query_graphs, listener):
    graph = query_graphs[backend]
    rows = graph.sparql(query.format(url=listener.url)).rows
    formulations = graph.sparql("SELECT ?f WHERE { ?f a nmo:Formulation }").rows
    if "CONTAINS" not in query:
        found = sorted(r.get("f_iri", r.get("service_iri")) for r in rows)
        assert found == sorted(r["f_iri"] for r in formulations)
        assert len(rows) >= 2  # the fixture's formulations
    assert listener.connections() == 0


def test_endpoint_has_no_opt_in(query_store_path):
    """``evaluate`` takes no such argument, and check_syntax refuses by default."""
    import inspect

    assert "service" not in inspect.signature(evaluate).parameters
    with pytest.raises(QueryError, match="SERVICE"):
        check_syntax("SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", PREFIXES)


def test_rdflib_backend_is_offline_even_past_the_check(listener, query_sources):
    """The second line: rdflib runs queries with the network cut off (a SERVICE call, or loading a graph
    named by FROM), even when called on final text, after check_syntax."""
    store = RdflibStore.from_sources(query_sources)
    with pytest.raises(QueryError, match="network"):
        store._select(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
    store._select(f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }} LIMIT 1")
    assert listener.connections() == 0
    # the guard is per query: the same thread may still use the network afterwards
    with urllib.request.urlopen(listener.url, timeout=5) as response:
        assert response.status == 200
    assert listener.connections(settle=0) == 1


# ------------------------------------------------------------------ the opt-in reaches the listener


QUERY = "SELECT ?s ?p ?o WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_cli_opt_in_calls_the_service(backend, query_store_path, listener):
    result = CliRunner().invoke(main, ["--store", str(query_store_path), "--backend", backend, "sparql",
                                       "--allow-service", "--format", "csv", QUERY.format(url=listener.url)])
    assert result.exit_code == 0, result.output
    assert "http://example.org/from-the-listener" in result.stdout and "remote answer" in result.stdout
    assert listener.connections(settle=0) == 1


def test_python_opt_in_and_remote_backend_pass_service_on(query_store_path, listener, endpoint):
    with kg.open(query_store_path, allow_service=True) as graph:
        rows = graph.sparql(QUERY.format(url=listener.url)).rows
    assert [r["o"] for r in rows] == ["remote answer"]
    assert listener.connections(settle=0) == 1
    # the remote backend sends the query, SERVICE and all, to its endpoint (which then decides)
    with kg.open(endpoint=endpoint.url, allow_service=True) as graph:  # the store alone: no label lookup
        _, rows = graph.store.select(QUERY.format(url=listener.url))
    assert [r["o"].value for r in rows] == ["remote answer"]
    assert len(endpoint.requests) == 1
    sent = urllib.parse.unquote_plus(endpoint.requests[0].decode())
    assert f"SERVICE <{listener.url}>" in sent
    assert listener.connections(settle=0) == 1, "the fake endpoint does not call the service itself"


@pytest.mark.slow
def test_running_endpoint_refuses_service_get_and_post(query_store_path, listener):
    from kg.server.app import make_server
    from kg.server.executor import Limits

    server = make_server(query_store_path, port=0, limits=Limits(timeout=20), quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        query = QUERY.format(url=listener.url)
        url = server.url + "/sparql"
        requests = [urllib.request.Request(f"{url}?{urllib.parse.urlencode({'query': query})}"),
                    urllib.request.Request(url, data=urllib.parse.urlencode({"query": query}).encode()),
                    urllib.request.Request(url, data=query.encode(),
                                           headers={"Content-Type": "application/sparql-query"})]
        for request in requests:
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(request, timeout=30)
            assert err.value.code == 403
            assert b"SERVICE (a federated query to another endpoint) is not allowed" in err.value.read()
            assert err.value.headers["Access-Control-Allow-Origin"] == "*"  # CORS stays: nothing to probe
    finally:
        server.shutdown()
        server.server_close()
    assert listener.connections() == 0


@pytest.mark.parametrize("engine", ["auto", "sparql", "pyshacl"])
def test_shapes_may_not_call_other_endpoints(engine, tmp_path, mini_sources, listener):
    """SPARQL-based SHACL constraints are queries too; `kg validate` and `kg build` refuse them (exit 3)."""
    import shutil

    ontology = tmp_path / "ontology"
    shutil.copytree(mini_sources.ontology, ontology)
    with (ontology / "shapes.ttl").open("a") as shapes:
        shapes.write(f'''
nms:RemoteShape a sh:NodeShape ; sh:targetNode <https://w3id.org/nanomet-kg/ontology> ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "remote" ;
        sh:select """SELECT $this WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}""" ] .
''')
    sources = ["--ontology", str(ontology), "--triples", str(mini_sources.triples), "--shacl", engine]
    for command in (["validate"], ["--store", str(tmp_path / "store"), "build"]):
        result = CliRunner().invoke(main, [*command, *sources])
        assert result.exit_code == 3, result.output
        assert "a SPARQL constraint of the shapes calls another endpoint (SERVICE)" in result.stderr
        assert "Traceback" not in result.output
    assert not (tmp_path / "store").exists()
    assert listener.connections() == 0
