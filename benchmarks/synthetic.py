"""A synthetic knowledge graph shaped like the curated one, at any size, valid under our shapes.

It is built on **our** ontology: the real classes and properties, the cascade steps, evidence levels,
modalities, agencies and source documents of ``ontology/nanomet.ttl``, and the carrier and mechanism
hierarchies of ``ontology/*.ttl`` (deepened with synthetic sub-types as the graph grows). On top of
them it mints vocabulary (targets, agents, cancer types, organs, drug classes, source documents),
background biology (``involvedIn``, ``actsOn``, ``binds``, ``drugClass``, each with its reified, sourced
``rdf:Statement``) and then formulations with their studies, approvals and trials until the triple
budget is spent; each component of a formulation (carrier, coating, ligand, cargo, target) has a sourced
statement at the place of one of its studies, or of two (as the curated graph's composition). Popularity
is skewed (a few hub targets, carriers and mechanisms, a long tail), the ratios follow the curated graph
(≈1.6 studies per formulation, ≈1.3 statements per component, ≈90 triples per formulation), and
labels are unique within a class after name normalisation, so the build accepts it.

    python -m benchmarks.synthetic --triples 100000 --out /tmp/kg-100k

writes Turtle files under ``/tmp/kg-100k`` for ``kg build --triples /tmp/kg-100k``. Output is
deterministic for a given size and seed.
"""

from __future__ import annotations

import argparse
import random
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from kg.core.locations import Sources
from kg.core.prefixes import PREFIXES, compact, sparql_prologue

FORMULATIONS_PER_FILE = 2000
GREEK = ("α", "β", "γ", "κ")


@dataclass(frozen=True)
class OntologyTerms:
    """What the generator takes from the real ontology (CURIEs)."""

    carriers: dict[str, str]  # CURIE → label
    carrier_parents: dict[str, list[str]]
    mechanisms: dict[str, str]
    mechanism_parents: dict[str, list[str]]
    steps: list[str]  # by rank
    evidence: dict[str, int]  # CURIE → rank
    modalities: list[str]
    agencies: list[str]
    sources: list[str]
    agent_classes: list[str]  # concrete subclasses of nmo:Agent other than TargetingLigand


def read_ontology(sources: Sources | None = None) -> OntologyTerms:
    """Read the terms the generator uses from the ontology files."""
    import pyoxigraph as ox

    store = ox.Store()
    for path in (sources or Sources.default()).ontology_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)

    def rows(query: str) -> list[list[str]]:
        result = store.query(sparql_prologue() + query)
        names = [v.value for v in result.variables]
        return [[compact(r[n].value) if r[n] is not None else "" for n in names] for r in result]

    def concepts(cls: str) -> tuple[dict[str, str], dict[str, list[str]]]:
        labels, parents = {}, {}
        for node, label, parent in rows(f"""SELECT ?n ?l ?b WHERE {{ ?n a nmo:{cls} ; rdfs:label ?l .
                                             OPTIONAL {{ ?n skos:broader ?b }} }} ORDER BY ?n ?b"""):
            labels[node] = label
            parents.setdefault(node, [])
            if parent:
                parents[node].append(parent)
        return labels, parents

    carriers, carrier_parents = concepts("CarrierType")
    mechanisms, mechanism_parents = concepts("Mechanism")
    return OntologyTerms(
        carriers=carriers, carrier_parents=carrier_parents,
        mechanisms=mechanisms, mechanism_parents=mechanism_parents,
        steps=[r[0] for r in rows("SELECT ?s WHERE { ?s a nmo:CascadeStep ; nmo:rank ?r } ORDER BY ?r ?s")],
        evidence={r[0]: int(r[1])
                  for r in rows("SELECT ?e ?r WHERE { ?e a nmo:EvidenceLevel ; nmo:rank ?r }")},
        modalities=[r[0] for r in rows("SELECT ?m WHERE { ?m a nmo:TherapyModality } ORDER BY ?m")],
        agencies=[r[0] for r in rows("SELECT ?a WHERE { ?a a nmo:Agency } ORDER BY ?a")],
        sources=[r[0] for r in rows("SELECT ?s WHERE { ?s a nmo:SourceDocument } ORDER BY ?s")],
        agent_classes=[r[0] for r in rows("""SELECT ?c WHERE { ?c rdfs:subClassOf+ nmo:Agent
            FILTER NOT EXISTS { ?sub rdfs:subClassOf ?c } FILTER(?c != nmo:TargetingLigand) }
            ORDER BY ?c""")],
    )


