"""How a view looks: colour and shape per node family, colour per predicate group (the groups are
:data:`kg.core.schema.VIEW_GROUPS`), sizes by degree.

>>> node_style("Target").shape, edge_group("nmo:binds").name
('triangle', 'targeting')
>>> node_size(0) < node_size(4) < node_size(400) == MAX_NODE_SIZE
True
>>> darker("#ffffff", 0.5)
'#808080'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kg.core.schema import VIEW_GROUPS


@dataclass(frozen=True)
class NodeStyle:
    """Fill colour and vis-network shape of a node family (shapes with the label underneath)."""

    colour: str
    shape: str


# Family → style, in legend order. Every (colour, shape) pair is distinct, so colour is never the only cue.
FAMILY_STYLES: tuple[tuple[str, NodeStyle], ...] = (
    ("Formulation", NodeStyle("#d1495b", "dot")),
    ("Study", NodeStyle("#8d99ae", "square")),
    ("ClinicalTrial", NodeStyle("#6a4c93", "triangleDown")),
    ("RegulatoryApproval", NodeStyle("#9b5de5", "star")),
    ("CarrierType", NodeStyle("#3a9d23", "square")),
    ("Agent", NodeStyle("#f3a712", "diamond")),
    ("Target", NodeStyle("#2e86ab", "triangle")),
    ("Mechanism", NodeStyle("#17a398", "hexagon")),
    ("CascadeStep", NodeStyle("#ffcb47", "star")),
    ("CancerType", NodeStyle("#ef8fc5", "dot")),
    ("Organ", NodeStyle("#a0522d", "square")),
    ("TherapyModality", NodeStyle("#48cae4", "triangleDown")),
    ("DrugClass", NodeStyle("#b5838d", "hexagon")),
    ("Agency", NodeStyle("#5e548e", "diamond")),
    ("EvidenceLevel", NodeStyle("#6c757d", "dot")),
    ("SourceDocument", NodeStyle("#343a40", "square")),
)
_FAMILY_STYLE = dict(FAMILY_STYLES)
OTHER_STYLE = NodeStyle("#adb5bd", "dot")


@dataclass(frozen=True)
class EdgeGroup:
    """Predicates drawn alike: one colour (and dashes for links that are not statements about things)."""

    name: str
    colour: str
    predicates: tuple[str, ...]
    dashes: bool = False


# Predicate group → (colour, dashed?), for every group of the schema.
_GROUP_LOOKS = {
    "composition": ("#5c9e3f", False),
    "targeting": ("#2e86ab", False),
    "study findings": ("#d08c2f", False),
    "cascade biology": ("#c8553d", False),
    "clinical and regulatory": ("#7b52ab", False),
    "evidence and provenance": ("#7d8597", False),
    "hierarchy and classes": ("#a3a3a3", True),
}
EDGE_GROUPS: tuple[EdgeGroup, ...] = (
    *(EdgeGroup(name, _GROUP_LOOKS[name][0], predicates, dashes=_GROUP_LOOKS[name][1])
      for name, predicates in VIEW_GROUPS.items()),
    EdgeGroup("query result", "#333333", ("result",), dashes=True),
)
_EDGE_GROUP = {p: g for g in EDGE_GROUPS for p in g.predicates}
OTHER_EDGES = EdgeGroup("other", "#999999", ())

MIN_NODE_SIZE = 12.0
MAX_NODE_SIZE = 48.0


def node_style(family: str) -> NodeStyle:
    """Style of a node family (a neutral grey dot for anything unknown)."""
    return _FAMILY_STYLE.get(family, OTHER_STYLE)


def edge_group(predicate: str) -> EdgeGroup:
    """The group a predicate CURIE is drawn with."""
    return _EDGE_GROUP.get(predicate, OTHER_EDGES)


def node_size(degree: int) -> float:
    """Node radius growing with the square root of its degree in the view, within fixed bounds."""
    return round(min(MAX_NODE_SIZE, MIN_NODE_SIZE + 4.0 * math.sqrt(degree)), 1)


def font_size(degree: int, large: bool = False) -> int:
    """Label size: hubs get larger labels, much larger in large views, so that they stay readable when
    the whole view is zoomed out (smaller labels appear as one zooms in)."""
    if large:
        return min(64, 14 + int(5 * math.sqrt(degree)))
    return min(30, 18 + int(2 * math.sqrt(degree)))


def darker(colour: str, factor: float = 0.65) -> str:
    """``#rrggbb`` scaled towards black (borders of filled shapes)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * factor):02x}" for c in (r, g, b))
