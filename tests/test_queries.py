"""The named query library on the query fixture (tests/data/mini + tests/data/queries): every expected
row below is worked out by hand from those two folders. Also the library's headers, and name resolution."""

from __future__ import annotations

import re

import pytest

from kg.core.errors import QueryError
from kg.core.prefixes import expand
from kg.core.sparql import with_limit
from kg.query.handle import KG
from kg.query.library import load_library, parse_query
from kg.query.resolve import resolve

LIBRARY = load_library()
REQUIRED_QUERIES = {
    "carriers-mechanisms", "formulations-by-target", "formulations-by-cargo", "targets-by-step",
    "step-coverage", "formulations-by-cancer-and-site", "approved-products", "trials-by-carrier-phase",
    "checkpoint-combinations", "in-vitro-only", "systems-by-source", "provenance", "steps-not-targeted",
    "review-differences",
}


@pytest.fixture
def graph(query_store):
    return KG(query_store)


def table(result, *columns):
    """The chosen columns of every row, labels for entities, in result order."""
    return [tuple(row.get(c) for c in columns) for row in result.rows]


# ---------------------------------------------------------------- the library itself

def test_library_has_the_required_queries():
    assert REQUIRED_QUERIES <= set(LIBRARY)


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_header_documents_the_query(name):
    q = LIBRARY[name]
    assert q.title and q.description, "title and description"
    assert q.text.startswith("# title:")
    for p in q.params:
        assert re.search(rf"\?{p.name}\b", q.text.split("\nSELECT", 1)[-1]), f"?{p.name} is used by the query"
        assert p.kind in ("entity", "literal", "auto") and p.help
        assert p.example, f"parameter {p.name} has an example"
    for column in q.lists:
        assert re.search(rf"AS \?{column}\)", q.text), f"list column {column} is a result column"


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_every_named_query_runs_with_its_example(name, real_store):
    """On the real graph, each query answers with the example of every required parameter (the examples
    name real entities; structure, not counts)."""
    q = LIBRARY[name]
    params = {p.name: p.example for p in q.params if p.required}
    result = KG(real_store).query(name, **params)
    assert len(result) > 0, f"{name} {params} gives no rows on the real graph"
    assert all(set(row) <= set(result.columns()) for row in result.rows)


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_a_limit_keeps_the_first_rows_in_order(name, real_store):
    """`limit` is pushed into every named query as an outer LIMIT (the engine stops early), and the rows
    are the first rows of the whole answer, in the query's ORDER BY."""
    q = LIBRARY[name]
    params = {p.name: p.example for p in q.params if p.required}
    graph = KG(real_store)
    everything = graph.query(name, **params)
    assert with_limit(q.text, 4) != q.text
    for limit in (1, 3):
        first = graph.query(name, limit=limit, **params)
        assert first.rows == everything.rows[:limit]
        assert first.more == (len(everything) > limit)


def test_header_errors_are_reported():
    with pytest.raises(QueryError, match="unknown header key 'titel'"):
        parse_query("bad", "# titel: x\nSELECT * {}")
    with pytest.raises(QueryError, match="type must start with"):
        parse_query("bad", "# param: x\n#   type: thing Target\nSELECT * { ?x ?p ?o }")


# ---------------------------------------------------------------- the questions, answered on the fixture

def test_carriers_mechanisms_grouped_by_family_with_evidence(graph):
    result = graph.query("carriers-mechanisms")
    assert table(result, "carrier_family", "mechanism", "studies", "formulations", "in_vitro", "in_vivo",
                 "clinical", "approved", "not_stated") == [
        ("inorganic nanoparticle", "immune checkpoint blockade", 1, 1, 0, 1, 0, 0, 0),
        ("inorganic nanoparticle", "photothermal effect", 1, 1, 1, 0, 0, 0, 0),
        ("lipid-based nanocarrier", "macrophage repolarization", 1, 1, 1, 0, 0, 0, 0),
        ("polymeric nanocarrier", "cytotoxicity and apoptosis induction", 1, 1, 0, 0, 0, 1, 0),
        ("polymeric nanocarrier", "EMT inhibition", 1, 1, 0, 1, 0, 0, 0),
    ]


