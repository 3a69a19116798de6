"""`kg serve` as a standard SPARQL 1.1 Protocol endpoint, driven by SPARQLWrapper (a real client) and
plain HTTP: methods, content negotiation, CORS, read-only, the time limit and the result-size cap."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from SPARQLWrapper import CSV, JSON, POST, SELECT, TSV, TURTLE, XML, SPARQLWrapper

from kg.query.handle import KG
from kg.query.library import load_library
from kg.query.results import sort_list_cells
from kg.server.app import make_server
from kg.server.executor import Limits
from kg.store.oxigraph_backend import OxigraphStore

pytestmark = [
    pytest.mark.slow,
    # SPARQLWrapper's own notices: it falls back to Accept */* for a CONSTRUCT asked as JSON, and parses
    # graphs into rdflib's deprecated ConjunctiveGraph
    pytest.mark.filterwarnings("ignore:Sending Accept header:RuntimeWarning"),
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def serve(store_path, **limits):
    server = make_server(store_path, port=0, limits=Limits(**limits), quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stop(server) -> None:
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def endpoint(query_store_path):
    server = serve(query_store_path, timeout=20, max_rows=200)
    yield server.url + "/sparql"
    stop(server)


def http(url: str, data: bytes | None = None, method: str | None = None, **headers):
    """(status, headers, body) without raising on 4xx/5xx."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def wrapper(endpoint: str, query: str, fmt=JSON, method=None) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method:
        client.setMethod(method)
    return client


def test_sparqlwrapper_json_get_and_post(endpoint, query_store):
    query = "SELECT ?t ?label WHERE { ?t a nmo:MolecularTarget ; rdfs:label ?label } ORDER BY ?label"
    expected = [(r["t"].value, r["label"].value) for r in query_store.select(query)[1]]
    for method in (None, POST):
        data = wrapper(endpoint, query, JSON, method).query().convert()
        assert data["head"]["vars"] == ["t", "label"]
        assert [(b["t"]["value"], b["label"]["value"]) for b in data["results"]["bindings"]] == expected


def test_sparqlwrapper_other_result_formats(endpoint):
    query = "SELECT ?label WHERE { target:cxcr4 rdfs:label ?label }"
    xml = wrapper(endpoint, query, XML).query().convert()
    assert [n.firstChild.data for n in xml.getElementsByTagName("literal")] == ["CXCR4"]
    as_csv = wrapper(endpoint, query, CSV).query().convert().decode()
    assert list(csv.reader(io.StringIO(as_csv))) == [["label"], ["CXCR4"]]
    as_tsv = wrapper(endpoint, query, TSV).query().convert().decode()
    assert as_tsv.splitlines() == ["?label", '"CXCR4"']


def test_sparqlwrapper_ask_and_construct(endpoint):
    assert wrapper(endpoint, "ASK { target:cxcr4 nmo:involvedIn step:extravasation }").query().convert() == \
        {"head": {}, "boolean": True}
    construct = "CONSTRUCT WHERE { target:cxcr4 nmo:involvedIn ?step }"
    turtle = wrapper(endpoint, construct, TURTLE).query().convert()
    assert b"target:cxcr4 nmo:involvedIn step:" in turtle
    graph = wrapper(endpoint, construct, JSON).query().convert()  # format=json on a graph: JSON-LD
    assert len(graph) == 2


def served_library(endpoint: str) -> dict[str, dict]:
    document = json.loads(http(endpoint.removesuffix("/sparql") + "/queries.json")[2])
    return {q["name"]: q for q in document["queries"]}


def endpoint_rows(bindings: list[dict], lists) -> list[dict[str, str]]:
    """SPARQL JSON bindings as {variable: value}, list cells normalised as the API does."""
    variables = sorted({k for row in bindings for k in row})
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    parsed = ox.parse_query_results(json.dumps(document).encode(), format=ox.QueryResultsFormat.JSON)
    terms = [{v.value: t for v, t in zip(parsed.variables, solution, strict=True) if t is not None}
             for solution in parsed]
    return [{k: t.value for k, t in row.items()} for row in sort_list_cells(terms, lists)]


def test_every_served_query_is_a_select_to_sparqlwrapper(endpoint, query_store):
    """/queries.json serves each named query's SPARQL without the header comment (SPARQLWrapper guesses the
    form from words in comments: "address" in step-coverage's header read as ADD, an update, got a 403),
    and with its example parameters bound; run as served, it gives the API's rows."""
    served = served_library(endpoint)
    assert set(served) == set(load_library())
    for name, entry in served.items():
        query = load_library()[name]
        assert not entry["sparql"].lstrip().startswith("#") and "# title:" not in entry["sparql"]
        assert entry["title"] == query.title and [p["name"] for p in entry["params"]] == \
            [p.name for p in query.params]
        for text in (entry["sparql"], entry["example"]):
            assert wrapper(endpoint, text).queryType == SELECT, name
        assert entry["example_unbound"] == [], f"{name}: the fixture has every example"
        given = {p.name: p.example if p.required else p.default for p in query.params
                 if p.required or p.default != "any"}
        bindings = wrapper(endpoint, entry["example"]).query().convert()["results"]["bindings"]
        api = KG(query_store).query(name, **given)
        expected = [{k: t.value for k, t in row.items()} for row in api.bindings]
        assert sorted(map(sorted, (r.items() for r in endpoint_rows(bindings, query.lists)))) == \
            sorted(map(sorted, (r.items() for r in expected))), name


