"""Node types of the projection: a node's type and family, and type names in commands.

A node's ``type`` is its most specific class, its ``family`` the top-level class it belongs to
(``SmallMolecule`` → ``Agent``). A type name in a command (``--via``, ``--type``) may be a class name
in any case, or a short name such as ``carrier`` or ``step`` (the order, families and short names are
stated in :mod:`kg.core.schema`).

>>> type_name("carrier"), type_name("cascadestep"), type_name("Target")
('CarrierType', 'CascadeStep', 'Target')
>>> node_matches({"type": "SmallMolecule", "family": "Agent", "types": ["SmallMolecule"]}, "Agent")
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kg.core.errors import QueryError, excerpt
from kg.core.schema import FAMILY, QUALIFIER_TYPES, SHORT_NAMES, TYPE_ORDER

_BY_FOLDED = {t.casefold(): t for t in TYPE_ORDER} | SHORT_NAMES


def nodes_of_types(graph, types: Sequence[str] = QUALIFIER_TYPES) -> set[str]:
    """Nodes of a projection whose type is one of ``types`` (subclasses included)."""
    return {n for n, d in graph.nodes(data=True) if any(node_matches(d, t) for t in types)}


def family_of_type(node_type: str) -> str:
    """Top-level class of a type (``SmallMolecule`` → ``Agent``)."""
    return FAMILY.get(node_type, node_type)


def type_name(text: str) -> str:
    """The class name meant by ``text`` (a class name in any case, or a short name); else a QueryError."""
    found = _BY_FOLDED.get(text.strip().casefold())
    if found is None:
        raise QueryError(f"unknown node type {excerpt(text)}; use one of: {', '.join(sorted(SHORT_NAMES))} "
                         f"or a class name ({', '.join(TYPE_ORDER)})")
    return found


def node_matches(attrs: Mapping, node_type: str) -> bool:
    """True when a node with these attributes is of ``node_type`` (its type, family or any class)."""
    return node_type in (attrs.get("type"), attrs.get("family")) or node_type in attrs.get("types", ())
