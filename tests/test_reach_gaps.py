"""Reachability matrices, gaps and hypotheses on the hand-made fixture (tests/data/analysis/fixture.ttl).

The fixture, in short (families from ontology/carriers.ttl and mechanisms.ttl):

    FX lipo A  PEGylated liposome (lipid-based)   targets FX-T1   cargo fixture drug (actsOn FX-T2)
        study 1: immune checkpoint blockade (immune activation), primary tumour growth, lung, in vivo
        study 2: cytotoxicity, macrometastasis, liver, in vitro
    FX lipo B  lipid nanoparticle (lipid-based)   targets FX-T2
        study 3: gene silencing, circulation, clinical phase II
    FX gold    gold nanorod (inorganic) coated with platelet membrane (biomimetic)   targets FX-T1, FX-T3
        study 4: photothermal effect (energy-based ablation), macrometastasis, in vitro
    background: FX-T1 involvedIn extravasation; FX-T2 involvedIn circulation
"""

from __future__ import annotations

import pytest

from kg.analysis.gaps import hypotheses, unaddressed_biology, weak_evidence, white_space
from kg.analysis.hierarchy import catch_all_root, families, lift_to_families
from kg.analysis.projection import projection
from kg.analysis.reach import reach
from kg.core.errors import QueryError

ID = "https://w3id.org/nanomet-kg/id/"


@pytest.fixture
def graph(analysis_store):
    return projection(analysis_store)


@pytest.fixture
def collapsed(analysis_store):
    return projection(analysis_store, collapse_studies=True)


def _cells(matrix) -> dict[tuple[str, str], tuple[int, int, str]]:
    return {(matrix.labels[r], matrix.labels[c]):
            (len(cell.formulations), len(cell.studies), cell.best_evidence)
            for (r, c), cell in matrix.cells.items()}


def test_carrier_by_mechanism_at_family_level(graph):
    matrix = reach(graph, "carrier", "mechanism")
    assert _cells(matrix) == {
        ("lipid-based nanocarrier", "immune activation"): (1, 1, "in vivo (animal)"),
        ("lipid-based nanocarrier", "cytotoxicity and apoptosis induction"): (1, 1, "in vitro"),
        ("lipid-based nanocarrier", "gene silencing"): (1, 1, "clinical phase II"),
        # FX gold counts for both families: its core (gold nanorod) and its coating (platelet membrane)
        ("inorganic nanoparticle", "energy-based tumour ablation"): (1, 1, "in vitro"),
        ("biomimetic nanocarrier", "energy-based tumour ablation"): (1, 1, "in vitro"),
    }
    # rows by support: lipid-based has two formulations, the others one (then by label)
    assert [matrix.labels[r] for r in matrix.rows] == ["lipid-based nanocarrier", "biomimetic nanocarrier",
                                                       "inorganic nanoparticle"]


def test_leaf_level_keeps_the_stated_terms(graph):
    matrix = reach(graph, "carrier", "mechanism", level="leaf")
    assert {matrix.labels[r] for r in matrix.rows} == {
        "PEGylated liposome", "lipid nanoparticle", "gold nanorod", "platelet membrane"}
    assert ("PEGylated liposome", "immune checkpoint blockade") in _cells(matrix)


def test_two_study_axes_must_meet_in_one_study(graph):
    # lipo A has immune activation (study 1, lung) and cytotoxicity (study 2, liver): never immune × liver
    cells = _cells(reach(graph, "mechanism", "site"))
    assert cells == {("immune activation", "fixture lung"): (1, 1, "in vivo (animal)"),
                     ("cytotoxicity and apoptosis induction", "fixture liver"): (1, 1, "in vitro")}


def test_steps_via_target_biology(graph):
    cells = _cells(reach(graph, "carrier", "step", via="target"))
    assert cells == {
        # lipo A targets FX-T1 (involved in extravasation); both its studies count
        ("lipid-based nanocarrier", "extravasation"): (1, 2, "in vivo (animal)"),
        ("lipid-based nanocarrier", "circulation and CTC survival"): (1, 1, "clinical phase II"),
        ("inorganic nanoparticle", "extravasation"): (1, 1, "in vitro"),
        ("biomimetic nanocarrier", "extravasation"): (1, 1, "in vitro"),
    }
    # the studies themselves address other steps
    direct = _cells(reach(graph, "carrier", "step"))
    assert ("lipid-based nanocarrier", "extravasation") not in direct
    assert direct[("lipid-based nanocarrier", "macrometastasis")] == (1, 1, "in vitro")


