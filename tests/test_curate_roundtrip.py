"""``kg curate export`` → ``kg curate import`` gives back the curated graph: every study and formulation,
triple for triple (blank nodes compared by their canonical labels)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.core.loading import load_files
from kg.core.locations import Sources
from kg.core.prefixes import sparql_prologue
from kg.export import canonical

RDF_SUBJECT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")
SUBJECTS = "SELECT DISTINCT ?s WHERE { { ?s a nmo:Study } UNION { ?s a/rdfs:subClassOf* nmo:Formulation } }"


def graph_of(sources: Sources) -> ox.Store:
    store = ox.Store()
    load_files(store, sources.files())
    return store


def canonical_set(store: ox.Store) -> set[str]:
    return {str(t) for t in canonical(q.triple for q in store)}


@pytest.fixture(scope="module")
def shipped() -> ox.Store:
    return graph_of(Sources.default())


@pytest.fixture
def rest(tmp_path, shipped) -> Sources:
    """The shipped data without any statement about a study or a formulation, nor the sourced
    statements about them (file by file)."""
    subjects = {r[0] for r in shipped.query(sparql_prologue() + SUBJECTS)}
    assert len(subjects) > 200
    source = Sources.default().triples
    for path in sorted(source.rglob("*.ttl")):
        quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        about = {q.subject for q in quads if q.predicate == RDF_SUBJECT and q.object in subjects}  # reified
        kept = [q.triple for q in quads if q.subject not in subjects and q.subject not in about]
        out = tmp_path / "rest" / path.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(ox.serialize(kept, format=ox.RdfFormat.N_TRIPLES))
    return Sources.default(triples=tmp_path / "rest")


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("fmt", ["tsv", "csv", "yaml"])
def test_every_study_round_trips(tmp_path, shipped, rest, fmt):
    table = tmp_path / f"studies.{fmt}"
    invoke("curate", "export", "--out", str(table))
    studies = len(list(shipped.query(sparql_prologue() + "SELECT ?s WHERE { ?s a nmo:Study }")))
    result = invoke("curate", "import", str(table), "--triples", str(rest.triples))
    assert f"studies: {studies}" in result.output
    assert canonical_set(graph_of(rest)) == canonical_set(shipped)


def test_the_export_of_the_reimported_graph_is_the_same_table(tmp_path, rest):
    first, second = tmp_path / "first.tsv", tmp_path / "second.tsv"
    invoke("curate", "export", "--out", str(first))
    invoke("curate", "import", str(first), "--triples", str(rest.triples))
    invoke("curate", "export", "--out", str(second), "--triples", str(rest.triples))
    assert second.read_bytes() == first.read_bytes()
    lines = first.read_text().splitlines()
    assert lines[0].startswith("study\tformulation\tformulation_id\t")
    # one row as the table shows it (CMR2022 §2 [31-35]; cmr2022/s2-primary-tumour.ttl)
    row = next(line.split("\t") for line in lines if line.startswith("study:cmr2022-s2-aunc-cbsa-ha\t"))
    cells = dict(zip(lines[0].split("\t"), row, strict=True))
    assert cells["formulation"] == "AuNC@CBSA@HA" and cells["carrier_types"] == "gold nanocluster"
    assert cells["references"] == "31; 32; 33; 34; 35" and cells["source"] == "CMR2022"
    assert cells["coatings"] == "cationic bovine serum albumin; hyaluronic acid"
    assert cells["targets"] == "CD44"
    assert cells["cargo"] == "" and cells["step_from_section"] == "yes"


def test_export_refuses_what_the_table_cannot_express(tmp_path):
    folder = tmp_path / "triples"
    shutil.copytree(Sources.default().triples, folder)
    (folder / "extra.ttl").write_text(
        "<https://w3id.org/nanomet-kg/id/study/cmr2022-s2-aunc-cbsa-ha> "
        "<http://www.w3.org/2004/02/skos/core#note> \"a detail no column holds\" .\n")
    result = CliRunner().invoke(main, ["curate", "export", "--triples", str(folder)])
    assert result.exit_code == 1
    assert "study:cmr2022-s2-aunc-cbsa-ha: the table has no column for skos:note" in result.output


def test_export_does_not_overwrite_without_force(tmp_path):
    out = tmp_path / "mine.tsv"
    out.write_text("keep me")
    result = CliRunner().invoke(main, ["curate", "export", "--out", str(out)])
    assert result.exit_code == 1 and "refusing to overwrite" in result.output
    assert out.read_text() == "keep me"
    invoke("curate", "export", "--out", str(out), "--force")
    assert out.read_text().startswith("study\t")


def test_a_new_study_of_an_exported_table_is_imported_beside_the_graph(tmp_path):
    """A curator's loop: export, add a row (an illustration) with a known formulation, import."""
    folder = tmp_path / "triples"
    shutil.copytree(Sources.default().triples, folder)
    table = tmp_path / "studies.tsv"
    invoke("curate", "export", "--out", str(table), "--triples", str(folder))
    header = table.read_text().splitlines()[0].split("\t")
    added = dict.fromkeys(header, "")
    added.update(formulation="AuNC@CBSA@HA", cancer_types="melanoma", evidence_level="in vitro",
                 source="CMR2022", section="3", note="illustration only")
    Path(tmp_path / "new.tsv").write_text("\t".join(header) + "\n" + "\t".join(added.values()) + "\n")
    invoke("curate", "import", str(tmp_path / "new.tsv"), "--triples", str(folder))
    text = (folder / "curated" / "new" / "cmr2022.ttl").read_text()
    assert "study:cmr2022-s3-aunc-cbsa-ha a nmo:Study" in text
    assert "form:aunc-cbsa-ha a" not in text  # the known formulation is not restated
