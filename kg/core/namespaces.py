"""The ontology namespace as an rdflib ``DefinedNamespace``: a misspelt term raises instead of minting an IRI.

>>> str(NMO.Formulation)
'https://w3id.org/nanomet-kg/ontology#Formulation'
>>> NMO.Formulaton
Traceback (most recent call last):
...
AttributeError: term 'Formulaton' not in namespace 'https://w3id.org/nanomet-kg/ontology#'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg.core.prefixes import NMO as _NMO
from kg.core.prefixes import PREFIXES


class NMO(DefinedNamespace):
    """Terms of ``ontology/nanomet.ttl`` (kept in sync by ``tests/test_ontology.py``)."""

    _NS = Namespace(_NMO)
    _fail = True

    # classes
    Agency: URIRef
    Agent: URIRef
    Antibody: URIRef
    CancerType: URIRef
    CarrierType: URIRef
    CascadeStep: URIRef
    CellPopulation: URIRef
    CellTherapy: URIRef
    ClinicalTrial: URIRef
    DrugClass: URIRef
    EvidenceLevel: URIRef
    Formulation: URIRef
    FormulationStrategy: URIRef
    ImagingAgent: URIRef
    MRNA: URIRef
    Material: URIRef
    Mechanism: URIRef
    MiRNA: URIRef
    MolecularTarget: URIRef
    NucleicAcid: URIRef
    Organ: URIRef
    Peptide: URIRef
    PhotoactiveAgent: URIRef
    Plasmid: URIRef
    Protein: URIRef
    RegulatoryApproval: URIRef
    SiRNA: URIRef
    SmallMolecule: URIRef
    SourceDocument: URIRef
    Study: URIRef
    Target: URIRef
    TargetingLigand: URIRef
    TherapyModality: URIRef
    # concept schemes
    CarrierScheme: URIRef
    DrugClassScheme: URIRef
    MechanismScheme: URIRef
    # properties
    actsOn: URIRef
    addressesStep: URIRef
    agency: URIRef
    approvalYear: URIRef
    approves: URIRef
    binds: URIRef
    cancerType: URIRef
    citedReference: URIRef
    combinedWith: URIRef
    doi: URIRef
    drugClass: URIRef
    evaluates: URIRef
    evidenceLevel: URIRef
    hasCargo: URIRef
    hasCarrier: URIRef
    hasCoating: URIRef
    hasLigand: URIRef
    highestStatus: URIRef
    indication: URIRef
    indicationText: URIRef
    inferredFrom: URIRef
    involvedIn: URIRef
    isNonCancer: URIRef
    isTruncated: URIRef
    lines: URIRef
    mechanism: URIRef
    metastasisSite: URIRef
    modality: URIRef
    nctId: URIRef
    phase: URIRef
    precedes: URIRef
    rank: URIRef
    reversibleWith: URIRef
    section: URIRef
    shortName: URIRef
    sourceDocument: URIRef
    stepFromSection: URIRef
    targets: URIRef
    testsFormulation: URIRef
    trialStatus: URIRef


def bind_prefixes(graph) -> None:
    """Bind the project prefixes on an rdflib graph (for readable serialisation)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, Namespace(ns), override=True)
