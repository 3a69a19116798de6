"""Composition with provenance (issue 19 item 4): which review, at which place, states a formulation's
carrier, coating, ligand, cargo or designed target — answered against the real, built KG.

Every expected place below was read BY HAND in ``../shared/sources/`` (not in the Turtle); the docstring
of each case quotes or cites the passage. A place is written as the review prints it: ``CMR2022 §8
[124,125,126,127]`` (section + reference numbers), ``NH2026 l.542-544`` (manuscript lines) or ``NH2026
Table 2`` (one table row). Expectations are exact: a place listed states the component, and every other
place that speaks of the formulation does not (that is what holding one review out relies on).

The last tests check the whole data set: every composition triple has a sourced statement, each statement
names a real place of its formulation, and sits in a file of its own review (``data/triples/<review>/``).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from test_competency import entity, lit, nmo

from kg.core.prefixes import NMO

TRIPLES = Path(__file__).parent.parent / "data" / "triples"
COMPOSITION = ("hasCarrier", "hasCoating", "hasLigand", "hasCargo", "targets")

PLACES = """
SELECT ?doc ?sec ?lines (GROUP_CONCAT(STR(?ref); separator=",") AS ?refs) ?why WHERE {
  ?st a rdf:Statement ; rdf:subject ?f ; rdf:predicate ?p ; rdf:object ?o ; nmo:sourceDocument ?doc .
  OPTIONAL { ?st nmo:section ?sec }
  OPTIONAL { ?st nmo:lines ?lines }
  OPTIONAL { ?st nmo:citedReference ?ref }
  OPTIONAL { ?st nmo:inferredFrom ?why }
} GROUP BY ?st ?doc ?sec ?lines ?why"""

COMPONENT = """
SELECT DISTINCT ?o WHERE {
  ?o a/rdfs:subClassOf* ?class .
  { ?o rdfs:label ?n } UNION { ?o skos:altLabel ?n } UNION { ?o skos:prefLabel ?n }
  FILTER(isIRI(?o) && LCASE(STR(?n)) = LCASE(STR(?name)))
}"""


def place(row) -> str:
    """A statement's place as the review prints it."""
    doc = row["doc"].value.rsplit("/", 1)[-1]
    sec = row["sec"].value if "sec" in row else ""
    if doc == "CMR2022":
        refs = sorted(int(r) for r in row["refs"].value.split(",") if r) if "refs" in row else []
        return f"CMR2022 §{sec} [{','.join(map(str, refs))}]" if refs else f"CMR2022 §{sec}"
    return f"NH2026 {sec}" if sec.startswith("Table") else f"NH2026 l.{row['lines'].value}"


def component(store, name: str, kind: str) -> ox.NamedNode:
    _, rows = store.select(COMPONENT, {"name": lit(name), "class": nmo(kind)})
    found = {r["o"] for r in rows}
    assert len(found) == 1, f"expected one {kind} called {name!r}, found {sorted(n.value for n in found)}"
    return next(iter(found))


def places(store, formulation: str, predicate: str, name: str, kind: str) -> dict[str, str | None]:
    """Place -> inferredFrom text (None when the place states the component outright)."""
    bindings = {"f": entity(store, formulation), "p": nmo(predicate), "o": component(store, name, kind)}
    _, rows = store.select(PLACES, bindings)
    return {place(r): (r["why"].value if "why" in r else None) for r in rows}


