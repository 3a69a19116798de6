"""The model of ``ontology/nanomet.ttl`` in Python, stated once: node types, predicates and their roles.

Classes are named by their local name (``"CarrierType"``), properties by CURIE (``"nmo:hasCarrier"``).
Behaviour lives elsewhere (:mod:`kg.analysis.node_types`, :mod:`kg.analysis.projection`,
:mod:`kg.analysis.reach`, :mod:`kg.views.style`); the Biolink mappings are in :mod:`kg.core.biolink`.
``tests/test_schema.py`` checks this module against the ontology both ways: every name here is a term
of the ontology, and every class and object property of the ontology has its place here.

>>> FAMILY["SiRNA"], TYPE_ORDER.index("SiRNA") < TYPE_ORDER.index("NucleicAcid")
('Agent', True)
>>> ENTITY_PREDICATES[:2], AXES["step"].predicates
(('nmo:hasCarrier', 'nmo:hasCoating'), ('nmo:addressesStep',))
>>> SOURCED_PREDICATES[4:6]
('nmo:targets', 'nmo:involvedIn')
"""

from __future__ import annotations

from dataclasses import dataclass

# ------------------------------------------------------------------ object properties (CURIEs)

# formulation composition
HAS_CARRIER = "nmo:hasCarrier"
HAS_COATING = "nmo:hasCoating"
HAS_LIGAND = "nmo:hasLigand"
HAS_CARGO = "nmo:hasCargo"
TARGETS = "nmo:targets"
# study
EVALUATES = "nmo:evaluates"
CANCER_TYPE = "nmo:cancerType"
METASTASIS_SITE = "nmo:metastasisSite"
MECHANISM = "nmo:mechanism"
ADDRESSES_STEP = "nmo:addressesStep"
MODALITY = "nmo:modality"
COMBINED_WITH = "nmo:combinedWith"
EVIDENCE_LEVEL = "nmo:evidenceLevel"
# provenance
SOURCE_DOCUMENT = "nmo:sourceDocument"
# approvals and trials
APPROVES = "nmo:approves"
AGENCY = "nmo:agency"
INDICATION = "nmo:indication"
PHASE = "nmo:phase"
TESTS_FORMULATION = "nmo:testsFormulation"
# background biology
INVOLVED_IN = "nmo:involvedIn"
ACTS_ON = "nmo:actsOn"
BINDS = "nmo:binds"
DRUG_CLASS = "nmo:drugClass"
HIGHEST_STATUS = "nmo:highestStatus"
# the vocabulary's own structure: cascade order and SKOS hierarchies
PRECEDES = "nmo:precedes"
REVERSIBLE_WITH = "nmo:reversibleWith"
BROADER = "skos:broader"

# ------------------------------------------------------------------ datatype properties (CURIEs)

SHORT_NAME = "nmo:shortName"
DOI = "nmo:doi"
SECTION = "nmo:section"
LINES = "nmo:lines"
CITED_REFERENCE = "nmo:citedReference"
INFERRED_FROM = "nmo:inferredFrom"

# ------------------------------------------------------------------ predicate roles

# What a formulation is made of (and aims at): each such triple needs a sourced rdf:Statement per place
# that states it (the lint checks it), so a projected link cites exactly those places.
COMPOSITION_PREDICATES = (HAS_CARRIER, HAS_COATING, HAS_LIGAND, HAS_CARGO, TARGETS)
# A study's findings: they become formulation → X links when studies are collapsed.
STUDY_PREDICATES = (CANCER_TYPE, METASTASIS_SITE, MECHANISM, ADDRESSES_STEP, MODALITY, COMBINED_WITH,
                    EVIDENCE_LEVEL)
# What approvals and trials state (each cites itself).
CLINICAL_PREDICATES = (APPROVES, AGENCY, INDICATION, PHASE, TESTS_FORMULATION)
# Background biology: every such triple needs a sourced rdf:Statement (the lint checks it).
BACKGROUND_PREDICATES = (INVOLVED_IN, ACTS_ON, BINDS, DRUG_CLASS, HIGHEST_STATUS)
# Every predicate whose triples are sourced by reified statements (``rdf:Statement`` with
# nmo:sourceDocument and nmo:section or nmo:lines) rather than by a study, approval or trial: the lint
# requires one, projections and exports cite them, the hold-out drops what only the held-out review states.
SOURCED_PREDICATES = (*COMPOSITION_PREDICATES, *BACKGROUND_PREDICATES)
# The background biology between agents, targets and cascade steps (``kg reach --via`` follows it).
TARGET_BIOLOGY_PREDICATES = (INVOLVED_IN, ACTS_ON, BINDS)
# Links of the vocabulary itself (hierarchies, cascade order): they rest on the model, not a source.
VOCABULARY_PREDICATES = (PRECEDES, REVERSIBLE_WITH, BROADER)

# Every link between entities, by the part of the ontology it belongs to; the projection keeps them
# all, in this order. An ontology object property belongs to exactly one part, or to
# NOT_PROJECTED_PREDICATES (none so far) when the projection is meant to leave it out.
PREDICATE_PARTS: dict[str, tuple[str, ...]] = {
    "composition": COMPOSITION_PREDICATES,
    "study": (EVALUATES, *STUDY_PREDICATES),
    "provenance": (SOURCE_DOCUMENT,),
    "clinical": CLINICAL_PREDICATES,
    "background": BACKGROUND_PREDICATES,
    "vocabulary": VOCABULARY_PREDICATES,
}
ENTITY_PREDICATES = tuple(p for part in PREDICATE_PARTS.values() for p in part)
NOT_PROJECTED_PREDICATES: tuple[str, ...] = ()

