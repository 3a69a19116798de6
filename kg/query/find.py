"""``kg find``: faceted search over formulations and their studies, without writing SPARQL.

Filters (:mod:`kg.query.find_axes`) become one generated SELECT of the matching (formulation, study)
pairs, every value bound as an RDF term; what the rows show is then looked up from the matched nodes
(:mod:`kg.query.find_data`) and assembled here, sorted, so that every backend gives the same rows.

- :func:`find`: one row per formulation (``studies=True``: per study) with its carriers (carrier-type
  coatings included), cargo, ligands, targets and *how* each is reached, and what its matching studies
  say: steps, mechanisms, cancers, sites, modalities, the best evidence and the citations. Study columns
  summarise the studies that match the filters.
- :func:`facets`: for each value of an axis among the matches, how many formulations and studies.

Formulation strategies (class-level nodes such as "CD44-targeted nanocarriers") are left out unless
``include_strategies``; then they are marked ``(strategy)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox

from kg.core.citations import citation
from kg.core.errors import QueryError
from kg.core.prefixes import compact
from kg.query.find_axes import (
    STRATEGY,
    Filters,
    Levels,
    axis_name,
    facet_queries,
    match_body,
    match_query,
    resolve_filters,
)
from kg.query.find_data import BATCH, RDF_TYPE, Data, n
from kg.query.find_result import Cell, FindResult, Item
from kg.store.base import Store

ROW_AXES = ("carrier", "cargo", "ligand", "target", "step", "mechanism", "cancer", "site", "modality")
COLUMN = {"carrier": "carriers", "cargo": "cargo", "ligand": "ligands", "target": "targets", "step": "steps",
          "mechanism": "mechanisms", "cancer": "cancers", "site": "sites", "modality": "modalities"}
FORMULATION_COLUMNS = ["formulation", *COLUMN.values(), "status", "trials", "approved_by", "studies",
                       "best_evidence", "sources"]
STUDY_COLUMNS = ["study", "formulation", *COLUMN.values(), "status", "evidence", "source"]
FACET_COLUMNS = ["axis", "value", "formulations", "studies"]
PREFIXES_USED = ("PREFIX nmo: <https://w3id.org/nanomet-kg/ontology#>\n"
                 "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                 "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n")

Pairs = dict[str, dict[str, list[str]]]  # formulation → matching study → the evidence levels it states (IRIs)


def _natural(text: str) -> tuple:
    """Sort key with numbers as numbers: ``l.95`` before ``l.601``."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
                 for part in re.split(r"(\d+)", text))


def _prepare(store: Store, given: Mapping[str, object], include_strategies: bool
             ) -> tuple[Filters, Levels, str]:
    levels = Levels.load(store)
    filters = resolve_filters(store, given, levels)
    return filters, levels, match_query(filters, levels, include_strategies)


def find_sparql(store: Store, include_strategies: bool = False, **filters) -> str:
    """The SPARQL :func:`find` generates for these filters (names resolved, values bound), runnable as is."""
    return PREFIXES_USED + _prepare(store, filters, include_strategies)[2]


def _match(store: Store, filters: Filters, levels: Levels, query: str, per_study: bool) -> Pairs:
    """Run the generated query; apply what it cannot say: an at-most evidence filter (on the best level
    among a formulation's matching studies, or each study's with ``per_study``) and a status filter that
    mixes preclinical with another status."""
    _, rows = store.select(query)
    pairs: Pairs = {}
    for r in rows:
        formulation, study = r["formulation"].value, r["study"].value
        studies = pairs.get(formulation)
        if studies is None:
            studies = pairs[formulation] = {}
        studies.setdefault(study, []).append(r["level"].value)
    if (at_most := filters.at_most) is not None:
        def admitted(stated: Iterable[str]) -> bool:
            return at_most.admits(levels.rank.get(max(stated, key=levels.key), 0))

        if per_study:
            pairs = {f: {s: lv for s, lv in ss.items() if admitted(lv)} for f, ss in pairs.items()}
            pairs = {f: ss for f, ss in pairs.items() if ss}
        else:
            pairs = {f: ss for f, ss in pairs.items() if admitted(lv for lvs in ss.values() for lv in lvs)}
    if _mixed_status(filters):
        data = Data.fetch(store, pairs, (), ["status"])
        pairs = {f: ss for f, ss in pairs.items() if set(data.statuses(f)) & filters.statuses}
    return pairs


def _mixed_status(filters: Filters) -> bool:
    """Preclinical together with one other status: checked after the query."""
    return "preclinical" in filters.statuses and len(filters.statuses) == 2


def _order(pairs: Pairs, levels: Levels) -> list[str]:
    """Formulations by best evidence, then number of matching studies, then IRI (≈ name: IRIs are slugs)."""
    best = {f: max(levels.rank.get(lv, 0) for lvs in ss.values() for lv in lvs) for f, ss in pairs.items()}
    return sorted(pairs, key=lambda f: (-best[f], -len(pairs[f]), f))