CASES = [
    # NH2026 l.542-544 [164] "Doxil (1995), a pegylated liposomal doxorubicin"; T1 and T2 rows print
    # "PEGylated liposome" / "Doxorubicin". CMR2022 §8 [124-127] names Doxil (1995) but neither part.
    ("Doxil", "hasCarrier", "PEGylated liposome", "CarrierType",
     {"NH2026 l.542-544", "NH2026 Table 1", "NH2026 Table 2"}),
    ("Doxil", "hasCargo", "doxorubicin", "Agent", {"NH2026 l.542-544", "NH2026 Table 1", "NH2026 Table 2"}),
    # Albumin only in the tables (T1 "Albumin-bound NP", T2 "Albumin"); l.542-544 [165] says
    # "protein-bound paclitaxel", l.505-507 [151] lists Abraxane among paclitaxel nanoformulations.
    ("Abraxane", "hasCarrier", "albumin nanoparticle", "CarrierType", {"NH2026 Table 1", "NH2026 Table 2"}),
    ("Abraxane", "hasCargo", "paclitaxel", "Agent",
     {"NH2026 l.505-507", "NH2026 l.542-544", "NH2026 Table 1", "NH2026 Table 2"}),
    # CMR2022 §8 [124-127] calls Onivyde only "liposomal"; NH2026 T2 [212,213]: Irinotecan, PEGylated
    # liposomes.
    ("Onivyde", "hasCarrier", "PEGylated liposome", "CarrierType", {"NH2026 Table 2"}),
    ("Onivyde", "hasCargo", "irinotecan", "Agent", {"NH2026 Table 2"}),
    # CMR2022 §8 [128,129]: Nanotherm "particles for hyperthermia"; NH2026 T3 (NCT06271421):
    # "Aminosilane-coated iron oxide NPs".
    ("NanoTherm", "hasCarrier", "iron oxide nanoparticle", "CarrierType", {"NH2026 Table 3"}),
    ("NanoTherm", "hasCoating", "aminosilane", "Agent", {"NH2026 Table 3"}),
    # Hensify: CMR2022 §8 [128,129] "hafnium oxide nanoparticles"; NH2026 T3 (NBTXR3) "Hafnium oxide
    # nanoparticles". AGuIX: CMR2022 §7 [121] "ultrasmall Gd-based AGuIX NPs"; T3 "Gadolinium-chelated
    # polysiloxane based NPs".
    ("Hensify", "hasCarrier", "hafnium oxide nanoparticle", "CarrierType",
     {"CMR2022 §8 [128,129]", "NH2026 Table 3"}),
    ("AGuIX", "hasCarrier", "gadolinium-based nanoparticle", "CarrierType",
     {"CMR2022 §7 [121]", "NH2026 Table 3"}),
    # CMR2022 §8 [124-127]: "Marqibo, Onivyde, and Vyxeos—all liposomal formulations of cytotoxic drugs".
    ("Marqibo", "hasCarrier", "liposome", "CarrierType", {"CMR2022 §8 [124,125,126,127]"}),
    ("Vyxeos", "hasCarrier", "liposome", "CarrierType", {"CMR2022 §8 [124,125,126,127]"}),
    # NH2026 l.505-507 [150,151] name the drugs of DaunoXome and Genexol PM, not their carriers.
    ("DaunoXome", "hasCarrier", "liposome", "CarrierType", {"NH2026 Table 2"}),
    ("DaunoXome", "hasCargo", "daunorubicin", "Agent", {"NH2026 l.505-507", "NH2026 Table 2"}),
    ("Genexol PM", "hasCarrier", "polymeric micelle", "CarrierType", {"NH2026 Table 1", "NH2026 Table 2"}),
    # Systems in both reviews. CBSA/siS100A4@Exosome: CMR2022 §5 [84], NH2026 l.611-616 [180], T1.
    ("CBSA/siS100A4@Exosome", "hasCargo", "S100A4 siRNA", "Agent",
     {"CMR2022 §5 [84]", "NH2026 l.611-616", "NH2026 Table 1"}),
    # AMD3100-proMel: CMR2022 §6 [90] says only "gene delivery NPs"; NH2026 l.627-628 [183] and T1 name
    # poly(lactone-co-β-amino ester). AMD3100 targets CXCR4 in the text of both, not in T1.
    ("AMD3100-modified promelittin gene-delivery NPs", "hasCarrier", "poly(β-amino ester) nanoparticle",
     "CarrierType", {"NH2026 l.624-629", "NH2026 Table 1"}),
    ("AMD3100-modified promelittin gene-delivery NPs", "targets", "CXCR4", "Target",
     {"CMR2022 §6 [90]", "NH2026 l.624-629"}),
    # Dp44mT/cisplatin NPs: CMR2022 §4 [75] "as-NPs", NH2026 l.601-608 [178] "NPs"; only T1 prints
    # "Polymeric NP (PEG-PLGA)".
    ("Dp44mT/cisplatin NPs", "hasCarrier", "PLGA nanoparticle", "CarrierType", {"NH2026 Table 1"}),
    ("Dp44mT/cisplatin NPs", "hasCargo", "cisplatin", "Agent",
     {"CMR2022 §4 [75]", "NH2026 l.601-608", "NH2026 Table 1"}),
    # Au@MSNs-ZOL: only CMR2022 §6 [86] names farnesyl pyrophosphate synthase.
    ("Au@MSNs-ZOL", "targets", "farnesyl pyrophosphate synthase", "Target", {"CMR2022 §6 [86]"}),
    # VP16-LDH: CMR2022 §4 [82], NH2026 l.608-610 [179] (etoposide with an LDH carrier), T1.
    ("VP16-LDH", "hasCarrier", "layered double hydroxide nanoparticle", "CarrierType",
     {"CMR2022 §4 [82]", "NH2026 l.608-610", "NH2026 Table 1"}),
    # Ceramide nanoliposome, four CMR2022 places: §2 [13] "nanoliposomal formulation of ceramide", §2 [26]
    # "C6 ceramide-formulated liposomes", §2 [37] "Ceramide nanoliposomes", §4 [80,81] "C6 ceramide
    # nanoliposome"; C6 is printed only at [26] and §4.
    ("ceramide nanoliposome", "hasCarrier", "liposome", "CarrierType",
     {"CMR2022 §2 [13]", "CMR2022 §2 [26]", "CMR2022 §2 [37]", "CMR2022 §4 [80,81]"}),
    ("ceramide nanoliposome", "hasCargo", "C6 ceramide", "Agent", {"CMR2022 §2 [26]", "CMR2022 §4 [80,81]"}),
    # Gd metallofullerenol NPs: CMR2022 §2 [54] and §5 [54] both name TGF-β, HIF-1α and CSCs.
    ("Gd metallofullerenol NPs", "targets", "TGF-β", "Target", {"CMR2022 §2 [54]", "CMR2022 §5 [54]"}),
    # FIC-PDT: Ce6 in the text (l.678 "Ce6-embedded nanophotosensitizers"); T1's cargo cell prints a ROCK
    # inhibitor and an anti-PD-L1 antibody instead.
    ("FIC-PDT", "hasCargo", "chlorin e6", "Agent", {"NH2026 l.675-687"}),
    # CMR2022 §8 [124-127] "Marqibo, Onivyde, and Vyxeos—all liposomal formulations of cytotoxic drugs":
    # CMR2022's own carrier for Onivyde; the PEGylated liposome is NH2026 T2's (case above).
    ("Onivyde", "hasCarrier", "liposome", "CarrierType", {"CMR2022 §8 [124,125,126,127]"}),
    # NH2026 l.591-593 [175]: the combination "targets the increased expression of Nectin-4"; CMR2022 §3
    # [72] says the combination "induced Nectin-4 expression" (no target), and T1 names no target.
    ("Nanoquinacrine", "targets", "Nectin-4", "Target", {"NH2026 l.588-593"}),
    ("Nanoquinacrine", "targets", "cancer stem cells", "Target", {"CMR2022 §3 [72]", "NH2026 l.588-593"}),
]


