"""``kg curate import``: tables → resolved, validated Turtle in a copy of the data folder.

The studies imported here are illustrations (fictional constructs named "Illustrative …", fictional
sources with the Crossref test DOI prefix 10.5555), written into temporary copies of the data only; the
names they use are real entries of the vocabulary.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.build.pipeline import validate
from kg.cli import main
from kg.core.errors import KGError
from kg.core.locations import Sources
from kg.core.prefixes import expand
from kg.curate.importing import MARKER, generated_from, import_tables

HEADER = ("formulation", "carrier_types", "cargo", "targets", "cancer_types", "metastasis_sites",
          "mechanisms", "cascade_steps", "evidence_level", "source", "section", "lines", "references", "note")
NEW_STUDY = ("Illustrative NP-1", "liposome", "paclitaxel; indocyanine green", "CXCR4", "breast cancer",
             "lung", "cytotoxicity and apoptosis induction", "extravasation", "in vivo", "CMR2022", "4", "",
             "78; 79", "illustration only")


def tsv(path: Path, header: tuple[str, ...], *rows: tuple[str, ...]) -> Path:
    path.write_text("\n".join("\t".join(r) for r in (header, *rows)) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def data(tmp_path) -> Sources:
    """A writable copy of the shipped data (the shipped ontology)."""
    folder = tmp_path / "triples"
    shutil.copytree(Sources.default().triples, folder)
    return Sources.default(triples=folder)


def triples_of(path: Path) -> set[tuple[str, str, str]]:
    return {(q.subject.value, q.predicate.value, q.object.value)
            for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)}


def nmo(local: str) -> str:
    return expand(f"nmo:{local}")


def test_import_writes_a_validated_file_per_source(data, tmp_path):
    table = tsv(tmp_path / "new-studies.tsv", HEADER, NEW_STUDY)
    report = import_tables([table], data)
    out = data.triples / "curated" / "new-studies" / "cmr2022.ttl"
    assert list(report.files) == [out] and out.is_file()
    assert report.counts["studies"] == 1 and report.counts["new formulations"] == 1
    said = triples_of(out)
    form, study = expand("form:illustrative-np-1"), expand("study:cmr2022-s4-illustrative-np-1")  # slug rule
    for triple in [(form, nmo("hasCarrier"), expand("carrier:liposome")),
                   (form, nmo("hasCargo"), expand("agent:indocyanine-green")),  # "; " separates values
                   (form, nmo("targets"), expand("target:cxcr4")),
                   (study, nmo("evaluates"), form),
                   (study, nmo("evidenceLevel"), expand("evidence:in-vivo-animal")),  # alt label "in vivo"
                   (study, nmo("sourceDocument"), expand("src:CMR2022")),
                   (study, nmo("section"), "4"), (study, nmo("citedReference"), "79"),
                   (study, expand("rdfs:label"), "Illustrative NP-1 (CMR2022 §4 [78, 79])")]:
        assert triple in said
    assert out.read_text().startswith(f"# {MARKER}new-studies.tsv:")
    assert validate(data).ok


def test_reimport_gives_the_same_file_and_refuses_files_it_did_not_write(data, tmp_path):
    table = tsv(tmp_path / "s.tsv", HEADER, NEW_STUDY)
    import_tables([table], data)
    out = data.triples / "curated" / "s" / "cmr2022.ttl"
    first = out.read_bytes()
    import_tables([table], data)  # its own earlier file is left out while resolving: no duplicate
    assert out.read_bytes() == first
    out.write_text("# hand-written\n")
    with pytest.raises(KGError, match="refusing to overwrite .*cmr2022.ttl: we did not write it"):
        import_tables([table], data)
    assert out.read_text() == "# hand-written\n"
    out.write_bytes(first)
    other = tsv(tmp_path / "other.tsv", HEADER, (*NEW_STUDY[:10], "5", *NEW_STUDY[11:]))
    with pytest.raises(KGError, match="generated from s.tsv"):
        import_tables([other], data, out=out.parent)


def test_a_row_replaced_in_the_table_replaces_the_study_and_stale_files_go(data, tmp_path):
    table = tsv(tmp_path / "s.tsv", HEADER, NEW_STUDY)
    import_tables([table], data)
    moved = (*NEW_STUDY[:9], "NH2026", "", "601-605", "", "")
    report = import_tables([tsv(table, HEADER, moved)], data)
    folder = data.triples / "curated" / "s"
    assert sorted(p.name for p in folder.iterdir()) == ["nh2026.ttl"]
    assert report.removed == [folder / "cmr2022.ttl"]
    assert (expand("study:nh2026-l601-illustrative-np-1"), nmo("lines"), "601-605") in triples_of(
        folder / "nh2026.ttl")


YAML = """\
# An illustration: the paper, its DOI (Crossref's test prefix) and its findings are fictional.
sources:
  - id: Illustration2099
    doi: 10.5555/illustration.2099
    definition: A fictional primary paper, to show the format.
