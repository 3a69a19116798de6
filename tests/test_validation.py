"""Cross-review validation: metrics worked out by hand, the hold-out's training graphs, XSwap, the decision.

The graph tests use the hand-made fixture tests/data/analysis/fixture.ttl (see tests/test_reach_gaps.py
for its contents). Its studies, by source: CMR2022 — study 1 (FX lipo A: primary tumour growth),
study 3 (FX lipo B: circulation), study 4 (FX gold: macrometastasis); NH2026 — study 2 (FX lipo A:
macrometastasis). FX lipo A and B are lipid-based; FX gold is inorganic (gold nanorod) and biomimetic
(platelet-membrane coating). Background: FX-T1 involvedIn extravasation and FX-T2 involvedIn
circulation (NH2026), fixture drug actsOn FX-T2 (CMR2022). Composition: both reviews state FX lipo A's
carrier and its target FX-T1, only NH2026 its cargo (the fixture drug); CMR2022 states the rest.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from kg.analysis import learn
from kg.analysis.holdout import REVIEWS, cited_by, source_of, split, splits
from kg.analysis.metrics import auroc, average_precision, bootstrap, precision_at_k, random_expectation
from kg.analysis.permute import typed_degrees, xswap
from kg.analysis.projection import projection
from kg.analysis.validate import LEARNED, SUMMED, SUPPORT, validate
from kg.cli import main
from kg.core.schema import COMPOSITION_PREDICATES, SOURCED_PREDICATES

ID = "https://w3id.org/nanomet-kg/id/"
CARRIER_STEP = "carrier × step"


@pytest.fixture
def run(analysis_store_path):
    def invoke(*args: str):
        return CliRunner().invoke(main, ["--store", str(analysis_store_path), *args])

    return invoke


# ------------------------------------------------------------------------------------------- metrics

def test_metrics_worked_by_hand():
    # positives score 0.9, 0.8, 0.3; negatives 0.8, 0.5, 0.1.
    # AUROC: 0.9 beats all three (3); 0.8 ties 0.8 (½) and beats 0.5 and 0.1 (2); 0.3 beats 0.1 (1)
    #        → 6.5 / 9.
    # AP over thresholds: ≥0.9 recall ⅓ at precision 1; ≥0.8 recall ⅔ at precision 2/3; ≥0.5 no gain;
    #        ≥0.3 recall 1 at precision 3/5 → ⅓·1 + ⅓·⅔ + ⅓·⅗ = 34/45.
    # P@2: 0.9 is in; one of the two tied 0.8s (one positive) takes the last slot → (1 + ½) / 2.
    scores, labels = [0.9, 0.8, 0.8, 0.5, 0.3, 0.1], [1, 0, 1, 0, 1, 0]
    assert auroc(scores, labels) == pytest.approx(6.5 / 9)
    assert average_precision(scores, labels) == pytest.approx(34 / 45)
    assert precision_at_k(scores, labels, 2) == pytest.approx(0.75)
    assert precision_at_k(scores, labels, 10) == pytest.approx(0.5)   # k beyond the list: all cells
    assert np.isnan(auroc([1, 2], [0, 0])) and np.isnan(average_precision([1, 2], [0, 0]))


def test_bootstrap_interval_holds_the_value_and_is_repeatable():
    rng = np.random.default_rng(3)
    labels = rng.random(200) < 0.1
    scores = labels * 0.5 + rng.random(200)           # informative but noisy
    first, again = bootstrap(scores, labels, 300, seed=1), bootstrap(scores, labels, 300, seed=1)
    assert first == again
    for name, estimate in first.items():
        assert estimate.low <= estimate.value <= estimate.high, name
        assert estimate.low < estimate.high, name
    assert first["AUROC"].value == pytest.approx(auroc(scores, labels))
    assert random_expectation(5, 15)["AP"].value == pytest.approx(0.25)


def test_logistic_weights_follow_the_signal():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 2))
    y = (x[:, 0] + 0.3 * rng.normal(size=300)) > 0.8    # only the first feature matters
    model = learn.fit(x, y, ["signal", "noise"])
    assert model.weights["signal"] > 1 and abs(model.weights["noise"]) < 0.5
    assert auroc(model.score(x), y) > 0.9


# ------------------------------------------------------------------------------------------ hold-out

@pytest.fixture
def graphs(analysis_store):
    return projection(analysis_store), projection(analysis_store, collapse_studies=True)


def test_holding_out_cmr2022_keeps_only_what_nh2026_says(graphs):
    full, collapsed = graphs
    s = split(full, collapsed, "CMR2022")
    gone = {n.removeprefix(ID) for n in s.removed_nodes}
    # studies 1, 3, 4 and CMR2022 itself; FX lipo B and FX gold (no NH2026 study); FX-T3 (only FX gold
    # targets it); the lung, gene silencing's study link and the evidence levels only those studies used
    assert {"study/fx-s1", "study/fx-s3", "study/fx-s4", "source/CMR2022", "formulation/fx-lipo-b",
            "formulation/fx-gold", "target/fx-t3"} <= gone
    assert "formulation/fx-lipo-a" not in gone and "study/fx-s2" not in gone
    # the drug's actsOn FX-T2 is CMR2022's statement: gone; NH2026's involvedIn statements stay
    assert not s.full.has_edge(ID + "agent/fx-drug", ID + "target/fx-t2")
    assert s.full.has_edge(ID + "target/fx-t1", ID + "step/extravasation")
    # the vocabulary stays: gene silencing (only study 3 used it) is still a mechanism node
    assert ID + "mechanism/gene-silencing" in s.full
    assert s.shared_formulations == 1   # FX lipo A
    # both reviews state FX lipo A's carrier and target: kept, citing NH2026 alone
    for graph in (s.full, s.collapsed):
        assert graph[ID + "formulation/fx-lipo-a"][ID + "target/fx-t1"]["nmo:targets"]["sources"] == [
            "NH2026 l.10-12 [2]"]
        assert graph.has_edge(ID + "formulation/fx-lipo-a", ID + "agent/fx-drug")   # NH2026 states the cargo


def test_a_formulation_both_reviews_describe_keeps_only_the_training_reviews_components(graphs):
    """Holding NH2026 out: FX lipo A keeps the carrier and target CMR2022 states too, and loses the cargo
    only NH2026 states — in both training graphs; the fixture drug stays (CMR2022 says it acts on FX-T2)."""
    full, collapsed = graphs
    lipo_a = ID + "formulation/fx-lipo-a"
    s = split(full, collapsed, "NH2026")
    for graph in (s.full, s.collapsed):
        kept = {(v.removeprefix(ID), k) for _, v, k in graph.out_edges(lipo_a, keys=True)
                if k in SOURCED_PREDICATES}
        assert kept == {("carrier/pegylated-liposome", "nmo:hasCarrier"), ("target/fx-t1", "nmo:targets")}
        assert graph[lipo_a][ID + "carrier/pegylated-liposome"]["nmo:hasCarrier"]["sources"] == [
            "CMR2022 §2 [1]"]
        assert graph.has_edge(ID + "agent/fx-drug", ID + "target/fx-t2")
    assert full.has_edge(lipo_a, ID + "agent/fx-drug")   # the full graph is left as it was


def _assert_nothing_of(held_out: str, full, training) -> None:
    cited = cited_by(full)
    held = {n for n, docs in cited.items() if docs == {held_out}}
    assert not held & set(training), "a study, approval or trial of the held-out review is left"
    for u, v, key, data in training.edges(keys=True, data=True):
        assert not set(data.get("studies", ())) & held, (u, v, key)
        sources = data.get("sources", [])
        assert all(source_of(x) != held_out for x in sources), (u, v, key, sources)
        if key in SOURCED_PREDICATES:
            assert sources, f"composition or background link {u} {key} {v} kept without a training source"
    # every formulation left is spoken of by a study, approval or trial of the training review
    stray = [n for n, d in training.nodes(data=True)
             if d.get("family") == "Formulation" and not _has_training_study(full, n, held_out)]
    assert not stray, stray[:5]


def _has_training_study(full, formulation: str, held_out: str) -> bool:
    cited = cited_by(full)
    return any(cited.get(u, set()) - {held_out} for u in full.predecessors(formulation))


def test_the_held_out_review_cannot_reach_the_training_graph(real_store):
    """On the curated KG, both directions: no held-out study, approval, trial or source; no link resting
    on it alone; no node whose only links ran through it (every node left still has a link, or is a
    concept of the vocabulary's own axes)."""
    full, collapsed = projection(real_store), projection(real_store, collapse_studies=True)
    for s in splits(full, collapsed):
        assert {s.training, s.held_out} == set(REVIEWS)
        for training in (s.full, s.collapsed):
            _assert_nothing_of(s.held_out, full, training)
            linked_before = {n for g in (full, collapsed) for n in g if g.degree(n)}
            stranded = [n for n in training if not training.degree(n) and n in linked_before
                        and training.nodes[n]["type"] not in ("CarrierType", "Mechanism", "CascadeStep")]
            assert not stranded, stranded[:5]
        assert s.shared_formulations > 0


def test_on_the_curated_kg_a_shared_system_keeps_only_the_training_reviews_composition(real_store):
    """VP16-LDH is in both reviews, and both name its carrier and cargo: CMR2022 §4 [82] "Etoposide
    delivered in LDH NPs (VP16-LDH)", NH2026 l.608-610 [179] and Table 1. Whatever the training review,
    the link stays and cites only the training review. Abraxane's paclitaxel is NH2026's alone (l.505-507
    [151], Table 2; CMR2022 §8 [124-127] names the product and its year only): a CMR2022 training graph
    keeps Abraxane (its §8 study) without that link."""
    full, collapsed = projection(real_store), projection(real_store, collapse_studies=True)
    vp16, etoposide = ID + "formulation/vp16-ldh", ID + "agent/etoposide"
    abraxane, paclitaxel = ID + "formulation/abraxane", ID + "agent/paclitaxel"
    for s in splits(full, collapsed):
        cargo = s.full[vp16][etoposide]["nmo:hasCargo"]["sources"]
        assert cargo and all(source_of(c) == s.training for c in cargo), cargo
        assert abraxane in s.full
        assert s.full.has_edge(abraxane, paclitaxel, "nmo:hasCargo") == (s.training == "NH2026")
        # composition links of systems the training graph keeps that only the held-out review states
        dropped = [(f, v, k) for f, v, k, d in full.edges(keys=True, data=True)
                   if k in COMPOSITION_PREDICATES and {source_of(c) for c in d["sources"]} == {s.held_out}
                   and f in s.full]
        assert dropped and not any(s.full.has_edge(f, v, k) for f, v, k in dropped)


# ---------------------------------------------------------------------------------------------- XSwap

def test_xswap_keeps_every_node_degree_per_edge_type_and_moves_edges(real_store):
    graph = projection(real_store, collapse_studies=True)
    shuffled = xswap(graph, seed=7)
    assert typed_degrees(shuffled) == typed_degrees(graph)
    before = {(u, v, k) for u, v, k in graph.edges(keys=True)}
    after = {(u, v, k) for u, v, k in shuffled.edges(keys=True)}
    assert len(after) == len(before) and len(after - before) > len(before) / 4
    assert {(u, v, k) for u, v, k in xswap(graph, seed=7).edges(keys=True)} == after   # seeded


# ---------------------------------------------------------------------------- validation, by hand

def test_validation_on_the_fixture_worked_by_hand(graphs):
    """carrier × step: 7 carrier families (the catch-all nanocarrier left out) × 12 steps = 84 cells.

    CMR2022 → NH2026: training fills lipid × primary growth, lipid × circulation, inorganic × macro and
    biomimetic × macro → 80 candidates; NH2026's study 2 fills lipid × macrometastasis: 1 positive.
    Support = row × column formulations: lipid 2 × macrometastasis 1 (FX gold) = 2, the only cell above
    1 → AUROC 1, AP 1, P@10 = 1/10.

    NH2026 → CMR2022: training has only FX lipo A at macrometastasis → 83 candidates; CMR2022 fills
    lipid × primary growth, lipid × circulation, inorganic × macro, biomimetic × macro: 4 positives,
    79 negatives. Every candidate has support 0 (lipid's only step and macrometastasis's only family
    meet in the filled cell) → AUROC ½, AP = P@10 = 4/83. Summed DWPC: FX lipo A is the only
    formulation, so only "target involved in step" (FX-T1 → extravasation) and "neighbouring step"
    (the steps next to macrometastasis: colonization, dormancy) reach anything — three negatives of
    lipid; every positive scores 0 and ties the other 76 negatives → AUROC = ½ · 76/79 = 38/79.
    """
    result = validate(graphs, permutations=0, samples=100)
    forward, backward = "CMR2022 → NH2026", "NH2026 → CMR2022"

    def metrics(direction, ranker):
        found = result.result(CARRIER_STEP, direction, ranker)
        return found.positives, found.negatives, {k: e.value for k, e in found.metrics.items()}

    assert metrics(forward, SUPPORT) == (1, 79, {"AUROC": 1.0, "AP": 1.0, "P@10": pytest.approx(0.1)})
    positives, negatives, values = metrics(backward, SUPPORT)
    assert (positives, negatives) == (4, 79)
    assert values == {"AUROC": 0.5, "AP": pytest.approx(4 / 83), "P@10": pytest.approx(4 / 83)}
    assert metrics(backward, SUMMED)[2]["AUROC"] == pytest.approx(38 / 79)
    # support does not beat itself, summed DWPC loses in one direction, learned is measured but
    # (on one positive) cannot win both: the decision falls back to support
    decision = result.decisions[CARRIER_STEP]
    assert decision.ranker in (SUPPORT, LEARNED)
    if decision.ranker == SUPPORT:
        assert "neither" in decision.reason


def test_cli_validate_prints_every_task_and_direction(run):
    result = run("gaps", "--validate", "--permutations", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    seen = {(r["task"], r["direction"]) for r in found["results"]}
    assert len(seen) == 8   # 4 tasks × 2 directions
    rankers = {r["ranker"] for r in found["results"]}
    assert {"random", "support", "summed DWPC", "summed DWPC z"} <= rankers
    assert {d["task"] for d in found["decisions"]} == {"carrier × step", "carrier × mechanism",
                                                       "target × step", "mechanism × site"}
    table = run("gaps", "--validate", "--permutations", "0")
    assert "AUROC" in table.output and "[" in table.output and "kept rankings" in table.output


def test_gaps_names_the_model_of_its_hypotheses(run):
    result = run("gaps", "--show", "hypotheses", "--permutations", "0")
    assert result.exit_code == 0, result.output
    assert "out-of-sample AUROC" in result.output and "ranked by" in result.output