def test_name_completion(endpoint, query_store):
    """The query page's entity inputs complete with the explorer's /api/complete (one implementation)."""
    base = endpoint.removesuffix("/sparql")

    def complete(**params):
        status, _, body = http(base + "/api/complete?" + urllib.parse.urlencode(params, doseq=True))
        return status, json.loads(body) if status == 200 else body.decode()

    status, found = complete(q="cx", type="Target")
    assert status == 200 and found["matches"][0]["iri"] == "https://w3id.org/nanomet-kg/id/target/cxcr4"
    assert found["matches"][0]["label"] == "CXCR4"
    # Greek-tolerant, and by alt label: "plerixafor" is AMD3100's
    assert complete(q="hif-1a", type="Target")[1]["matches"][0]["label"] == "HIF-1α"
    plerixafor = complete(q="plerix")[1]["matches"][0]
    assert (plerixafor["label"], plerixafor["matched"]) == ("AMD3100", "plerixafor")
    assert complete(q="cx", type="Organ")[1]["matches"] == []
    before = len(query_store)
    assert complete(q='x" } ; DROP ALL ; SELECT * { ?s ?p ?o')[1]["matches"] == []  # a literal
    assert len(query_store) == before
    status, message = complete(q="cx", limit="many")
    assert status == 400 and "limit must be a number" in message


def test_parameters_are_bound_by_the_server(endpoint, query_store):
    base = endpoint.removesuffix("/sparql")

    def bind(name, **params):
        status, _, body = http(f"{base}/api/bind/{name}?" + urllib.parse.urlencode(params))
        return status, json.loads(body) if status == 200 else body.decode()

    status, bound = bind("formulations-by-target", target="cxcr4")
    assert status == 200
    assert "VALUES (?target) { (<https://w3id.org/nanomet-kg/id/target/cxcr4>) }" in bound["sparql"]
    assert not bound["sparql"].startswith("#")
    bindings = wrapper(endpoint, bound["sparql"]).query().convert()["results"]["bindings"]
    assert [row["formulation"]["value"] for row in bindings] == \
        [row["formulation_iri"] for row in KG(query_store).query("formulations-by-target", target="CXCR4")]
    # an IRI picked from the completions, and an empty optional parameter (its default)
    status, bound = bind("carriers-mechanisms", carrier="https://w3id.org/nanomet-kg/id/carrier/liposome",
                         mechanism_family="", level="leaf")
    assert status == 200 and '"leaf"' in bound["sparql"] and "carrier/liposome" in bound["sparql"]
    assert "VALUES (?carrier ?level) { (<" in bound["sparql"]  # mechanism_family left unbound
    for (name, params), message in [
        (("formulations-by-target", {"target": "CXCR5"}),
         "no entity called 'CXCR5' among Target; did you mean"),
        (("formulations-by-target", {"target": 'x" } ; DROP ALL'}), "no entity called"),
        (("formulations-by-target", {"tagret": "CXCR4"}), "unknown parameter tagret"),
        (("formulations-by-target", {}), "missing parameter target"),
        (("carriers-mechanisms", {"level": "leef"}), "parameter level is one of family, leaf"),
        (("carrier-mechanism", {}), "no named query called 'carrier-mechanism'; did you mean"),
    ]:
        status, text = bind(name, **params)
        assert status == 400 and message in text, (name, params, text)


def test_updates_and_writes_are_refused(endpoint, query_store):
    before = len(query_store)
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }")
    with pytest.raises(urllib.error.HTTPError) as refused:  # SPARQLWrapper passes a 403 on as it is
        client.query()
    assert refused.value.code == 403
    update = urllib.parse.urlencode({"update": "CLEAR ALL"}).encode()
    assert http(endpoint, update, "POST")[0] == 403
    assert http(endpoint, b"CLEAR ALL", "POST", **{"Content-Type": "application/sparql-update"})[0] == 403
    as_query = urllib.parse.urlencode({"query": "DROP ALL"}).encode()
    status, _, body = http(endpoint, as_query, "POST")
    assert status == 403 and b"read-only" in body
    for method in ("PUT", "DELETE", "PATCH"):
        assert http(endpoint, b"<a> <b> <c> .", method)[0] == 405
    assert len(query_store) == before


