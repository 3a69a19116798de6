"""SHACL validation of the whole graph against ``ontology/shapes.ttl``, with a grouped, readable report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from kg.prefixes import compact


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    value: str
    severity: str

    def where(self, defined_in: dict[str, Path]) -> str:
        file = defined_in.get(self.focus)
        return f" ({file})" if file else ""


def shacl_violations(data_graph, shapes_path: Path) -> list[Violation]:
    """Run pyshacl and return one :class:`Violation` per result."""
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
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        def one(p, result=result):
            value = report.value(result, p)
            return "" if value is None else str(value)

        path = report.value(result, SH.resultPath)
        found.append(
            Violation(
                focus=one(SH.focusNode),
                path=compact(str(path)) if isinstance(path, rdflib.URIRef) else ("(complex path)" if path else ""),
                message=one(SH.resultMessage),
                value=compact(one(SH.value)),
                severity=compact(one(SH.resultSeverity)).replace("http://www.w3.org/ns/shacl#", "sh:"),
            )
        )
    return sorted(found, key=lambda v: (v.message, v.focus, v.path, v.value))


def format_violations(violations: list[Violation], defined_in: dict[str, Path]) -> str:
    """Group violations by message; list every focus node with path, value and file."""
    groups: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        groups[v.message].append(v)
    lines = [f"SHACL: {len(violations)} violation(s) in {len(groups)} group(s)"]
    for message, items in sorted(groups.items()):
        lines.append(f"- {message} [{len(items)}]")
        for v in items:
            detail = ", ".join(x for x in (f"path {v.path}" if v.path else "", f"value {v.value}" if v.value else "") if x)
            lines.append(f"    {compact(v.focus)}{v.where(defined_in)}{': ' + detail if detail else ''}")
    return "\n".join(lines)
