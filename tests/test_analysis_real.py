"""Graph analysis on the real curated KG: the headline matrices are non-trivial and agree, cell by cell,
with independent SPARQL counts; hubs and gaps are consistent. No exact counts (the curation grows)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.analysis.dwpc import dwpc
from kg.analysis.gaps import hypotheses, unaddressed_biology, white_space
from kg.analysis.hierarchy import catch_all_root
from kg.analysis.hubs import degree_correlation, hubs
from kg.analysis.paths import PathIndex
from kg.analysis.projection import projection
from kg.analysis.reach import reach

# Formulations in a cell, counted independently of the projection. {family} says how the carrier ?c
# belongs to the row: through skos:broader*, or (the catch-all root "nanocarrier") by being it.
CARRIER_MECHANISM = """
SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {
  ?f nmo:hasCarrier|nmo:hasCoating ?c . ?c a nmo:CarrierType . {family}
  ?s nmo:evaluates ?f ; nmo:mechanism/skos:broader* ?col .
}"""
CARRIER_STEP_VIA_TARGET = """
SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {
  ?f nmo:hasCarrier|nmo:hasCoating ?c . ?c a nmo:CarrierType . {family}
  ?f nmo:targets ?t . ?t nmo:involvedIn ?col . ?s nmo:evaluates ?f .
}"""


@pytest.fixture
def graph(real_store):
    return projection(real_store)


def _sparql_count(store, query: str, row: str, col: str, catch_all: str | None) -> int:
    family = "FILTER(?c = ?row)" if row == catch_all else "?c skos:broader* ?row ."
    query = query.replace("{family}", family)
    _, rows = store.select(query, {"row": ox.NamedNode(row), "col": ox.NamedNode(col)})
    return int(rows[0]["n"].value)


@pytest.mark.parametrize("col_axis,via,query,min_rows,min_cols", [
    ("mechanism", None, CARRIER_MECHANISM, 5, 8),
    ("step", "target", CARRIER_STEP_VIA_TARGET, 4, 6),
], ids=["carrier-mechanism", "carrier-step-via-target"])
def test_headline_matrices_are_nontrivial_and_match_sparql(real_store, graph, col_axis, via, query, min_rows,
                                                           min_cols):
    matrix = reach(graph, "carrier", col_axis, via=via)
    assert len(matrix.rows) >= min_rows and len(matrix.cols) >= min_cols
    filled = [(r, c) for r in matrix.rows for c in matrix.cols if matrix.cell(r, c).studies]
    assert len(filled) >= min_rows * 2
    catch_all = catch_all_root(graph, "CarrierType")
    for r, c in filled:
        expected = _sparql_count(real_store, query, r, c, catch_all)
        assert matrix.value(r, c) == expected, (matrix.labels[r], matrix.labels[c])


def test_direct_steps_cover_the_cascade(graph):
    matrix = reach(graph, "carrier", "step", all_cols=True)
    reached = {c for r in matrix.rows for c in matrix.cols if matrix.cell(r, c).studies}
    assert len(reached) >= 6, "studies address at least half of the twelve steps"


def test_hubs_are_sensible(real_store):
    collapsed = projection(real_store, collapse_studies=True)
    scores = hubs(collapsed, by="degree")
    assert sum(s.pagerank for s in scores) == pytest.approx(1.0, abs=1e-6)
    assert {s.type for s in scores[:15]} & {"Mechanism", "CascadeStep", "CarrierType", "CancerType"}
    assert all(s.type not in ("SourceDocument", "EvidenceLevel") for s in scores)
    correlation = degree_correlation(scores)
    assert correlation["pagerank"] > 0.5, "PageRank on an undirected graph follows degree"
    targets = [s for s in scores if s.family == "Target"]
    assert [s.type_rank for s in targets] == list(range(1, len(targets) + 1))


def test_gaps_are_consistent(graph, real_store):
    collapsed = projection(real_store, collapse_studies=True)
    matrix = reach(graph, "carrier", "step")
    ranked, lifted = hypotheses(graph, collapsed)
    assert len(ranked) >= 5
    index = PathIndex(lifted)
    for h in ranked[:5]:
        assert not matrix.cell(h.source, h.target).studies
        for name, score in h.scores.items():
            again = dwpc(index, h.source, h.target, score.metapath)
            assert again.dwpc == pytest.approx(score.dwpc), name
    spaces = white_space(graph)
    assert any(c["matrix"].startswith("carrier × step") for c in spaces)
    stated = {(graph.nodes[u]["label"], graph.nodes[v]["label"])
              for u, v, k in graph.edges(keys=True) if k == "nmo:involvedIn"}
    assert {(g["target"], g["step"]) for g in unaddressed_biology(graph)} <= stated