class TurtleWriter:
    """Writes subjects with their predicate–object lists as Turtle and counts the triples."""

    def __init__(self, path: Path):
        self.path = path
        self.triples = 0
        self._file = path.open("w", encoding="utf-8")
        self._file.writelines(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())

    def subject(self, subject: str, pairs: Sequence[tuple[str, Sequence[str] | str]]) -> None:
        parts = []
        for predicate, objects in pairs:
            objects = [objects] if isinstance(objects, str) else objects
            if objects:
                parts.append(f"{predicate} {', '.join(objects)}")
                self.triples += len(objects)
        self._file.write(f"\n{subject} " + " ;\n    ".join(parts) + " .\n")

    def close(self) -> None:
        self._file.close()


def text(value: str) -> str:
    """A Turtle string literal (the generator's texts hold no quotes or backslashes)."""
    return f'"{value}"'


class Picker:
    """Draws from a population with Zipf-like popularity (rank ** -exponent), reproducibly."""

    def __init__(self, rng: random.Random, population: Sequence[str], exponent: float = 0.9):
        self.rng = rng
        self.population = list(population)
        self.cumulative = list(accumulate((i + 1) ** -exponent for i in range(len(self.population))))

    def one(self) -> str:
        return self.population[bisect_left(self.cumulative, self.rng.random() * self.cumulative[-1])]

    def some(self, low: int, high: int) -> list[str]:
        """Between ``low`` and ``high`` distinct members (fewer if the population is small)."""
        wanted = min(self.rng.randint(low, high), len(self.population))
        found: dict[str, None] = {}
        for _ in range(wanted * 4):
            if len(found) >= wanted:
                break
            found[self.one()] = None
        return list(found)


@dataclass
class Vocabulary:
    """Minted vocabulary (CURIEs), grouped the way formulations and studies draw on it."""

    targets: Picker
    agents: Picker
    ligands: Picker
    materials: Picker
    carriers: Picker
    mechanisms: Picker
    cancers: Picker
    organs: Picker
    sources: list[str]


def _label(word: str, number: int, rng: random.Random, greek: float = 0.0) -> str:
    """``word number``: unique after name normalisation because no word ends in a digit."""
    letter = f" {rng.choice(GREEK)}" if rng.random() < greek else ""
    return f"{word}{letter} {number}"


TARGET_WORDS = ("CXCR4-like receptor", "integrin subunit", "kinase", "CD44 variant", "matrix protease",
                "HIF-1 cofactor", "chemokine", "growth factor receptor", "transcription factor")
AGENT_WORDS = ("taxane analogue", "siRNA duplex", "checkpoint antibody", "homing peptide", "photosensitizer",
               "contrast agent", "kinase inhibitor", "polymer coating", "cytokine", "oligonucleotide")
CANCER_WORDS = ("carcinoma", "adenocarcinoma", "sarcoma", "melanoma subtype", "lymphoma")
STEP_WEIGHTS = (30, 8, 12, 5, 10, 4, 2, 6, 9, 10, 3, 12)  # by step rank; primary tumour growth most studied


