"""`kg find`: twenty researchers' questions answered on the curated KG (expected answers from the reviews,
see find_questions.py), the same answers from Python and the CLI, and the rules: OR within an axis, AND
across, hierarchies, evidence forms, strategies, facets, clear errors, values bound as RDF terms."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from find_questions import QUESTIONS, Question, facet, labels

from kg.cli import main
from kg.core.errors import QueryError
from kg.query.handle import KG
from kg.store.oxigraph_backend import OxigraphStore

INJECTIONS = ['x" } ; DROP ALL ; SELECT * { ?s ?p ?o', "x' } INSERT DATA { <a> <b> <c> } #", "{}\\\"}"]


@pytest.fixture(scope="module")
def graph(real_store_path):
    with KG(OxigraphStore.open(real_store_path)) as opened:
        yield opened


def ask(graph: KG, question: Question):
    """The question's answer from the Python API."""
    if question.facets:
        return graph.facets(list(question.facets), include_strategies=question.include_strategies,
                            **question.filters)
    return graph.find(studies=question.studies, include_strategies=question.include_strategies,
                      **question.filters)


def check(graph: KG, question: Question, result) -> None:
    if question.more:
        question.check(result, graph.find(**question.more))
    else:
        question.check(result)


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.ask for q in QUESTIONS])
def test_question_answered_from_python(graph, question):
    check(graph, question, ask(graph, question))


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.ask for q in QUESTIONS])
def test_question_answered_from_the_cli_as_from_python(graph, real_store_path, question):
    done = CliRunner().invoke(main, ["--store", str(real_store_path), *question.cli_args(),
                                     "--format", "json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout) == ask(graph, question).to_json_document()


def test_twenty_questions_of_different_families():
    assert len(QUESTIONS) == 20
    used = {axis for q in QUESTIONS for axis in q.filters} | {a for q in QUESTIONS for a in q.facets}
    assert used >= {"carrier", "cargo", "target", "mechanism", "site", "cancer", "evidence", "source",
                    "status", "agency", "drug_class", "text", "step"}


# ---------------------------------------------------------------- the rules

def test_or_within_an_axis_and_across_axes(graph):
    """OR: NMPA or South Korea approvals (NH2026 Table 2 l.736: Lipusu; Genexol PM, Pazenir). AND: only the
    paclitaxel ones among everything approved in South Korea."""
    either = graph.find(agency=["NMPA", "agency:south-korea"])
    assert labels(either) == {"Lipusu", "Genexol PM", "Pazenir"}
    assert labels(graph.find(agency="agency:south-korea", cargo="paclitaxel")) == {"Genexol PM", "Pazenir"}
    assert labels(graph.find(agency="NMPA", cargo="doxorubicin")) == set()


def test_study_level_filters_meet_in_one_study(graph):
    """AGuIX: CMR2022 §7 [121] is the phase 1 radiosensitization study in brain metastases; the Table 3 row
    in pancreatic cancer (NCT04789486) names no metastasis site. So brain + pancreatic cancer finds nothing,
    while each alone finds AGuIX."""
    assert "AGuIX" in labels(graph.find(site="brain"))
    assert "AGuIX" in labels(graph.find(cancer="pancreatic cancer"))
    assert "AGuIX" not in labels(graph.find(site="brain", cancer="pancreatic cancer"))


def test_a_family_includes_its_sub_terms(graph):
    """Doxil and Onivyde are PEGylated liposomes (NH2026 Table 2): found under liposome and the family."""
    for family in ("PEGylated liposome", "liposome", "lipid-based nanocarrier"):
        assert {"Doxil", "Onivyde"} <= labels(graph.find(carrier=family)), family


def test_evidence_forms(graph):
    """Brain metastases: DepoCyt approved (NH2026 Table 2), AGuIX in a phase II trial (Table 3,
    NCT03818386), cRGD-C′ dots in a phase 1 study (CMR2022 §6 [91]), AMD3100 gene-delivery NPs in mice
    ([90]). 'clinical' stands for every trial phase."""
    at_least = labels(graph.find(site="brain", evidence="clinical"))
    exactly = labels(graph.find(site="brain", evidence="=clinical"))
    at_most = labels(graph.find(site="brain", evidence="<=in vivo"))
    assert {"DepoCyt", "AGuIX", "cRGD-C′ dots"} <= at_least
    assert {"AGuIX", "cRGD-C′ dots"} <= exactly and "DepoCyt" not in exactly
    assert "AMD3100-modified promelittin gene-delivery NPs" in at_most and not at_most & at_least
    assert labels(graph.find(site="brain", evidence=">=approved")) == labels(graph.find(site="brain",
                                                                                      evidence="=approved"))
    with pytest.raises(QueryError, match="strict < and > are not supported"):
        graph.find(evidence=">in vivo")
    with pytest.raises(QueryError, match="cannot be combined"):
        graph.find(evidence=["<=in vitro", "approved"])


def test_studies_give_one_row_per_study(graph):
    """The four docetaxel trials of NH2026 Table 3 are four studies, each with its phase."""
    result = graph.find(cargo="docetaxel", status="in trial", studies=True)
    assert len(result) == result.total == 4
    assert {r["evidence"].label for r in result.records} == {"clinical phase I", "clinical phase II"}
    assert all(r["source"] == "NH2026 Table 3 l.969-970" for r in result.records)


def test_rows_carry_citations_and_best_evidence(graph):
    """CBSA/siS100A4@Exosome: CMR2022 §5 [84] and NH2026 l.611-616 [180], in vivo (lung metastasis)."""
    record = next(r for r in graph.find(text="siS100A4").records
                  if r["formulation"].label == "CBSA/siS100A4@Exosome")
    sources = [item.label for item in record["sources"]]
    assert "CMR2022 §5 [84]" in sources and "NH2026 l.611-616 [180]" in sources
    assert record["best_evidence"].label == "in vivo (animal)"
    assert record["studies"] == len(record["sources"])


def test_limit_keeps_the_order_and_the_total(graph):
    everything = graph.find(status="approved")
    first = graph.find(status="approved", limit=3)
    assert [r["formulation"] for r in first.records] == [r["formulation"] for r in everything.records[:3]]
    assert first.total == everything.total == len(everything) > 3


def test_facets_count_formulations_and_studies(graph):
    """Evidence facet of the docetaxel trials (NH2026 Table 3): two phase II trials, two phase I."""
    result = graph.facets("evidence", cargo="docetaxel", status="in trial")
    counts = {r["value"].label: (r["formulations"], r["studies"]) for r in result.records}
    assert counts == {"clinical phase II": (2, 2), "clinical phase I": (2, 2)}
    assert facet(graph.facets(["status"], text="NBTXR3"), "status") == {"approved", "in trial"}


def test_result_rows_and_table_carry_labels_and_iris(graph):
    result = graph.find(target="ADAM17")
    row = result.rows[0]
    assert row["formulation"] == "Nanoquinacrine"
    assert row["formulation_iri"] == "https://w3id.org/nanomet-kg/id/formulation/nanoquinacrine"
    assert "ADAM17" in row["targets"] and len(row["targets"]) == len(row["targets_iri"])
    columns, lines = result.table(iris=True)
    assert "targets_iri" in columns and "target:adam17" in lines[0][columns.index("targets_iri")]
    document = result.to_json_document()
    assert document["filters"]["target"] == [{"label": "ADAM17",
                                              "iri": "https://w3id.org/nanomet-kg/id/target/adam17"}]
    assert {"label": "ADAM17", "iri": "https://w3id.org/nanomet-kg/id/target/adam17",
            "how": ["co-administered GW280264 acts on it"]} in document["rows"][0]["targets"]


# ---------------------------------------------------------------- errors and safety

def test_unknown_names_get_did_you_mean(graph):
    with pytest.raises(QueryError, match=r"no entity called 'CXCR5' among Target; did you mean: .*CXCR4"):
        graph.find(target="CXCR5")
    with pytest.raises(QueryError, match="no entity called 'lipsome' among CarrierType; did you mean: lipo"):
        graph.facets("carrier", carrier="lipsome")
    with pytest.raises(QueryError, match="no status called 'in trail'; did you mean: in trial"):
        graph.find(status="in trail")


def test_unknown_axes_are_clear_errors(graph, real_store_path):
    with pytest.raises(QueryError, match="no axis called 'carier'; did you mean: carrier"):
        graph.facets("carier")
    with pytest.raises(QueryError, match="no axis called 'targt'"):
        graph.find(targt="CD44")
    with pytest.raises(QueryError, match="text is a filter, not a facet"):
        graph.facets("text")
    done = CliRunner().invoke(main, ["--store", str(real_store_path), "find", "--facet", "carier"])
    assert done.exit_code == 5 and "no axis called 'carier'; did you mean: carrier" in done.output
    assert "Traceback" not in done.output
    done = CliRunner().invoke(main, ["--store", str(real_store_path), "find",
                                     "--columns", "formulation,nope"])
    assert done.exit_code == 5 and "no column nope" in done.output


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_strings_match_nothing(graph, value):
    before = len(graph.store)
    assert len(graph.find(text=value)) == 0
    for axis in ("carrier", "cargo", "ligand", "target", "mechanism", "step", "cancer", "site", "modality",
                 "evidence", "source", "agency", "drug_class"):
        with pytest.raises(QueryError, match="no entity called"):
            graph.find(**{axis: value})
    with pytest.raises(QueryError, match="no status called"):
        graph.find(status=value)
    with pytest.raises(QueryError, match="no axis called"):
        graph.facets(value)
    assert len(graph.store) == before


def test_generated_sparql_binds_every_value(graph, real_store_path):
    """Values appear only inside VALUES blocks, as escaped RDF terms; absent filters add no pattern."""
    from kg.query.find import find_sparql

    text = find_sparql(graph.store, target="PD-L1", text='x" } DROP ALL')
    assert "VALUES (?target_value) { (<https://w3id.org/nanomet-kg/id/target/pd-l1>) }" in text
    assert 'VALUES (?text_value) { ("x\\" } DROP ALL") }' in text
    assert "nmo:mechanism" not in text and "addressesStep" not in text
    done = CliRunner().invoke(main, ["--store", str(real_store_path), "find", "--target", "PD-L1",
                                     "--sparql"])
    assert done.exit_code == 0 and "?target_value" in done.stdout
    assert done.stdout.strip() == find_sparql(graph.store, target="PD-L1").strip()


def test_cli_table_and_counts(real_store_path):
    done = CliRunner().invoke(main, ["--store", str(real_store_path), "find", "--cargo", "docetaxel",
                                     "--status", "in trial", "--columns", "formulation,trials",
                                     "--limit", "2"])
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["formulation", "trials"] and len(lines) == 4
    assert "(2 of 4 formulations shown)" in done.stderr
