"""Binding parameters into SPARQL without pasting user text: values are RDF terms, serialised by the RDF
library (escaped), and joined at the start of the query's WHERE group as a ``VALUES`` block. This works
the same on every backend (embedded, in-memory, remote endpoint).

>>> import pyoxigraph as ox
>>> print(inject_bindings("SELECT ?f WHERE { ?f ?p ?t }", {"t": ox.Literal('x" } DROP ALL')}))
SELECT ?f WHERE { VALUES (?t) { ("x\\" } DROP ALL") } ?f ?p ?t }
>>> print(inject_bindings("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": ox.NamedNode("http://e/x")}))
CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<http://e/x>) } ?s ?p ?o }

``None`` leaves a variable unbound: it is left out of the block (the same answers as ``UNDEF``, which
Virtuoso 7.2 mis-joins with sub-SELECTs and property paths), and :func:`inject_values` binds several
rows (``None`` is ``UNDEF`` there):

>>> print(inject_bindings("SELECT * { ?s ?p ?o }", {"s": None, "o": ox.Literal("x")}))
SELECT * { VALUES (?o) { ("x") } ?s ?p ?o }
>>> print(inject_bindings("SELECT * { ?s ?p ?o }", {"s": None}))
SELECT * { ?s ?p ?o }
>>> print(inject_values("ASK { ?s ?p ?o }", ["s"], [[ox.NamedNode("http://e/a")], [ox.NamedNode("http://e/b")]]))
ASK { VALUES (?s) { (<http://e/a>) (<http://e/b>) } ?s ?p ?o }
>>> query_form("PREFIX ex: <http://e/> # a comment\\nselect * { ?s ?p ?o }")
'SELECT'

:func:`check_syntax` is the one gate every query passes (the CLI, the Python API, the endpoint, every
backend). Besides the syntax it refuses updates, ``SERVICE`` (a query never reaches the network unless
the caller opts in) and brackets nested deeper than :data:`MAX_NESTING` (thousands crash the parser).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox

from kg.core.errors import QueryError, SparqlSyntaxError, excerpt

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WORD = re.compile(r"[A-Za-z]+")
_NOT_BRACKET = re.compile(r"[^{}()\[\]]+")

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"})
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY",
                          "WITH"})

# Deeper than any real query; the parser's time grows steeply with nesting (64 nested blank nodes or
# collections take it about 0.6 s) and a few thousand levels crash it (stack overflow).
MAX_NESTING = 64
SERVICE_REFUSED = ("SERVICE (a federated query to another endpoint) is not allowed: queries never reach the "
                   "network unless you opt in (`kg sparql --allow-service`, `kg.open(allow_service=True)`)")

BoundTerm = ox.NamedNode | ox.Literal | None


def _tokens(query: str, brackets: str = "{}") -> Iterator[tuple[int, str]]:
    """Keywords (upper-cased) and the ``brackets`` characters of a query with their index; strings, IRIs
    and comments skipped."""
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
            if ch in brackets:
                yield i, ch
            i += 2 if ch == "\\" else 1  # an escaped character (ex:a\#b) is no comment


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
    """The query with ``VALUES (?a ?b) { (term term) }`` at the start of its WHERE group; variables bound
    to ``None`` are left out (unbound)."""
    bound = {name: term for name, term in (bindings or {}).items() if term is not None}
    if not bound:
        return query
    return inject_values(query, list(bound), [list(bound.values())])


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


def _position(query: str, index: int) -> tuple[int, int]:
    """(line, column), from 1, of a character index."""
    line = query.count("\n", 0, index) + 1
    return line, index - (query.rfind("\n", 0, index) + 1) + 1


def _too_deep(tokens: Iterable[tuple[int, str]], limit: int = MAX_NESTING) -> int | None:
    """Index of the first bracket nested deeper than ``limit``, if any."""
    depth = 0
    for i, token in tokens:
        if token in "{([":
            depth += 1
            if depth > limit:
                return i
        elif token in "})]":
            depth = max(depth - 1, 0)
    return None


def deepest_bracket(query: str, limit: int = MAX_NESTING) -> int | None:
    """Index of the first bracket (``{ ( [`` outside strings, IRIs and comments) nested deeper than
    ``limit``, or None.

    >>> deepest_bracket("SELECT * { { ?s ?p '{{{' } }", 2), deepest_bracket("SELECT * { { { } } }", 2)
    (None, 13)
    """
    if sum(query.count(b) for b in "{([") <= limit:
        return None
    code = _IRIREF.sub("", query)
    if not any(c in code for c in "\"'#\\"):  # no string, comment or escape: every bracket left is code
        if _too_deep(enumerate(_NOT_BRACKET.sub("", code)), limit) is None:  # (fast: many VALUES rows)
            return None
    return _too_deep(_tokens(query, "{}()[]"), limit)


def check_nesting(query: str) -> None:
    """Refuse brackets (``{ ( [``) nested deeper than :data:`MAX_NESTING`, before any parser sees them.

    >>> check_nesting("SELECT * WHERE " + "{" * 100 + "}" * 100)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.core.errors.QueryError: the query nests brackets more than 64 levels deep (line 1, column 80); ...
    """
    at = deepest_bracket(query)
    if at is not None:
        line, column = _position(query, at)
        raise QueryError(f"the query nests brackets more than {MAX_NESTING} levels deep (line "
                         f"{line}, column {column}); such queries are refused: they can crash "
                         "the parser")


def _syntax_error(query: str, err: SyntaxError) -> SparqlSyntaxError:
    """The parser's message, line and column, and the offending line marked."""
    message = str(err)
    m = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if not m:
        return SparqlSyntaxError(f"SPARQL syntax error: {message}")
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
    return SparqlSyntaxError(f"SPARQL syntax error at {where}: {detail}{_caret(query, line, column)}")


_SERVICE_WORD = re.compile("service", re.IGNORECASE)


def service_call(query: str) -> int | None:
    """Index of the first ``SERVICE`` keyword in the query (as the tokenizer reads it), or None.

    >>> service_call("SELECT * { ?s ?p 'service' # service\\n SERVICE <http://e/sparql> { ?s ?p ?o } }")
    38
    """
    return next((i for i, token in _tokens(query) if token == "SERVICE"), None)


def _refuse_service(query: str, prefixes: dict[str, str], base_iri: str | None = None) -> None:
    """Refuse a ``SERVICE`` call, before Oxigraph parses the query (parsing evaluates an ASK, and starts a
    SELECT: a SERVICE call would already go out).

    The tokenizer finds the keyword (``"service"`` in a string, IRI, comment or name is not one). As it
    may misread a ``<`` comparison as the start of an IRI, Oxigraph's own parser has the last word: each
    ``service`` in the text is renamed ``zervice`` (same length), which leaves every string, IRI, comment
    and name valid but makes the keyword a syntax error; so the original is parsed only if the renamed
    query parses.

    >>> _refuse_service("SELECT * WHERE { ?s ?label 'service' . ?service ?p <http://e/service> }", {})
    >>> _refuse_service("SELECT * WHERE { service <http://e/sparql> { ?s ?p ?o } }", {})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.core.errors.QueryError: SERVICE (a federated query to another endpoint) is not allowed: ...
    """
    if "service" not in query.lower():
        return
    if (at := service_call(query)) is not None:
        line, column = _position(query, at)
        raise QueryError(f"{SERVICE_REFUSED} (line {line}, column {column})")
    renamed = {_SERVICE_WORD.sub("zervice", k): v for k, v in prefixes.items()}
    try:
        ox.Store().query(_SERVICE_WORD.sub("zervice", query), prefixes=renamed, base_iri=base_iri)
    except SyntaxError as err:
        raise _syntax_error(query, err) from None


def check_syntax(query: str, prefixes: Mapping[str, str] | None = None, allow_service: bool = False,
                 base_iri: str | None = None) -> None:
    """Parse the query (as Oxigraph does, without data) and raise :class:`SparqlSyntaxError` with the
    parser's message, line and column, and the offending line marked. Updates, brackets nested deeper than
    :data:`MAX_NESTING` and (unless ``allow_service``) ``SERVICE`` are refused before parsing. Relative
    IRIs resolve against ``base_iri``; without one they are an error.

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
    check_nesting(query)
    prefixes = dict(prefixes or {})
    if not allow_service:
        _refuse_service(query, prefixes, base_iri)
    elif "service" in query.lower():
        return  # parsing here would already call the service: the engine that runs it reports errors
    try:
        ox.Store().query(query, prefixes=prefixes, base_iri=base_iri)
    except SyntaxError as err:
        raise _syntax_error(query, err) from None


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
