"""Binding parameters into SPARQL without pasting user text: values are RDF terms, serialised by the RDF
library (escaped), and joined at the start of the query's WHERE group as a ``VALUES`` block. This works
the same on every backend (embedded, in-memory, remote endpoint).

>>> import pyoxigraph as ox
>>> print(inject_bindings("SELECT ?f WHERE { ?f ?p ?t }", {"t": ox.Literal('x" } DROP ALL')}))
SELECT ?f WHERE { VALUES (?t) { ("x\\" } DROP ALL") } ?f ?p ?t }
>>> print(inject_bindings("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": ox.NamedNode("http://e/x")}))
CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<http://e/x>) } ?s ?p ?o }

``None`` leaves a variable unbound (``UNDEF``), and :func:`inject_values` binds several rows:

>>> print(inject_bindings("SELECT * { ?s ?p ?o }", {"s": None}))
SELECT * { VALUES (?s) { (UNDEF) } ?s ?p ?o }
>>> print(inject_values("ASK { ?s ?p ?o }", ["s"], [[ox.NamedNode("http://e/a")], [ox.NamedNode("http://e/b")]]))
ASK { VALUES (?s) { (<http://e/a>) (<http://e/b>) } ?s ?p ?o }
>>> query_form("PREFIX ex: <http://e/> # a comment\\nselect * { ?s ?p ?o }")
'SELECT'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

import pyoxigraph as ox

from kg.core.errors import QueryError, SparqlSyntaxError, excerpt

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WORD = re.compile(r"[A-Za-z]+")

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"})
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY",
                          "WITH"})

BoundTerm = ox.NamedNode | ox.Literal | None


def _tokens(query: str) -> Iterator[tuple[int, str]]:
    """Keywords (upper-cased) and braces of a query with their index; strings, IRIs and comments skipped."""
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch == "#":
            i = query.find("\n", i)
            i = n if i < 0 else i + 1
        elif ch in "\"'":
            quote = ch * 3 if query[i:i + 3] == ch * 3 else ch
            j = i + len(quote)
            while j < n and query[j:j + len(quote)] != quote:
                j += 2 if query[j] == "\\" else 1
            i = j + len(quote)
        elif ch == "<":
            m = _IRIREF.match(query, i)
            i = m.end() if m else i + 1
        elif ch in "?$":
            m = _WORD.match(query, i + 1)
            i = m.end() if m else i + 1
        elif ch.isalpha():
            m = _WORD.match(query, i)
            assert m is not None  # a letter starts a word
            # a prefixed name (nmo:Study, select:x) is not a keyword
            if m.end() < n and query[m.end()] in ":_-0123456789":
                i = m.end() + 1
                while i < n and (query[i].isalnum() or query[i] in "_-.:%"):
                    i += 1
                continue
            yield i, m.group(0).upper()
            i = m.end()
        else:
            if ch in "{}":
                yield i, ch
            i += 1


def query_form(query: str) -> str:
    """The first query or update keyword: SELECT, CONSTRUCT, ASK, DESCRIBE, or an update word like INSERT."""
    for _, token in _tokens(query):
        if token in QUERY_FORMS or token in UPDATE_WORDS:
            return token
        if token in "{}":
            break
    raise SparqlSyntaxError("not a SPARQL query: expected SELECT, CONSTRUCT, ASK or DESCRIBE")


def _where_brace(query: str) -> int:
    """Index of the ``{`` that opens the query's WHERE group (the CONSTRUCT template and ``EXISTS { … }``
    in the projection are skipped).

    >>> _where_brace("SELECT (EXISTS { ?s ?p ?o } AS ?x) WHERE { ?s ?p ?o }")
    41
    """
    form = None
    seen_where = False
    depth = 0
    previous = None
    for i, token in _tokens(query):
        if form is None and token in QUERY_FORMS:
            form = token
        elif token == "WHERE":
            seen_where = True
        elif token == "{":
            if depth == 0 and previous != "EXISTS" and (form != "CONSTRUCT" or seen_where):
                return i
            depth += 1
        elif token == "}":
            depth -= 1
        previous = token
    raise QueryError("cannot bind parameters: the query has no WHERE group")


def _term_text(name: str, term: BoundTerm) -> str:
    if term is None:
        return "UNDEF"
    if not isinstance(term, (ox.NamedNode, ox.Literal)):
        raise QueryError(f"parameter {name} must be an IRI or a literal")
    return str(term)


def inject_values(query: str, variables: Sequence[str], rows: Sequence[Sequence[BoundTerm]]) -> str:
    """The query with ``VALUES (?a ?b) { (term term) … }`` at the start of its WHERE group."""
    if not variables:
        return query
    for name in variables:
        if not _VARNAME.match(name):
            raise QueryError(f"not a valid variable name: {excerpt(name)}")
    names = " ".join(f"?{k}" for k in variables)
    block = " ".join("(" + " ".join(_term_text(k, t) for k, t in zip(variables, row, strict=True)) + ")"
                     for row in rows)
    at = _where_brace(query) + 1
    return f"{query[:at]} VALUES ({names}) {{ {block} }}{query[at:]}"


def inject_bindings(query: str, bindings: Mapping[str, BoundTerm] | None) -> str:
    """The query with ``VALUES (?a ?b) { (term term) }`` at the start of its WHERE group."""
    if not bindings:
        return query
    return inject_values(query, list(bindings), [list(bindings.values())])


def _caret(query: str, line: int, column: int, width: int = 100) -> str:
    """The offending line with a caret under ``column``; a long line is cut to ``width`` characters
    around it.

    >>> print(_caret("SELECT * WHERE { ?s ?p }", 1, 24))
    <BLANKLINE>
      SELECT * WHERE { ?s ?p }
                             ^
    >>> print(_caret("SELECT * WHERE { " + "?s ?p ?o . " * 50 + "?s }", 1, 571, width=30))
    <BLANKLINE>
      …o . ?s ?p ?o . ?s ?p ?o . ?s }
                                    ^
    """
    lines = query.splitlines() or [""]
    if not 1 <= line <= len(lines):
        return ""
    text = lines[line - 1]
    at = max(column - 1, 0)
    start = max(0, min(at - width * 2 // 3, len(text) - width))
    snippet = ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")
    return f"\n  {snippet}\n  {' ' * (at - start + (1 if start else 0))}^"


def check_syntax(query: str, prefixes: Mapping[str, str] | None = None, base_iri: str | None = None) -> None:
    """Parse the query (as Oxigraph does, without data) and raise :class:`SparqlSyntaxError` with the
    parser's message, line and column, and the offending line marked; an update raises :class:`QueryError`.
    Relative IRIs resolve against ``base_iri``; without one they are an error.

    >>> check_syntax("SELECT ?x WHERE { ?x ?y }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.core.errors.SparqlSyntaxError: SPARQL syntax error at line 1, column 26 (the end of the query): ...
      SELECT ?x WHERE { ?x ?y }
                               ^
    """
    try:
        query.encode("utf-8")
    except UnicodeEncodeError as err:  # undecodable bytes of a command-line argument
        line = query.count("\n", 0, err.start) + 1
        column = err.start - query.rfind("\n", 0, err.start)
        raise SparqlSyntaxError(f"SPARQL syntax error at line {line}, column {column}: not UTF-8 text"
                                ) from None
    form = query_form(query)
    if form in UPDATE_WORDS:
        raise QueryError(f"SPARQL updates ({form} …) are not allowed: the knowledge graph is read-only")
    try:
        ox.Store().query(query, prefixes=dict(prefixes or {}), base_iri=base_iri)
    except SyntaxError as err:
        message = str(err)
        m = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
        if not m:
            raise SparqlSyntaxError(f"SPARQL syntax error: {message}") from None
        line, column, detail = int(m.group(1)), int(m.group(2)), m.group(3)
        if "Prefix not found" in detail:
            before = query.splitlines()[line - 1][:column - 1]
            m = re.search(r"([A-Za-z][\w.-]*)?:[\w.%-]*\s*$", before)
            detail = f"unknown prefix '{m.group(1) or ''}:'" if m else "unknown prefix"
        elif len(detail) > 160:
            detail = detail[:160] + " …"
        lines = query.splitlines() or [""]
        at_end = line > len(lines) or (line == len(lines) and column > len(lines[-1]))
        where = f"line {line}, column {column}" + (" (the end of the query)" if at_end else "")
        raise SparqlSyntaxError(f"SPARQL syntax error at {where}: {detail}{_caret(query, line, column)}"
                                ) from None


def with_limit(query: str, limit: int) -> str:
    """A SELECT query with ``LIMIT limit`` added at its outer level, so that the engine stops early; the
    query unchanged where that is not safe: not a SELECT, an outer LIMIT or OFFSET of its own, a trailing
    VALUES block, or unbalanced braces. Subqueries (inside braces) are never touched, and an ORDER BY
    still orders the whole result before the first rows are taken.

    >>> print(with_limit("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s  # sorted", 6))
    SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s  # sorted
    LIMIT 6
    >>> print(with_limit("SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 2 } ?s ?q ?x }", 6))
    SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 2 } ?s ?q ?x }
    LIMIT 6
    >>> for text in ("SELECT * { ?s ?p ?o } LIMIT 10", "SELECT * { ?s ?p ?o } OFFSET 1",
    ...              "SELECT * { ?s ?p ?o } VALUES ?s { <http://e/a> }", "ASK { ?s ?p ?o }", "SELECT * { ?s"):
    ...     assert with_limit(text, 6) == text, text
    """
    form = None
    depth = 0
    for _, token in _tokens(query):
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                return query
        elif depth == 0 and form is None and (token in QUERY_FORMS or token in UPDATE_WORDS):
            form = token
        elif depth == 0 and form is not None and token in ("LIMIT", "OFFSET", "VALUES"):
            return query
    if form != "SELECT" or depth != 0:
        return query
    return f"{query}\nLIMIT {limit}"
