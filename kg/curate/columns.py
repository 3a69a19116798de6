"""The curation table format: its sheets, their columns, the separator of multi-valued cells, the slug
rule for IRIs (``docs/CURATION.md``).

A table has up to four sheets: ``studies`` (one row per study), ``sources`` (new source documents),
``vocabulary`` (new terms) and ``statements`` (background biology with its provenance). A TSV or CSV
file holds one sheet, recognised by its key column; a YAML file holds any of them as sections.

>>> slug("AuNC@CBSA@HA"), slug("HIF-1α"), slug("TGF-β1 / Smad")
('aunc-cbsa-ha', 'hif-1alpha', 'tgf-beta1-smad')
>>> split_cell("paclitaxel; indocyanine green ;"), SHEETS["studies"].key
(['paclitaxel', 'indocyanine green'], 'formulation')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.core import schema

SEPARATOR = "; "
"""Between the values of a multi-valued cell (``paclitaxel; indocyanine green``)."""

YES, NO = ("yes", "true", "y", "1"), ("no", "false", "n", "0", "")

_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
          "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
          "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "χ": "chi",
          "ψ": "psi", "ω": "omega"}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_INFERRED = re.compile(r"^(.*?)\s*\[inferred:(.*)\]\s*$")  # the reason may cite references: [158]


def slug(text: str) -> str:
    """The slug rule: lower-case, Greek letters as words, every other run of characters one ``-``."""
    text = "".join(_GREEK.get(ch, ch) for ch in text.lower())
    return _NOT_SLUG.sub("-", text).strip("-")


def marked(value: str) -> tuple[str, str]:
    """A cell value and what it is inferred from, if marked so (``4T1 model`` below).

    >>> marked("breast cancer [inferred: 4T1 model]"), marked("lung")
    (('breast cancer', '4T1 model'), ('lung', ''))
    >>> marked("folate receptor [inferred: folate conjugation (l.528-529 [158])]")
    ('folate receptor', 'folate conjugation (l.528-529 [158])')
    """
    if m := _INFERRED.match(value):
        return m.group(1), m.group(2).strip()
    return value, ""


def with_mark(name: str, why: str) -> str:
    return f"{name} [inferred: {why}]" if why else name


def split_cell(text: str) -> list[str]:
    """The values of a multi-valued cell (split at ``;``, blanks dropped)."""
    return [part.strip() for part in text.split(";") if part.strip()]


@dataclass(frozen=True)
class Column:
    """One column of a sheet. ``classes``: the nmo classes its names resolve among (an entity column);
    ``multi``: several values, separated by :data:`SEPARATOR`."""

    name: str
    help: str
    predicate: str | None = None
    classes: tuple[str, ...] = ()
    multi: bool = False
    required: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str
    key: str  # the column that identifies the sheet in a TSV/CSV header
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return self._by_name[name]

    @property
    def _by_name(self) -> dict[str, Column]:
        found = self.__dict__.get("_columns")
        if found is None:
            found = {c.name: c for c in self.columns}
            object.__setattr__(self, "_columns", found)
        return found


# a formulation's components: each value is stated at the row's source place (a sourced rdf:Statement)
COMPONENTS = ("carrier_types", "coatings", "ligands", "cargo", "targets")
COMPOSITION = (*COMPONENTS, "different_from")
STUDY_LINKS = ("cancer_types", "metastasis_sites", "mechanisms", "cascade_steps", "modalities",
               "combined_with", "evidence_level")

STUDIES = Sheet("studies", "formulation", (
    Column("study", "CURIE of the study; empty: minted by the slug rule "
                    "(study:<source>-<where>-<formulation>)"),
    Column("formulation", "name, alt name or CURIE of the formulation; an unknown name with carrier types "
                          "(or a formulation_id) adds a new formulation with this label", required=True),
    Column("formulation_id", "CURIE of a new formulation, when it is not form:<slug of its label>"),
    Column("formulation_kind", "formulation (a named system; default) or strategy (a class of systems)"),
    Column("alt_names", "other names of the formulation", "skos:altLabel", multi=True),
    Column("carrier_types", "carrier types the row's source place states", schema.HAS_CARRIER,
           ("CarrierType",), True),
    Column("coatings", "coatings (materials or carrier types) the place states", schema.HAS_COATING,
           ("Agent", "CarrierType"), True),
    Column("ligands", "targeting ligands the place states", schema.HAS_LIGAND, ("TargetingLigand",), True),
    Column("cargo", "cargos (drugs, nucleic acids, dyes…) the place states", schema.HAS_CARGO, ("Agent",),
           True),
    Column("targets", "what the place states the formulation is designed to target", schema.TARGETS,
           ("Target",), True),
    Column("different_from", "formulations this one is not, though they look alike (owl:differentFrom)",
           "owl:differentFrom", ("Formulation",), True),
    Column("non_cancer", "yes for a product that is not a cancer medicine", "nmo:isNonCancer"),
    Column("formulation_note", "a description of the formulation, in our own words", "rdfs:comment"),
    Column("study_label", "label of the study; empty: '<formulation> (<source> <place>)'", "rdfs:label"),
    Column("cancer_types", "cancer types studied", schema.CANCER_TYPE, ("CancerType",), True),
    Column("metastasis_sites", "organs of the metastases studied", schema.METASTASIS_SITE, ("Organ",), True),
    Column("mechanisms", "mechanisms of action", schema.MECHANISM, ("Mechanism",), True),
    Column("cascade_steps", "metastatic cascade steps addressed", schema.ADDRESSES_STEP, ("CascadeStep",),
           True),
    Column("step_from_section", "yes when a step is inferred from the source section", "nmo:stepFromSection"),
    Column("modalities", "therapy modalities", schema.MODALITY, ("TherapyModality",), True),
    Column("combined_with", "agents or modalities given alongside", schema.COMBINED_WITH,
           ("Agent", "TherapyModality"), True),
    Column("evidence_level", "strongest evidence the source states", schema.EVIDENCE_LEVEL,
           ("EvidenceLevel",), True, True),
    Column("source", "source id (CMR2022, NH2026, or one of the sources sheet) or its DOI",
           schema.SOURCE_DOCUMENT, ("SourceDocument",), required=True),
    Column("section", "section or table of the source ('4', 'Table 2')", schema.SECTION),
    Column("lines", "manuscript lines ('601-605')", schema.LINES),
    Column("references", "reference numbers the source cites for it", schema.CITED_REFERENCE, multi=True),
    Column("note", "what the study found, in our own words", "rdfs:comment"),
))

SOURCES = Sheet("sources", "doi", (
    Column("id", "short name, also the label and the IRI src:<id> (e.g. CMR2022)", required=True),
    Column("doi", "DOI of the document (10.xxxx/…)", schema.DOI, required=True),
    Column("definition", "what the document is, in our own words", "skos:definition"),
))

VOCABULARY = Sheet("vocabulary", "class", (
    Column("id", "CURIE of the new term; empty: <family>:<slug of its label>"),
    Column("label", "its name", "rdfs:label", required=True),
    Column("class", "its class(es), e.g. SmallMolecule; TargetingLigand", multi=True, required=True),
    Column("alt_names", "synonyms (with an ASCII spelling of Greek letters)", "skos:altLabel", multi=True),
    Column("parent", "broader term of the same class (required for carrier types and mechanisms)",
           schema.BROADER),
    Column("definition", "a short definition, in our own words", "skos:definition", required=True),
    Column("external_id", "identifier checked at its authority: HGNC:1681, CHEBI:…, MONDO:…, NCIT:…, "
                          "UBERON:…, GO:…, or an https IRI", "skos:exactMatch"),
))

STATEMENTS = Sheet("statements", "predicate", (
    Column("subject", "a target (involved_in) or an agent (acts_on, binds, drug_class, highest_status)",
           required=True),
    Column("predicate", "involved_in, acts_on, binds, drug_class or highest_status", required=True),
    Column("object", "a cascade step, target, drug class or evidence level", required=True),
    Column("source", "source id or DOI", schema.SOURCE_DOCUMENT, ("SourceDocument",), required=True),
    Column("section", "section or table of the source", schema.SECTION),
    Column("lines", "manuscript lines", schema.LINES),
    Column("references", "reference numbers", schema.CITED_REFERENCE, multi=True),
))

SHEETS = {s.name: s for s in (STUDIES, SOURCES, VOCABULARY, STATEMENTS)}

# statements: predicate name → (CURIE, subject classes, object classes)
BACKGROUND = {
    "involved_in": (schema.INVOLVED_IN, ("Target",), ("CascadeStep",)),
    "acts_on": (schema.ACTS_ON, ("Agent",), ("Target",)),
    "binds": (schema.BINDS, ("Agent",), ("Target",)),
    "drug_class": (schema.DRUG_CLASS, ("Agent",), ("DrugClass",)),
    "highest_status": (schema.HIGHEST_STATUS, ("Agent",), ("EvidenceLevel",)),
}

# vocabulary: the classes a new term may have, and the IRI family (prefix) each belongs to
FAMILY_PREFIX = {
    **{t: "agent" for t in schema.AGENT_TYPES}, **{t: "target" for t in schema.TARGET_TYPES},
    "CarrierType": "carrier", "Mechanism": "mechanism", "CancerType": "disease", "Organ": "organ",
    "TherapyModality": "modality", "DrugClass": "drugclass",
}
SCHEMES = {"CarrierType": "nmo:CarrierScheme", "Mechanism": "nmo:MechanismScheme",
           "DrugClass": "nmo:DrugClassScheme"}
NEEDS_PARENT = ("CarrierType", "Mechanism")

# external identifiers: authority → (pattern of the local id, IRI prefix)
AUTHORITIES = {
    "HGNC": (r"[0-9]+", "https://identifiers.org/hgnc:"),
    "CHEBI": (r"[0-9]+", "https://identifiers.org/chebi:"),
    "MONDO": (r"[0-9]{7}", "https://identifiers.org/mondo:"),
    "NCIT": (r"C[0-9]+", "https://identifiers.org/ncit:"),
    "UBERON": (r"[0-9]{7}", "https://identifiers.org/uberon:"),
    "GO": (r"[0-9]{7}", "https://identifiers.org/go:"),
}
DOI_PATTERN = re.compile(r"^10\.[0-9]{4,9}/\S+$")
SOURCE_ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
LINES_PATTERN = re.compile(r"^[0-9]+(-[0-9]+)?$")