def _filters_json(store: Store, filters: Filters, data: Data, levels: Levels) -> dict:
    """The filters as resolved: each value's label and IRI (and an evidence filter's operator)."""
    data.name(store, [t.value for terms in filters.terms.values() for t in terms])
    out: dict = {axis: [{"label": data.labels.get(t.value, t.value), "iri": t.value} for t in terms]
                 for axis, terms in filters.terms.items()}
    if filters.evidence:
        out["evidence"] = [{"operator": e.operator, "label": levels.label.get(e.level.value, e.level.value),
                            "iri": e.level.value} for e in filters.evidence]
    if filters.statuses:
        out["status"] = sorted(filters.statuses)
    if filters.both_sources:
        out["source"] = ["both"]
    if filters.text:
        out["text"] = [t.value for t in filters.text]
    return out


FORMULATION_AXES = ("carrier", "cargo", "ligand", "target")
STUDY_LEVEL = ("target", "step", "mechanism", "cancer", "site", "modality")


class _Rows:
    """Turns matched pairs plus the fetched data into cells: each formulation's own values of an axis and
    the values each matching study adds (a study-level axis, a target reached by a co-administered agent)."""

    def __init__(self, store: Store, data: Data, levels: Levels, axes: Sequence[str],
                 formulations: Iterable[str], studies: Iterable[str]):
        self.store, self.data, self.levels = store, data, levels
        formulations, studies = list(formulations), list(studies)
        self.own = {a: {f: data.values(a, f, None) for f in formulations}
                    for a in axes if a in FORMULATION_AXES}
        self.added = {a: {s: data.values(a, None, s) for s in studies} for a in axes if a in STUDY_LEVEL}
        if "target" in axes:  # (target, how) pairs
            self.own_how = {f: data.targets(f, None) for f in formulations}
            self.added_how = {s: data.targets(None, s) for s in studies}
        self._items: dict[str, Item] = {}
        self._keys: dict[str, tuple[str, str]] = {}

    def values(self, axis: str, f: str, studies: Sequence[str]) -> list[str]:
        """The distinct values of ``axis`` for a formulation and some of its matching studies."""
        own = self.own[axis][f] if axis in self.own else []
        if axis not in self.added:
            return own
        added = self.added[axis]
        if not own and len(studies) == 1:
            return added[studies[0]]
        found = dict.fromkeys(own)
        for s in studies:
            found.update(dict.fromkeys(added[s]))
        return list(found)

    def item(self, iri: str, notes: tuple[str, ...] = ()) -> Item:
        if not notes and iri in self._items:
            return self._items[iri]
        if "://" not in iri:  # a derived value (a status)
            made = Item(iri, None, notes)
        else:
            made = Item(self.data.labels.get(iri) or self.levels.label.get(iri) or compact(iri), iri, notes)
        if not notes:
            self._items[iri] = made
        return made

    def key(self, iri: str) -> tuple[str, str]:
        """Sort key of a value: its label, case-folded, then the IRI."""
        if iri not in self._keys:
            self._keys[iri] = (self.item(iri).label.casefold(), iri)
        return self._keys[iri]

    def items(self, axis: str, f: str, studies: Sequence[str]) -> list[Item]:
        if axis != "target":
            values = self.values(axis, f, studies)
            if len(values) > 1:
                values = sorted(values, key=self.key)
            return [self.item(v) for v in values]
        how: dict[str, set[tuple[str, str]]] = {}
        for found in (self.own_how[f], *(self.added_how[s] for s in studies)):
            for target, way in found:
                how.setdefault(target, set()).add(way)
        return [self.item(t, tuple(sorted(self.data.how_text(*way) for way in how[t])))
                for t in sorted(how, key=self.key)]

    def formulation(self, f: str) -> Item:
        return self.item(f, ("strategy",) if STRATEGY in self.data.iris(f, RDF_TYPE) else ())

    def best(self, levels: Iterable[str]) -> Item:
        """The strongest of these evidence levels (ties: the larger label)."""
        return self.item(max(levels, key=self.levels.key))

    def citation(self, s: str) -> str:
        doc = self.data.text(s, n("sourceDocument")) or ""
        short = self.data.text(doc, n("shortName")) or self.data.labels.get(doc, doc)
        refs = ",".join(self.data.iris(s, n("citedReference")))
        return citation(short, self.data.text(s, n("section")), self.data.text(s, n("lines")), refs)

    def status(self, f: str) -> str:
        return ", ".join(self.data.statuses(f))

    def trials(self, f: str) -> list[Item]:
        items = [self.item(t, tuple(self.levels.label.get(p, p) for p in self.data.iris(t, n("phase"))))
                 for t in self.data.trials(f)]
        return sorted(items, key=lambda i: (_natural(i.label), i.iri or ""))

    def agencies(self, f: str) -> list[Item]:
        found = {a for r in self.data.approvals(f) for a in self.data.iris(r, n("agency"))}
        return sorted((self.item(a) for a in found), key=lambda i: (i.label.casefold(), i.iri or ""))


