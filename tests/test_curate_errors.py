"""A bad table gets one message per problem, naming its row and column, the documented exit code (2: a
table that cannot be read; 3: cells that do not resolve or break a rule, or Turtle that does not
validate), and nothing is written."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.core.locations import Sources
from tests.test_curate_import import HEADER, NEW_STUDY, tsv

# A second agent also called "PTX" makes that abbreviation ambiguous (paclitaxel's alt label).
AMBIGUOUS = """@prefix nmo: <https://w3id.org/nanomet-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/nanomet-kg/id/agent/illustrative-ptx> a nmo:SmallMolecule ;
    rdfs:label "illustrative PTX analogue" ; skos:altLabel "PTX" ; skos:definition "A fictional drug." .
"""


@pytest.fixture
def data(tmp_path) -> Sources:
    folder = tmp_path / "triples"
    shutil.copytree(Sources.default().triples, folder)
    (folder / "ambiguous.ttl").write_text(AMBIGUOUS)
    return Sources.default(triples=folder)


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(data: Sources, *args: str):
    before = snapshot(data.triples)
    result = CliRunner().invoke(main, ["curate", "import", *args, "--triples", str(data.triples)])
    assert snapshot(data.triples) == before, "nothing may be written"
    assert "Traceback" not in result.output
    return result


def row(**changes: str) -> tuple[str, ...]:
    values = dict(zip(HEADER, NEW_STUDY, strict=True))
    values.update(changes)
    return tuple(values[h] for h in HEADER)


def test_every_bad_cell_is_reported_with_row_and_column(data, tmp_path):
    table = tsv(tmp_path / "bad.tsv", HEADER,
                row(cargo="paclitaxl"),                                       # row 2
                row(evidence_level="in vivo mice", section="5"),              # row 3
                row(source="", section="6"),                                  # row 4
                row(section="", lines=""),                                    # row 5
                # row 6: in the graph (CMR2022 §2 [31-35], breast cancer; cmr2022/s2-primary-tumour.ttl)
                row(formulation="AuNC@CBSA@HA", carrier_types="", cargo="", targets="", metastasis_sites="",
                    section="2", references="31; 32; 33; 34; 35"),
                row(cargo="PTX", section="7"),                                # row 7
                row(formulation="Illustrative NP-2", carrier_types="", section="8"),  # row 8
                row(lines="l.601", references="x", section=""),               # row 9
                row(section="9"), row(section="9"))                           # rows 10, 11
    result = run(data, str(table))
    assert result.exit_code == 3, result.output
    lines = result.output.splitlines()
    assert lines[0] == "error: the table has 10 problem(s); nothing was written:"
    expected = [
        ("row 2, column cargo", "no entity called 'paclitaxl' among Agent; did you mean: paclitaxel"),
        ("row 3, column evidence_level",
         "no entity called 'in vivo mice' among EvidenceLevel; did you mean: in vivo"),
        ("row 4, column source", "missing provenance: give the source"),
        ("row 5, column section", "missing provenance: give the section (or table) or the lines"),
        ("row 6, column formulation", "duplicate of study:cmr2022-s2-aunc-cbsa-ha"),
        ("row 7, column cargo", "'PTX' is ambiguous among Agent: it names 2 entities"),
        ("row 8, column formulation", "no entity called 'Illustrative NP-2' among Formulation"),
        ("row 9, column lines", "'l.601' is not a line range"),
        ("row 9, column references", "'x' is not a reference number"),
        ("row 11, column formulation", "duplicate of bad.tsv, row 10"),
    ]
    for where, message in expected:
        assert any(f"bad.tsv, {where}: {message}" in line for line in lines), (where, result.output)
    assert "to add a new formulation, give its carrier_types" in result.output  # row 8's hint
    assert "paclitaxel (agent:paclitaxel, SmallMolecule)" in result.output  # row 7's candidates


def test_bad_vocabulary_and_sources_sheets(data, tmp_path):
    vocabulary = tsv(tmp_path / "terms.tsv", ("label", "class", "parent", "definition", "external_id"),
                     ("CXCR4", "MolecularTarget", "", "a duplicate", ""),
                     ("illustrative shell", "CarrierType", "", "no parent", ""),
                     ("illustrative rod", "CarrierType", "gold nanoparticle [inferred: x]", "marked", ""),
                     ("ILLX2", "MolecularTarget", "", "bad id", "HGNC:abc"),
                     ("ILLX3", "Receptor", "", "unknown class", ""),
                     ("ILLX4", "MolecularTarget", "", "", ""))
    sources = tsv(tmp_path / "papers.tsv", ("id", "doi"), ("CMR2022", "10.5555/x"),
                  ("Illustration", "doi:xyz"))
    result = run(data, str(vocabulary), str(sources))
    assert result.exit_code == 3, result.output
    for message in ["terms.tsv, row 2, column label: 'CXCR4' already names target:cxcr4",
                    "terms.tsv, row 3, column parent: a new CarrierType needs its parent",
                    "terms.tsv, row 4, column parent: an [inferred: …] mark belongs in the studies sheet",
                    "terms.tsv, row 5, column external_id: 'HGNC:abc' is not an identifier of a known "
                    "authority",
                    "terms.tsv, row 6, column class: unknown class(es) Receptor",
                    "terms.tsv, row 7, column definition: definition is required",
                    "papers.tsv, row 2, column id: 'CMR2022' is already a source (src:CMR2022)",
                    "papers.tsv, row 3, column doi: 'doi:xyz' is not a DOI"]:
        assert message in result.output


@pytest.mark.parametrize(("name", "text", "message"), [
    ("bad.yaml", "studies:\n  - formulation: [unclosed\n", "bad.yaml, line 3, column 1: not valid YAML"),
    ("bad.tsv", "formulation\tcargos\nx\ty\n",
     "unknown column(s) of the studies sheet: 'cargos' (did you mean 'cargo'?)"),
    ("bad.tsv", "formulation\tcargo\nx\ty\tz\n", "bad.tsv, row 2: 3 cells but 2 columns in the header"),
    ("bad.csv", "name,colour\nx,y\n", "bad.csv: the header names no sheet"),
    ("bad.yaml", "studies:\n  - formulation: {a: b}\n",
     "studies item 1 (line 2): a cell is a text or a list"),
])
def test_unreadable_tables_are_syntax_errors(data, tmp_path, name, text, message):
    table = tmp_path / name
    table.write_text(text)
    result = run(data, str(table))
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_conflicts_with_the_graph(data, tmp_path):
    # Onpattro is a non-cancer product (isNonCancer true, NH2026 Table 2); Doxil a named formulation.
    header = (*HEADER, "non_cancer", "formulation_kind")
    table = tsv(tmp_path / "s.tsv", header,
                (*row(formulation="Onpattro", source="NH2026", section="", lines="999"), "no", ""),
                (*row(formulation="Doxil", source="NH2026", section="", lines="998"), "", "strategy"),
                (*row(formulation="form:doxil", source="NH2026", section="", lines="997"), "maybe", ""))
    result = run(data, str(table))
    assert result.exit_code == 3, result.output
    assert "s.tsv, row 2, column non_cancer: form:onpattro is non-cancer true in the graph" in result.output
    assert ("s.tsv, row 3, column formulation_kind: form:doxil is a nmo:Formulation in the graph"
            in result.output)
    assert "s.tsv, row 4, column non_cancer: 'maybe' is not yes or no" in result.output


def test_turtle_that_fails_validation_is_not_left_behind(data, tmp_path):
    # Two new terms whose labels are one name (case, spaces and hyphens aside): the resolver checks each
    # against the graph, the build's lint finds the pair (duplicate-name), so nothing is written.
    table = tsv(tmp_path / "terms.tsv", ("label", "class", "definition"),
                ("ILLX5", "MolecularTarget", "A fictional receptor."),
                ("illx-5", "MolecularTarget", "The same fictional receptor, written again."))
    result = run(data, str(table))
    assert result.exit_code == 3, result.output
    assert "the curated Turtle does not validate; nothing was written" in result.output
    assert "duplicate-name" in result.output
    assert "target:illx5 label 'ILLX5'" in result.output and "kg-curate-" not in result.output
    assert not (data.triples / "curated").exists()
