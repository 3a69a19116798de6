"""The axes of ``kg find`` and the SPARQL it generates from them.

A filter names an axis and one or more values (OR within an axis, AND across axes). Entity values are
names, alt labels, CURIEs or IRIs, resolved with :func:`kg.query.resolve.resolve` among the axis's
classes; a family includes its sub-terms (``skos:broader*``). :func:`match_query` turns resolved filters
into one SELECT of the matching (formulation, study, evidence level) triples: every value is bound as an
RDF term in a ``VALUES`` block (:func:`kg.core.sparql.inject_values`), and an absent filter adds no
pattern. Study-level criteria (mechanism, step, cancer, site, modality, evidence, source, a target or drug
class reached through a co-administered agent) must hold in the same study.

>>> sorted(AXES)[:4]
['agency', 'cancer', 'cargo', 'carrier']
>>> axis_name("drug_class")
'drug-class'
>>> axis_name("carier")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kg.core.errors.QueryError: no axis called 'carier'; did you mean: carrier, cancer? (axes: carrier, ...)
>>> parse_evidence("<= in vitro"), parse_evidence("in vivo"), parse_evidence("=clinical")
(('at most', 'in vitro'), ('at least', 'in vivo'), ('exactly', 'clinical'))
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.core.errors import QueryError
from kg.core.names import normalize_name
from kg.core.prefixes import NMO

if TYPE_CHECKING:  # (pyoxigraph is imported where it is used: the CLI reads AXES to build its options)
    import pyoxigraph as ox

    from kg.store.base import Store


@dataclass(frozen=True)
class Axis:
    """One facet of a formulation or study: the classes its values belong to and the pattern (with
    ``?T`` for the matched term, ``?V`` for a bound value) that links it to ``?formulation`` or ``?study``."""

    name: str
    classes: tuple[str, ...]
    pattern: str
    help: str


_IN_STUDY = "(study-level)"
AXES: dict[str, Axis] = {a.name: a for a in (
    Axis("carrier", ("CarrierType",), "?formulation nmo:hasCarrier|nmo:hasCoating ?T .",
         "carrier type or family (carrier-type coatings such as cell membranes included)"),
    Axis("cargo", ("Agent",), "?formulation nmo:hasCargo ?T .", "drug or other agent carried"),
    Axis("ligand", ("TargetingLigand",), "?formulation nmo:hasLigand ?T .", "targeting ligand displayed"),
    Axis("target", ("Target",),
         # (one flat alternative of sequences: Virtuoso 7.2 loses paths through evaluates/( … | … ))
         "?study nmo:evaluates/nmo:targets|nmo:evaluates/nmo:hasLigand/nmo:binds"
         "|nmo:evaluates/nmo:hasCargo/nmo:actsOn|nmo:combinedWith/nmo:actsOn ?T .",
         "target reached: designed to target it, a ligand that binds it, a cargo or a co-administered "
         "agent that acts on it"),
    Axis("mechanism", ("Mechanism",), "?study nmo:mechanism ?T .", "mechanism or family " + _IN_STUDY),
    Axis("step", ("CascadeStep",), "?study nmo:addressesStep ?T .", "metastatic cascade step " + _IN_STUDY),
    Axis("cancer", ("CancerType",), "?study nmo:cancerType ?T .", "cancer type, subtypes included "
         + _IN_STUDY),
    Axis("site", ("Organ",), "?study nmo:metastasisSite ?T .", "metastasis site " + _IN_STUDY),
    Axis("modality", ("TherapyModality",), "?study nmo:modality|nmo:combinedWith ?T .",
         "therapy modality used or combined " + _IN_STUDY),
    Axis("evidence", ("EvidenceLevel",), "",
         "evidence level " + _IN_STUDY + ": 'in vivo' = studies at that level or beyond, '=in vivo' = "
         "exactly, '<=in vitro' = formulations shown no further"),
    Axis("source", ("SourceDocument",), "?study nmo:sourceDocument ?V .",
         "source review " + _IN_STUDY + " (CMR2022, NH2026), or 'both': formulations reported by more "
         "than one"),
    Axis("status", (), "", "preclinical, in trial (a clinical trial tests it) or approved"),
    Axis("agency", ("Agency",), "?agency_record nmo:approves ?formulation ; nmo:agency ?V .",
         "agency that approved the formulation"),
    Axis("drug-class", ("DrugClass",),
         "?study nmo:evaluates/nmo:hasCargo/nmo:drugClass|nmo:combinedWith/nmo:drugClass ?T .",
         "drug class of a cargo or of a co-administered agent"),
    Axis("text", (), "", "part of the formulation's name or alt label (case-insensitive)"),
)}
HIERARCHICAL = {"carrier", "cargo", "ligand", "target", "mechanism", "step", "cancer", "site", "modality",
                "drug-class"}
STATUSES = ("preclinical", "in trial", "approved")
BOTH = "both"
STRATEGY = NMO + "FormulationStrategy"
_OPERATORS = ((">=", "at least"), ("<=", "at most"), ("=", "exactly"), (">", None), ("<", None))


def axis_name(name: str) -> str:
    """The axis a user means (``drug_class`` = ``drug-class``); a clear error with close names if none."""
    key = name.strip().lower().replace("_", "-")
    if key in AXES:
        return key
    close = difflib.get_close_matches(key, list(AXES), n=3, cutoff=0.6)
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise QueryError(f"no axis called '{name}'{hint} (axes: {', '.join(AXES)})")


def parse_evidence(text: str) -> tuple[str, str]:
    """(``at least`` | ``exactly`` | ``at most``, level name) from ``in vivo``, ``>=in vivo``, ``=in vivo``
    or ``<=in vitro``."""
    text = text.strip()
    for symbol, operator in _OPERATORS:
        if text.startswith(symbol):
            if operator is None:
                raise QueryError(f"evidence {text!r}: use >=, = or <= (strict < and > are not supported)")
            return operator, text[len(symbol):].strip()
    return "at least", text


def _status(text: str) -> str:
    key = normalize_name(text)
    for status in STATUSES:
        if key == normalize_name(status) or (status == "in trial" and key in ("trial", "clinicaltrial")):
            return status
    close = difflib.get_close_matches(text.strip().lower(), STATUSES, n=2, cutoff=0.5)
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise QueryError(f"no status called '{text}'{hint} (statuses: {', '.join(STATUSES)})")


@dataclass(frozen=True)
class Evidence:
    """A resolved evidence filter: the level and the ranks it admits (``high`` None: no upper bound)."""

    operator: str
    level: ox.NamedNode
    low: int
    high: int | None

    def admits(self, rank: int) -> bool:
        return rank >= self.low and (self.high is None or rank <= self.high)


@dataclass
class Levels:
    """The evidence levels of the graph: rank and label by IRI."""

    rank: dict[str, int]
    label: dict[str, str]

    @classmethod
    def load(cls, store: Store) -> Levels:
        _, rows = store.select("SELECT ?level ?rank ?label WHERE { ?level a nmo:EvidenceLevel ; "
                               "nmo:rank ?rank OPTIONAL { ?level rdfs:label ?label } }")
        ranks: dict[str, int] = {}
        labels: dict[str, str] = {}
        for r in rows:
            level = r["level"].value
            ranks[level] = int(r["rank"].value)
            if "label" in r and (level not in labels or r["label"].value < labels[level]):
                labels[level] = r["label"].value
        return cls(ranks, labels)

    def key(self, level: str) -> tuple[int, str]:
        """Sort key of a level: rank, then label."""
        return self.rank.get(level, 0), self.label.get(level, level)

    def band(self, operator: str, level: ox.NamedNode) -> Evidence:
        """'clinical' (the level with no phase) stands for every clinical level when compared exactly or
        from above: ``=clinical`` is any trial phase, ``<=clinical`` anything short of approval."""
        rank = self.rank[level.value]
        top = rank
        if level.value.rsplit("/", 1)[-1] == "clinical":
            top = max(r for iri, r in self.rank.items() if iri.rsplit("/", 1)[-1].startswith("clinical"))
        if operator == "at least":
            return Evidence(operator, level, rank, None)
        if operator == "exactly":
            return Evidence(operator, level, rank, top)
        return Evidence(operator, level, 1 if rank >= 1 else 0, top)


@dataclass
class Filters:
    """Resolved filters: RDF terms per entity axis, evidence bands, statuses, text literals."""

    terms: dict[str, list[ox.NamedNode]] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    statuses: set[str] = field(default_factory=set)
    both_sources: bool = False
    text: list[ox.Literal] = field(default_factory=list)
    given: dict[str, list[str]] = field(default_factory=dict)

    @property
    def at_most(self) -> Evidence | None:
        return next((e for e in self.evidence if e.operator == "at most"), None)

    def admitted_levels(self, levels: Levels) -> list[ox.NamedNode] | None:
        """The evidence levels a study may state (at least / exactly filters), or None: any."""
        import pyoxigraph as ox

        per_study = [e for e in self.evidence if e.operator != "at most"]
        if not per_study:
            return None
        return [ox.NamedNode(iri) for iri, rank in sorted(levels.rank.items())
                if any(e.admits(rank) for e in per_study)]


def _values(given: Mapping[str, object]) -> dict[str, list[str]]:
    """axis → list of value strings; ``None`` and empty lists are left out."""
    import pyoxigraph as ox

    out: dict[str, list[str]] = {}
    for name, value in given.items():
        if value is None:
            continue
        axis = axis_name(name)
        values = [value] if isinstance(value, (str, ox.NamedNode)) else list(value)  # type: ignore[call-overload]
        texts = [v.value if isinstance(v, ox.NamedNode) else str(v) for v in values]
        if texts:
            out.setdefault(axis, []).extend(texts)
    return out


def resolve_filters(store: Store, given: Mapping[str, object], levels: Levels | None = None) -> Filters:
    """Resolve every filter value: names to RDF terms (unknown names raise :class:`QueryError` with "did
    you mean"), evidence to rank bands, statuses and ``both`` checked."""
    import pyoxigraph as ox

    from kg.query.resolve import resolve

    filters = Filters(given=_values(given))
    for axis, texts in filters.given.items():
        if axis == "text":
            filters.text = [ox.Literal(t) for t in texts]
        elif axis == "status":
            filters.statuses = {_status(t) for t in texts}
        elif axis == "source" and any(normalize_name(t) == BOTH for t in texts):
            if len(texts) > 1:
                raise QueryError("--source both cannot be combined with a source name")
            filters.both_sources = True
        elif axis == "evidence":
            levels = levels or Levels.load(store)
            for text in texts:
                operator, name = parse_evidence(text)
                filters.evidence.append(levels.band(operator, resolve(store, name, AXES[axis].classes)))
            if filters.at_most and len(filters.evidence) > 1:
                raise QueryError("an at-most evidence filter (<=…) cannot be combined with another "
                                 "evidence filter")
        else:
            terms = [resolve(store, t, AXES[axis].classes) for t in texts]
            filters.terms[axis] = list(dict.fromkeys(terms))
    return filters


def _status_pattern(statuses: set[str]) -> tuple[str, list[ox.NamedNode]]:
    """The pattern for a status filter and the predicates it binds; ("", []) when it must be checked
    after the query (preclinical together with another status)."""
    import pyoxigraph as ox

    if not statuses or statuses == set(STATUSES):
        return "", []
    if statuses == {"preclinical"}:
        return "MINUS { ?status_record nmo:approves|nmo:testsFormulation ?formulation }", []
    if "preclinical" in statuses:
        return "", []
    predicates = [ox.NamedNode(NMO + ("approves" if s == "approved" else "testsFormulation"))
                  for s in sorted(statuses)]
    return "?status_record ?status_predicate ?formulation .", predicates


Body = tuple[list[str], list[tuple[str, list]]]  # pattern lines, and (variable, terms) VALUES blocks


def match_body(filters: Filters, levels: Levels | None = None, include_strategies: bool = False) -> Body:
    """The patterns that bind the matching ``?formulation ?study ?level`` and the values they bind."""
    lines: list[str] = []
    values: list[tuple[str, list]] = []
    for axis, terms in filters.terms.items():
        var = axis.replace("-", "_")
        pattern = AXES[axis].pattern.replace("?V", f"?{var}_value")
        if axis in HIERARCHICAL:
            lines.append(f"?{var}_term skos:broader* ?{var}_value .")
            pattern = pattern.replace("?T", f"?{var}_term")
        lines.append(pattern.replace("?T", f"?{var}_value"))
        values.append((f"{var}_value", terms))
    if filters.both_sources:
        lines.append("?study nmo:sourceDocument ?source_document . "
                     "?source_other nmo:evaluates ?formulation ; nmo:sourceDocument ?source_other_document . "
                     "FILTER(?source_other_document != ?source_document)")
    status, predicates = _status_pattern(filters.statuses)
    if predicates:
        values.append(("status_predicate", predicates))
        lines.append(status)
    if filters.text:
        lines.append("?formulation rdfs:label|skos:altLabel ?text_name . "
                     "FILTER(CONTAINS(LCASE(STR(?text_name)), LCASE(STR(?text_value))))")
        values.append(("text_value", filters.text))
    admitted = filters.admitted_levels(levels) if levels and filters.evidence else None
    if admitted is not None:
        values.append(("level", admitted))
    lines.append("?study nmo:evaluates ?formulation ; nmo:evidenceLevel ?level .")
    if status and not predicates:
        lines.append(status)
    if not include_strategies:
        lines.append("MINUS { ?formulation a nmo:FormulationStrategy }")
    return lines, values


def render(head: str, body: Body, tail: str = "") -> str:
    """``head WHERE { body }`` + ``tail``, the body's values bound in VALUES blocks at its start."""
    from kg.core.sparql import inject_values

    lines, values = body
    query = f"{head} WHERE {{\n" + "".join(f"  {line}\n" for line in lines) + "}" + tail
    for name, rows in reversed(values):
        names = name.split()
        query = inject_values(query, names, [row if len(names) > 1 else [row] for row in rows])
    return query


def match_query(filters: Filters, levels: Levels | None = None, include_strategies: bool = False) -> str:
    """The generated SELECT of matching ``?formulation ?study ?level`` rows, with its VALUES blocks."""
    body = match_body(filters, levels, include_strategies)
    return render("SELECT DISTINCT ?formulation ?study ?level", body)


# What a facet counts: the value an axis gives a matching (formulation, study, level) row. Property paths,
# not UNIONs: Oxigraph plans a UNION's branches apart from the bound variables around them.
FACETS = {
    "carrier": "?formulation nmo:hasCarrier|nmo:hasCoating ?value . ?value a nmo:CarrierType .",
    "cargo": "?formulation nmo:hasCargo ?value .",
    "ligand": "?formulation nmo:hasLigand ?value .",
    "target": AXES["target"].pattern.replace("?T", "?value"),
    "mechanism": "?study nmo:mechanism ?value .",
    "step": "?study nmo:addressesStep ?value .",
    "cancer": "?study nmo:cancerType ?value .",
    "site": "?study nmo:metastasisSite ?value .",
    "modality": "?study nmo:modality|nmo:combinedWith ?value . ?value a nmo:TherapyModality .",
    "evidence": "BIND(?level AS ?value)",
    "source": "?study nmo:sourceDocument ?value .",
    "agency": "?facet_approval nmo:approves ?formulation ; nmo:agency ?value .",
    "drug-class": AXES["drug-class"].pattern.replace("?T", "?value"),
}
# the status facet: one count per status (a formulation may be both approved and in trial)
STATUS_FACETS = {"approved": "?facet_record nmo:approves ?formulation .",
                 "in trial": "?facet_record nmo:testsFormulation ?formulation .",
                 "preclinical": "MINUS { ?facet_record nmo:approves|nmo:testsFormulation ?formulation }"}


def facet_queries(body: Body, axis: str) -> list[tuple[str | None, str]]:
    """(status or None, query) counting ``COUNT(DISTINCT ?formulation)`` and ``?study`` per value of
    ``axis`` (with its smallest label) over the rows that ``body`` matches."""
    lines, values = body
    if axis == "status":
        return [(status, render('SELECT (COUNT(DISTINCT ?formulation) AS ?formulations) '
                                '(COUNT(DISTINCT ?study) AS ?studies)', ([*lines, pattern], values)))
                for status, pattern in STATUS_FACETS.items()]
    head = ("SELECT ?value (COUNT(DISTINCT ?formulation) AS ?formulations) "
            "(COUNT(DISTINCT ?study) AS ?studies) (MIN(?value_label) AS ?label)")
    extra = [FACETS[axis], "OPTIONAL { ?value rdfs:label ?value_label }"]
    return [(None, render(head, ([*lines, *extra], values), " GROUP BY ?value"))]
