"""The model's classes and properties as Biolink categories and predicates (for the KGX export).

Every class and every projected property of :mod:`kg.core.schema` is mapped here (``tests/test_schema.py``
fails when one is missing), each to the most specific Biolink 4.x term whose definition, domain and range
hold for it; the export keeps each ``nmo`` property as the edge's ``original_predicate``. Where Biolink has
nothing true and more specific, the mapping is ``biolink:related_to`` on purpose (see ``RELATED_TO_WHY``).
``tests/test_kgx_validation.py`` checks the mapped export against the Biolink model shipped by the
``biolink-model`` package (categories, predicates, domains and ranges).

>>> BIOLINK_CATEGORY["SiRNA"], BIOLINK_PREDICATE["nmo:binds"]
('biolink:NucleicAcidEntity', 'biolink:directly_physically_interacts_with')
>>> node_id("https://w3id.org/nanomet-kg/id/agent/doxorubicin")
'nmkg.agent:doxorubicin'
>>> xref("http://purl.obolibrary.org/obo/CHEBI_28748"), xref("https://identifiers.org/hgnc:2561")
('CHEBI:28748', 'HGNC:2561')
"""

from __future__ import annotations

from kg.core import schema as s
from kg.core.prefixes import FAMILIES, ID, NMO

NAMED_THING = "biolink:NamedThing"
RELATED_TO = "biolink:related_to"

# ------------------------------------------------------------------ identifiers

# Node ids are CURIEs under one declared prefix per entity family (``nmkg.agent:doxorubicin``), expanding to
# the entity IRIs of the graph. A KGX CURIE's local part may not contain "/" (the KGX validator's rule), so
# the family goes into the prefix, as in Biolink's own ``CHEMBL.COMPOUND`` or ``KEGG.DRUG``. The export
# writes these declarations to ``prefix-map.json``; the ontology's own prefix ``nmo`` is declared too
# (edges name their ``nmo`` property as ``original_predicate``).
KGX_PREFIXES: dict[str, str] = {**{f"nmkg.{f}": f"{ID}{f}/" for f in FAMILIES}, "nmo": NMO}
_BY_NAMESPACE = {ns: p for p, ns in KGX_PREFIXES.items()}

# How the verified external identifiers of the data (skos:exactMatch IRIs) are written as CURIEs with the
# prefixes of the Biolink model's prefix map.
XREF_NAMESPACES: dict[str, str] = {
    "https://identifiers.org/hgnc:": "HGNC",
    "http://identifiers.org/hgnc/": "HGNC",
    "https://clinicaltrials.gov/study/": "CLINICALTRIALS",
    "https://doi.org/": "doi",
    **{f"http://purl.obolibrary.org/obo/{p}_": p for p in ("CHEBI", "MONDO", "UBERON", "GO", "NCIT", "CL")},
}


def node_id(iri: str) -> str:
    """The KGX id of an entity IRI: ``nmkg.<family>:<local>``; other IRIs are returned unchanged."""
    cut = iri.rfind("/") + 1
    prefix = _BY_NAMESPACE.get(iri[:cut])
    return f"{prefix}:{iri[cut:]}" if prefix else iri


def xref(iri: str) -> str:
    """An external identifier IRI as a Biolink CURIE where its namespace is known; otherwise the IRI."""
    for namespace, prefix in XREF_NAMESPACES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


# ------------------------------------------------------------------ categories

BIOLINK_CATEGORY = {
    # a nano-formulation is a substance intended for the diagnosis or treatment of disease (Biolink: Drug)
    "Formulation": "biolink:Drug", "FormulationStrategy": "biolink:Drug",
    "SmallMolecule": "biolink:SmallMolecule", "Protein": "biolink:Protein", "Antibody": "biolink:Protein",
    "Peptide": "biolink:Polypeptide", "NucleicAcid": "biolink:NucleicAcidEntity",
    "SiRNA": "biolink:NucleicAcidEntity", "MiRNA": "biolink:NucleicAcidEntity",
    "MRNA": "biolink:NucleicAcidEntity", "Plasmid": "biolink:NucleicAcidEntity",
    "Agent": "biolink:ChemicalEntity", "Material": "biolink:ChemicalEntity",
    "PhotoactiveAgent": "biolink:ChemicalEntity", "ImagingAgent": "biolink:ChemicalEntity",
    "TargetingLigand": "biolink:ChemicalEntity", "CellTherapy": "biolink:Cell",
    # genes, proteins, families and pathways alike; Biolink's BiologicalEntity is abstract, so a molecular
    # target is a Gene when its verified identifier is an HGNC gene (GENE_XREF_PREFIX), else a NamedThing
    "MolecularTarget": NAMED_THING, "Target": NAMED_THING,
    "CellPopulation": "biolink:Cell", "CancerType": "biolink:Disease", "Organ": "biolink:AnatomicalEntity",
    "CascadeStep": "biolink:PathologicalProcess", "TherapyModality": "biolink:Procedure",
    "Study": "biolink:Study", "ClinicalTrial": "biolink:ClinicalTrial",
    "SourceDocument": "biolink:Publication",
    "Agency": "biolink:Agent",
    # kinds of nanocarrier or carrier component: all material things
    "CarrierType": "biolink:PhysicalEntity",
    "RegulatoryApproval": NAMED_THING, "Mechanism": NAMED_THING,
    "EvidenceLevel": NAMED_THING, "DrugClass": NAMED_THING,
}
GENE = "biolink:Gene"
GENE_XREF_PREFIX = "HGNC:"
# Biolink categories under biolink:MolecularEntity (the range of has_active_ingredient)
MOLECULAR_ENTITIES = ("biolink:SmallMolecule", "biolink:NucleicAcidEntity")


