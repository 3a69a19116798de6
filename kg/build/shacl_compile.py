"""SHACL shapes compiled to SPARQL that runs inside the store: validation that scales to millions of triples.

pyshacl checks the curated graph (10 k triples) in about a second, but a 1 M-triple import in minutes.
``ontology/shapes.ttl`` stays the one source of truth: this module reads the shapes and writes SELECT
queries that return the focus nodes (and value nodes) violating them; the store answers them from its
indexes. Constraints on the focus node itself (counts, ``hasValue``, node-level ``class`` or ``or`` …) of
one shape are evaluated together, one ``EXISTS`` flag each, so the focus nodes are found once per shape;
constraints on value nodes get a query each (``class`` as an anti-join with ``MINUS``).

Supported (the SHACL Core our shapes use, and its neighbours): targets ``targetClass`` (with
``rdfs:subClassOf*``), ``targetNode``, ``targetSubjectsOf``, ``targetObjectsOf``; property paths (predicate,
inverse, sequence, alternative, zero-or-more, one-or-more, zero-or-one); the components ``class``,
``datatype`` (ill-typed integer, decimal, boolean and gYear literals included), ``nodeKind``, ``minCount``,
``maxCount`` (up to 5), ``pattern``/``flags``, ``hasValue``, ``in``, ``node``, ``property``, ``and``, ``or``,
``not``, and SPARQL-based constraints (``sh:sparql`` / ``sh:select`` with ``sh:prefixes``); ``message`` (with
``{?var}`` templates), ``severity``, ``deactivated``. Anything else raises :class:`UnsupportedShape`, so a
caller can fall back to pyshacl: no constraint is ever skipped silently. Tests check that both engines
report the same focus nodes, paths and components on the fixture, the curated graph and broken inputs.

The shapes compile to :class:`Check` queries that :func:`kg.build.shacl_run.run_checks` evaluates.

>>> shapes = '''@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> .
... ex:S a sh:NodeShape ; sh:targetClass ex:C ;
...     sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "needs p" ] .'''
>>> import pyoxigraph as ox
>>> checks = compile_shapes(ox.parse(shapes, format=ox.RdfFormat.TURTLE))
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import pyoxigraph as ox

from kg.build.shacl_model import (
    RDF,
    RDFS,
    SH,
    XSD,
    Check,
    Constraint,
    ShapesGraph,
    UnsupportedShape,
    shape_name,
    sparql_term,
    term_text,
)
from kg.core.prefixes import compact

INSTANCE_OF = f"<{RDF}type>/<{RDFS}subClassOf>*"

TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")
# Shape predicates that carry no constraint of their own.
PASSIVE = {"path", "message", "severity", "deactivated", "name", "description", "order", "group",
           "defaultValue", "flags", *TARGETS}
VALUE_COMPONENTS = ("class", "datatype", "nodeKind", "pattern", "in", "node", "and", "or", "not")
COMPONENTS = {*VALUE_COMPONENTS, "minCount", "maxCount", "hasValue", "property", "sparql"}
NODE_KINDS = {
    "IRI": "!isIRI({v})", "BlankNode": "!isBlank({v})", "Literal": "!isLiteral({v})",
    "BlankNodeOrIRI": "isLiteral({v})", "BlankNodeOrLiteral": "isIRI({v})", "IRIOrLiteral": "isBlank({v})",
}
# Lexical forms of the datatypes whose ill-typed literals SHACL engines report.
LEXICAL = {
    "integer": r"^[+-]?[0-9]+$",
    "decimal": r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    "boolean": r"^(true|false|1|0)$",
    "gYear": r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
DEFAULT_MESSAGES = {
    "MinCount": "fewer than {parameter} value(s) of {path}",
    "MaxCount": "more than {parameter} value(s) of {path}",
    "HasValue": "{subject} is not {parameter}", "Class": "{subject} is not a {parameter}",
    "Datatype": "{subject} is not a {parameter} literal", "NodeKind": "{subject} is not a {parameter}",
    "Pattern": "{subject} does not match {parameter}", "In": "{subject} is not one of the allowed values",
    "Node": "{subject} does not conform to the shape {parameter}",
    "Not": "{subject} conforms to the shape {parameter}, which it must not",
    "And": "{subject} does not conform to every shape of sh:and",
    "Or": "{subject} conforms to none of the alternatives of sh:or",
    "SPARQL": "{subject} violates a SPARQL constraint",
}
MAX_COUNT_LIMIT = 5  # counts are checked with n distinct variables; more would explode the join
MAX_DEPTH = 8


class Pattern(NamedTuple):
    """A constraint compiled for one focus variable: its pattern has a solution iff it is violated."""

    component: str  # e.g. "MinCount"
    parameter: str  # its value, for the default message
    pattern: str
    value: str | None  # the value-node variable; None when the constraint is about the focus node


@dataclass
class _Compiler:
    graph: ShapesGraph
    counter: Iterator[int] = field(default_factory=itertools.count)

    def fresh(self) -> str:
        return f"?v{next(self.counter)}"

    def sh(self, node, local: str) -> list:
        return self.graph.values(node, SH + local)

    def check_supported(self, shape) -> None:
        for predicate in self.graph.out.get(shape, {}):
            if predicate.startswith(SH) and predicate[len(SH):] not in COMPONENTS | PASSIVE:
                raise UnsupportedShape(f"{shape_name(shape)} uses sh:{predicate[len(SH):]}")
        for predicate in ("minCount", "maxCount"):
            for n in self.sh(shape, predicate):
                if int(n.value) > MAX_COUNT_LIMIT:
                    raise UnsupportedShape(f"{shape_name(shape)}: sh:{predicate} above {MAX_COUNT_LIMIT}")
        if (self.sh(shape, "minCount") or self.sh(shape, "maxCount")) and not self.sh(shape, "path"):
            raise UnsupportedShape(f"{shape_name(shape)}: sh:minCount / sh:maxCount on a node shape")

    def deactivated(self, shape) -> bool:
        return any(v.value == "true" for v in self.sh(shape, "deactivated"))

    def path(self, node) -> str:
        """A SHACL path as a SPARQL property path."""
        if isinstance(node, ox.NamedNode):
            return f"<{node.value}>"
        if self.graph.value(node, RDF + "first") is not None:
            return "(" + "/".join(self.path(p) for p in self.graph.items(node)) + ")"
        for local, template in (("inversePath", "^{}"), ("zeroOrMorePath", "{}*"), ("oneOrMorePath", "{}+"),
                                ("zeroOrOnePath", "{}?")):
            inner = self.graph.value(node, SH + local)
            if inner is not None:
                return "(" + template.format(self.path(inner)) + ")"
        alternatives = self.graph.value(node, SH + "alternativePath")
        if alternatives is not None:
            return "(" + "|".join(self.path(p) for p in self.graph.items(alternatives)) + ")"
        raise UnsupportedShape(f"unsupported property path {node}")

    def path_label(self, shape) -> str:
        path = self.graph.value(shape, SH + "path")
        if path is None:
            return ""
        return compact(path.value) if isinstance(path, ox.NamedNode) else "(complex path)"

    # ------------------------------------------------------------------ constraints

    def constraints(self, shape, focus: str, depth: int = 0, children: bool = True,
                    top: bool = False) -> list[Pattern]:
        """Every constraint of ``shape`` for the focus variable ``focus``; with ``children``, those of its
        property shapes too. ``top`` marks a pattern that is not nested in another (it may use MINUS)."""
        if depth > MAX_DEPTH:
            raise UnsupportedShape("shapes nested too deeply (a cycle?)")
        self.check_supported(shape)
        if self.deactivated(shape):
            return []
        found: list[Pattern] = []
        path_node = self.graph.value(shape, SH + "path")
        path = self.path(path_node) if path_node is not None else None
        for n in self.sh(shape, "minCount"):
            found.append(Pattern("MinCount", n.value, self.min_count(focus, path, int(n.value)), None))
        for n in self.sh(shape, "maxCount"):
            found.append(Pattern("MaxCount", n.value, self.max_count(focus, path, int(n.value)), None))
        for value in self.sh(shape, "hasValue"):
            pattern = (f"FILTER NOT EXISTS {{ {focus} {path} {sparql_term(value)} }}" if path
                       else f"FILTER(!sameTerm({focus}, {sparql_term(value)}))")
            found.append(Pattern("HasValue", term_text(value), pattern, None))
        for local in VALUE_COMPONENTS:
            for parameter in self.sh(shape, local):
                if not path:
                    found.append(Pattern(_upper(local), term_text(parameter).replace(SH, "sh:"),
                                         self.condition(local, parameter, focus, shape, depth), None))
                    continue
                v = self.fresh()
                if local == "class" and top:  # one anti-join instead of a lookup per value
                    condition = f"MINUS {{ {v} {INSTANCE_OF} {sparql_term(parameter)} }}"
                else:
                    condition = self.condition(local, parameter, v, shape, depth)
                found.append(Pattern(_upper(local), term_text(parameter).replace(SH, "sh:"),
                                     f"{focus} {path} {v} . {condition}", v))
        for child in self.sh(shape, "property") if children else ():
            if path:
                v = self.fresh()
                found += [c._replace(pattern=f"{focus} {path} {v} . {c.pattern}")
                          for c in self.constraints(child, v, depth + 1)]
            else:
                found += self.constraints(child, focus, depth + 1)
        if self.sh(shape, "sparql") and (children or depth):
            raise UnsupportedShape(f"{shape_name(shape)}: sh:sparql inside another shape")
        return found

    def violated(self, shape, focus: str, depth: int) -> str:
        """A pattern with a solution iff ``focus`` does not conform to ``shape``."""
        branches = [c.pattern for c in self.constraints(shape, focus, depth + 1)]
        if not branches:
            return "FILTER(false)"
        return " UNION ".join(f"{{ {b} }}" for b in branches)

    @staticmethod
    def _distinct(variables: list[str]) -> str:
        pairs = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(variables, 2)]
        return f" FILTER({' && '.join(pairs)})" if pairs else ""

    def min_count(self, focus: str, path: str, n: int) -> str:
        if n <= 0:
            return "FILTER(false)"
        variables = [self.fresh() for _ in range(n)]
        values = " . ".join(f"{focus} {path} {v}" for v in variables)
        return f"FILTER NOT EXISTS {{ {values} .{self._distinct(variables)} }}"

    def max_count(self, focus: str, path: str, n: int) -> str:
        variables = [self.fresh() for _ in range(n + 1)]
        return " . ".join(f"{focus} {path} {v}" for v in variables) + " ." + self._distinct(variables)

    def condition(self, local: str, parameter, v: str, shape, depth: int) -> str:
        """A filter that holds when the value node ``v`` violates the component ``local``."""
        if local == "class":
            return f"FILTER NOT EXISTS {{ {v} {INSTANCE_OF} {sparql_term(parameter)} }}"
        if local == "datatype":
            checks = [f"!isLiteral({v})", f"!sameTerm(DATATYPE({v}), {sparql_term(parameter)})"]
            name = parameter.value[len(XSD):] if parameter.value.startswith(XSD) else ""
            if name in LEXICAL:
                checks.append(f"!REGEX(STR({v}), {sparql_term(ox.Literal(LEXICAL[name]))})")
            return f"FILTER({' || '.join(checks)})"
        if local == "nodeKind":
            kind = parameter.value[len(SH):]
            if kind not in NODE_KINDS:
                raise UnsupportedShape(f"sh:nodeKind {parameter}")
            return f"FILTER({NODE_KINDS[kind].format(v=v)})"
        if local == "pattern":
            flags = self.graph.value(shape, SH + "flags")
            flag_arg = f", {sparql_term(ox.Literal(flags.value))}" if flags is not None else ""
            regex = sparql_term(ox.Literal(parameter.value))
            return f"FILTER(isBlank({v}) || !REGEX(STR({v}), {regex}{flag_arg}))"
        if local == "in":
            members = self.graph.items(parameter)
            same = " || ".join(f"sameTerm({v}, {sparql_term(m)})" for m in members) or "false"
            return f"FILTER(!({same}))"
        if local == "node":
            return f"FILTER EXISTS {{ {self.violated(parameter, v, depth)} }}"
        if local == "not":
            return f"FILTER NOT EXISTS {{ {self.violated(parameter, v, depth)} }}"
        exists = [f"EXISTS {{ {self.violated(m, v, depth)} }}" for m in self.graph.items(parameter)]
        if local == "and":
            return f"FILTER({' || '.join(exists) or 'false'})"
        return f"FILTER({' && '.join(exists) or 'true'})"  # sh:or

    # ------------------------------------------------------------------ top level

    def targets(self, shape) -> str:
        """``SELECT DISTINCT ?this`` over the shape's targets."""
        parts = []
        classes = " ".join(sparql_term(c) for c in self.sh(shape, "targetClass"))
        if classes:
            parts.append(f"VALUES ?target_class {{ {classes} }} ?this {INSTANCE_OF} ?target_class .")
        nodes = " ".join(sparql_term(n) for n in self.sh(shape, "targetNode"))
        if nodes:
            parts.append(f"VALUES ?this {{ {nodes} }}")
        for local, triple in (("targetSubjectsOf", "?this ?target_p ?target_o"),
                              ("targetObjectsOf", "?target_s ?target_p ?this")):
            predicates = " ".join(sparql_term(p) for p in self.sh(shape, local))
            if predicates:
                parts.append(f"VALUES ?target_p {{ {predicates} }} {triple} .")
        union = " UNION ".join(f"{{ {p} }}" for p in parts)
        return f"SELECT DISTINCT ?this WHERE {{ {union} }}"

    def constraint(self, shape, component: str, parameter: str = "", message_from=None) -> Constraint:
        path = self.path_label(shape)
        default = DEFAULT_MESSAGES[component].format(subject=f"value of {path}" if path else "node",
                                                     parameter=parameter, path=path)
        message = next((m.value for node in (shape, message_from) if node is not None
                        for m in self.sh(node, "message")), "") or default
        severity = self.graph.value(shape, SH + "severity")
        return Constraint(f"sh:{component}ConstraintComponent", path, message,
                          severity.value.replace(SH, "sh:") if severity is not None else "sh:Violation",
                          shape_name(shape))

    def focus_checks(self, shape, focus: str, depth: int = 0) -> tuple[list, list, list[Check]]:
        """The constraints of a shape whose focus nodes ``focus`` selects, with those of its property
        shapes: (focus-node constraints, value-node constraints), each as (constraint, pattern), and the
        checks of nested focus sets."""
        if depth > MAX_DEPTH:
            raise UnsupportedShape("shapes nested too deeply (a cycle?)")
        self.check_supported(shape)
        if self.deactivated(shape):
            return [], [], []
        flags, on_values, checks = [], [], []
        for c in self.constraints(shape, "?this", children=False, top=True):
            constraint = self.constraint(shape, c.component, c.parameter)
            if c.value is None:
                flags.append((constraint, c.pattern))
            else:
                on_values.append((constraint, f"{c.pattern} BIND({c.value} AS ?value)"))
        path_node = self.graph.value(shape, SH + "path")
        values = focus
        if path_node is not None:  # a property shape's own property shapes look at its value nodes
            parent = f"?parent{depth}"
            values = (f"SELECT DISTINCT ?this WHERE {{ "
                      f"{{ SELECT (?this AS {parent}) WHERE {{ {{ {focus} }} }} }} "
                      f"{parent} {self.path(path_node)} ?this }}")
        for child in self.sh(shape, "property"):
            child_flags, child_values, child_checks = self.focus_checks(child, values, depth + 1)
            checks += child_checks
            if values == focus:
                flags += child_flags
                on_values += child_values
            else:
                checks += _flag_check(values, child_flags) + _value_check(values, child_values)
        for constraint in self.sh(shape, "sparql"):
            checks.append(self.sparql_check(shape, constraint, focus))
        return flags, on_values, checks

    def checks(self, shape) -> list[Check]:
        """Every check of a top-level shape."""
        focus = self.targets(shape)
        flags, on_values, checks = self.focus_checks(shape, focus)
        return _flag_check(focus, flags) + _value_check(focus, on_values) + checks

    def sparql_check(self, shape, constraint, targets: str) -> Check:
        select = self.graph.value(constraint, SH + "select")
        allowed = {"select", "message", "prefixes", "deactivated", "severity"}
        if select is None or any(p.startswith(SH) and p[len(SH):] not in allowed
                                 for p in self.graph.out[constraint]):
            raise UnsupportedShape(f"{shape_name(shape)}: only sh:select SPARQL constraints are supported")
        declared = [d for p in self.sh(constraint, "prefixes") for d in self.sh(p, "declare")]
        prologue = "".join(f"PREFIX {self.sh(d, 'prefix')[0].value}: <{self.sh(d, 'namespace')[0].value}>\n"
                           for d in declared)
        return Check(prologue + select.value, (self.constraint(constraint, "SPARQL", message_from=shape),),
                     "sparql", targets)