def test_direct_query_post_and_negotiation(endpoint):
    status, headers, body = http(endpoint, b"SELECT * WHERE { ?s a nmo:Organ }", "POST",
                                 **{"Content-Type": "application/sparql-query",
                                    "Accept": "text/csv;q=0.4, application/sparql-results+xml;q=0.9"})
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+xml"
    assert body.count(b"<result>") == 2  # lung, bone
    ask = endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    status, headers, _ = http(ask, Accept="image/png")
    assert status == 406
    turtle = http(endpoint + "?" + urllib.parse.urlencode({"query": "DESCRIBE organ:bone", "format": "ttl"}))
    assert turtle[0] == 200 and turtle[1]["Content-Type"].startswith("text/turtle") and b'"bone"' in turtle[2]


def test_bad_requests(endpoint):
    syntax = http(endpoint + "?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p }"}))
    assert syntax[0] == 400 and b"SPARQL syntax error at line 1, column" in syntax[2]
    assert http(endpoint)[0] == 400
    # default-graph-uri / named-graph-uri name graphs of the store; it has none, so they are empty
    # (never fetched): the graph's triples are not in that dataset
    anything = "ASK { ?s ?p ?o }"
    assert http(endpoint + "?" + urllib.parse.urlencode({"query": anything}),
                Accept="application/sparql-results+json")[2] == b'{"head": {}, "boolean": true}'
    for key in ("default-graph-uri", "named-graph-uri"):
        graphs = urllib.parse.urlencode({"query": anything, key: "http://x.example/g"})
        status, _, body = http(endpoint + "?" + graphs, Accept="application/sparql-results+json")
        assert (status, body) == (200, b'{"head": {}, "boolean": false}')
    assert http(endpoint, b"query", "POST", **{"Content-Type": "image/png"})[0] == 415


def test_cors_headers(endpoint):
    status, headers, _ = http(endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"}),
                              Origin="http://elsewhere.example")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = http(endpoint, method="OPTIONS", Origin="http://elsewhere.example",
                              **{"Access-Control-Request-Method": "POST"})
    assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]


def test_result_size_cap(query_store_path):
    server = serve(query_store_path, max_rows=3)
    try:
        query = urllib.parse.urlencode({"query": "SELECT ?s WHERE { ?s a nmo:CascadeStep }"})
        status, _, body = http(f"{server.url}/sparql?{query}")
        assert status == 413 and b"more than 3 rows" in body
        small = urllib.parse.urlencode({"query": "SELECT ?s WHERE { ?s a nmo:CascadeStep } LIMIT 3"})
        assert http(f"{server.url}/sparql?{small}")[0] == 200
    finally:
        stop(server)


def test_time_limit_stops_the_query_and_the_server_goes_on(query_store_path):
    server = serve(query_store_path, timeout=1.5, workers=1)
    try:
        started = time.monotonic()
        status, _, body = http(f"{server.url}/sparql?" + urllib.parse.urlencode({"query": HEAVY}))
        assert status == 503 and b"time limit of 1.5 s" in body
        assert time.monotonic() - started < 10
        quick = urllib.parse.urlencode({"query": "ASK { target:cxcr4 ?p ?o }"})
        status, _, body = http(f"{server.url}/sparql?{quick}", Accept="application/sparql-results+json")
        assert status == 200 and b"true" in body  # a fresh worker took over
    finally:
        stop(server)


def test_binds_to_loopback_by_default(query_store_path):
    server = make_server(query_store_path, port=0, quiet=True)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


def test_page_and_library_are_served(endpoint):
    base = endpoint.removesuffix("/sparql")
    status, headers, page = http(base + "/query")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"http://" not in page and b"https://" not in page  # no CDN: every asset is local
    for asset in (b"/static/app.js", b"/static/style.css"):
        assert asset in page
        assert http(base + asset.decode())[0] == 200
    document = __import__("json").loads(http(base + "/queries.json")[2])
    assert [q["name"] for q in document["queries"]] == list(load_library())
    by_target = next(q for q in document["queries"] if q["name"] == "formulations-by-target")
    assert "VALUES (?target) { (<https://w3id.org/nanomet-kg/id/target/cxcr4>) }" in by_target["example"]
    assert by_target["params"] == [{
        "name": "target", "kind": "entity", "type": "Target", "classes": ["Target"], "values": [],
        "required": True, "default": "required", "example": "CXCR4",
        "help": "a molecular target or cell population, by name",
        "describe": "target (Target, required, e.g. CXCR4)"}]
    assert http(base + "/static/../../etc/passwd")[0] == 404


@pytest.mark.parametrize("in_memory", [True, False])
def test_workers_answer_the_same_in_memory_and_on_disk(query_store_path, in_memory):
    server = make_server(query_store_path, port=0, limits=Limits(timeout=20), quiet=True, in_memory=in_memory)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        status, _, body = http(server.url + "/sparql?" + urllib.parse.urlencode({"query": query}),
                               Accept="text/csv")
    finally:
        stop(server)
    with OxigraphStore.open(query_store_path, in_memory=False) as store:
        expected = len(store.raw)
    assert status == 200
    assert int(body.decode().splitlines()[1]) == expected > 1000