@pytest.mark.parametrize("params, expected", [
    # a family term includes its sub-terms (skos:broader*)
    ({"mechanism_family": "immune activation"}, {("inorganic nanoparticle", "immune checkpoint blockade"),
                                                 ("lipid-based nanocarrier", "macrophage repolarization")}),
    ({"carrier": "polymeric nanocarrier"}, {("polymeric nanocarrier", "cytotoxicity and apoptosis induction"),
                                            ("polymeric nanocarrier", "EMT inhibition")}),
    ({"carrier": "liposome", "mechanism_family": "immune activation"},
     {("lipid-based nanocarrier", "macrophage repolarization")}),
    ({"carrier": "gold nanorod", "mechanism_family": "migration and invasion inhibition"}, set()),
])
def test_carriers_mechanisms_families_include_members(graph, params, expected):
    assert set(table(graph.query("carriers-mechanisms", **params), "carrier_family", "mechanism")) == expected


@pytest.mark.parametrize("target, expected", [
    ("CXCR4", [("Fixture gold rod", "ligand AMD3100 binds it", "gold nanorod", 2, "in vivo (animal)")]),
    ("CD44", [("Fixture PLGA-HA", "designed to target it; ligand hyaluronic acid binds it",
               "PLGA nanoparticle", 1, "in vivo (animal)")]),
    ("hif 1a", [("Fixture liposome", "designed to target it", "PEGylated liposome", 1, "in vitro")]),
])
def test_formulations_by_target(graph, target, expected):
    result = graph.query("formulations-by-target", target=target)
    assert table(result, "formulation", "how", "carriers", "studies", "strongest_evidence") == expected


def test_formulations_by_cargo_by_alt_label(graph):
    result = graph.query("formulations-by-cargo", cargo="DOX")
    assert table(result, "formulation", "carriers", "targets", "studies", "strongest_evidence") == [
        ("Fixture gold rod", "gold nanorod", None, 2, "in vivo (animal)"),
        ("Fixture micelle", "polymeric micelle", None, 1, "approved"),
    ]
    targets = table(graph.query("formulations-by-cargo", cargo="paclitaxel"), "formulation", "targets")
    assert sorted(targets) == [("Fixture PLGA-HA", "CD44"), ("Fixture liposome", "HIF-1α")]


def test_targets_by_step(graph):
    assert table(graph.query("targets-by-step"), "step", "target", "formulations", "sources") == [
        ("local invasion", "CD44", 1, "NH2026 l.10-12"),
        ("intravasation", "CXCR4", 0, "CMR2022 §4"),
        ("extravasation", "CXCR4", 0, "NH2026 l.160-165"),
    ]
    only = graph.query("targets-by-step", step="extravasation")
    assert table(only, "step", "target", "target_kind") == [("extravasation", "CXCR4", "molecular target")]


def test_step_coverage_lists_every_step_in_cascade_order(graph):
    rows = {r["step"]: r for r in graph.query("step-coverage").rows}
    assert list(rows)[:3] == ["primary tumour growth", "epithelial-mesenchymal transition", "local invasion"]
    assert list(rows)[-1] == "macrometastasis" and len(rows) == 12
    pick = ("studies", "stated", "formulations", "strongest_evidence", "targets_involved", "targets_targeted")
    assert tuple(rows["local invasion"].get(k) for k in pick) == (1, 1, 1, "in vivo (animal)", 1, 1)
    assert tuple(rows["micrometastasis and colonization"].get(k) for k in pick) == (1, 0, 1, "in vitro", 0, 0)
    assert tuple(rows["intravasation"].get(k) for k in pick) == (0, 0, 0, None, 1, 0)
    assert tuple(rows["macrometastasis"].get(k) for k in pick) == (1, 1, 1, "approved", 0, 0)


def test_steps_not_targeted_through_cxcr4(graph):
    result = graph.query("steps-not-targeted", target="CXCR4")
    rows = table(result, "step", "target_involved", "studies_on_step")
    steps = [r[0] for r in rows]
    assert "extravasation" not in steps and "micrometastasis and colonization" not in steps  # the gold rod's
    assert len(steps) == 10
    assert ("intravasation", True, 0) in rows  # involved, and nobody aimed at it there: the gap
    assert ("local invasion", False, 1) in rows


