"""Search by name, for the search box and its completion: labels and alt labels, compared as
:func:`kg.core.names.normalize_name` does (case, spaces, hyphens and Greek letters do not matter), so
``hif1a`` finds HIF-1α. Best first: a whole name, then a name that starts with the text, then one that
contains it; labels before alt labels; shorter names first.

>>> index = NameIndex([("t:1", "HIF-1α", "label", "MolecularTarget"), ("t:1", "hypoxia-inducible factor 1α",
...                     "alt", "MolecularTarget"), ("t:2", "HIF-2α", "label", "MolecularTarget")])
>>> [(m.iri, m.label) for m in index.search("hif 1 alpha")]
[('t:1', 'HIF-1α')]
>>> [m.label for m in index.search("hif")], [m.matched for m in index.search("inducible")]
(['HIF-1α', 'HIF-2α'], ['hypoxia-inducible factor 1α'])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg.core.names import normalize_name
from kg.core.schema import FAMILY, TYPE_ORDER


@dataclass(frozen=True)
class Match:
    iri: str
    label: str
    type: str
    matched: str  # the name that matched (an alt label, or the label)
    rank: tuple


class NameIndex:
    """Every entity's names, normalised once."""

    def __init__(self, rows: Iterable[tuple[str, str, str, str]]):
        """``rows``: (IRI, name, "label" or "alt", class name) — several per entity."""
        labels: dict[str, str] = {}
        classes: dict[str, set[str]] = {}
        names: dict[tuple[str, str], str] = {}
        for iri, name, kind, cls in rows:
            classes.setdefault(iri, set()).add(cls)
            if kind == "label" and (iri not in labels or name < labels[iri]):
                labels[iri] = name
            if (iri, name) not in names or kind == "label":
                names[(iri, name)] = kind
        self.types = {iri: next((t for t in TYPE_ORDER if t in found), min(found))
                      for iri, found in classes.items()}
        self.classes = {iri: found | {FAMILY.get(t, t) for t in found} for iri, found in classes.items()}
        self.labels = labels
        self.entries = sorted((normalize_name(name), kind != "label", len(name), name, iri)
                              for (iri, name), kind in names.items() if iri in labels)

    def __len__(self) -> int:
        return len(self.labels)

    def search(self, text: str, limit: int = 10, types: Iterable[str] = ()) -> list[Match]:
        """The best ``limit`` entities whose label or alt label matches ``text`` (among ``types``, if
        given: class names, a family such as ``Agent`` included)."""
        key = normalize_name(text)
        if not key:
            return []
        wanted = set(types)
        best: dict[str, Match] = {}
        for normalised, is_alt, length, name, iri in self.entries:
            if key not in normalised:
                continue
            if wanted and not wanted & self.classes[iri]:
                continue
            place = 0 if normalised == key else 1 if normalised.startswith(key) else 2
            rank = (place, is_alt, length, self.labels[iri].casefold(), iri)
            if iri not in best or rank < best[iri].rank:
                best[iri] = Match(iri, self.labels[iri], self.types[iri], name, rank)
        return sorted(best.values(), key=lambda m: m.rank)[:limit]


def name_index(store) -> NameIndex:
    """The index of every entity of ``store`` (``kg/server/queries/names.rq``)."""
    from kg.core.prefixes import NMO
    from kg.server.entity import template

    _, rows = store.select(template("names"))
    return NameIndex((r["node"].value, r["name"].value, r["kind"].value, r["class"].value.removeprefix(NMO))
                     for r in rows if r["class"].value.startswith(NMO))