class Generator:
    """Mints the synthetic graph into a folder, ``budget`` triples give or take one formulation."""

    def __init__(self, terms: OntologyTerms, budget: int, seed: int = 7):
        self.terms = terms
        self.budget = budget
        self.rng = random.Random(seed)
        self.scale = max(budget / 10_000, 0.1)
        self.triples = 0
        self.concept_parents: dict[str, list[str]] = {}
        self.drug_classes: list[str] = []

    def _count(self, base: float, exponent: float, minimum: int) -> int:
        return max(minimum, int(base * self.scale ** exponent))

    def write(self, folder: Path) -> int:
        """Write every file into ``folder``; return the number of triples written."""
        folder.mkdir(parents=True, exist_ok=True)
        vocab = self._vocabulary(folder / "vocab.ttl")
        self._background(folder / "background.ttl", vocab)
        part = 0
        while self.triples < self.budget:
            part += 1
            self._formulations(folder / f"formulations-{part:04d}.ttl", vocab, part)
        return self.triples

    # ------------------------------------------------------------------ vocabulary

    def _vocabulary(self, path: Path) -> Vocabulary:
        out = TurtleWriter(path)
        rng = self.rng
        targets = []
        for i in range(self._count(120, 0.7, 20)):
            iri = f"target:syn-t{i}"
            cls = "nmo:CellPopulation" if i % 9 == 8 else "nmo:MolecularTarget"
            label = _label(TARGET_WORDS[i % len(TARGET_WORDS)], i, rng, greek=0.1)
            out.subject(iri, [("a", cls), ("rdfs:label", text(label)),
                              ("skos:altLabel", [text(f"{label} protein")] if rng.random() < 0.5 else []),
                              ("skos:definition", text(f"Synthetic target number {i}."))])
            targets.append(iri)
        agents, ligands, materials = [], [], []
        for i in range(self._count(160, 0.7, 30)):
            iri = f"agent:syn-a{i}"
            classes = [rng.choice(self.terms.agent_classes)]
            if rng.random() < 0.2:
                classes.append("nmo:TargetingLigand")
                ligands.append(iri)
            if "nmo:Material" in classes:
                materials.append(iri)
            label = _label(AGENT_WORDS[i % len(AGENT_WORDS)], i, rng)
            out.subject(iri, [("a", classes), ("rdfs:label", text(label)),
                              ("skos:altLabel", [text(f"{label} drug")] if rng.random() < 0.6 else []),
                              ("skos:definition", text(f"Synthetic agent number {i}."))])
            agents.append(iri)
        cancers = self._simple(out, "disease:syn-c", "nmo:CancerType", CANCER_WORDS, self._count(30, 0.5, 5))
        organs = self._simple(out, "organ:syn-o", "nmo:Organ", ("tissue",), self._count(8, 0.3, 4))
        classes = self._concepts(out, "drugclass:syn-dc", "drug class", {}, {}, "nmo:DrugClass",
                                 "nmo:DrugClassScheme", self._count(20, 0.5, 5), flat=True)
        carriers = self._concepts(out, "carrier:syn-ct", "subtype", self.terms.carriers,
                                  self.terms.carrier_parents, "nmo:CarrierType", "nmo:CarrierScheme",
                                  self._count(25, 0.6, 25) - 25)
        mechanisms = self._concepts(out, "mechanism:syn-m", "variant", self.terms.mechanisms,
                                    self.terms.mechanism_parents, "nmo:Mechanism", "nmo:MechanismScheme",
                                    self._count(10, 0.6, 10) - 10)
        sources = list(self.terms.sources)
        for i in range(self._count(5, 0.6, 3)):
            iri = f"src:syn-s{i}"
            out.subject(iri, [("a", "nmo:SourceDocument"), ("rdfs:label", text(f"SYN{i:04d}")),
                              ("nmo:shortName", text(f"SYN{i:04d}")), ("nmo:doi", text(f"10.9999/syn.{i}"))])
            sources.append(iri)
        self.drug_classes = classes
        out.close()
        self.triples += out.triples
        for picker_population in (targets, agents):
            rng.shuffle(picker_population)
        return Vocabulary(
            targets=Picker(rng, targets), agents=Picker(rng, agents), ligands=Picker(rng, ligands or agents),
            materials=Picker(rng, materials or agents), carriers=Picker(rng, self._leaves_first(carriers)),
            mechanisms=Picker(rng, mechanisms, 0.7), cancers=Picker(rng, cancers),
            organs=Picker(rng, organs, 0.6),
            sources=sources)

    def _simple(self, out: TurtleWriter, prefix: str, cls: str, words: Sequence[str], n: int) -> list[str]:
        found = []
        for i in range(n):
            label = _label(words[i % len(words)], i, self.rng)
            out.subject(f"{prefix}{i}", [("a", cls), ("rdfs:label", text(label)),
                                         ("skos:definition", text(f"Synthetic {cls[4:]} number {i}."))])
            found.append(f"{prefix}{i}")
        return found

    def _concepts(self, out: TurtleWriter, prefix: str, word: str, existing: dict[str, str],
                  parents: dict[str, list[str]], cls: str, scheme: str, n: int,
                  flat: bool = False) -> list[str]:
        """Existing concepts plus ``n`` synthetic ones, each below a random earlier one unless ``flat``."""
        labels = dict(existing)
        self.concept_parents.update(parents)
        for i in range(n):
            parent = self.rng.choice(list(labels)) if labels and not flat else None
            iri = f"{prefix}{i}"
            label = f"{labels[parent]} {word} {i}" if parent else f"{word} {i}"
            out.subject(iri, [("a", cls), ("skos:inScheme", scheme), ("rdfs:label", text(label)),
                              ("skos:broader", [parent] if parent else []),
                              ("skos:topConceptOf", [] if parent else [scheme]),
                              ("skos:definition", text(f"Synthetic {word} number {i}."))])
            labels[iri] = label
            self.concept_parents[iri] = [parent] if parent else []
        return list(labels)

    def _leaves_first(self, concepts: list[str]) -> list[str]:
        """Concepts with specific (childless) types first: formulations name leaves more than families."""
        parents = {p for c in concepts for p in self.concept_parents.get(c, [])}
        return [c for c in concepts if c not in parents] + [c for c in concepts if c in parents]

    # ------------------------------------------------------------------ background biology

    def _background(self, path: Path, vocab: Vocabulary) -> None:
        out = TurtleWriter(path)
        steps = Picker(self.rng, self.terms.steps, 0.5)
        for target in vocab.targets.population:
            if self.rng.random() < 0.7:
                for step in steps.some(1, 2):
                    self._sourced(out, target, "nmo:involvedIn", step, vocab)
        for agent in vocab.agents.population:
            if self.rng.random() < 0.25:
                for target in vocab.targets.some(1, 2):
                    self._sourced(out, agent, "nmo:actsOn", target, vocab)
            if self.rng.random() < 0.1:
                self._sourced(out, agent, "nmo:drugClass", self.rng.choice(self.drug_classes), vocab)
        for ligand in vocab.ligands.population:
            self._sourced(out, ligand, "nmo:binds", vocab.targets.one(), vocab)
        out.close()
        self.triples += out.triples

    def _sourced(self, out: TurtleWriter, s: str, p: str, o: str, vocab: Vocabulary) -> None:
        out.subject(s, [(p, o)])
        self._statement(out, s, p, o, self._provenance(vocab))

    @staticmethod
    def _statement(out: TurtleWriter, s: str, p: str, o: str,
                   place: list[tuple[str, list[str] | str]]) -> None:
        """The reified ``s p o`` with its source place."""
        out.subject("[]", [("a", "rdf:Statement"), ("rdf:subject", s), ("rdf:predicate", p),
                           ("rdf:object", o), *place])

    def _provenance(self, vocab: Vocabulary) -> list[tuple[str, list[str] | str]]:
        rng = self.rng
        source = rng.choice(vocab.sources)
        start = rng.randint(1, 2000)
        where = ("nmo:lines", text(f"{start}-{start + rng.randint(0, 6)}")) if rng.random() < 0.5 else \
            ("nmo:section", text(str(rng.randint(1, 9))))
        refs = [str(r) for r in sorted(rng.sample(range(1, 300), rng.randint(1, 4)))]
        return [("nmo:sourceDocument", source), where, ("nmo:citedReference", refs)]

    # ------------------------------------------------------------------ formulations and studies

    def _formulations(self, path: Path, vocab: Vocabulary, part: int) -> None:
        out = TurtleWriter(path)
        rng = self.rng
        for k in range(FORMULATIONS_PER_FILE):
            if self.triples + out.triples >= self.budget:
                break
            i = (part - 1) * FORMULATIONS_PER_FILE + k
            form = f"form:syn-f{i}"
            label = f"nano-system {i}"
            places = [self._provenance(vocab) for _ in range(rng.choices((1, 2, 3), (55, 30, 15))[0])]
            composition = [
                ("nmo:hasCarrier", vocab.carriers.some(1, 2)),
                ("nmo:hasCoating", vocab.materials.some(1, 2) if rng.random() < 0.3 else []),
                ("nmo:hasLigand", [vocab.ligands.one()] if rng.random() < 0.25 else []),
                ("nmo:hasCargo", vocab.agents.some(1, 3)),
                ("nmo:targets", vocab.targets.some(1, 2) if rng.random() < 0.7 else []),
            ]
            out.subject(form, [
                ("a", ["nmo:FormulationStrategy"] if rng.random() < 0.05 else ["nmo:Formulation"]),
                ("rdfs:label", text(label)),
                ("skos:altLabel", [text(f"NS-{i} particle")] if rng.random() < 0.4 else []),
                ("rdfs:comment", [text(f"Synthetic formulation {i}.")] if rng.random() < 0.6 else []),
                *composition,
            ])
            for n, place in enumerate(places):
                self._study(out, form, label, f"{i}-{n}", self._evidence(), vocab, place)
            for predicate, objects in composition:
                for o in objects:
                    for place in rng.sample(places, 2 if len(places) > 1 and rng.random() < 0.3 else 1):
                        self._statement(out, form, predicate, o, place)
            roll = rng.random()
            if roll < 0.03:
                self._approval(out, form, label, i, vocab)
            elif roll < 0.08:
                self._trial(out, form, label, i, vocab)
        out.close()
        self.triples += out.triples

    def _evidence(self) -> str:
        levels = ("evidence:in-vitro", "evidence:in-vivo-animal", "evidence:ex-vivo", "evidence:clinical")
        return self.rng.choices(levels, (30, 62, 3, 5))[0]

    def _study(self, out: TurtleWriter, form: str, label: str, key: str, evidence: str,
               vocab: Vocabulary, place: list[tuple[str, list[str] | str]] | None = None) -> None:
        rng = self.rng
        drawn = {rng.choices(range(len(STEP_WEIGHTS)), STEP_WEIGHTS)[0] for _ in range(rng.randint(1, 2))}
        steps = [self.terms.steps[i] for i in sorted(drawn) if i < len(self.terms.steps)]
        out.subject(f"study:syn-{key}", [
            ("a", "nmo:Study"),
            ("rdfs:label", text(f"{label} study {key}")),
            ("nmo:evaluates", form),
            ("nmo:cancerType", vocab.cancers.some(1, 1) if rng.random() < 0.8 else []),
            ("nmo:metastasisSite", vocab.organs.some(1, 2) if rng.random() < 0.4 else []),
            ("nmo:mechanism", vocab.mechanisms.some(1, 3)),
            ("nmo:addressesStep", steps if rng.random() < 0.8 else []),
            ("nmo:stepFromSection", ["true"] if rng.random() < 0.3 else []),
            ("nmo:modality", rng.sample(self.terms.modalities, rng.randint(1, 2))),
            ("nmo:combinedWith", [vocab.agents.one()] if rng.random() < 0.15 else []),
            ("nmo:evidenceLevel", evidence),
            *(place or self._provenance(vocab)),
        ])

    def _approval(self, out: TurtleWriter, form: str, label: str, i: int, vocab: Vocabulary) -> None:
        out.subject(f"approval:syn-ap{i}", [
            ("a", "nmo:RegulatoryApproval"), ("rdfs:label", text(f"{label} approval")),
            ("nmo:approves", form), ("nmo:agency", self.rng.choice(self.terms.agencies)),
            ("nmo:indication", vocab.cancers.some(1, 1)),
            ("nmo:approvalYear", text(f"{self.rng.randint(1995, 2024)}") + "^^xsd:gYear"),
            *self._provenance(vocab)])
        self._study(out, form, label, f"{i}-approved", "evidence:approved", vocab)

    def _trial(self, out: TurtleWriter, form: str, label: str, i: int, vocab: Vocabulary) -> None:
        nct = f"NCT{90_000_000 + i:08d}"
        phase = self.rng.choice([e for e in self.terms.evidence if e.startswith("evidence:clinical-phase")])
        out.subject(f"trial:syn-{nct.lower()}", [
            ("a", "nmo:ClinicalTrial"), ("rdfs:label", text(nct)), ("nmo:nctId", text(nct)),
            ("nmo:phase", phase), ("nmo:testsFormulation", form),
            ("nmo:indication", vocab.cancers.some(1, 1)),
            ("nmo:trialStatus", text(self.rng.choice(("recruiting", "completed", "active")))),
            *self._provenance(vocab)])
        self._study(out, form, label, f"{i}-{nct.lower()}", phase, vocab)


def generate(folder: Path, triples: int, seed: int = 7, sources: Sources | None = None) -> int:
    """Write a synthetic graph of about ``triples`` triples (plus the ontology's) into ``folder``."""
    return Generator(read_ontology(sources), triples, seed).write(Path(folder))


def parse_size(text: str) -> int:
    """``10k`` → 10000, ``1M`` → 1000000, ``2500`` → 2500.

    >>> parse_size("10k"), parse_size("1M"), parse_size("2500")
    (10000, 1000000, 2500)
    """
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=parse_size, required=True, help="size, e.g. 10k, 100k, 1M")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the Turtle files into")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    written = generate(args.out, args.triples, args.seed)
    print(f"wrote {written} triples to {args.out}")


if __name__ == "__main__":
    main()
