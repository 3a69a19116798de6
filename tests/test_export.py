"""`kg export`: every format is deterministic (byte-identical twice, and from two different engines whose
blank-node ids differ) and parses back to the same graph."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.export import canonical, stable_blank_nodes, to_kgx

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}


@pytest.fixture
def export(query_store_path, tmp_path, monkeypatch):
    monkeypatch.delenv("NANOMET_KG_ENDPOINT", raising=False)

    def run(fmt: str, name: str, *options: str):
        out = tmp_path / name
        args = ["--store", str(query_store_path), *options, "export", "--format", fmt, "--out", str(out)]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        return out

    return run


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "graphml"])
def test_export_is_byte_identical_twice(export, fmt):
    assert export(fmt, f"a.{fmt}").read_bytes() == export(fmt, f"b.{fmt}").read_bytes()


def test_export_does_not_depend_on_the_engine(export, query_sources, monkeypatch, tmp_path):
    """rdflib numbers blank nodes differently from Oxigraph; the exported bytes are the same."""
    root = tmp_path / "root"
    shutil.copytree(query_sources.ontology, root / "ontology")
    shutil.copytree(query_sources.triples, root / "data" / "triples")
    monkeypatch.setenv("NANOMET_KG_DATA", str(root))
    for fmt in ("ttl", "nt", "jsonld"):
        from_rdflib = export(fmt, f"rd.{fmt}", "--backend", "rdflib")
        assert export(fmt, f"ox.{fmt}").read_bytes() == from_rdflib.read_bytes()


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_rdf_exports_parse_back_to_the_same_graph(export, query_store, fmt):
    data = export(fmt, f"kg.{fmt}").read_bytes()
    parsed = [q.triple for q in ox.parse(data, format=RDF_FORMATS[fmt])]
    assert canonical(parsed) == canonical(query_store.triples())
    assert len(parsed) == len(query_store)


def test_blank_nodes_get_labels_from_their_content():
    p, o = ox.NamedNode("http://e/p"), ox.NamedNode("http://e/o")
    two = ox.Literal("2")
    first = stable_blank_nodes([ox.Triple(ox.BlankNode("x1"), p, o), ox.Triple(ox.BlankNode("x2"), p, two)])
    again = stable_blank_nodes([ox.Triple(ox.BlankNode("zz"), p, two), ox.Triple(ox.BlankNode("yy"), p, o)])
    assert sorted(map(str, first)) == sorted(map(str, again))
    twins = stable_blank_nodes([ox.Triple(ox.BlankNode("a"), p, o), ox.Triple(ox.BlankNode("b"), p, o)])
    assert len({t.subject.value for t in twins}) == 2  # identical content, still two nodes


def test_turtle_is_readable_and_sorted(export):
    text = export("ttl", "kg.ttl").read_text()
    prefixes = [line.split()[1] for line in text.splitlines() if line.startswith("@prefix")]
    assert prefixes == sorted(prefixes) and "target:" in prefixes
    assert 'target:cxcr4 a nmo:MolecularTarget' in text
    subjects = [line.split()[0] for line in text.splitlines() if line and not line[0].isspace()
                and not line.startswith("@")]
    assert subjects.index("agency:fda") < subjects.index("form:fixture-gold") < subjects.index("target:cxcr4")
    assert subjects[-1].startswith("_:b")  # the statements (blank nodes) come last


def test_jsonld_uses_the_project_prefixes(export):
    document = json.loads(export("jsonld", "kg.jsonld").read_text())
    assert document["@context"]["target"] == "https://w3id.org/nanomet-kg/id/target/"
    node = next(n for n in document["@graph"] if n["@id"] == "target:cxcr4")
    # exports hold what the store holds: the curated type and its superclass (the closure `kg build` adds)
    assert node["@type"] == ["nmo:MolecularTarget", "nmo:Target"]
    assert node["rdfs:label"] == [{"@value": "CXCR4"}]


def test_graphml_parses_back_with_networkx(export, query_store):
    import networkx as nx

    graph = nx.read_graphml(export("graphml", "kg.graphml"))
    triples = query_store.triples()
    links = [t for t in triples if not isinstance(t.object, ox.Literal) and t.predicate.value != RDF_TYPE]
    resources = {t.subject for t in triples} | {t.object for t in links}
    assert graph.number_of_nodes() == len(resources)
    assert graph.number_of_edges() == len(links)
    cxcr4 = graph.nodes["target:cxcr4"]
    assert cxcr4["label"] == "CXCR4" and cxcr4["types"] == "nmo:MolecularTarget; nmo:Target"
    assert cxcr4["iri"] == "https://w3id.org/nanomet-kg/id/target/cxcr4"
    assert {d["predicate"] for _, _, d in graph.out_edges("target:cxcr4", data=True)} == {"nmo:involvedIn"}


def _tsv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode()), delimiter="\t"))


def test_kgx_nodes_and_edges(export, query_store):
    folder = export("kgx", "kgx")
    nodes, edges = _tsv((folder / "nodes.tsv").read_bytes()), _tsv((folder / "edges.tsv").read_bytes())
    prefixes = json.loads((folder / "prefix-map.json").read_text())
    ids = [n["id"] for n in nodes]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert all(n["category"].startswith("biolink:") and "|" not in n["category"] for n in nodes)
    # every id is a declared prefix + local name, expanding to the node's IRI
    assert all(prefixes[n["id"].split(":")[0]] + n["id"].split(":", 1)[1] == n["iri"] for n in nodes)
    by_id = {n["id"]: n for n in nodes}
    assert by_id["nmkg.target:cxcr4"]["category"] == "biolink:NamedThing"  # no HGNC identifier in the fixture
    assert by_id["nmkg.agent:amd3100"]["synonym"] == "plerixafor"
    assert by_id["nmkg.agent:amd3100"]["category"] == "biolink:SmallMolecule"  # the most specific class
    assert by_id["nmkg.formulation:fixture-gold"]["category"] == "biolink:Drug"
    assert by_id["nmkg.source:CMR2022"]["xref"] == "doi:10.1007/s10555-022-10025-7"
    # the stored superclass closure shows in nmo_types; the category is the most specific class's
    assert by_id["nmkg.target:cxcr4"]["nmo_types"] == "nmo:MolecularTarget|nmo:Target"
    assert by_id["nmkg.agent:doxorubicin"]["nmo_types"] == "nmo:Agent|nmo:SmallMolecule"
    assert by_id["nmkg.agent:doxorubicin"]["category"] == "biolink:SmallMolecule"
    assert all(e["subject"] in by_id and e["object"] in by_id for e in edges)
    assert all(e["predicate"].startswith("biolink:") and e["original_predicate"] for e in edges)
    assert all(e["id"].startswith("urn:uuid:") for e in edges) and len({e["id"] for e in edges}) == len(edges)
    by_triple = {(e["subject"], e["original_predicate"], e["object"]): e for e in edges}
    involved = by_triple["nmkg.target:cxcr4", "nmo:involvedIn", "nmkg.step:extravasation"]
    assert involved["predicate"] == "biolink:actively_involved_in"
    assert involved["citations"] == "NH2026 l.160-165 [9, 45]"  # from the reified statement
    assert involved["publications"] == "doi:10.1039/D6NH00023A"
    gold = "nmkg.formulation:fixture-gold"
    assert by_triple[gold, "nmo:hasCargo", "nmkg.agent:doxorubicin"]["predicate"] \
        == "biolink:has_active_ingredient"
    assert by_triple[gold, "nmo:hasLigand", "nmkg.agent:amd3100"]["predicate"] == "biolink:has_part"
    assert by_triple["nmkg.agent:amd3100", "nmo:binds", "nmkg.target:cxcr4"]["predicate"] \
        == "biolink:directly_physically_interacts_with"
    study = by_triple["nmkg.study:fixture-3", "nmo:metastasisSite", "nmkg.organ:bone"]
    assert study["citations"] == "CMR2022 §6 [30]"  # the study's own provenance
    assert study["predicate"] == "biolink:related_to"  # Biolink has no predicate from a study to a site
    assert by_triple["nmkg.study:fixture-3", "nmo:sourceDocument", "nmkg.source:CMR2022"]["predicate"] \
        == "biolink:mentioned_by"
    assert to_kgx(query_store.triples()) == to_kgx(reversed(query_store.triples()))


def test_kgx_composition_edges_cite_the_places_that_state_them(export):
    """tests/data/queries/extra.ttl: both sources state the gold rod's carrier, only NH2026 its cargo."""
    folder = export("kgx", "kgx")
    edges = {(e["subject"], e["original_predicate"], e["object"]): e
             for e in _tsv((folder / "edges.tsv").read_bytes())}
    gold = "nmkg.formulation:fixture-gold"
    carrier = edges[gold, "nmo:hasCarrier", "nmkg.carrier:gold-nanorod"]
    assert carrier["citations"] == "CMR2022 §6 [30]|NH2026 l.200-201 [61]"
    assert carrier["publications"] == "doi:10.1007/s10555-022-10025-7|doi:10.1039/D6NH00023A"
    cargo = edges[gold, "nmo:hasCargo", "nmkg.agent:doxorubicin"]
    assert (cargo["citations"], cargo["publications"]) == ("NH2026 l.200-201 [61]", "doi:10.1039/D6NH00023A")


