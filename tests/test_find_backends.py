"""`kg find` gives the same answers on every backend (the embedded store, rdflib parsing the Turtle, a real
`oxigraph serve` loaded with `kg push`) and over HTTP (`kg serve`'s /api/find), and the same safety on
each: filter values are RDF terms, never query text."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from find_questions import QUESTIONS, Question
from test_query_backends import INJECTIONS, serve_oxigraph
from test_server import serve, stop

from kg.core.errors import QueryError
from kg.core.locations import Sources
from kg.query.handle import KG
from kg.store.oxigraph_backend import OxigraphStore
from kg.store.rdflib_backend import RdflibStore
from kg.store.remote import RemoteStore

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory, real_store_path):
    """A real `oxigraph serve` loaded with the curated KG; yields its query URL."""
    yield from serve_oxigraph(tmp_path_factory.mktemp("oxigraph-find"), real_store_path)


@pytest.fixture(scope="module")
def kg_server(real_store_path):
    server = serve(real_store_path, timeout=30, max_rows=5000)
    yield server.url
    stop(server)


@pytest.fixture(scope="module")
def backends(real_store_path, oxigraph_server):
    stores = {"oxigraph": OxigraphStore.open(real_store_path),
              "rdflib": RdflibStore.from_sources(Sources.default()), "remote": RemoteStore(oxigraph_server)}
    yield {name: KG(store) for name, store in stores.items()}
    for store in stores.values():
        store.close()


def answer(graph: KG, question: Question) -> dict:
    if question.facets:
        result = graph.facets(list(question.facets), include_strategies=question.include_strategies,
                              **question.filters)
    else:
        result = graph.find(studies=question.studies, include_strategies=question.include_strategies,
                            **question.filters)
    return result.to_json_document()


def api(base: str, params: dict) -> tuple[int, dict]:
    query = urllib.parse.urlencode(params, doseq=True)
    try:
        with urllib.request.urlopen(f"{base}/api/find?{query}", timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def api_params(question: Question) -> dict:
    params = dict(question.filters)
    if question.facets:
        params["facet"] = list(question.facets)
    if question.studies:
        params["studies"] = "true"
    if question.include_strategies:
        params["include_strategies"] = "true"
    return params


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.ask for q in QUESTIONS])
def test_same_answer_on_every_backend_and_over_http(backends, kg_server, question):
    reference = answer(backends["oxigraph"], question)
    assert reference["rows"], "the question has an answer"
    for name, graph in backends.items():
        assert answer(graph, question) == reference, name
    status, document = api(kg_server, api_params(question))
    assert status == 200, document
    assert document == reference


def test_api_find_errors_are_400_json(kg_server):
    status, document = api(kg_server, {"target": "CXCR5"})
    assert status == 400 and "did you mean" in document["error"] and "CXCR4" in document["error"]
    status, document = api(kg_server, {"facet": "carier"})
    assert status == 400 and "no axis called 'carier'" in document["error"]
    status, document = api(kg_server, {"limit": "many"})
    assert status == 400 and "limit" in document["error"]
    status, document = api(kg_server, {"studies": "perhaps"})
    assert status == 400 and "studies is true or false" in document["error"]
    status, document = api(kg_server, {"cargo": "docetaxel", "status": "in trial", "limit": "1"})
    assert status == 200 and document["total"] == 4 and len(document["rows"]) == 1


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_strings_match_nothing_on_every_backend(backends, kg_server, value):
    for name, graph in backends.items():
        before = len(graph.store)
        assert len(graph.find(text=value)) == 0, name
        with pytest.raises(QueryError, match="no entity called"):
            graph.find(target=value, step=value)
        assert len(graph.store) == before, name
    status, document = api(kg_server, {"text": value})
    assert status == 200 and document["rows"] == []
    status, document = api(kg_server, {"carrier": value})
    assert status == 400 and "no entity called" in document["error"]
