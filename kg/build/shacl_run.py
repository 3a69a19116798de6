"""Run compiled SHACL checks (:mod:`kg.build.shacl_compile`) inside an Oxigraph store: one
:class:`Result` per violation, reported as pyshacl reports it.

>>> shapes = '''@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> .
... ex:S a sh:NodeShape ; sh:targetClass ex:C ;
...     sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "needs p" ] .'''
>>> import pyoxigraph as ox
>>> from kg.build.shacl_compile import compile_shapes
>>> checks = compile_shapes(ox.parse(shapes, format=ox.RdfFormat.TURTLE))
>>> [(c.component, c.path, c.message) for check in checks for c in check.constraints]
[('sh:MinCountConstraintComponent', 'http://e/p', 'needs p')]
>>> data = ox.Store()
>>> data.load(b"<http://e/a> a <http://e/C> . <http://e/b> a <http://e/C> ; <http://e/p> 1 .",
...           format=ox.RdfFormat.TURTLE)
>>> [(r.focus, r.message) for r in run_checks(data, checks)]
[('http://e/a', 'needs p')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.build.shacl_model import Check, Constraint, term_text
from kg.core.sparql import inject_values


@dataclass(frozen=True)
class Result:
    """One violation: its focus node, value node (if any), message, path and the constraint it breaks."""

    constraint: Constraint
    focus: str
    value: str = ""
    message: str = ""
    path: str = ""



def _value(term) -> str:
    """A term in a message template: its IRI or lexical form (as pyshacl writes it)."""
    return "" if term is None else term.value


_TEMPLATE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


def _solutions(store: ox.Store, check: Check):
    if not check.focus_query:
        return store.query(check.query)
    focus = [[r["this"]] for r in store.query(check.focus_query)]
    return store.query(inject_values(check.query, ["this"], focus)) if focus else None


def run_checks(store: ox.Store, checks: Iterable[Check]) -> list[Result]:
    """Evaluate the checks on ``store``; one :class:`Result` per violation."""
    found = []
    for check in checks:
        solutions = _solutions(store, check)
        if solutions is None:
            continue
        names = [v.value for v in solutions.variables]
        for row in solutions:
            bound = {n: row[n] for n in names if row[n] is not None}
            if "this" not in bound:
                continue
            focus = bound["this"]
            focus_text = focus.value if isinstance(focus, ox.NamedNode) else term_text(focus)
            if check.kind == "flags":
                for i, constraint in enumerate(check.constraints):
                    if bound[f"c{i}"].value == "true":
                        value = term_text(focus) if constraint.path == "" else ""
                        found.append(Result(constraint, focus_text, value, constraint.message,
                                            constraint.path))
                continue
            constraint = check.constraints[int(bound["k"].value) if check.kind == "values" else 0]
            message = _TEMPLATE.sub(lambda m, b=bound: _value(b.get(m.group(1))), constraint.message)
            value = bound.get("value", focus if check.kind == "sparql" else None)  # (pyshacl's choice)
            found.append(Result(constraint, focus_text, term_text(value), message,
                                term_text(bound.get("path")) or constraint.path))
    return found
