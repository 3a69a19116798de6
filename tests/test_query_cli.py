"""`kg queries`, `kg query`, `kg sparql` through click's CliRunner: output formats, labels and IRIs, and
one clear message (exit code 5, no traceback) for every kind of bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.query.library import load_library


@pytest.fixture
def kg(query_store_path, monkeypatch):
    """Run `kg --store <query fixture> ARGS…`; returns the click Result (stdout and stderr kept apart)."""
    monkeypatch.delenv("NANOMET_KG_ENDPOINT", raising=False)

    def run(*args: str):
        return CliRunner().invoke(main, ["--store", str(query_store_path), *args])

    return run


def test_queries_lists_the_library(kg):
    result = kg("queries")
    assert result.exit_code == 0
    for name, q in load_library().items():
        assert f"{name} — {q.title}" in result.stdout
    assert "target (Target, required, e.g. CXCR4)" in result.stdout


def test_queries_shows_one_with_its_sparql(kg):
    result = kg("queries", "formulations-by-target")
    assert result.exit_code == 0
    assert "--param target=" in result.stdout and "kg query formulations-by-target --param target='CXCR4'" \
        in result.stdout
    assert "SELECT ?formulation" in result.stdout


def test_query_table_shows_labels_and_counts_rows(kg):
    result = kg("query", "systems-by-source")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["formulation", "coverage", "sources", "studies"]
    assert lines[2].split()[:6] == ["Fixture", "gold", "rod", "in", "all", "sources"]
    assert "form:" not in result.stdout
    assert result.stderr.strip() == "(4 rows)"


def test_query_iris_on_request(kg):
    result = kg("query", "formulations-by-target", "--param", "target=CXCR4", "--iris")
    header = result.stdout.splitlines()[0].split()
    assert header[:2] == ["formulation", "formulation_iri"]
    assert "form:fixture-gold" in result.stdout


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_query_delimited_output(kg, fmt):
    result = kg("query", "systems-by-source", "--format", fmt, "--iris")
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter="," if fmt == "csv" else "\t"))
    assert rows[0] == ["formulation", "formulation_iri", "coverage", "sources", "studies"]
    assert rows[1] == ["Fixture gold rod", "https://w3id.org/nanomet-kg/id/formulation/fixture-gold",
                       "in all sources", "CMR2022; NH2026", "2"]
    assert len(rows) == 5


def test_query_markdown_and_limit(kg):
    result = kg("query", "systems-by-source", "--format", "md", "--limit", "2")
    assert result.stdout.splitlines() == [
        "| formulation | coverage | sources | studies |", "| --- | --- | --- | --- |",
        "| Fixture gold rod | in all sources | CMR2022; NH2026 | 2 |",
        "| Fixture liposome | only NH2026 | NH2026 | 1 |"]
    assert "(first 2 rows shown; the query has more)" in result.stderr
    everything = kg("query", "systems-by-source", "--format", "md").stdout.splitlines()
    assert result.stdout.splitlines() == everything[:4] and len(everything) == 6  # ORDER BY kept
    assert kg("query", "systems-by-source", "--limit", "4").stderr.strip() == "(4 rows)"


def test_query_json_is_sparql_results(kg):
    """SPARQL 1.1 JSON results with labels and IRIs: each entity column is followed by <column>_label."""
    document = json.loads(kg("query", "approved-products", "--format", "json").stdout)
    assert document["head"]["vars"] == ["product", "product_label", "approved_by", "approved_by_label",
                                        "indication", "indication_label", "indication_text", "year", "source"]
    (row,) = document["results"]["bindings"]
    assert row["product"] == {"type": "uri", "value": "https://w3id.org/nanomet-kg/id/formulation/fixture-micelle"}
    assert row["product_label"] == {"type": "literal", "value": "Fixture micelle"}
    assert row["approved_by_label"] == {"type": "literal", "value": "FDA"}
    assert row["source"] == {"type": "literal", "value": "NH2026 Table 2 l.736"}
    assert "year" not in row and "year_label" not in document["head"]["vars"]  # literals get no label
    # a standard SPARQL results parser reads it
    import pyoxigraph as ox

    def variables_and_count(text: str) -> tuple[list[str], int]:
        # parsed and dropped in one call: the solutions object must be freed by the thread that made it
        parsed = ox.parse_query_results(text.encode(), format=ox.QueryResultsFormat.JSON)
        return [v.value for v in parsed.variables], len(list(parsed))

    assert variables_and_count(kg("query", "approved-products", "--format", "json").stdout) == \
        (document["head"]["vars"], 1)


def test_sparql_json_carries_labels(kg):
    document = json.loads(kg("sparql", "SELECT ?t ?n WHERE { ?t nmo:involvedIn ?s BIND(1 AS ?n) } LIMIT 1",
                             "--format", "json").stdout)
    assert document["head"]["vars"] == ["t", "t_label", "n"]
    assert document["results"]["bindings"][0]["t_label"] == {"type": "literal", "value": "CXCR4"}


def test_sparql_free_query_with_entity_param(kg):
    result = kg("sparql", "SELECT ?f WHERE { ?f nmo:hasLigand/nmo:binds ?target }", "-p", "target=cxcr4")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2] == "Fixture gold rod"


def test_sparql_file_with_typed_header(kg, tmp_path):
    query = tmp_path / "ranked.rq"
    query.write_text("# title: Levels at least\n# param: at_least\n#   type: literal integer\n"
                     "#   default: 9\nSELECT ?level WHERE { ?level a nmo:EvidenceLevel ; nmo:rank ?rank\n"
                     "  FILTER(?rank >= ?at_least) }\nORDER BY ?level\n")
    assert kg("sparql", "-f", str(query)).stdout.splitlines()[2:] == ["approved", "clinical phase IV"]
    assert kg("sparql", "-f", str(query), "-p", "at_least=10").stdout.splitlines()[2:] == ["approved"]
    bad = kg("sparql", "-f", str(query), "-p", "at_least=ten")
    assert bad.exit_code == 5 and "parameter at_least expects an integer, got 'ten'" in bad.output


def test_sparql_ask_and_construct(kg):
    assert kg("sparql", "ASK { target:cxcr4 a nmo:MolecularTarget }").stdout.strip() == "true"
    assert json.loads(kg("sparql", "ASK { target:cxcr4 a nmo:Organ }", "--format", "json").stdout) == \
        {"head": {}, "boolean": False}
    construct = "CONSTRUCT { ?t rdfs:label ?l } WHERE { ?t rdfs:label ?l ; nmo:involvedIn ?s }"
    turtle = kg("sparql", construct).stdout
    assert 'target:cxcr4 rdfs:label "CXCR4"' in turtle


@pytest.mark.parametrize("args, message", [
    (["query", "formulations-by-targt"], "no named query called 'formulations-by-targt'; did you mean: "
                                         "formulations-by-target"),
    (["query", "formulations-by-target"], "missing parameter target for query formulations-by-target"),
    (["query", "formulations-by-target", "-p", "target=CXCR5"], "no entity called 'CXCR5' among Target; "
                                                                 "did you mean: CXCR4"),
    (["query", "formulations-by-target", "-p", "tagret=CXCR4"], "unknown parameter tagret"),
    (["query", "search", "-p", "text"], "a parameter is KEY=VALUE, got 'text'"),
    (["query", "search", "-p", "text=a", "-p", "text=b"], "parameter text is given twice"),
    (["query", "provenance", "-p", "node=TNF alpha"], "'TNF alpha' is ambiguous"),
    (["sparql", "DELETE WHERE { ?s ?p ?o }"], "the knowledge graph is read-only"),
    (["sparql"], "give the query as an argument or with --file"),
])
def test_bad_input_is_one_clear_message(kg, args, message):
    result = kg(*args)
    assert result.exit_code == 5, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_debug_shows_the_exception(kg):
    result = CliRunner().invoke(main, ["--debug", "--store", "/nonexistent", "query", "search", "-p", "t=x"])
    assert result.exit_code != 0 and result.exception is not None


def test_help_lists_the_query_commands():
    result = CliRunner().invoke(main, ["--help"])
    for command in ("queries", "query", "sparql", "serve", "export", "push"):
        assert f"  {command} " in result.output
    assert "--backend" in result.output and "NANOMET_KG_ENDPOINT" in result.output


def test_query_command_stays_light(query_store_path):
    """`kg query` imports no SHACL, graph-analysis or view libraries (nor rdflib)."""
    code = ("import sys\nfrom click.testing import CliRunner\nfrom kg.cli import main\n"
            f"store = {str(query_store_path)!r}\n"
            "r = CliRunner().invoke(main, ['--store', store, 'query', 'step-coverage'])\n"
            "assert r.exit_code == 0, r.output\n"
            "heavy = ('pyshacl', 'networkx', 'pyvis', 'rdflib', 'pandas')\n"
            "print(sorted(m for m in heavy if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
