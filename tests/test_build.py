"""Build pipeline: parse errors, SHACL violations and lint findings are reported clearly, and a failed
build leaves the previous store untouched."""

from __future__ import annotations

import pytest

from kg.build.pipeline import build, validate
from kg.core.errors import StoreError, TurtleSyntaxError, ValidationError
from kg.query.stats import summarize
from kg.store import open_store


def _count(path) -> int:
    with open_store(path) as store:
        return len(store)


def test_build_fixture_summary(mini_store):
    summary = summarize(mini_store)
    classes = dict(summary.classes)
    assert classes["Formulation"] == 2
    assert classes["Study"] == 2
    assert sorted(summary.sources) == [("CMR2022", 1, 1), ("NH2026", 1, 1)]
    assert mini_store.manifest()["triples"] == len(mini_store)


def test_open_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="run `kg build` first"):
        open_store(tmp_path / "nothing-here")


def test_broken_turtle_names_file_and_line_and_keeps_store(tmp_path, mini_copy):
    store = tmp_path / "store"
    build(store, mini_copy)
    before = _count(store)
    broken = mini_copy.triples / "broken.ttl"
    broken.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "no end .\n')
    with pytest.raises(TurtleSyntaxError) as err:
        build(store, mini_copy)
    assert "broken.ttl" in str(err.value)
    assert "line 3" in str(err.value)
    assert _count(store) == before
    assert not list(tmp_path.glob(".store.building-*")), "staging folder must be cleaned up"


def test_every_broken_file_is_reported(mini_copy):
    (mini_copy.triples / "a.ttl").write_text("this is not turtle\n")
    (mini_copy.triples / "b.ttl").write_text("<http://x> <http://y> .\n")
    with pytest.raises(TurtleSyntaxError) as err:
        validate(mini_copy)
    assert "a.ttl" in str(err.value) and "b.ttl" in str(err.value)


def test_violating_study_is_reported_and_keeps_store(tmp_path, mini_copy):
    store = tmp_path / "store"
    build(store, mini_copy)
    before = _count(store)
    (mini_copy.triples / "bad-study.ttl").write_text("""
@prefix nmo: <https://w3id.org/nanomet-kg/ontology#> .
@prefix study: <https://w3id.org/nanomet-kg/id/study/> .
@prefix form: <https://w3id.org/nanomet-kg/id/formulation/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
study:no-evidence a nmo:Study ; rdfs:label "Study without evidence or source" ;
    nmo:evaluates form:fixture-plga .
""")
    with pytest.raises(ValidationError) as err:
        build(store, mini_copy)
    message = str(err.value)
    assert "study:no-evidence" in message
    assert "bad-study.ttl" in message
    assert "a study needs at least one evidence level" in message
    assert "a study cites exactly one source document" in message
    assert "path nmo:evidenceLevel" in message
    assert _count(store) == before


def test_misspelt_iris_are_caught(mini_copy):
    (mini_copy.triples / "typos.ttl").write_text("""
@prefix nmo: <https://w3id.org/nanomet-kg/ontology#> .
@prefix form: <https://w3id.org/nanomet-kg/id/formulation/> .
@prefix carrier: <https://w3id.org/nanomet-kg/id/carrier/> .
form:fixture-plga nmo:hasCarier carrier:plga-nanoparticle .
form:fixture-liposome nmo:hasCarrier carrier:liposme .
""")
    report = validate(mini_copy)
    checks = {(f.check, f.node.rsplit("/", 1)[-1].rsplit("#", 1)[-1]) for f in report.errors}
    assert ("unknown-term", "hasCarier") in checks
    assert ("undefined-entity", "liposme") in checks
    assert not report.ok


def test_duplicate_labels_within_a_class(mini_copy):
    (mini_copy.triples / "dupe.ttl").write_text("""
@prefix nmo: <https://w3id.org/nanomet-kg/ontology#> .
@prefix target: <https://w3id.org/nanomet-kg/id/target/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
target:cd-44 a nmo:MolecularTarget ; rdfs:label "cd44" ; skos:definition "duplicate" .
""")
    report = validate(mini_copy)
    assert any("label 'cd44' is used by 2 nodes" in v.message for v in report.violations)
    assert any(f.check == "duplicate-name" and f.severity == "error" for f in report.errors)


_TWIN = """
@prefix nmo: <https://w3id.org/nanomet-kg/ontology#> .
@prefix form: <https://w3id.org/nanomet-kg/id/formulation/> .
@prefix study: <https://w3id.org/nanomet-kg/id/study/> .
@prefix agent: <https://w3id.org/nanomet-kg/id/agent/> .
@prefix target: <https://w3id.org/nanomet-kg/id/target/> .
@prefix carrier: <https://w3id.org/nanomet-kg/id/carrier/> .
@prefix disease: <https://w3id.org/nanomet-kg/id/disease/> .
@prefix evidence: <https://w3id.org/nanomet-kg/id/evidence/> .
@prefix src: <https://w3id.org/nanomet-kg/id/source/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
form:fixture-plga-again a nmo:Formulation ; rdfs:label "PLGA-HA particles, other name" ;
    nmo:hasCarrier carrier:plga-nanoparticle ; nmo:hasCargo agent:paclitaxel ; nmo:targets target:cd44 .
[] a rdf:Statement ; rdf:subject form:fixture-plga-again ; rdf:predicate nmo:hasCarrier ;
    rdf:object carrier:plga-nanoparticle ; nmo:sourceDocument src:NH2026 ; nmo:lines "1-2" .
[] a rdf:Statement ; rdf:subject form:fixture-plga-again ; rdf:predicate nmo:hasCargo ;
    rdf:object agent:paclitaxel ; nmo:sourceDocument src:NH2026 ; nmo:lines "1-2" .
[] a rdf:Statement ; rdf:subject form:fixture-plga-again ; rdf:predicate nmo:targets ;
    rdf:object target:cd44 ; nmo:sourceDocument src:NH2026 ; nmo:lines "1-2" .
study:fixture-3 a nmo:Study ; rdfs:label "Fixture study 3" ; nmo:evaluates form:fixture-plga-again ;
    nmo:cancerType disease:CANCER ; nmo:evidenceLevel evidence:in-vitro ;
    nmo:sourceDocument src:NH2026 ; nmo:lines "1-2" .
disease:lung-cancer a nmo:CancerType ; rdfs:label "lung cancer" ; rdfs:comment "Fixture disease." .
"""


