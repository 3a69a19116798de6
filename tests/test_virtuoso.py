"""Virtuoso open source as a second remote backend: the curated KG bulk-loaded into a private instance
(benchmarks/virtuoso.py), then every named query with its examples, `kg find` and the projection give the
same rows as the embedded store, through the one remote backend (no per-engine code in `kg`).

Runs when `virtuoso-t` is installed (scripts/test.sh installs `virtuoso-opensource`); on CI a missing
server fails instead of skipping.
"""

from __future__ import annotations

import os

import pytest
from find_questions import QUESTIONS
from test_find_backends import answer
from test_query_backends import rows

from benchmarks.virtuoso import Virtuoso, binary
from kg.analysis.projection import build_projection
from kg.analysis.reach import reach
from kg.query.handle import KG
from kg.query.library import load_library
from kg.store.oxigraph_backend import SNAPSHOT, OxigraphStore
from kg.store.remote import RemoteStore

pytestmark = pytest.mark.slow


def _cases() -> list[tuple[str, dict]]:
    """Every named query with its required parameters' examples, and once more with each optional
    parameter's example added."""
    cases = []
    for name, query in sorted(load_library().items()):
        required = {p.name: p.example for p in query.params if p.required}
        cases.append((name, required))
        cases += [(name, {**required, p.name: p.example})
                  for p in query.params if not p.required and p.example]
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, real_store_path):
    """A private Virtuoso loaded with the curated KG's snapshot by its bulk loader; yields the endpoint."""
    if binary() is None:
        message = "virtuoso-t is needed: apt-get install virtuoso-opensource (scripts/test.sh installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with Virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        server.load(real_store_path / SNAPSHOT)
        yield server.endpoint


@pytest.fixture(scope="module")
def graphs(virtuoso, real_store_path):
    pair = {"embedded": KG(OxigraphStore.open(real_store_path)), "virtuoso": KG(RemoteStore(virtuoso))}
    yield pair
    for graph in pair.values():
        graph.close()


def test_the_server_holds_exactly_the_built_graph(graphs, real_store_path):
    """Only the loaded graph answers (not Virtuoso's system graphs): the manifest's triple count."""
    assert len(graphs["virtuoso"].store) == OxigraphStore.open(real_store_path).manifest()["triples"]


def test_every_query_has_cases():
    assert {name for name, _ in CASES} == set(load_library()) and len(CASES) > len(load_library())


@pytest.mark.parametrize("name, params", CASES, ids=[f"{n}-{'-'.join(p.values()) or 'defaults'}"
                                                     for n, p in CASES])
def test_named_query_same_rows_and_order(graphs, name, params):
    """Same rows in the same order; text built with "§" (citations), sort keys over long labels,
    booleans, counts and unbound optionals included."""
    embedded = graphs["embedded"].query(name, **params)
    remote = graphs["virtuoso"].query(name, **params)
    assert len(embedded) > 0, "the case should have an answer"
    assert remote.variables == embedded.variables
    assert rows(remote) == rows(embedded)
    assert remote.rows == embedded.rows  # labels too


def test_citations_keep_the_section_sign(graphs):
    """CMR2022 §8 (Marqibo, FDA): "§" survives Virtuoso's sort of computed text."""
    sources = {r["source"] for r in graphs["virtuoso"].query("approved-products", agency="FDA").rows}
    assert "CMR2022 §8" in sources


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.ask for q in QUESTIONS])
def test_find_same_answer(graphs, question):
    reference = answer(graphs["embedded"], question)
    assert reference["rows"], "the question has an answer"
    assert answer(graphs["virtuoso"], question) == reference


def test_projection_is_the_same(virtuoso, real_store_path):
    remote = build_projection(RemoteStore(virtuoso))
    with OxigraphStore.open(real_store_path) as local:
        reference = build_projection(local)
    assert reference.number_of_edges() > 1000
    assert sorted(remote.nodes(data=True)) == sorted(reference.nodes(data=True))
    assert sorted(remote.edges(keys=True, data=True)) == sorted(reference.edges(keys=True, data=True))
    matrix = reach(remote, "carrier", "mechanism").records()
    assert matrix and matrix == reach(reference, "carrier", "mechanism").records()