def test_targets_via_cargo(graph):
    assert _cells(reach(graph, "carrier", "target", via="cargo")) == {
        ("lipid-based nanocarrier", "FX-T2"): (1, 2, "in vivo (animal)")}


def test_all_columns_in_cascade_order(graph):
    matrix = reach(graph, "carrier", "step", all_cols=True)
    labels = [matrix.labels[c] for c in matrix.cols]
    assert len(labels) == 12
    assert labels[0] == "primary tumour growth" and labels[-1] == "macrometastasis"
    header, rows = matrix.wide("studies")
    assert header[0] == "carrier" and header[1:] == labels
    lipid = next(r for r in rows if r[0] == "lipid-based nanocarrier")
    assert lipid[labels.index("macrometastasis") + 1] == "1" and lipid[labels.index("dormancy") + 1] == "0"


def test_bad_axes_are_clear_errors(graph):
    with pytest.raises(QueryError, match="unknown axis 'colour'"):
        reach(graph, "colour", "step")
    with pytest.raises(QueryError, match="--via must be a formulation axis"):
        reach(graph, "carrier", "step", via="mechanism")
    with pytest.raises(QueryError, match="unknown level"):
        reach(graph, "carrier", "step", level="genus")


def test_families_from_the_ontology(graph):
    carrier = families(graph, "CarrierType")
    assert carrier[ID + "carrier/pegylated-liposome"] == {ID + "carrier/lipid-based-nanocarrier"}
    assert carrier[ID + "carrier/platelet-membrane"] == {ID + "carrier/biomimetic-nanocarrier"}
    assert catch_all_root(graph, "CarrierType") == ID + "carrier/nanocarrier"
    assert catch_all_root(graph, "Mechanism") is None  # several mechanism roots: they are the families
    mechanism = families(graph, "Mechanism")
    assert mechanism[ID + "mechanism/immune-checkpoint-blockade"] == {ID + "mechanism/immune-activation"}
    assert mechanism[ID + "mechanism/cytotoxicity"] == {ID + "mechanism/cytotoxicity"}


def test_lift_to_families(collapsed):
    lifted = lift_to_families(collapsed, "CarrierType")
    gold = ID + "formulation/fx-gold"
    assert {v for v in lifted.successors(gold) if lifted.nodes[v]["type"] == "CarrierType"} == {
        ID + "carrier/inorganic-nanoparticle", ID + "carrier/biomimetic-nanocarrier"}
    assert ID + "carrier/gold-nanorod" not in lifted
    assert not any(k == "skos:broader" and lifted.nodes[u]["type"] == "CarrierType"
                   for u, _, k in lifted.edges(keys=True))
    # the input is left alone
    assert ID + "carrier/gold-nanorod" in collapsed


def test_weak_evidence(graph):
    # macrometastasis: studies 2 and 4, both in vitro. FX-T3: only FX gold's study 4 (in vitro).
    # Not weak: FX-T1 (study 1 in vivo), FX-T2 (phase II), the other steps.
    assert weak_evidence(graph) == [
        {"kind": "step", "name": "macrometastasis", "formulations": 2, "studies": 2,
         "best_evidence": "in vitro"},
        {"kind": "target", "name": "FX-T3", "formulations": 1, "studies": 1, "best_evidence": "in vitro"},
    ]


def test_unaddressed_biology(graph):
    # FX-T1 acts at extravasation; lipo A and gold target it but act at primary growth / macrometastasis.
    # FX-T2 acts at circulation, where lipo B (which targets it) has study 3: not a gap.
    assert unaddressed_biology(graph) == [
        {"target": "FX-T1", "step": "extravasation", "sources": "NH2026 l.20-22 [5]",
         "formulations_targeting": 2, "their_steps": "primary tumour growth; macrometastasis"}]