@pytest.mark.parametrize("cancer, extra, flagged", [
    ("breast-cancer", "", True),          # same cargo, carrier, target and cancer as form:fixture-plga
    ("lung-cancer", "", False),           # no cancer type in common
    ("breast-cancer", "form:fixture-plga-again owl:differentFrom form:fixture-plga .", False),
])
def test_likely_duplicate_systems_are_warned(mini_copy, cancer, extra, flagged):
    (mini_copy.triples / "twin.ttl").write_text(_TWIN.replace("CANCER", cancer) + extra + "\n")
    report = validate(mini_copy)
    found = [f for f in report.warnings if f.check == "likely-duplicate-system"]
    assert report.ok, report.describe_problems()
    if flagged:
        assert [f.node.rsplit("/", 1)[-1] for f in found] == ["fixture-plga"]
        assert "form:fixture-plga-again" in found[0].detail and "twin.ttl" in found[0].detail
        assert "disease:breast-cancer" in found[0].detail
    else:
        assert found == []


def test_unsourced_background_statement(mini_copy):
    (mini_copy.triples / "bio.ttl").write_text("""
@prefix nmo: <https://w3id.org/nanomet-kg/ontology#> .
@prefix target: <https://w3id.org/nanomet-kg/id/target/> .
@prefix step: <https://w3id.org/nanomet-kg/id/step/> .
target:hif-1alpha nmo:involvedIn step:emt .
""")
    report = validate(mini_copy)
    assert [f.check for f in report.errors] == ["unsourced-statement"]


_COMPOSITION = """
@prefix nmo: <https://w3id.org/nanomet-kg/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix form: <https://w3id.org/nanomet-kg/id/formulation/> .
@prefix agent: <https://w3id.org/nanomet-kg/id/agent/> .
@prefix src: <https://w3id.org/nanomet-kg/id/source/> .
form:fixture-plga nmo:hasCoating agent:hyaluronic-acid .
%s
"""


@pytest.mark.parametrize("statement, sourced", [
    ("", False),                                                        # no statement at all
    ("[] rdf:subject form:fixture-plga ; rdf:predicate nmo:hasCoating ; rdf:object agent:hyaluronic-acid ;"
     " nmo:sourceDocument src:CMR2022 .", False),                      # a source but no place
    ("[] a rdf:Statement ; rdf:subject form:fixture-plga ; rdf:predicate nmo:hasCoating ;"
     ' rdf:object agent:hyaluronic-acid ; nmo:sourceDocument src:CMR2022 ; nmo:section "3" .', True),
])
def test_a_composition_triple_needs_a_sourced_statement(mini_copy, statement, sourced):
    (mini_copy.triples / "coating.ttl").write_text(_COMPOSITION % statement)
    report = validate(mini_copy)
    found = [f for f in report.errors if f.check == "unsourced-statement"]
    if sourced:
        assert report.ok, report.describe_problems()
    else:
        assert len(found) == 1, report.describe_problems()
        triple = "form:fixture-plga nmo:hasCoating agent:hyaluronic-acid"
        assert f"{triple} has no rdf:Statement" in found[0].detail
        assert found[0].detail.endswith(".ttl")  # and where


def test_a_statement_whose_composition_triple_is_gone_is_an_error(mini_copy):
    """A statement left behind when its triple was changed (the fixture liposome's cargo is paclitaxel)."""
    (mini_copy.triples / "orphan.ttl").write_text(_COMPOSITION.replace(
        "form:fixture-plga nmo:hasCoating agent:hyaluronic-acid .", "") % (
        "[] a rdf:Statement ; rdf:subject form:fixture-liposome ; rdf:predicate nmo:hasCargo ;"
        ' rdf:object agent:hyaluronic-acid ; nmo:sourceDocument src:NH2026 ; nmo:lines "100-104" .'))
    report = validate(mini_copy)
    assert [f.check for f in report.errors] == ["statement-not-asserted"]
    assert "form:fixture-liposome nmo:hasCargo agent:hyaluronic-acid" in report.errors[0].detail


def test_truncated_nct_needs_marking(mini_copy):
    trial = """
@prefix nmo: <https://w3id.org/nanomet-kg/ontology#> .
@prefix trial: <https://w3id.org/nanomet-kg/id/trial/> .
@prefix form: <https://w3id.org/nanomet-kg/id/formulation/> .
@prefix src: <https://w3id.org/nanomet-kg/id/source/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
trial:nct00361 a nmo:ClinicalTrial ; rdfs:label "NCT00361" ; nmo:nctId "NCT00361" ;
    nmo:testsFormulation form:fixture-plga ; nmo:sourceDocument src:NH2026 ; nmo:section "Table 3" %s .
"""
    (mini_copy.triples / "trial.ttl").write_text(trial % "")
    assert any("NCT identifier" in v.message for v in validate(mini_copy).violations)
    (mini_copy.triples / "trial.ttl").write_text(trial % "; nmo:isTruncated true")
    assert validate(mini_copy).ok
