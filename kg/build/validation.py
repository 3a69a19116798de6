"""SHACL validation of the whole graph against ``ontology/shapes.ttl``, with a grouped, readable report.

Two engines read the same shapes: ``sparql`` compiles them to SPARQL run inside the store
(:mod:`kg.build.shacl_compile`; seconds at a million triples) and ``pyshacl`` is the reference implementation
(fine for the curated graph, minutes at a million triples). ``auto`` uses ``sparql`` unless the shapes
use SHACL the compiler does not translate, then pyshacl. The test suite checks that both engines find
the same violations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.core.prefixes import compact

ENGINES = ("auto", "sparql", "pyshacl")
SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    value: str
    severity: str
    component: str = ""

    def where(self, defined_in: Mapping[str, Path]) -> str:
        file = defined_in.get(self.focus)
        return f" ({file})" if file else ""


def shacl_violations(data_graph, shapes_path: Path) -> list[Violation]:
    """Run pyshacl on an rdflib graph and return one :class:`Violation` per result."""
    import pyshacl
    import rdflib
    from rdflib.namespace import SH

    shapes = rdflib.Graph().parse(shapes_path)
    conforms, report, _ = pyshacl.validate(
        data_graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    if conforms:
        return []
    found = []
    for result in report.objects(None, SH.result):  # top-level results (not the sh:detail of sh:node)
        def one(p, result=result):
            value = report.value(result, p)
            return "" if value is None else str(value)

        path = report.value(result, SH.resultPath)
        focus = report.value(result, SH.focusNode)
        found.append(
            Violation(
                focus=f"_:{focus}" if isinstance(focus, rdflib.BNode) else str(focus),
                path=compact(str(path)) if isinstance(path, rdflib.URIRef)
                else ("(complex path)" if path else ""),
                message=one(SH.resultMessage),
                value=compact(one(SH.value)),
                severity=compact(one(SH.resultSeverity)).replace("http://www.w3.org/ns/shacl#", "sh:"),
                component=one(SH.sourceConstraintComponent).replace("http://www.w3.org/ns/shacl#", "sh:"),
            )
        )
    return sorted(found, key=lambda v: (v.message, v.focus, v.path, v.value))


def sparql_violations(store: ox.Store, shapes_path: Path) -> list[Violation]:
    """Run the shapes as SPARQL inside ``store`` (raises :class:`kg.build.shacl_compile.UnsupportedShape`)."""
    from kg.build.shacl_compile import compile_shapes
    from kg.build.shacl_run import run_checks

    checks = compile_shapes(ox.parse(path=str(shapes_path), format=ox.RdfFormat.TURTLE))
    found = {Violation(r.focus, r.path, r.message, r.value, r.constraint.severity, r.constraint.component)
             for r in run_checks(store, checks)}
    return sorted(found, key=lambda v: (v.message, v.focus, v.path, v.value))


def _refuse_service(shapes_path: Path) -> None:
    """SPARQL-based shapes are queries too: they may not call other endpoints (``SERVICE``)."""
    from kg.core.errors import ValidationError
    from kg.core.sparql import service_call

    queries = (SH + "select", SH + "ask", SH + "construct")
    try:
        quads = list(ox.parse(path=str(shapes_path), format=ox.RdfFormat.TURTLE))
    except (OSError, SyntaxError):
        return  # unreadable shapes: the engine that reads them reports it
    for quad in quads:
        if quad.predicate.value in queries and service_call(quad.object.value) is not None:
            raise ValidationError(f"{shapes_path}: a SPARQL constraint of the shapes calls another endpoint "
                                  "(SERVICE), which is not allowed: validation never reaches the network")


def store_violations(store: ox.Store, shapes_path: Path, engine: str = "auto") -> tuple[list[Violation], str]:
    """Validate the graph in ``store`` with ``engine`` (see :data:`ENGINES`); return the violations and
    the engine that ran."""
    from kg.build.shacl_compile import UnsupportedShape

    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r}; use one of: {', '.join(ENGINES)}")
    _refuse_service(shapes_path)
    if engine != "pyshacl":
        try:
            return sparql_violations(store, shapes_path), "sparql"
        except UnsupportedShape:
            if engine == "sparql":
                raise
    from kg.core.loading import to_rdflib

    return shacl_violations(to_rdflib(q.triple for q in store), shapes_path), "pyshacl"


def format_violations(violations: list[Violation], defined_in: Mapping[str, Path]) -> str:
    """Group violations by message; list every focus node with path, value and file."""
    groups: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        groups[v.message].append(v)
    lines = [f"SHACL: {len(violations)} violation(s) in {len(groups)} group(s)"]
    for message, items in sorted(groups.items()):
        lines.append(f"- {message} [{len(items)}]")
        for v in items:
            value = v.value if v.value and v.value != compact(v.focus) else ""
            detail = ", ".join(x for x in (f"path {v.path}" if v.path else "",
                                           f"value {value}" if value else "") if x)
            lines.append(f"    {compact(v.focus)}{v.where(defined_in)}{': ' + detail if detail else ''}")
    return "\n".join(lines)
