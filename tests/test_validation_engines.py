"""The SHACL shapes compiled to SPARQL (kg.build.shacl_compile) find exactly what pyshacl finds.

Both engines read the same ``ontology/shapes.ttl``; the SPARQL one is what ``kg build`` runs (it scales),
pyshacl is the reference. They are compared on the fixture, on the curated graph, on a file that breaks
every shape, and on small shapes that use SHACL our shapes do not (paths, sh:in, sh:not, counts …).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build.pipeline import validate
from kg.build.shacl_compile import UnsupportedShape, compile_shapes
from kg.build.validation import shacl_violations, sparql_violations, store_violations
from kg.core.loading import load_files, to_rdflib
from kg.core.prefixes import compact

BROKEN = Path(__file__).parent / "data" / "broken" / "violations.ttl"


def _store(files: list[Path]) -> ox.Store:
    store = ox.Store()
    load_files(store, files)
    return store


def _key(v) -> tuple[str, str, str]:
    """What both engines must agree on: focus node (blank nodes alike), path and constraint component."""
    focus = "_:" if v.focus.startswith("_:") else compact(v.focus)
    return focus, v.path, v.component


def _both(store: ox.Store, shapes: Path):
    logging.getLogger("rdflib").setLevel(logging.ERROR)  # ill-typed literals are the point of some tests
    return sparql_violations(store, shapes), shacl_violations(to_rdflib(q.triple for q in store), shapes)


def test_engines_agree_on_the_fixture(mini_sources):
    compiled, reference = _both(_store(mini_sources.files()), mini_sources.shapes)
    assert compiled == reference == []


def test_engines_agree_on_the_curated_graph():
    report = validate(engine="pyshacl")
    assert report.shacl_engine == "pyshacl"
    assert validate().violations == report.violations == []


def test_engines_agree_on_every_broken_shape(mini_sources):
    compiled, reference = _both(_store(mini_sources.files() + [BROKEN]), mini_sources.shapes)
    assert len(compiled) > 30
    assert sorted(map(_key, compiled)) == sorted(map(_key, reference))
    # the shapes' own messages (templates filled in) are the same; only default wordings differ
    defaults = ("Less than", "More than", "Value ", "Node ")  # pyshacl's own wordings
    custom = {v.message for v in reference if not v.message.startswith(defaults)}
    assert custom <= {v.message for v in compiled}
    values = {(_key(v), v.value) for v in compiled if not v.focus.startswith("_:")}
    assert values == {(_key(v), v.value) for v in reference if not v.focus.startswith("_:")}


SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
  sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 2 ; sh:maxCount 2 ] ;
  sh:property [ sh:path [ sh:inversePath ex:r ] ; sh:in ( ex:a ex:b ) ] ;
  sh:property [ sh:path [ sh:alternativePath ( ex:s ex:t ) ] ; sh:datatype xsd:decimal ] ;
  sh:property [ sh:path [ sh:oneOrMorePath ex:next ] ; sh:not [ sh:class ex:C ] ] ;
  sh:property [ sh:path ex:u ; sh:node ex:T ; sh:nodeKind sh:BlankNodeOrIRI ; sh:pattern "^http://e/o" ;
                sh:flags "i" ] .
ex:T a sh:NodeShape ; sh:property [ sh:path ex:label ; sh:minCount 1 ] ; sh:and ( [ sh:class ex:D ] ) .
ex:V a sh:NodeShape ; sh:targetSubjectsOf ex:v ; sh:hasValue ex:a ; sh:severity sh:Warning .
"""

DATA = """
@prefix ex: <http://e/> .
ex:one a ex:C ; ex:p ex:m1, ex:m2 ; ex:s 1.5 ; ex:t "x" ; ex:next ex:n1 ; ex:u ex:OK .
ex:m1 ex:q ex:z1 . ex:m2 ex:q ex:z1 .
ex:a ex:r ex:one . ex:zz ex:r ex:one .
ex:n1 ex:next ex:two . ex:two a ex:C ; ex:p ex:m1 ; ex:u ex:bad, "lit" .
ex:OK ex:label "ok" ; a ex:D . ex:bad a ex:D .
ex:a ex:v 1 . ex:w ex:v 2 .
"""


def test_engines_agree_beyond_our_shapes(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES)
    store = ox.Store()
    store.load(DATA.encode(), format=ox.RdfFormat.TURTLE)
    compiled, reference = _both(store, shapes)
    assert sorted(map(_key, compiled)) == sorted(map(_key, reference))
    assert {v.severity for v in compiled} == {v.severity for v in reference} == {"sh:Violation", "sh:Warning"}
    assert len(compiled) >= 8


def test_unsupported_shapes_fall_back_to_pyshacl(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ; sh:property [ sh:path ex:p ] .""")
    with pytest.raises(UnsupportedShape, match="sh:closed"):
        compile_shapes(ox.parse(path=str(shapes)))
    store = ox.Store()
    store.load(b"<http://e/x> a <http://e/C> ; <http://e/q> 1 .", format=ox.RdfFormat.TURTLE)
    found, engine = store_violations(store, shapes)
    assert engine == "pyshacl" and {v.focus for v in found} == {"http://e/x"}
    with pytest.raises(UnsupportedShape):
        store_violations(store, shapes, engine="sparql")
