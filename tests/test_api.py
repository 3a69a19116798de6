"""The Python API (`kg.open`, `KG`, `Result`) and the one binding mechanism under it (`kg.core.sparql`)."""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
import pytest

import kg
from kg.core.errors import KGError, QueryError
from kg.core.sparql import check_syntax, inject_bindings, query_form

CD44 = "https://w3id.org/nanomet-kg/id/target/cd44"


def test_open_is_lazy_and_gives_a_kg(query_store_path):
    code = "import sys, kg\nprint('kg.query.handle' in sys.modules, 'pyoxigraph' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.split() == \
        ["False", "False"]
    with kg.open(query_store_path) as graph:
        assert isinstance(graph, kg.KG)
        assert [q.name for q in graph.queries()][:2] == ["approved-products", "carriers-mechanisms"]


def test_result_rows_iteration_and_dataframe(query_store_path):
    with kg.open(query_store_path) as graph:
        result = graph.query("formulations-by-cargo", cargo="paclitaxel")
        assert len(result) == 2 and isinstance(result, kg.Result)
        first = result[0]
        assert first == next(iter(result))
        assert set(first) == {"formulation", "formulation_iri", "carriers", "targets", "studies",
                              "strongest_evidence"}
        assert isinstance(first["studies"], int)
        frame = result.to_dataframe()
        assert list(frame.columns) == result.columns()
        assert set(frame["formulation"]) == {"Fixture liposome", "Fixture PLGA-HA"}
        assert set(frame["formulation_iri"]) == {"https://w3id.org/nanomet-kg/id/formulation/fixture-liposome",
                                                 "https://w3id.org/nanomet-kg/id/formulation/fixture-plga"}
        labels = result.to_dataframe(iris=False)
        assert list(labels.columns) == ["formulation", "carriers", "targets", "studies", "strongest_evidence"]
        assert labels.equals(frame[list(labels.columns)])


def test_dataframe_without_pandas_is_a_clear_error(query_store_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    with kg.open(query_store_path) as graph:
        result = graph.query("approved-products")
        with pytest.raises(KGError, match="needs pandas: pip install pandas"):
            result.to_dataframe()
        assert result.rows[0]["product"] == "Fixture micelle"  # rows need no pandas


def test_sparql_returns_result_bool_or_triples(query_store_path):
    with kg.open(query_store_path) as graph:
        assert graph.sparql("ASK { ?t rdfs:label ?name }", name='"CD44"') is True
        triples = graph.sparql("CONSTRUCT { ?t rdfs:label ?l } WHERE { ?t rdfs:label ?l }", t="CD44")
        assert [str(t) for t in triples] == [f'<{CD44}> <http://www.w3.org/2000/01/rdf-schema#label> "CD44"']
        result = graph.sparql("SELECT ?t ?n WHERE { ?t nmo:involvedIn ?s BIND(3 AS ?n) }", s="local invasion")
        assert result.rows == [{"t": "CD44", "t_iri": CD44, "n": 3}]
        ranked = graph.sparql("SELECT ?x WHERE { ?x nmo:rank ?r }", r=10)
        assert sorted(r["x"] for r in ranked) == ["approved", "macrometastasis"]


def test_named_query_parameters_accept_terms_and_none(query_store_path):
    with kg.open(query_store_path) as graph:
        node = graph.resolve("CXCR4")
        assert graph.query("formulations-by-target", target=node).rows[0]["formulation"] == "Fixture gold rod"
        everything = graph.query("carriers-mechanisms", carrier=None)
        assert len(everything) == len(graph.query("carriers-mechanisms"))
        with pytest.raises(QueryError, match="target of query formulations-by-target needs a value"):
            graph.query("formulations-by-target", target=None)


# ---------------------------------------------------------------- kg.core.sparql: binding and checking

@pytest.mark.parametrize("query, form", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("# CONSTRUCT in a comment\nPREFIX ask: <http://e/> ASK { ?s ask:p ?o }", "ASK"),
    ("BASE <http://e/select> DESCRIBE <x>", "DESCRIBE"),
    ("insert data { <a> <b> <c> }", "INSERT"),
])
def test_query_form(query, form):
    assert query_form(query) == form


@pytest.mark.parametrize("query, expected", [
    # braces and keywords in strings, IRIs and comments before the WHERE group are skipped
    ('PREFIX x: <http://e/where#select> SELECT ?s # { comment\nWHERE { ?s x:p "}{" }',
     'PREFIX x: <http://e/where#select> SELECT ?s # { comment\nWHERE { VALUES (?v) { ("1") } ?s x:p "}{" }'),
    ("CONSTRUCT { ?s ?p ?o . } WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }",
     'CONSTRUCT { ?s ?p ?o . } WHERE { VALUES (?v) { ("1") } { SELECT ?s WHERE { ?s ?p ?o } } }'),
    ("SELECT $v { $v ?p 'it''s' }", 'SELECT $v { VALUES (?v) { ("1") } $v ?p \'it\'\'s\' }'),
])
def test_values_go_at_the_start_of_the_where_group(query, expected):
    assert inject_bindings(query, {"v": ox.Literal("1")}) == expected


def test_bound_values_are_escaped_terms():
    text = inject_bindings("SELECT * { ?s ?p ?v }", {"v": ox.Literal('a"b\\c\n} ; DROP ALL')})
    assert text == 'SELECT * { VALUES (?v) { ("a\\"b\\\\c\\n} ; DROP ALL") } ?s ?p ?v }'
    check_syntax(text)  # still one valid query
    with pytest.raises(QueryError, match="not a valid variable name"):
        inject_bindings("SELECT * { ?s ?p ?o }", {"o) } DROP ALL": ox.Literal("x")})
    with pytest.raises(QueryError, match="must be an IRI or a literal"):
        inject_bindings("SELECT * { ?s ?p ?o }", {"o": ox.BlankNode("b")})