vocabulary:
  - label: ILLX1
    class: MolecularTarget
    alt_names: [illustrative receptor X1]
    definition: A fictional receptor, to show the format.
    external_id: HGNC:0000001
  - label: illustrative peptide P1
    class: [Peptide, TargetingLigand]
    definition: A fictional peptide ligand.
  - label: illustrative nanoshell
    class: CarrierType
    parent: gold nanoparticle
    definition: A fictional kind of gold carrier.
statements:
  - subject: illustrative peptide P1
    predicate: binds
    object: ILLX1
    source: 10.5555/illustration.2099
    section: Results
studies:
  - formulation: Illustrative P1-nanoshell
    carrier_types: illustrative nanoshell
    ligands: illustrative peptide P1
    targets: illustrative receptor X1
    cancer_types: "melanoma [inferred: B16 model]"
    evidence_level: in vitro
    source: https://doi.org/10.5555/illustration.2099
    section: Figure 2
    non_cancer: no
"""


def test_yaml_declares_a_source_terms_and_a_sourced_statement(data, tmp_path):
    table = tmp_path / "illustration.yaml"
    table.write_text(YAML, encoding="utf-8")
    report = import_tables([table], data)
    folder = data.triples / "curated" / "illustration"
    assert sorted(p.name for p in report.files) == ["illustration2099.ttl", "vocabulary.ttl"]
    vocab, paper = triples_of(folder / "vocabulary.ttl"), triples_of(folder / "illustration2099.ttl")
    target, ligand = expand("target:illx1"), expand("agent:illustrative-peptide-p1")
    source = expand("src:Illustration2099")
    assert (target, expand("skos:exactMatch"), "https://identifiers.org/hgnc:0000001") in vocab
    assert (ligand, expand("rdf:type"), nmo("TargetingLigand")) in vocab
    assert (expand("carrier:illustrative-nanoshell"), expand("skos:broader"),
            expand("carrier:gold-nanoparticle")) in vocab
    assert (source, nmo("doi"), "10.5555/illustration.2099") in paper
    assert (ligand, nmo("binds"), target) in paper  # asserted, and reified with its provenance:
    statement = {s for s, p, o in paper if p == expand("rdf:subject") and o == ligand}
    assert len(statement) == 1 and (statement.pop(), nmo("section"), "Results") in {
        t for t in paper if t[1] == nmo("section")}
    study = expand("study:illustration2099-f2-illustrative-p1-nanoshell")  # Figure 2 → f2
    assert (study, nmo("sourceDocument"), source) in paper
    assert (expand("form:illustrative-p1-nanoshell"), nmo("isNonCancer"), "false") in paper
    assert (study, nmo("cancerType"), expand("disease:melanoma")) in paper  # the value, and how it is known:
    marked = {s for s, p, o in paper if p == expand("rdf:subject") and o == study}
    assert len(marked) == 1
    mark = marked.pop()
    assert {(p, o) for s, p, o in paper if s == mark} >= {
        (nmo("inferredFrom"), "B16 model"), (expand("rdf:object"), expand("disease:melanoma")),
        (nmo("sourceDocument"), source), (nmo("section"), "Figure 2")}
    assert validate(data).ok


def test_dry_run_resolves_but_writes_nothing(data, tmp_path):
    table = tsv(tmp_path / "s.tsv", HEADER, NEW_STUDY)
    report = import_tables([table], data, dry_run=True)
    assert report.counts["studies"] == 1 and not (data.triples / "curated").exists()


def test_cli_import_lists_what_it_wrote(data, tmp_path):
    table = tsv(tmp_path / "s.tsv", HEADER, NEW_STUDY)
    result = CliRunner().invoke(main, ["curate", "import", str(table), "--triples", str(data.triples)])
    assert result.exit_code == 0, result.output
    assert f"wrote {data.triples / 'curated' / 's' / 'cmr2022.ttl'}" in result.output
    assert generated_from(data.triples / "curated" / "s" / "cmr2022.ttl") == "s.tsv"


ROOT = Path(__file__).resolve().parents[1]


def test_the_worked_example_and_the_templates(data, tmp_path):
    """README "Curating": docs/templates/study.yaml (a fictional illustration) imports, validates and is
    found by `kg find`; the TSV templates and docs/CURATION.md name every column of their sheet."""
    from kg.curate.columns import SHEETS

    report = import_tables([ROOT / "docs" / "templates" / "study.yaml"], data)
    assert report.counts == {"studies": 1, "new formulations": 1, "new terms": 2, "new sources": 1,
                             "statements": 1}
    store = str(tmp_path / "store")
    built = CliRunner().invoke(main, ["--store", store, "build", "--triples", str(data.triples)])
    assert built.exit_code == 0, built.output
    found = CliRunner().invoke(main, ["--store", store, "find", "--target", "ILLX1"])
    assert found.exit_code == 0, found.output
    assert "Illustrative P1-liposome" in found.output
    assert "ligand illustrative peptide P1 binds it" in found.output
    guide = (ROOT / "docs" / "CURATION.md").read_text()
    for name, sheet in SHEETS.items():
        header = (ROOT / "docs" / "templates" / f"{name}.tsv").read_text().splitlines()[0]
        assert header.split("\t") == list(sheet.names)
        assert all(f"`{column}`" in guide for column in sheet.names), name


def test_the_benchmark_rows_import(tmp_path):
    """benchmarks/curate.py stays runnable: a few of its synthetic rows import and validate (untimed)."""
    from benchmarks.curate import run_once, synthetic_rows
    from kg.curate.columns import STUDIES
    from kg.curate.tables import write_table

    table = tmp_path / "synthetic.tsv"
    table.write_text(write_table(STUDIES, synthetic_rows(30), "tsv"), encoding="utf-8")
    found = run_once(table, tmp_path)
    assert found["triples_written"] > 30 * 10 and found["validate"] > 0


def statements_of(path: Path) -> set[tuple[str, ...]]:
    """(predicate, object, source, section or lines, inferred from) of every sourced statement in a file."""
    graph = ox.Store()
    graph.load(path=str(path), format=ox.RdfFormat.TURTLE)
    query = """SELECT ?p ?o ?d ?where (COALESCE(?why, "") AS ?inferred) WHERE {
      ?st a rdf:Statement ; rdf:predicate ?p ; rdf:object ?o ; nmo:sourceDocument ?d ;
          nmo:section|nmo:lines ?where
      OPTIONAL { ?st nmo:inferredFrom ?why } }"""
    from kg.core.prefixes import compact, sparql_prologue

    return {tuple(compact(r[v].value) for v in ("p", "o", "d", "where", "inferred"))
            for r in graph.query(sparql_prologue() + query)}


def test_each_component_is_stated_at_the_place_of_its_row(data, tmp_path):
    """Two rows of one new formulation at two places: each component gets a sourced statement at the
    place of each row that gives it (marked ones with nmo:inferredFrom); the export gives each row back
    the components of its place."""
    second = ("Illustrative NP-1", "", "paclitaxel; indocyanine green [inferred: imaging named]", "",
              "breast cancer", "", "cytotoxicity and apoptosis induction", "", "in vitro", "CMR2022", "5", "",
              "80", "")
    rows = [NEW_STUDY, second]
    import_tables([tsv(tmp_path / "two.tsv", HEADER, *rows)], data)
    out = data.triples / "curated" / "two" / "cmr2022.ttl"
    assert statements_of(out) == {
        ("nmo:hasCarrier", "carrier:liposome", "src:CMR2022", "4", ""),
        ("nmo:hasCargo", "agent:paclitaxel", "src:CMR2022", "4", ""),
        ("nmo:hasCargo", "agent:indocyanine-green", "src:CMR2022", "4", ""),
        ("nmo:targets", "target:cxcr4", "src:CMR2022", "4", ""),
        ("nmo:hasCargo", "agent:paclitaxel", "src:CMR2022", "5", ""),
        ("nmo:hasCargo", "agent:indocyanine-green", "src:CMR2022", "5", "imaging named"),
    }
    assert validate(data).ok
    from kg.core.loading import load_files
    from kg.curate.exporting import Exporter

    graph = ox.Store()
    load_files(graph, data.files())
    exported = {r["section"]: r for r in Exporter(graph).rows() if r["formulation"] == "Illustrative NP-1"}
    assert (exported["4"]["carrier_types"], exported["4"]["cargo"]) == (
        ["liposome"], ["indocyanine green", "paclitaxel"])
    assert (exported["5"]["carrier_types"], exported["5"]["targets"]) == ([], [])
    assert exported["5"]["cargo"] == ["indocyanine green [inferred: imaging named]", "paclitaxel"]


def test_export_names_a_component_without_a_sourced_statement(data):
    """A carrier stated without its source place has no row to stand on (nor does the lint accept it)."""
    (data.triples / "extra.ttl").write_text(
        "<https://w3id.org/nanomet-kg/id/formulation/aunc-cbsa-ha> "
        "<https://w3id.org/nanomet-kg/ontology#hasCargo> "
        "<https://w3id.org/nanomet-kg/id/agent/paclitaxel> .\n")
    result = CliRunner().invoke(main, ["curate", "export", "--triples", str(data.triples)])
    assert result.exit_code == 1
    assert "form:aunc-cbsa-ha nmo:hasCargo agent:paclitaxel: no sourced statement gives its place" \
        in result.output
