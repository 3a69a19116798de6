"""Binding parameters into SPARQL without pasting user text: values are RDF terms, serialised by the RDF
library (escaped), and joined at the start of the query's WHERE group as a ``VALUES`` block. This works
the same on every backend (embedded, in-memory, remote endpoint).

>>> import pyoxigraph as ox
>>> print(inject_bindings("SELECT ?f WHERE { ?f ?p ?t }", {"t": ox.Literal('x" } DROP ALL')}))
SELECT ?f WHERE { VALUES (?t) { ("x\\" } DROP ALL") } ?f ?p ?t }
>>> print(inject_bindings("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": ox.NamedNode("http://e/x")}))
CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<http://e/x>) } ?s ?p ?o }
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from kg.errors import QueryError

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WORD = re.compile(r"[A-Za-z]+")


def _where_brace(query: str) -> int:
    """Index of the ``{`` that opens the query's WHERE group (skipping strings, IRIs and comments)."""
    i, n = 0, len(query)
    form = None
    seen_where = False
    while i < n:
        ch = query[i]
        if ch == "#":
            i = query.find("\n", i)
            i = n if i < 0 else i + 1
            continue
        if ch in "\"'":
            triple = query[i:i + 3] == ch * 3
            quote = ch * 3 if triple else ch
            j = i + len(quote)
            while j < n and query[j:j + len(quote)] != quote:
                j += 2 if query[j] == "\\" else 1
            i = j + len(quote)
            continue
        if ch == "<":
            m = _IRIREF.match(query, i)
            i = m.end() if m else i + 1
            continue
        if ch.isalpha():
            m = _WORD.match(query, i)
            word = m.group(0).upper()
            if form is None and word in {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}:
                form = word
            if word == "WHERE":
                seen_where = True
            i = m.end()
            continue
        if ch == "{" and (form != "CONSTRUCT" or seen_where):
            return i
        if ch == "{" and form == "CONSTRUCT":
            depth, i = 1, i + 1
            while i < n and depth:
                depth += {"{": 1, "}": -1}.get(query[i], 0)
                i += 1
            continue
        i += 1
    raise QueryError("cannot bind parameters: the query has no WHERE group")


def inject_bindings(query: str, bindings: Mapping[str, ox.NamedNode | ox.BlankNode | ox.Literal] | None) -> str:
    """The query with ``VALUES (?a ?b) { (term term) }`` at the start of its WHERE group."""
    if not bindings:
        return query
    for name, term in bindings.items():
        if not _VARNAME.match(name):
            raise QueryError(f"not a valid variable name: {name!r}")
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise QueryError(f"parameter {name} must be an IRI or a literal")
    names = " ".join(f"?{k}" for k in bindings)
    values = " ".join(str(v) for v in bindings.values())
    at = _where_brace(query) + 1
    return f"{query[:at]} VALUES ({names}) {{ ({values}) }}{query[at:]}"