def test_formulations_by_cancer_and_site(graph):
    lung = graph.query("formulations-by-cancer-and-site", site="lung")
    assert table(lung, "formulation", "cancer_type") == [("Fixture PLGA-HA", "breast cancer")]
    both = graph.query("formulations-by-cancer-and-site", cancer="breast cancer", site="bone")
    assert table(both, "formulation", "metastasis_site", "strongest_evidence") == [
        ("Fixture gold rod", "bone", "in vivo (animal)")]
    assert len(graph.query("formulations-by-cancer-and-site", cancer="breast cancer")) == 5


def test_approved_products_and_agencies(graph):
    assert table(graph.query("approved-products"), "product", "approved_by", "indication_text", "source") == [
        ("Fixture micelle", "FDA", "metastatic breast cancer", "NH2026 Table 2 l.736")]
    assert len(graph.query("approved-products", agency="EMA")) == 0


@pytest.mark.parametrize("params, rows", [
    ({}, 1), ({"carrier": "polymeric nanocarrier"}, 1), ({"carrier": "liposome"}, 0),
    ({"phase": "phase II"}, 1), ({"phase": "phase III"}, 0),
])
def test_trials_by_carrier_and_phase(graph, params, rows):
    result = graph.query("trials-by-carrier-phase", **params)
    assert table(result, "trial", "formulation", "trial_phase") == \
        [("NCT01234567", "Fixture micelle", "clinical phase II")] * rows


def test_checkpoint_combinations(graph):
    expected = [("Fixture gold rod", "anti-PD-L1 antibody", "breast cancer", "CMR2022 §6")]
    columns = ("formulation", "combined_with", "cancer_types", "source")
    assert table(graph.query("checkpoint-combinations"), *columns) == expected
    assert table(graph.query("checkpoint-combinations", antibody="αPD-L1"), *columns) == expected


def test_only_in_vitro(graph):
    assert table(graph.query("in-vitro-only"), "formulation", "studies", "sources") == [
        ("Fixture liposome", 1, "NH2026 l.100-104")]
    wider = graph.query("in-vitro-only", up_to="in vivo (animal)")
    assert [r["formulation"] for r in wider] == ["Fixture gold rod", "Fixture liposome", "Fixture PLGA-HA"]


def test_systems_by_source(graph):
    assert table(graph.query("systems-by-source"), "formulation", "coverage", "sources", "studies") == [
        ("Fixture gold rod", "in all sources", "CMR2022; NH2026", 2),
        ("Fixture liposome", "only NH2026", "NH2026", 1),
        ("Fixture micelle", "only NH2026", "NH2026", 1),
        ("Fixture PLGA-HA", "only CMR2022", "CMR2022", 1),
    ]
    assert [r["formulation"] for r in graph.query("systems-by-source", shared=True)] == ["Fixture gold rod"]
    assert len(graph.query("systems-by-source", shared="false")) == 3
    assert [r["formulation"] for r in graph.query("systems-by-source", only_in="NH2026")] == [
        "Fixture liposome", "Fixture micelle"]


def test_review_differences(graph):
    """The gold rod is the one fixture system in both sources (tests/data/queries/extra.ttl): study 3
    (CMR2022) and study 4 (NH2026) agree on the cancer only; by the sourced composition statements both
    name its carrier, only CMR2022 its ligand, only NH2026 its cargo (no coating, no designed target)."""
    result = graph.query("review-differences")
    assert {r["formulation"] for r in result} == {"Fixture gold rod"}
    assert table(result, "axis", "agreement", "both", "only_first", "only_second") == [
        ("evidence level", "differ", None, "in vivo (animal)", "in vitro"),
        ("cascade step", "differ", None, "extravasation", "micrometastasis and colonization"),
        ("cancer type", "agree", "breast cancer", None, None),
        ("mechanism", "differ", None, "immune checkpoint blockade", "photothermal effect"),
        ("metastasis site", "only CMR2022", None, "bone", None),
        ("carrier", "agree", "gold nanorod", None, None),
        ("ligand", "only CMR2022", None, "AMD3100", None),
        ("cargo", "only NH2026", None, None, "doxorubicin"),
    ]
    swapped = graph.query("review-differences", first="NH2026", second="CMR2022")
    assert table(swapped, "axis", "agreement", "only_first", "only_second")[4] == (
        "metastasis site", "only CMR2022", None, "bone")
    agreed = graph.query("review-differences", verdict="agree")
    assert [r["axis"] for r in agreed] == ["cancer type", "carrier"]
    assert table(graph.query("review-differences", axis="cargo"), "only_second") == [("doxorubicin",)]
    assert table(graph.query("review-differences", axis="mechanism"), "agreement") == [("differ",)]
    assert graph.query("review-differences", first="CMR2022", second="CMR2022").rows == []