def find(store: Store, filters: Mapping[str, object] | None = None, *, studies: bool = False,
         include_strategies: bool = False, limit: int | None = None) -> FindResult:
    """Formulations (or, with ``studies``, studies) matching ``filters`` (axis → value or list of values;
    see :data:`kg.query.find_axes.AXES`), best evidence first. ``limit`` keeps the first rows (and fetches
    only what they show)."""
    flt, levels, query = _prepare(store, filters or {}, include_strategies)
    pairs = _match(store, flt, levels, query, per_study=studies)
    order = _order(pairs, levels)
    if studies:
        def strongest(f: str, s: str) -> int:
            return max(levels.rank.get(lv, 0) for lv in pairs[f][s])

        chosen = [(f, s) for f in order for s in sorted(pairs[f], key=lambda s: (-strongest(f, s), s))]
        total = len(chosen)
        chosen = chosen[:limit] if limit is not None else chosen
    else:
        total = len(order)
        chosen = [(f, s) for f in order[:limit] for s in pairs[f]]
    formulations = list(dict.fromkeys(f for f, _ in chosen))
    study_nodes = [s for _, s in chosen]
    needs = [*ROW_AXES, "rows", *["study names"] * studies, *["strategies"] * include_strategies]
    data = Data.fetch(store, formulations, study_nodes, needs)
    rows = _Rows(store, data, levels, ROW_AXES, formulations, study_nodes)
    records: list[dict[str, Cell]] = []
    if studies:
        for f, s in chosen:
            record: dict[str, Cell] = {"study": rows.item(s), "formulation": rows.formulation(f)}
            record.update({COLUMN[a]: rows.items(a, f, (s,)) for a in ROW_AXES})
            record.update(status=rows.status(f), evidence=rows.best(pairs[f][s]), source=rows.citation(s))
            records.append(record)
    else:
        for f in formulations:
            ss = list(pairs[f])
            record = {"formulation": rows.formulation(f)}
            record.update({COLUMN[a]: rows.items(a, f, ss) for a in ROW_AXES})
            cited = sorted(((rows.citation(s), s) for s in ss), key=lambda c: (_natural(c[0]), c[1]))
            record.update(status=rows.status(f), trials=rows.trials(f), approved_by=rows.agencies(f),
                          studies=len(ss), best_evidence=rows.best(lv for s in ss for lv in pairs[f][s]),
                          sources=[Item(text, s) for text, s in cited])
            records.append(record)
    columns = STUDY_COLUMNS if studies else FORMULATION_COLUMNS
    return FindResult.from_records(columns, records, _filters_json(store, flt, data, levels), total)


def facets(store: Store, axes: str | Sequence[str], filters: Mapping[str, object] | None = None, *,
           include_strategies: bool = False) -> FindResult:
    """For each axis, each of its values among the matches with the number of formulations and studies
    that have it (values as curated: a carrier type, not its family; evidence: the levels the matching
    studies state). Counted by the engine: the generated query is the match plus the axis and a GROUP BY
    (over the pairs found in Python when an at-most evidence or a mixed status filter decides them)."""
    wanted = [axis_name(a) for a in ([axes] if isinstance(axes, str) else axes)]
    if not wanted:
        raise QueryError("name at least one axis to count (facet), e.g. carrier")
    if "text" in wanted:
        raise QueryError("text is a filter, not a facet: there is nothing to count by it")
    flt, levels, query = _prepare(store, filters or {}, include_strategies)
    bodies = [match_body(flt, levels, include_strategies)]
    if flt.at_most is not None or _mixed_status(flt):
        pairs = _match(store, flt, levels, query, per_study=False)
        names = sorted(pairs)
        bodies = [([], [("formulation study level", [[ox.NamedNode(f), ox.NamedNode(s), ox.NamedNode(lv)]
                                                     for f in names[start:start + BATCH]
                                                     for s, lvs in pairs[f].items() for lv in lvs])])
                  for start in range(0, len(names), BATCH)]
    data = Data()
    records: list[dict[str, Cell]] = []
    for axis in wanted:
        counts: dict[str, list[int]] = {}
        for body in bodies:
            for status, text in facet_queries(body, axis):
                for r in store.select(text)[1]:
                    found = int(r["formulations"].value)
                    if not found:
                        continue
                    value = status or r["value"].value
                    if "label" in r and (value not in data.labels or r["label"].value < data.labels[value]):
                        data.labels[value] = r["label"].value
                    entry = counts.setdefault(value, [0, 0])
                    entry[0] += found
                    entry[1] += int(r["studies"].value)
        rows = _Rows(store, data, levels, [], [], [])
        ranked = sorted(counts.items(), key=lambda c: (-c[1][0], -c[1][1], rows.key(c[0])))
        records.extend({"axis": axis, "value": rows.item(v), "formulations": f, "studies": n}
                       for v, (f, n) in ranked)
    return FindResult.from_records(FACET_COLUMNS, records, _filters_json(store, flt, data, levels))