def category(node_type: str, xrefs: list[str] | tuple[str, ...] = ()) -> str:
    """The Biolink category of a node of (most specific) type ``node_type`` with these external ids.

    >>> category("MolecularTarget", ["HGNC:1681"]), category("MolecularTarget"), category("Study")
    ('biolink:Gene', 'biolink:NamedThing', 'biolink:Study')
    """
    if node_type == "MolecularTarget" and any(x.startswith(GENE_XREF_PREFIX) for x in xrefs):
        return GENE
    return BIOLINK_CATEGORY.get(node_type, NAMED_THING)


# ------------------------------------------------------------------ predicates

# The default predicate of each property: the most specific Biolink predicate true of every such link.
BIOLINK_PREDICATE = {
    # composition: the carrier, coating, ligand and cargo are parts of the formulation
    s.HAS_CARRIER: "biolink:has_part", s.HAS_COATING: "biolink:has_part", s.HAS_LIGAND: "biolink:has_part",
    s.HAS_CARGO: "biolink:has_part",  # has_active_ingredient for molecular cargo: see predicate()
    s.BINDS: "biolink:directly_physically_interacts_with",  # binding is direct physical contact
    s.ACTS_ON: "biolink:affects",
    s.INVOLVED_IN: "biolink:actively_involved_in",  # a target plays a part in a cascade step
    s.DRUG_CLASS: "biolink:member_of",  # a drug is a member of its class
    s.PRECEDES: "biolink:precedes", s.REVERSIBLE_WITH: "biolink:temporally_related_to",
    s.BROADER: "biolink:subclass_of",  # the carrier and mechanism hierarchies are hierarchies of kinds
    s.SOURCE_DOCUMENT: "biolink:mentioned_by",  # the review refers to the study, trial or approval
    s.MODALITY: "biolink:has_part",  # the therapy or diagnostic procedure was part of the study
    **{p: RELATED_TO for p in (
        s.TARGETS, s.EVALUATES, s.CANCER_TYPE, s.METASTASIS_SITE, s.MECHANISM, s.ADDRESSES_STEP,
        s.COMBINED_WITH, s.EVIDENCE_LEVEL, s.APPROVES, s.AGENCY, s.INDICATION, s.PHASE, s.TESTS_FORMULATION,
        s.HIGHEST_STATUS)},
}

# Why a property stays biolink:related_to (the docs quote this).
RELATED_TO_WHY = {
    "study findings": (s.EVALUATES, s.CANCER_TYPE, s.METASTASIS_SITE, s.MECHANISM, s.ADDRESSES_STEP,
                       s.COMBINED_WITH, s.EVIDENCE_LEVEL),
    "approvals and trials": (s.APPROVES, s.AGENCY, s.INDICATION, s.PHASE, s.TESTS_FORMULATION,
                             s.HIGHEST_STATUS),
    "targets without a stated binding or action": (s.TARGETS,),
}

HAS_ACTIVE_INGREDIENT = "biolink:has_active_ingredient"
DIRECTLY_INTERACTS = "biolink:directly_physically_interacts_with"
AFFECTS = "biolink:affects"


def predicate(prop: str, object_category: str = NAMED_THING, *, ligand_binds: bool = False,
              cargo_acts_on: bool = False) -> str:
    """The Biolink predicate of one link ``prop`` (a CURIE), given what the graph says around it.

    A formulation's molecular cargo (a small molecule or nucleic acid) is its active ingredient. A
    formulation ``nmo:targets`` a target directly (physical contact) when one of its ligands binds that
    target, and affects it when one of its cargos acts on it; otherwise Biolink has nothing truer than
    related_to for "designed to reach or act on".

    >>> predicate("nmo:hasCargo", "biolink:SmallMolecule"), predicate("nmo:hasCargo", "biolink:Protein")
    ('biolink:has_active_ingredient', 'biolink:has_part')
    >>> predicate("nmo:targets", ligand_binds=True), predicate("nmo:targets", cargo_acts_on=True)
    ('biolink:directly_physically_interacts_with', 'biolink:affects')
    """
    if prop == s.HAS_CARGO and object_category in MOLECULAR_ENTITIES:
        return HAS_ACTIVE_INGREDIENT
    if prop == s.TARGETS and ligand_binds:
        return DIRECTLY_INTERACTS
    if prop == s.TARGETS and cargo_acts_on:
        return AFFECTS
    return BIOLINK_PREDICATE.get(prop, RELATED_TO)