@pytest.mark.parametrize("formulation, predicate, name, kind, expected", CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_which_review_states_which_component(real_store, formulation, predicate, name, kind, expected):
    got = places(real_store, formulation, predicate, name, kind)
    assert set(got) == expected, f"{formulation} {predicate} {name}: stated at {sorted(got)}"
    assert not any(got.values()), f"stated outright, not inferred: {got}"


INFERRED = [
    # NH2026 l.563-567 [170] names bevacizumab in PLGA NPs; that it acts on VEGF is l.81-83 [17].
    ("PLGA NPs", "targets", "VEGF", "Target", "NH2026 l.563-567", "l.81-83"),
    # NH2026 l.664-674 [194,195] and T1: RGD-functionalised CuS NPs; RGD recognises integrins l.517-518 [154].
    ("RGD-functionalized CuS NPs", "targets", "integrins", "Target", "NH2026 l.664-674", "l.517-518"),
    # NH2026 l.598-600 [177]: "folate-conjugated nanocarrier"; the folate receptor is not named there.
    ("FaPPS", "targets", "folate receptor", "Target", "NH2026 l.598-600", "folate"),
    # CMR2022 §5 [84] "conjugated S100A4 siRNA with CBSA and then coated them with exosome membrane"; NH2026
    # l.613-614 [180] "cationic bovine serum albumin conjugated siS100A4 and exosome membrane coated
    # nanoparticles": an albumin core, but neither prints "albumin nanoparticle" (T1: "Exosome-based NP").
    ("CBSA/siS100A4@Exosome", "hasCarrier", "albumin nanoparticle", "CarrierType", "CMR2022 §5 [84]", "CBSA"),
    ("CBSA/siS100A4@Exosome", "hasCarrier", "albumin nanoparticle", "CarrierType", "NH2026 l.611-616",
     "CBSA"),
    # CMR2022 §2 [67]: "hyaluronidase-responsive size-changeable biomimetic NPs (pPP-mCAuNCs@HA) with blood
    # red cell membrane coating": gold nanoclusters and HA only in the product name.
    ("pPP-mCAuNCs@HA", "hasCarrier", "gold nanocluster", "CarrierType", "CMR2022 §2 [67]", "product name"),
    ("pPP-mCAuNCs@HA", "hasCoating", "hyaluronic acid", "Agent", "CMR2022 §2 [67]", "product name"),
    # #19 audit3: CMR2022 §7 [109] "Albumin-based theranostic nano-probe HSA-Gd-IR825": gadolinium and the
    # dye IR825 only in the product name.
    ("HSA-Gd-IR825", "hasCargo", "gadolinium", "Agent", "CMR2022 §7 [109]", "product name"),
    ("HSA-Gd-IR825", "hasCargo", "IR825", "Agent", "CMR2022 §7 [109]", "product name"),
]


@pytest.mark.parametrize("formulation, predicate, name, kind, where, because", INFERRED,
                         ids=[f"{c[0]}-{c[2]}-{c[4]}" for c in INFERRED])
def test_a_component_no_place_names_is_marked_inferred(real_store, formulation, predicate, name, kind,
                                                        where, because):
    got = places(real_store, formulation, predicate, name, kind)
    assert where in got and got[where] and because in got[where], got
    assert all(why for why in got.values()), f"some place is said to state it outright: {got}"


HELD_OUT = """
SELECT DISTINCT ?f WHERE {
  VALUES ?p { nmo:hasCarrier nmo:hasCargo }
  ?f ?p ?o .
  FILTER NOT EXISTS { ?st rdf:subject ?f ; rdf:predicate ?p ; rdf:object ?o ; nmo:sourceDocument ?keep }
  ?study nmo:evaluates ?f ; nmo:sourceDocument ?keep .
}"""


def test_holding_nh2026_out_leaves_the_approved_brands_of_cmr2022_without_carrier_or_drug(real_store):
    """CMR2022 §8 [124-129] names Doxil, Abraxane and NanoTherm without their carrier and drug (those come
    from NH2026 Tables 2-3), calls Onivyde only "liposomal" (PEGylated liposome and irinotecan are NH2026
    T2's), and gives Hensify "hafnium oxide nanoparticles" and Marqibo and Vyxeos "liposomal": a CMR2022-only
    view must lose exactly the former's NH2026-only carriers/cargo, and Onivyde keeps its liposome."""
    cmr = ox.NamedNode("https://w3id.org/nanomet-kg/id/source/CMR2022")
    got = {r["f"] for r in real_store.select(HELD_OUT, {"keep": cmr})[1]}
    brands = {entity(real_store, n) for n in ("Doxil", "Abraxane", "Onivyde", "NanoTherm", "Hensify",
                                              "Marqibo", "Vyxeos")}
    assert got & brands == {entity(real_store, n) for n in ("Doxil", "Abraxane", "Onivyde", "NanoTherm")}
    kept = real_store.select(KEPT, {"f": entity(real_store, "Onivyde"), "keep": cmr})[1]
    assert {r["o"] for r in kept} == {component(real_store, "liposome", "CarrierType")}


KEPT = """
SELECT DISTINCT ?o WHERE {
  ?f nmo:hasCarrier ?o .
  ?st rdf:subject ?f ; rdf:predicate nmo:hasCarrier ; rdf:object ?o ; nmo:sourceDocument ?keep .
}"""


def test_p_ch_has_no_coating_its_hyaluronic_acid_is_the_conjugate(real_store):
    """CMR2022 §2 [66]: P@CH is "a polypyrrole-loaded CPT-conjugated HA NP": hyaluronic acid is the backbone
    camptothecin is conjugated to (a polymer-drug conjugate), not a coat, and the place names no other."""
    f = entity(real_store, "P@CH")
    _, rows = real_store.select("SELECT ?o WHERE { ?f nmo:hasCoating ?o }", {"f": f})
    assert not rows, [r["o"].value for r in rows]
    _, rows = real_store.select("SELECT ?o WHERE { ?st rdf:subject ?f ; rdf:predicate nmo:hasCoating ; "
                                "rdf:object ?o }", {"f": f})
    assert not rows, "a statement of a removed coating is left"
    assert places(real_store, "P@CH", "hasCarrier", "polymer-drug conjugate", "CarrierType") == {
        "CMR2022 §2 [66]": None}


UNSOURCED = """
SELECT ?f ?p ?o WHERE {
  VALUES ?p { nmo:hasCarrier nmo:hasCoating nmo:hasLigand nmo:hasCargo nmo:targets }
  ?f ?p ?o .
  FILTER NOT EXISTS {
    ?st a rdf:Statement ; rdf:subject ?f ; rdf:predicate ?p ; rdf:object ?o ; nmo:sourceDocument ?doc .
    { ?st nmo:section ?where } UNION { ?st nmo:lines ?where }
  }
}"""


def test_every_composition_triple_has_a_sourced_statement(real_store):
    _, rows = real_store.select(UNSOURCED)
    assert not rows, [(r["f"].value, r["p"].value, r["o"].value) for r in rows][:20]


ORPHAN_PLACE = """
SELECT ?f ?p ?o ?doc ?sec ?lines WHERE {
  VALUES ?p { nmo:hasCarrier nmo:hasCoating nmo:hasLigand nmo:hasCargo nmo:targets }
  ?st a rdf:Statement ; rdf:subject ?f ; rdf:predicate ?p ; rdf:object ?o ; nmo:sourceDocument ?doc .
  OPTIONAL { ?st nmo:section ?sec } OPTIONAL { ?st nmo:lines ?lines }
  FILTER NOT EXISTS {
    VALUES ?about { nmo:evaluates nmo:approves nmo:testsFormulation }
    ?node ?about ?f ; nmo:sourceDocument ?doc .
    OPTIONAL { ?node nmo:section ?nsec } OPTIONAL { ?node nmo:lines ?nlines }
    FILTER(COALESCE(?nsec, "") = COALESCE(?sec, "") && COALESCE(?nlines, "") = COALESCE(?lines, ""))
  }
}"""


def test_every_composition_statement_is_a_place_of_its_formulation(real_store):
    """A statement cites a place (source + section/lines) where a study, approval or trial of that very
    formulation is curated, so the place can be looked up and read."""
    _, rows = real_store.select(ORPHAN_PLACE)
    assert not rows, [(r["f"].value, r["p"].value, r["o"].value) for r in rows][:20]


def test_each_composition_statement_sits_in_a_file_of_its_review():
    import rdflib
    from rdflib import RDF

    wrong, counted = [], 0
    for folder, doc in (("cmr2022", "CMR2022"), ("nh2026", "NH2026")):
        for path in sorted((TRIPLES / folder).glob("*.ttl")):
            graph = rdflib.Graph().parse(path)
            for st in graph.subjects(RDF.type, RDF.Statement):
                if str(graph.value(st, RDF.predicate)).rsplit("#", 1)[-1] not in COMPOSITION:
                    continue
                counted += 1
                source = str(graph.value(st, rdflib.URIRef(NMO + "sourceDocument"))).rsplit("/", 1)[-1]
                if source != doc:
                    wrong.append((path.name, str(graph.value(st, RDF.subject)), source))
    assert counted > 500 and not wrong, wrong[:20]
