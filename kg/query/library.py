"""The named query library: ``kg/query/named/*.rq``, each with a header comment that documents it.

A header is the query's leading ``#`` lines::

    # title: Formulations by target
    # description: Formulations aimed at a target, directly or through a ligand or a cargo.
    # lists: carriers
    # param: target
    #   type: entity Target
    #   default: required
    #   example: CXCR4
    #   help: a molecular target or cell population, by name

``type`` is ``entity <Class>`` (several classes joined by ``|``; subclasses included) or
``literal <string|integer|decimal|boolean>``; ``default`` is ``required``, ``any`` (no filter: the
variable stays unbound) or a value. ``lists`` names result columns that hold ``"; "``-separated lists
(``GROUP_CONCAT``); their items are sorted so that every SPARQL engine gives the same cell.

Parameters are bound by a ``VALUES`` block at the start of the query's WHERE group
(:func:`kg.core.sparql.inject_bindings`): use them in that outer group — a sub-SELECT sees a parameter only
through the variables it projects — and test an optional one with ``!BOUND(?name) || …``.

>>> q = parse_query("demo", "# title: Demo\\n# description: d\\n# param: n\\n#   type: literal integer\\n"
...                 "#   default: 3\\nSELECT * { ?s ?p ?n }")
>>> q.title, q.params[0].describe()
('Demo', 'n (integer, default 3)')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.core.errors import KGError, QueryError, SparqlSyntaxError, excerpt, os_reason
from kg.query.params import ANY, KINDS, REQUIRED, Param

QUERY_SUFFIX = ".rq"
_HEADER_LINE = re.compile(r"^#(\s*)([a-z]+):\s*(.*?)\s*$")
_TOP_KEYS = {"title", "description", "lists", "param"}
_PARAM_KEYS = {"type", "default", "example", "help"}
_LITERAL_TYPES = {"string", "integer", "decimal", "boolean"}


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()
    lists: tuple[str, ...] = field(default=())

    def signature(self) -> str:
        return ", ".join(p.describe() for p in self.params) or "no parameters"


def _param(name: str, fields: dict[str, str], where: str) -> Param:
    kind, _, type_ = fields.get("type", "auto").partition(" ")
    if kind not in KINDS:
        raise QueryError(f"{where}: parameter {name}: type must start with one of {', '.join(KINDS)}")
    if kind == "literal" and type_ not in _LITERAL_TYPES:
        raise QueryError(f"{where}: parameter {name}: literal type must be one of "
                         f"{', '.join(sorted(_LITERAL_TYPES))}")
    return Param(name, kind, type_.strip(), fields.get("default", REQUIRED), fields.get("example", ""),
                 fields.get("help", ""))


def parse_query(name: str, text: str) -> NamedQuery:
    """A :class:`NamedQuery` from query text with an (optional) header."""
    meta: dict[str, str] = {}
    params: list[tuple[str, dict[str, str]]] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER_LINE.match(line)
        if not m:
            continue
        indent, key, value = m.groups()
        if len(indent) > 1 and params and key in _PARAM_KEYS:
            params[-1][1][key] = value
        elif key == "param":
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
                raise QueryError(f"{name}: parameter name {excerpt(value)} is not a SPARQL variable name")
            params.append((value, {}))
        elif key in _TOP_KEYS and len(indent) <= 1:
            meta[key] = value
        else:
            raise QueryError(f"{name}: unknown header key {excerpt(key)} in line {excerpt(line)}")
    lists = tuple(c.strip() for c in meta.get("lists", "").split(",") if c.strip())
    return NamedQuery(name, text, meta.get("title", ""), meta.get("description", ""),
                      tuple(_param(n, f, name) for n, f in params), lists)


def load_library() -> dict[str, NamedQuery]:
    """Every named query shipped in ``kg/query/named``, by name (the file name without ``.rq``)."""
    folder = Path(__file__).with_name("named")
    library = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(QUERY_SUFFIX):
            name = entry.name[: -len(QUERY_SUFFIX)]
            library[name] = parse_query(name, entry.read_text(encoding="utf-8"))
    return library


def get_query(library: dict[str, NamedQuery], name: str) -> NamedQuery:
    """The named query, or a clear error with close names."""
    if name in library:
        return library[name]
    import difflib

    close = difflib.get_close_matches(name, list(library), n=3, cutoff=0.5)
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise QueryError(f"no named query called {excerpt(name)}{hint} (`kg queries` lists them)")


def read_query_file(path: Path) -> str:
    """The text of a query file; a clear error if it cannot be read or is not UTF-8 (naming the line)."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise KGError(f"cannot read the query file {path}: {os_reason(err)}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = len(data[data.rfind(b"\n", 0, err.start) + 1:err.start].decode("utf-8", "replace")) + 1
        raise SparqlSyntaxError(f"{path}: line {line}, column {column}: not UTF-8 text (byte "
                                f"0x{data[err.start]:02x}); save the query as UTF-8") from None


__all__ = ["ANY", "REQUIRED", "NamedQuery", "get_query", "load_library", "parse_query", "read_query_file"]
