"""The model's classes and properties as Biolink categories and predicates (for the KGX export).

Every class and every projected property of :mod:`kg.core.schema` is mapped here, to a specific
Biolink term or explicitly to the most general one (``biolink:NamedThing``, ``biolink:related_to``);
``tests/test_schema.py`` fails when one is missing. The export keeps each ``nmo`` property as the
edge's ``original_predicate``.

>>> BIOLINK_CATEGORY["SiRNA"], BIOLINK_PREDICATE["nmo:binds"]
('biolink:NucleicAcidEntity', 'biolink:physically_interacts_with')
"""

from __future__ import annotations

from kg.core import schema as s

NAMED_THING = "biolink:NamedThing"
RELATED_TO = "biolink:related_to"

BIOLINK_CATEGORY = {
    "Formulation": "biolink:ChemicalMixture", "FormulationStrategy": "biolink:ChemicalMixture",
    "SmallMolecule": "biolink:SmallMolecule", "Protein": "biolink:Protein", "Antibody": "biolink:Protein",
    "Peptide": "biolink:Polypeptide", "NucleicAcid": "biolink:NucleicAcidEntity",
    "SiRNA": "biolink:NucleicAcidEntity", "MiRNA": "biolink:NucleicAcidEntity",
    "MRNA": "biolink:NucleicAcidEntity", "Plasmid": "biolink:NucleicAcidEntity",
    "Agent": "biolink:ChemicalEntity", "Material": "biolink:ChemicalEntity",
    "PhotoactiveAgent": "biolink:ChemicalEntity", "ImagingAgent": "biolink:ChemicalEntity",
    "TargetingLigand": "biolink:ChemicalEntity", "CellTherapy": "biolink:Cell",
    "MolecularTarget": "biolink:BiologicalEntity", "Target": "biolink:BiologicalEntity",
    "CellPopulation": "biolink:Cell", "CancerType": "biolink:Disease", "Organ": "biolink:AnatomicalEntity",
    "CascadeStep": "biolink:PathologicalProcess", "TherapyModality": "biolink:Procedure",
    "Study": "biolink:Study", "ClinicalTrial": "biolink:ClinicalTrial",
    "SourceDocument": "biolink:Publication",
    "Agency": "biolink:Agent",
    "RegulatoryApproval": NAMED_THING, "CarrierType": NAMED_THING, "Mechanism": NAMED_THING,
    "EvidenceLevel": NAMED_THING, "DrugClass": NAMED_THING,
}

BIOLINK_PREDICATE = {
    s.HAS_CARRIER: "biolink:has_part", s.HAS_COATING: "biolink:has_part", s.HAS_CARGO: "biolink:has_part",
    s.HAS_LIGAND: "biolink:has_part", s.BINDS: "biolink:physically_interacts_with",
    s.ACTS_ON: "biolink:affects", s.INVOLVED_IN: "biolink:participates_in", s.PRECEDES: "biolink:precedes",
    s.BROADER: "biolink:subclass_of",
    **{p: RELATED_TO for p in (
        s.TARGETS, s.EVALUATES, s.CANCER_TYPE, s.METASTASIS_SITE, s.MECHANISM, s.ADDRESSES_STEP, s.MODALITY,
        s.COMBINED_WITH, s.EVIDENCE_LEVEL, s.SOURCE_DOCUMENT, s.APPROVES, s.AGENCY, s.INDICATION, s.PHASE,
        s.TESTS_FORMULATION, s.DRUG_CLASS, s.HIGHEST_STATUS, s.REVERSIBLE_WITH)},
}
