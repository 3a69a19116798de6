"""Validate a KGX TSV export against the Biolink model, offline.

The model is the one shipped by the ``biolink-model`` package (``biolink_model/schema/biolink_model.yaml``
and its prefix map), read with the Biolink Model Toolkit (``bmt``); nothing is downloaded (bmt would
fetch the model and a predicate map from GitHub unless given files, and ``kgx validate`` fetches a JSON-LD
context). The checks are those of ``kgx validate`` (its ``Validator.analyse_node`` / ``analyse_edge``):

- required node and edge properties present (``id``, ``category``; ``subject``, ``predicate``, ``object``,
  ``knowledge_level``, ``agent_type``, ``id``), multivalued properties as lists and single-valued ones not
  (a TSV cell is split on ``|`` as the KGX TSV reader does);
- node ids and edge subjects/objects are CURIEs whose prefix is known;
- categories are CamelCase Biolink classes, not mixins, not aliases; predicates are snake_case Biolink
  slots, not aliases;

and these stricter ones: categories and predicates are neither abstract nor deprecated, and predicates are
descendants of ``related_to`` and not mixins (Translator does not use mixin predicates on edges);
``knowledge_level`` and ``agent_type`` are values of their Biolink enums; each edge's subject and object
categories lie in the predicate's Biolink domain and range; edges join nodes of the file; ``xref``,
``equivalent_identifiers`` and ``publications`` use prefixes of the Biolink prefix map (or full IRIs).

Known prefixes are those of the Biolink prefix map plus the ones the export declares in
``prefix-map.json``: ``kgx validate`` knows those of the JSON-LD context in its configuration (Biolink's;
scripts/kgx_validate.py adds the declared ones, tests/test_kgx_validator.py), and Biolink has no place for
a graph's own identifiers, so the export declares its prefixes the way Biolink's map does and this check
requires that each declared prefix is new to Biolink, expands to an http(s) namespace, and expands every
node id to the node's ``iri``.
"""

from __future__ import annotations

import csv
import json
import re
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

# kgx.prefix_manager.PrefixManager.is_curie; kgx.validator's CamelCase and snake_case tests
CURIE = re.compile(r"^[^ <()>:]*:[^/ :]+$")
CAMEL_CASE = re.compile(r"^([A-Z][a-z\d]+)+$")
SNAKE_CASE = re.compile(r"^([a-z_][^A-Z\s]+_?[a-z_][^A-Z\s]+)+$")
IRI = re.compile(r"^https?://\S+$")
EXTERNAL_CURIE = re.compile(r"^[A-Za-z_][\w.\-]*:\S+$")
_CASE = {CAMEL_CASE: "CamelCase", SNAKE_CASE: "snake_case"}
# kgx.utils.kgx_utils.column_types: columns the KGX TSV reader always reads as lists
LIST_COLUMNS = {"publications", "qualifiers", "category", "synonym", "same_as", "xrefs", "provided_by",
                "aggregator_knowledge_source", "knowledge_source", "supporting_data_source"}
EXTERNAL_ID_COLUMNS = ("xref", "equivalent_identifiers", "publications")
# Biolink: "nodes in a biolink compatible KG can be considered both instances of biolink classes, and OWL
# classes in their own right" (the ontology class mixin), so a domain or range of ontology class admits any
ANY_NODE = "ontology class"


def model_files() -> tuple[Path, Path]:
    """The Biolink model YAML and prefix map that the installed ``biolink-model`` package ships."""
    root = files("biolink_model")
    return (Path(str(root / "schema" / "biolink_model.yaml")),
            Path(str(root / "prefixmaps" / "biolink-model-prefix-map.json")))


@lru_cache(maxsize=1)
def toolkit() -> Any:
    """A bmt Toolkit on the shipped model, with an empty predicate map (no download)."""
    from bmt import Toolkit

    return Toolkit(str(model_files()[0]), predicate_map={"predicate mappings": []})


def biolink_prefixes() -> dict[str, str]:
    return json.loads(model_files()[1].read_text(encoding="utf-8"))