def test_white_space(graph):
    cells = white_space(graph)
    by_matrix: dict[str, list[dict]] = {}
    for cell in cells:
        by_matrix.setdefault(cell["matrix"].split(" (")[0], []).append(cell)
    carrier = {(c["row"], c["column"]) for c in by_matrix["carrier × step"]}
    assert ("lipid-based nanocarrier", "extravasation") in carrier
    assert ("lipid-based nanocarrier", "primary tumour growth") not in carrier
    assert not any(row == "nanocarrier" for row, _ in carrier), "the catch-all root is no family"
    # targets with support: FX-T1, FX-T2, FX-T3 × 12 steps, minus the 4 filled cells
    # (T1 × primary growth, T1 × macrometastasis, T2 × circulation, T3 × macrometastasis) = 36 - 4 = 32
    assert len(by_matrix["target × step"]) == 32
    mechanism = {(c["row"], c["column"]) for c in by_matrix["mechanism × site"]}
    assert ("immune activation", "fixture liver") in mechanism
    assert ("immune activation", "fixture lung") not in mechanism
    for found in by_matrix.values():
        surprise = [c["row_formulations"] * c["column_formulations"] for c in found]
        assert surprise == sorted(surprise, reverse=True)


# Hypothesis lipid-based nanocarrier → extravasation, on the collapsed graph lifted to carrier families.
# 1. "target involved in step": lipid — FX lipo A — FX-T1 — extravasation
#    D(lipid,Formulation)=2 (lipo A, lipo B)  D(lipo A,CarrierType)=1  D(lipo A,Target)=1 (FX-T1)
#    D(FX-T1,Formulation)=2 (lipo A, gold)    D(FX-T1,CascadeStep)=1   D(extravasation,Target)=1
#    PDP = ((2·1)·(1·2)·(1·1))^-0.4 = 4^-0.4 = 0.574349
# 2. "neighbouring step": lipid — FX lipo B — circulation — extravasation (circulation precedes it)
#    D(lipid,Formulation)=2  D(lipo B,CarrierType)=1  D(lipo B,CascadeStep)=1  D(circulation,Formulation)=1
#    D(circulation,CascadeStep)=3 (intravasation, lymphatic dissemination, extravasation)
#    D(extravasation,CascadeStep)=2 (circulation, pre-metastatic niche)
#    PDP = ((2·1)·(1·1)·(3·2))^-0.4 = 12^-0.4 = 0.370107
# No formulation acts at extravasation, so "shared target" and "shared mechanism" have no path.
# DWPC = 0.574349 + 0.370107 = 0.944456, the best-ranked hypothesis.
# Runner-up biomimetic → extravasation: biomimetic — FX gold — FX-T1 — extravasation
#    D(biomimetic,F)=1  D(gold,CarrierType)=2 (inorganic, biomimetic)  D(gold,Target)=2 (FX-T1, FX-T3)
#    D(FX-T1,F)=2  D(FX-T1,CascadeStep)=1  D(extravasation,Target)=1  →  (2·4·1)^-0.4 = 8^-0.4 = 0.435275
def test_hypotheses_against_hand_worked_dwpc(graph, collapsed):
    ranked, lifted = hypotheses(graph, collapsed, damping=0.4)
    best = ranked[0]
    record = best.record(lifted)
    assert (record["carrier_family"], record["step"]) == ("lipid-based nanocarrier", "extravasation")
    assert best.dwpc == pytest.approx(0.944456, abs=1e-6)
    assert best.scores["target involved in step"].dwpc == pytest.approx(4 ** -0.4)
    assert best.scores["neighbouring step"].dwpc == pytest.approx(12 ** -0.4)
    assert best.scores["shared target"].dwpc == best.scores["shared mechanism"].dwpc == 0
    assert record["paths"] == 2
    assert record["strongest_paths"][0].startswith(
        "lipid-based nanocarrier ←hasCarrier— FX lipo A —targets→ FX-T1 —involvedIn→ extravasation")
    scores = {(lifted.nodes[h.source]["label"], lifted.nodes[h.target]["label"]): h.dwpc for h in ranked}
    assert scores[("biomimetic nanocarrier", "extravasation")] == pytest.approx(8 ** -0.4)


def test_hypotheses_are_empty_cells_only(graph, collapsed):
    matrix = reach(graph, "carrier", "step")
    ranked, _ = hypotheses(graph, collapsed)
    assert ranked
    for h in ranked:
        assert not matrix.cell(h.source, h.target).studies
        assert h.dwpc == pytest.approx(sum(pdp for s in h.scores.values() for _, pdp in s.paths))
    assert [h.dwpc for h in ranked] == sorted((h.dwpc for h in ranked), reverse=True)


def test_heatmap_png(graph, tmp_path):
    pytest.importorskip("matplotlib")
    from kg.analysis.heatmap import save_heatmap
    out = save_heatmap(reach(graph, "carrier", "step", all_cols=True), tmp_path / "reach.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