# How views group the predicates (a colour per group in kg.views.style), in legend order.
VIEW_GROUPS: dict[str, tuple[str, ...]] = {
    "composition": (HAS_CARRIER, HAS_COATING, HAS_LIGAND, HAS_CARGO),
    "targeting": (TARGETS, BINDS, ACTS_ON),
    "study findings": (MECHANISM, ADDRESSES_STEP, CANCER_TYPE, METASTASIS_SITE, MODALITY, COMBINED_WITH),
    "cascade biology": (INVOLVED_IN, PRECEDES, REVERSIBLE_WITH),
    "clinical and regulatory": (APPROVES, AGENCY, INDICATION, PHASE, TESTS_FORMULATION),
    "evidence and provenance": (EVALUATES, EVIDENCE_LEVEL, SOURCE_DOCUMENT, HIGHEST_STATUS),
    "hierarchy and classes": (BROADER, DRUG_CLASS),
}

# ------------------------------------------------------------------ classes as node types

# Most specific first: a node's ``type`` is the first of its classes in this order.
AGENT_TYPES = ("SiRNA", "MiRNA", "MRNA", "Plasmid", "NucleicAcid", "Antibody", "Peptide", "Protein",
               "PhotoactiveAgent", "ImagingAgent", "CellTherapy", "SmallMolecule", "Material",
               "TargetingLigand", "Agent")
TARGET_TYPES = ("MolecularTarget", "CellPopulation", "Target")
TYPE_ORDER = (
    "FormulationStrategy", "Formulation", "Study", "ClinicalTrial", "RegulatoryApproval", *AGENT_TYPES,
    *TARGET_TYPES, "CarrierType", "Mechanism", "CascadeStep", "CancerType", "Organ", "TherapyModality",
    "EvidenceLevel", "Agency", "DrugClass", "SourceDocument",
)
# Classes of the ontology that are never a node's type (none so far).
NOT_NODE_TYPES: tuple[str, ...] = ()
# A type's family: its top-level class (types not listed are their own family).
FAMILY = {
    **{t: "Agent" for t in AGENT_TYPES},
    **{t: "Target" for t in TARGET_TYPES},
    "FormulationStrategy": "Formulation",
}
TOP_LEVEL_TYPES = tuple(dict.fromkeys(FAMILY.get(t, t) for t in TYPE_ORDER))
# Node types that qualify a statement rather than take part in it: path and hub analysis leave them
# out (their information is on the edges: ``evidence`` and ``sources``).
QUALIFIER_TYPES = ("SourceDocument", "EvidenceLevel")
# Node types that carry their own provenance (nmo:sourceDocument, section or lines, cited references).
CITED_TYPES = ("Study", "ClinicalTrial", "RegulatoryApproval")
# Node types arranged as SKOS hierarchies of families (skos:broader).
HIERARCHICAL_TYPES = ("CarrierType", "Mechanism")

# Short names a command accepts for a type (``--type carrier``), besides the class names in any case.
SHORT_NAMES = {
    "carrier": "CarrierType", "mechanism": "Mechanism", "step": "CascadeStep", "target": "Target",
    "formulation": "Formulation", "study": "Study", "agent": "Agent", "drug": "Agent", "cargo": "Agent",
    "ligand": "Agent", "cancer": "CancerType", "site": "Organ", "organ": "Organ",
    "modality": "TherapyModality", "evidence": "EvidenceLevel", "trial": "ClinicalTrial",
    "approval": "RegulatoryApproval", "source": "SourceDocument", "drugclass": "DrugClass",
}

# ------------------------------------------------------------------ reach axes


@dataclass(frozen=True)
class Axis:
    """One side of a reach matrix: the node type and the statements (of the formulation or its study)
    that lead to it."""

    name: str
    node_type: str
    predicates: tuple[str, ...]
    on_study: bool
    description: str


AXES = {a.name: a for a in (
    Axis("carrier", "CarrierType", (HAS_CARRIER, HAS_COATING), False, "carrier type of the formulation"),
    Axis("target", "Target", (TARGETS,), False, "what the formulation targets"),
    Axis("cargo", "Agent", (HAS_CARGO,), False, "cargo of the formulation"),
    Axis("ligand", "Agent", (HAS_LIGAND,), False, "targeting ligand of the formulation"),
    Axis("coating", "Agent", (HAS_COATING,), False, "coating material of the formulation"),
    Axis("mechanism", "Mechanism", (MECHANISM,), True, "mechanism named by the study"),
    Axis("step", "CascadeStep", (ADDRESSES_STEP,), True, "cascade step the study addresses"),
    Axis("cancer", "CancerType", (CANCER_TYPE,), True, "cancer type of the study"),
    Axis("site", "Organ", (METASTASIS_SITE,), True, "metastasis site of the study"),
    Axis("modality", "TherapyModality", (MODALITY,), True, "therapy modality of the study"),
    Axis("evidence", "EvidenceLevel", (EVIDENCE_LEVEL,), True, "evidence level of the study"),
)}
