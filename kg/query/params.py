"""Query parameters: their declaration, and turning user values into RDF terms to bind.

A parameter is declared in a query's header (see :mod:`kg.query.library`) as an *entity* of a class (the value
is a name, CURIE or IRI, resolved with :func:`kg.query.resolve.resolve`) or a *literal* of an XSD type.
Parameters of a free query without a header are *auto*: a name, CURIE or IRI of any entity, or a
``"quoted"`` string literal.

>>> Param("n", "literal", "integer").coerce(None, "12")
<Literal value=12 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
>>> Param("n", "literal", "integer").coerce(None, "twelve")
Traceback (most recent call last):
...
kg.core.errors.QueryError: parameter n expects an integer, got 'twelve'
>>> parse_assignments(["target=CXCR4", "text=a=b"])
{'target': 'CXCR4', 'text': 'a=b'}
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kg.core.errors import QueryError, excerpt
from kg.core.sparql import BoundTerm

XSD = "http://www.w3.org/2001/XMLSchema#"
REQUIRED = "required"
ANY = "any"
KINDS = ("entity", "literal", "auto")
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


def _literal(name: str, datatype: str, value: object) -> ox.Literal:
    text = str(value).strip()
    try:
        if datatype == "string":
            return ox.Literal(str(value))
        if datatype == "integer":
            return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
        if datatype == "decimal":
            return ox.Literal(str(decimal.Decimal(text)), datatype=ox.NamedNode(XSD + "decimal"))
        if datatype == "boolean":
            if text.lower() not in _TRUE | _FALSE:
                raise ValueError(text)
            return ox.Literal(str(text.lower() in _TRUE).lower(), datatype=ox.NamedNode(XSD + "boolean"))
    except (ValueError, decimal.InvalidOperation):
        article = "an" if datatype[0] in "aeiou" else "a"
        raise QueryError(f"parameter {name} expects {article} {datatype}, got {excerpt(text)}") from None
    raise QueryError(f"parameter {name}: unknown literal type {datatype!r}")


@dataclass(frozen=True)
class Param:
    """One declared parameter; ``type`` is a class local name (entity; several joined by ``|``) or an XSD
    type name (literal: string, integer, decimal, boolean)."""

    name: str
    kind: str = "auto"
    type: str = ""
    default: str = REQUIRED
    example: str = ""
    help: str = ""

    @property
    def required(self) -> bool:
        return self.default == REQUIRED

    @property
    def classes(self) -> tuple[str, ...]:
        return tuple(c for c in self.type.split("|") if c) if self.kind == "entity" else ()

    def describe(self) -> str:
        """``target (Target, required, e.g. CXCR4)``."""
        kind = self.type or "entity name"
        default = self.default if self.default in (REQUIRED, ANY) else f"default {self.default}"
        example = f", e.g. {self.example}" if self.example else ""
        return f"{self.name} ({kind.replace('|', ' or ')}, {default}{example})"

    def coerce(self, store, value: object) -> BoundTerm:
        """The RDF term for a user value (names are resolved against ``store``)."""
        if isinstance(value, (ox.NamedNode, ox.Literal)):
            return value
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:  # undecodable bytes of a command-line argument
                raise QueryError(f"parameter {self.name}: {excerpt(value)} is not UTF-8 text") from None
        if self.kind == "literal":
            return _literal(self.name, self.type, value)
        if self.kind == "auto" and not isinstance(value, str):
            if isinstance(value, bool):
                return _literal(self.name, "boolean", value)
            if isinstance(value, int):
                return _literal(self.name, "integer", value)
            if isinstance(value, (float, decimal.Decimal)):
                return _literal(self.name, "decimal", value)
        if not isinstance(value, str):
            raise QueryError(f"parameter {self.name} expects a name, got {excerpt(value)}")
        if self.kind == "auto" and len(value) >= 2 and value[0] == value[-1] == '"':
            return ox.Literal(value[1:-1])
        from kg.query.resolve import resolve

        try:
            return resolve(store, value, self.classes)
        except QueryError as err:
            raise QueryError(f"parameter {self.name}: {err}") from None


def bind_params(store, declared: Iterable[Param], given: Mapping[str, object], what: str,
                allow_undeclared: bool = False) -> dict[str, BoundTerm]:
    """Terms for every declared parameter (given, defaulted or left unbound) plus, for free queries,
    auto parameters for undeclared names. Unknown or missing parameters raise :class:`QueryError`
    naming the valid ones."""
    by_name = {p.name: p for p in declared}
    valid = "; ".join(p.describe() for p in by_name.values()) or "none"
    unknown = sorted(set(given) - set(by_name))
    if unknown and not allow_undeclared:
        plural = "s" if len(unknown) > 1 else ""
        named = ", ".join(excerpt(u, quote=False) for u in unknown)
        raise QueryError(f"unknown parameter{plural} {named} for {what}; valid parameters: {valid}")
    missing = [p.name for p in by_name.values() if p.required and p.name not in given]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise QueryError(f"missing parameter{plural} {', '.join(missing)} for {what}; "
                         f"parameters: {valid}")
    bound: dict[str, BoundTerm] = {}
    for name, param in by_name.items():
        if name in given and given[name] is not None:
            bound[name] = param.coerce(store, given[name])
        elif param.required:
            raise QueryError(f"parameter {name} of {what} needs a value")
        else:
            bound[name] = None if param.default == ANY else param.coerce(store, param.default)
    for name in unknown:
        bound[name] = Param(name).coerce(store, given[name])
    return bound


def parse_assignments(pairs: Iterable[str]) -> dict[str, str]:
    """``["key=value", …]`` from the command line → a dict; a key given twice is an error."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise QueryError(f"a parameter is KEY=VALUE, got {excerpt(pair)}")
        if key in params:
            raise QueryError(f"parameter {excerpt(key, quote=False)} is given twice")
        params[key] = value
    return params