def _upper(local: str) -> str:
    return local[0].upper() + local[1:]


def _flag_check(focus: str, flags: list[tuple[Constraint, str]]) -> list[Check]:
    """One query for all focus-node constraints: a boolean per constraint, rows where any is true."""
    if not flags:
        return []
    binds = " ".join(f"BIND(EXISTS {{ {pattern} }} AS ?c{i})" for i, (_, pattern) in enumerate(flags))
    variables = " ".join(f"?c{i}" for i in range(len(flags)))
    any_true = " || ".join(f"?c{i}" for i in range(len(flags)))
    query = f"SELECT ?this {variables} WHERE {{ {{ {focus} }} {binds} FILTER({any_true}) }}"
    return [Check(query, tuple(c for c, _ in flags), "flags")]


def _value_check(focus: str, constraints: list[tuple[Constraint, str]]) -> list[Check]:
    """One query for all value-node constraints: a UNION branch each (each binds ``?this`` itself, so the
    focus nodes are found once), rows with the index ``?k`` of the violated one."""
    if not constraints:
        return []
    union = " UNION ".join(f"{{ {pattern} BIND({i} AS ?k) }}" for i, (_, pattern) in enumerate(constraints))
    query = f"SELECT DISTINCT ?this ?value ?k WHERE {{ {{ {focus} }} {union} }}"
    return [Check(query, tuple(c for c, _ in constraints))]


def compile_shapes(triples: Iterable) -> list[Check]:
    """Every :class:`Check` of the shapes graph given as triples (or quads); raises UnsupportedShape."""
    graph = ShapesGraph(triples)
    for s, predicates in graph.out.items():
        if SH + "target" in predicates:
            raise UnsupportedShape(f"{shape_name(s)}: SPARQL-based targets (sh:target)")
    shapes = [s for s, predicates in graph.out.items() if any(SH + t in predicates for t in TARGETS)]
    compiler = _Compiler(graph)
    return [c for shape in sorted(shapes, key=str) for c in compiler.checks(shape)]