def test_provenance_of_background_and_records(graph):
    assert table(graph.query("provenance", node="CXCR4"), "relation", "source", "location", "references") == [
        ("statement: AMD3100 binds CXCR4", "CMR2022", "§6", "90"),
        ("statement: CXCR4 involved in extravasation", "NH2026", "l.160-165", "9; 45"),  # sorted as numbers
        ("statement: CXCR4 involved in intravasation", "CMR2022", "§4", "50"),
    ]
    records = table(graph.query("provenance", node="form:fixture-micelle"), "record", "relation", "location")
    assert records == [
        ("Fixture micelle approval by FDA", "record: approves", "Table 2 l.736"),
        ("Fixture study 5", "record: evaluates", "Table 2 l.736"),
        ("NCT01234567", "record: tests formulation", "Table 3 l.969-970"),
        (None, "statement: Fixture micelle has cargo doxorubicin", "Table 2 l.736"),
        (None, "statement: Fixture micelle has carrier polymeric micelle", "Table 2 l.736"),
    ]
    # a cargo: the places that state it, not every study of the formulations that carry it (study 3 of
    # the gold rod, CMR2022 §6, does not name doxorubicin)
    assert table(graph.query("provenance", node="doxorubicin"), "relation", "source", "location") == [
        ("statement: Fixture gold rod has cargo doxorubicin", "NH2026", "l.200-201"),
        ("statement: Fixture micelle has cargo doxorubicin", "NH2026", "Table 2 l.736"),
    ]
    own = graph.query("provenance", node="Fixture study 3")
    assert table(own, "relation", "source", "location", "references") == [
        ("the node itself", "CMR2022", "§6", "30")]


def test_search_by_part_of_a_name(graph):
    assert table(graph.query("search", text="cx"), "entity", "name", "class") == [
        ("CXCR4", "CXCR4", "molecular target")]


# ---------------------------------------------------------------- names, not IRIs

@pytest.mark.parametrize("name, classes, expected", [
    ("CXCR4", ("Target",), "target:cxcr4"),
    ("cxcr4", (), "target:cxcr4"),
    ("HIF-1alpha", ("Target",), "target:hif-1alpha"),
    ("hif-1α", (), "target:hif-1alpha"),
    ("HIF 1A", ("MolecularTarget",), "target:hif-1alpha"),
    ("plerixafor", (), "agent:amd3100"),                 # alt label
    ("TNF-alpha", ("Target",), "target:tnf-alpha"),      # the class settles an ambiguity
    ("TNF-α", ("Agent",), "agent:tnf-alpha"),
    ("target:cxcr4", ("Target",), "target:cxcr4"),       # CURIE
    ("<https://w3id.org/nanomet-kg/id/agent/amd3100>", ("TargetingLigand",), "agent:amd3100"),
    ("polymeric nanocarrier", ("CarrierType",), "carrier:polymeric-nanocarrier"),
])
def test_resolve(query_store, name, classes, expected):
    assert resolve(query_store, name, classes).value == expand(expected)


def test_resolve_unknown_suggests_close_names(query_store):
    with pytest.raises(QueryError) as err:
        resolve(query_store, "CXCR5", ("Target",))
    assert str(err.value).startswith("no entity called 'CXCR5' among Target; did you mean: CXCR4")