def _name(term: str) -> str:
    """``biolink:ChemicalMixture`` / ``has_part`` → ``chemical mixture`` / ``has part`` (bmt's names)."""
    from bmt.utils import parse_name

    return parse_name(term)


def _read(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line, record) of a KGX TSV file, cells parsed as the KGX TSV reader does (empty cells dropped)."""
    multivalued = _multivalued_slots()
    rows = []
    with path.open(encoding="utf-8", newline="") as stream:
        for line, row in enumerate(csv.DictReader(stream, delimiter="\t"), start=2):
            record: dict[str, Any] = {}
            for key, value in row.items():
                if not value:
                    continue
                if key in LIST_COLUMNS or "|" in value:
                    record[key] = [v for v in value.split("|") if v]
                else:
                    record[key] = [value] if key in multivalued else value
            rows.append((line, record))
    return rows


@lru_cache(maxsize=1)
def _multivalued_slots() -> frozenset[str]:
    return frozenset(s.replace(" ", "_") for s in toolkit().get_all_multivalued_slots())


@cache
def _ancestors(category: str) -> frozenset[str]:
    return frozenset(toolkit().get_ancestors(category, mixin=True, reflexive=True, formatted=False))


class _Checker:
    def __init__(self, folder: Path):
        self.tk = toolkit()
        self.biolink = biolink_prefixes()
        declared_file = folder / "prefix-map.json"
        self.declared: dict[str, str] = (json.loads(declared_file.read_text(encoding="utf-8"))
                                         if declared_file.exists() else {})
        self.errors: list[str] = []
        self.where = ""

    def error(self, message: str) -> None:
        self.errors.append(f"{self.where}: {message}")

    def check_declared(self) -> None:
        self.where = "prefix-map.json"
        for prefix, namespace in self.declared.items():
            if prefix in self.biolink:
                self.error(f"prefix '{prefix}' is already a Biolink prefix ({self.biolink[prefix]})")
            if not IRI.match(namespace):
                self.error(f"prefix '{prefix}' does not expand to an http(s) namespace: {namespace!r}")

    def curie(self, what: str, value: Any, biolink_only: bool = False) -> None:
        """A node id, edge end or ``original_predicate`` is a KGX CURIE (no "/" after the colon) with a
        known prefix; an external identifier is a CURIE with a Biolink prefix, or a full IRI."""
        known = self.biolink if biolink_only else {**self.biolink, **self.declared}
        pattern = EXTERNAL_CURIE if biolink_only else CURIE
        if not isinstance(value, str) or IRI.match(value) or not pattern.match(value):
            if not (biolink_only and isinstance(value, str) and IRI.match(value)):
                self.error(f"{what} {value!r} is not a CURIE")
        elif value.split(":", 1)[0] not in known:
            self.error(f"{what} {value!r} has a prefix that is not in the Biolink prefix map"
                       + ("" if biolink_only else " nor declared in prefix-map.json"))

    def property_types(self, record: dict[str, Any]) -> None:
        for key, value in record.items():
            element = self.tk.get_element(_name(key))
            if element is None:
                continue  # properties outside Biolink are allowed in KGX
            if element.multivalued and not isinstance(value, list):
                self.error(f"multivalued property '{key}' is not a list")
            if not element.multivalued and isinstance(value, list):
                self.error(f"single-valued property '{key}' has several values: {value}")

    def element(self, kind: str, value: str, pattern: re.Pattern) -> Any:
        name = value.split(":", 1)[1] if value.startswith("biolink:") else value
        if not value.startswith("biolink:") or not pattern.match(name):
            self.error(f"{kind} {value!r} is not a biolink: term in {_CASE[pattern]}")
            return None
        element = self.tk.get_element(_name(name))
        if element is None:
            self.error(f"{kind} {value!r} is not in the Biolink model")
        elif _name(name) != element.name:
            self.error(f"{kind} {value!r} is an alias of '{element.name}'")
        elif element.mixin:
            self.error(f"{kind} {value!r} is a mixin")
        elif element.abstract:
            self.error(f"{kind} {value!r} is abstract")
        elif element.deprecated:
            self.error(f"{kind} {value!r} is deprecated")
        else:
            return element
        return None

    def check_nodes(self, rows: list[tuple[int, dict[str, Any]]]) -> dict[str, list[str]]:
        categories: dict[str, list[str]] = {}
        for line, node in rows:
            self.where = f"nodes.tsv line {line} ({node.get('id', '?')})"
            for required in ("id", "category"):
                if required not in node:
                    self.error(f"required node property '{required}' is missing")
            self.property_types(node)
            if "id" not in node:
                continue
            self.curie("id", node["id"])
            prefix, _, local = str(node["id"]).partition(":")
            if prefix in self.declared and node.get("iri") != self.declared[prefix] + local:
                self.error(f"id does not expand to the node's iri {node.get('iri')!r}")
            for column in EXTERNAL_ID_COLUMNS:
                for value in node.get(column, []):
                    self.curie(column, value, biolink_only=True)
            found = []
            for category in node.get("category", []):
                element = self.element("category", category, CAMEL_CASE)
                if element is not None and not self.tk.is_category(element.name):
                    self.error(f"category {category!r} is not a Biolink category")
                elif element is not None:
                    found.append(element.name)
            categories[str(node["id"])] = found
        return categories

    def check_edges(self, rows: list[tuple[int, dict[str, Any]]], categories: dict[str, list[str]]) -> None:
        required = [p.replace(" ", "_") for p in self.tk.get_all_edge_properties()
                    if (e := self.tk.get_element(p)) is not None and e.required and not e.deprecated]
        levels = set(self.tk.view.get_enum("KnowledgeLevelEnum").permissible_values)
        agents = set(self.tk.view.get_enum("AgentTypeEnum").permissible_values)
        for line, edge in rows:
            self.where = f"edges.tsv line {line} ({edge.get('subject', '?')} {edge.get('predicate', '?')} " \
                         f"{edge.get('object', '?')})"
            for prop in sorted(set(required) | {"id"}):
                if prop not in edge:
                    self.error(f"required edge property '{prop}' is missing")
            self.property_types(edge)
            for end in ("subject", "object"):
                if end in edge:
                    self.curie(end, edge[end])
                    if edge[end] not in categories:
                        self.error(f"{end} {edge[end]!r} is not a node of nodes.tsv")
            if "original_predicate" in edge:
                self.curie("original_predicate", edge["original_predicate"])
            for column in ("publications",):
                for value in edge.get(column, []):
                    self.curie(column, value, biolink_only=True)
            if "knowledge_level" in edge and edge["knowledge_level"] not in levels:
                self.error(f"knowledge_level {edge['knowledge_level']!r} is not in KnowledgeLevelEnum")
            if "agent_type" in edge and edge["agent_type"] not in agents:
                self.error(f"agent_type {edge['agent_type']!r} is not in AgentTypeEnum")
            if "predicate" not in edge:
                continue
            predicate = self.element("predicate", str(edge["predicate"]), SNAKE_CASE)
            if predicate is None:
                continue
            if "related to" not in self.tk.get_ancestors(predicate.name, formatted=False, reflexive=True):
                self.error(f"predicate {edge['predicate']!r} is not a Biolink predicate (under related_to)")
                continue
            for end, constraint in (("subject", predicate.domain), ("object", predicate.range)):
                found = categories.get(str(edge.get(end)), [])
                if constraint and constraint != ANY_NODE and found \
                        and not any(constraint in _ancestors(c) for c in found):
                    side = "domain" if end == "subject" else "range"
                    self.error(f"{end} category {found} is outside the {side} '{constraint}' of "
                               f"{edge['predicate']}")


def check_kgx(folder: Path) -> list[str]:
    """Every problem of the KGX export in ``folder`` (``nodes.tsv``, ``edges.tsv``, ``prefix-map.json``),
    one message each naming file, line and record; an empty list when it is valid."""
    checker = _Checker(folder)
    checker.check_declared()
    categories = checker.check_nodes(_read(folder / "nodes.tsv"))
    checker.check_edges(_read(folder / "edges.tsv"), categories)
    return checker.errors