def test_kgx_targets_are_as_specific_as_the_graph_allows():
    """A formulation's target is in direct contact when its ligand binds it, affected when its cargo acts
    on it, and merely related otherwise; a non-molecular cargo is a part, not an active ingredient."""
    def iri(family, name):
        return ox.NamedNode(f"https://w3id.org/nanomet-kg/id/{family}/{name}")

    def nmo(name):
        return ox.NamedNode(f"https://w3id.org/nanomet-kg/ontology#{name}")

    label, a = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.NamedNode(RDF_TYPE)
    f, lig = iri("formulation", "f"), iri("agent", "lig")
    drug, dye = iri("agent", "drug"), iri("agent", "dye")
    bound, acted, other = iri("target", "bound"), iri("target", "acted"), iri("target", "other")
    triples = [ox.Triple(f, a, nmo("Formulation")), ox.Triple(lig, a, nmo("TargetingLigand")),
               ox.Triple(drug, a, nmo("SmallMolecule")), ox.Triple(dye, a, nmo("ImagingAgent")),
               *[ox.Triple(t, a, nmo("MolecularTarget")) for t in (bound, acted, other)],
               *[ox.Triple(x, label, ox.Literal(x.value[-4:]))
                 for x in (f, lig, drug, dye, bound, acted, other)],
               ox.Triple(f, nmo("hasLigand"), lig), ox.Triple(f, nmo("hasCargo"), drug),
               ox.Triple(f, nmo("hasCargo"), dye), ox.Triple(lig, nmo("binds"), bound),
               ox.Triple(drug, nmo("actsOn"), acted),
               *[ox.Triple(f, nmo("targets"), t) for t in (bound, acted, other)]]
    edges = _tsv(to_kgx(triples)["edges.tsv"])
    found = {(e["original_predicate"], e["object"].split(":")[1]): e["predicate"] for e in edges}
    assert found[("nmo:targets", "bound")] == "biolink:directly_physically_interacts_with"
    assert found[("nmo:targets", "acted")] == "biolink:affects"
    assert found[("nmo:targets", "other")] == "biolink:related_to"
    assert found[("nmo:hasCargo", "drug")] == "biolink:has_active_ingredient"
    assert found[("nmo:hasCargo", "dye")] == "biolink:has_part"


def test_kgx_needs_a_folder_and_stdout_works_for_files(query_store_path, query_store, monkeypatch):
    monkeypatch.delenv("NANOMET_KG_ENDPOINT", raising=False)
    result = CliRunner().invoke(main, ["--store", str(query_store_path), "export", "--format", "kgx"])
    assert result.exit_code == 1 and "give a folder with --out" in result.output
    nt = CliRunner().invoke(main, ["--store", str(query_store_path), "export", "--format", "nt"])
    assert nt.exit_code == 0
    lines = nt.stdout_bytes.decode().splitlines()
    assert lines == sorted(lines) and len(lines) == len(query_store)