def test_resolve_ambiguous_lists_candidates(query_store):
    with pytest.raises(QueryError) as err:
        resolve(query_store, "tnf alpha")
    message = str(err.value)
    assert "ambiguous" in message and "2 entities" in message
    assert "target:tnf-alpha" in message and "agent:tnf-alpha" in message
    assert "MolecularTarget" in message and "Protein" in message


@pytest.mark.parametrize("name, classes, message", [
    ("target:nothing", (), "no entity target:nothing in the graph"),
    ("target:cxcr4", ("Agent",), "target:cxcr4 is not of class Agent"),
    ("   ", (), "an empty name"),
    ("CXCR4", ("Organ",), "no entity called 'CXCR4' among Organ"),
])
def test_resolve_errors(query_store, name, classes, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        resolve(query_store, name, classes)


# ---------------------------------------------------------------- the question library (issue 13)

def test_formulations_by_target_through_a_co_administered_agent(graph):
    """Study 3 gives the gold rod with the anti-PD-L1 antibody, which acts on PD-L1."""
    assert table(graph.query("formulations-by-target", target="PD-L1"), "formulation", "how", "carriers",
                 "studies", "strongest_evidence") == [
        ("Fixture gold rod", "given with anti-PD-L1 antibody, which acts on it", "gold nanorod", 2,
         "in vivo (animal)")]


def test_steps_not_targeted_counts_the_study_that_gives_the_agent(graph):
    rows = table(graph.query("steps-not-targeted", target="PD-L1"), "step", "target_involved")
    steps = [step for step, _ in rows]
    # study 3 (extravasation) gives the antibody; study 4 (colonization) does not
    assert "extravasation" not in steps and "micrometastasis and colonization" in steps
    assert len(steps) == 11 and not any(involved for _, involved in rows)


def test_carriers_mechanisms_at_leaf_level(graph):
    result = graph.query("carriers-mechanisms", level="leaf")
    assert sorted(table(result, "carrier_family", "mechanism", "studies")) == [
        ("PEGylated liposome", "macrophage repolarization", 1), ("PLGA nanoparticle", "EMT inhibition", 1),
        ("gold nanorod", "immune checkpoint blockade", 1), ("gold nanorod", "photothermal effect", 1),
        ("polymeric micelle", "cytotoxicity and apoptosis induction", 1)]
    with pytest.raises(QueryError, match="parameter level is one of family, leaf; got 'leaves'"):
        graph.query("carriers-mechanisms", level="leaves")


def test_targets_by_site(graph):
    assert table(graph.query("targets-by-site"), "site", "target", "how", "formulations", "studies") == [
        ("bone", "CXCR4", "a ligand binds it", 1, 1),
        ("bone", "PD-L1", "an agent given with it acts on it", 1, 1),
        ("lung", "CD44", "a ligand binds it; designed to target it", 1, 1),
    ]
    assert [r["target"] for r in graph.query("targets-by-site", site="lung")] == ["CD44"]


def test_imaging_systems(graph):
    """Study 4 images with the gold rod (modality imaging and diagnosis)."""
    columns = ("cancer_type", "formulation", "studies", "strongest_evidence", "sources")
    assert table(graph.query("imaging-systems"), *columns) == [
        ("breast cancer", "Fixture gold rod", 1, "in vitro", "NH2026 l.200-201")]
    assert len(graph.query("imaging-systems", cancer="breast cancer")) == 1


@pytest.mark.parametrize("country, agency", [("South Korea", "agency:south-korea"), ("USA", "agency:fda"),
                                             ("United States", "agency:fda"), ("Europe", "agency:europe"),
                                             ("China", "agency:nmpa"), ("European Union", "agency:ema")])
def test_an_agency_is_found_by_its_country(query_store, country, agency):
    assert resolve(query_store, country, ("Agency",)).value == expand(agency)


def test_approvals_by_country(graph):
    assert [r["product"] for r in graph.query("approved-products", agency="USA")] == ["Fixture micelle"]


def test_served_body_has_no_header(graph):
    for query in graph.queries():
        assert not query.body.startswith("#") and query.body.lstrip().startswith("PREFIX")
        assert "# title:" not in query.body and query.text.endswith(query.body)
