"""Twenty questions researchers ask, each answered by ``kg find`` on the curated KG. The expected answers
are read in the two reviews at the cited places (``../shared/sources``), not taken from a run of the code;
where a review names a system the KG labels it by that name (or a name from the curation guide's rules).

Shared by ``test_find.py`` (Python and CLI) and ``test_find_backends.py`` (``/api/find``, rdflib, remote).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Question:
    ask: str
    filters: dict
    check: Callable
    source: str
    facets: tuple[str, ...] = ()
    studies: bool = False
    include_strategies: bool = False
    more: dict = field(default_factory=dict)  # a second query some questions need: filters

    def cli_args(self, filters: dict | None = None) -> list[str]:
        args = ["find"]
        for axis, values in (filters or self.filters).items():
            for value in [values] if isinstance(values, str) else values:
                args += [f"--{axis.replace('_', '-')}", value]
        for axis in self.facets:
            args += ["--facet", axis]
        args += ["--studies"] * self.studies + ["--include-strategies"] * self.include_strategies
        return args


def labels(result, column: str = "formulation") -> set[str]:
    """The labels in one column of a find result (list cells flattened)."""
    found = set()
    for record in result.records:
        cell = record.get(column)
        for item in cell if isinstance(cell, list) else [cell] if cell is not None else []:
            found.add(item.label)
    return found


def facet(result, axis: str) -> set[str]:
    return {r["value"].label for r in result.records if r["axis"] == axis}


def row(result, formulation: str) -> dict:
    found = [r for r in result.records if r["formulation"].label == formulation]
    assert found, f"{formulation} is not in the answer: {sorted(labels(result))}"
    return found[0]


def how(result, formulation: str, target: str) -> set[str]:
    return {note for item in row(result, formulation)["targets"] if item.label == target
            for note in item.notes}


def _carriers_pd_l1(r):
    # bilirubin NPs given with anti-PD-L1 [60]; DOX/IND-liposome with PD-L1 antibody [62]; red blood
    # cell membrane-coated gold nanoclusters with the anti-PD-L1 peptide dPPA [67]; Cu2MoS4 NPs, BMS-1 [174]
    assert {"bilirubin nanoparticle", "liposome", "red blood cell membrane", "gold nanocluster",
            "copper molybdenum sulfide nanoparticle"} <= facet(r, "carrier")


def _how_pd_l1(r):
    assert "co-administered anti-PD-L1 antibody acts on it" in how(r, "DOX/IND-liposome", "PD-L1")
    assert "cargo BMS-1 acts on it" in how(r, "Cu2MoS4 (CMS)/PEG NPs", "PD-L1")


def _steps_gene_silencing(r):
    # S100A4 siRNA against the pre-metastatic niche [84][180]; SHH siRNA NPs in macrometastasis [181]
    assert {"pre-metastatic niche", "macrometastasis"} <= facet(r, "step")


def _bone_targets(r):
    assert {"SHH", "VEGF", "GLI2"} <= facet(r, "target")


def _docetaxel_trials(r):
    assert labels(r) == {"BIND-014", "CriPec", "Docetaxel-PM", "Docetaxel-PNP"}
    assert labels(r, "trials") == {"NCT01812746", "NCT02442531", "NCT03585673", "NCT01103791"}


def _only_in_vitro(r):
    # CGO-TMC-HA is shown in cancer cells only [78]; the Dp44mT/cisplatin NPs [178] and the Gd
    # metallofullerenol NPs [54] that also reach HIF-1α were shown in vivo
    assert labels(r) == {"CGO-TMC-HA"}


def _adam17(r):
    assert labels(r) == {"Nanoquinacrine"}
    assert how(r, "Nanoquinacrine", "ADAM17") == {"co-administered GW280264 acts on it"}


def _agencies(r, more):
    assert labels(r) == {"Lipusu"}
    assert {"Doxil", "Myocet", "Onivyde", "Abraxane", "DepoCyt"} <= labels(more)


def _both_reviews(r):
    assert {"CBSA/siS100A4@Exosome", "Au@MSNs-ZOL", "Nanoquinacrine"} <= labels(r)
    assert "SL@BRNPs" not in labels(r)  # CMR2022 §2 [60] only


def _imaging_brain(r):
    assert {"AGuIX", "iron oxide nanochains"} <= labels(r)
    assert {"melanoma", "lung cancer", "breast cancer"} <= {c.label for c in row(r, "AGuIX")["cancers"]}


def _liposome_cargo(r):
    assert {"doxorubicin", "irinotecan", "paclitaxel", "daunorubicin", "cytarabine"} <= facet(r, "cargo")


def _checkpoint_carriers(r):
    # PM@THL, a micelle-liposome double layer [51]; DOX/IND-liposome [61][62]
    assert {"polymeric micelle", "liposome"} <= facet(r, "carrier")


def _disagree(r):
    assert labels(r) == {"Hensify", "NanoTherm"}


def _pd_1(r):
    assert {"Hensify", "PDA-PEG-R848-CD"} <= labels(r)
    for formulation in ("Hensify", "PDA-PEG-R848-CD"):
        assert "co-administered anti-PD-1 antibody acts on it" in how(r, formulation, "PD-1")


def _cxcr4_antagonists(r):
    assert {"AMD3100-modified promelittin gene-delivery NPs", "Cu2MoS4 (CMS)/PEG NPs"} <= labels(r)
    assert "AMD3100" in labels(r, "cargo")


def _strategies(r, more):
    marked = {record["formulation"].label: record["formulation"].notes for record in r.records}
    assert marked.get("CD44-targeted nanocarriers") == ("strategy",)
    assert "CD44-targeted nanocarriers" not in labels(more)  # left out by default
    assert {"AuNC@CBSA@HA", "HA-modified MSN"} <= labels(more)


def _membranes(r):
    assert labels(r) == {"PMNPs"}
    assert labels(r, "carriers") == {"platelet membrane", "PLGA nanoparticle"}


def _subtypes(r):
    for formulation in ("CD44 targeted polymeric nanoparticles", "Lapatinib/pseudolaric acid B@Ferritin NPs"):
        assert "triple-negative breast cancer" in {c.label for c in row(r, formulation)["cancers"]}


def _clinical_brain(r):
    assert {"AGuIX", "cRGD-C′ dots"} <= labels(r)
    assert "AMD3100-modified promelittin gene-delivery NPs" not in labels(r)  # mice [90]


def _nbtxr3(r):
    assert labels(r) == {"Hensify"}
    assert {"NCT03589339", "NCT05039632", "NCT04484909"} <= labels(r, "trials")


QUESTIONS = [
    Question("Which carrier types are used in PD-L1-targeted formulations?", {"target": "PD-L1"},
             _carriers_pd_l1, "CMR2022 §2 [60], [62], [67]; NH2026 l.577-582 [174]", facets=("carrier",)),
    Question("How do formulations reach PD-L1?", {"target": "PD-L1"}, _how_pd_l1,
             "CMR2022 §2 [62]; NH2026 l.577-582 [174]"),
    Question("Which cascade steps do gene-silencing formulations address?", {"mechanism": "gene silencing"},
             _steps_gene_silencing, "CMR2022 §5 [84]; NH2026 l.611-621 [180], [181]", facets=("step",)),
    Question("Which targets are hit in bone metastasis?", {"site": "bone"}, _bone_targets,
             "NH2026 l.617-624 [181], [182]; CMR2022 §6 (Gli2 inhibitor)", facets=("target",)),
    Question("Which trial systems deliver docetaxel, with their NCT numbers?",
             {"cargo": "docetaxel", "status": "in trial"}, _docetaxel_trials, "NH2026 Table 3 l.969-970"),
    Question("What is only in vitro for HIF-1α?", {"target": "HIF-1α", "evidence": "<=in vitro"},
             _only_in_vitro, "CMR2022 §4 [78]; CMR2022 §2 [54]; NH2026 l.601-605 [178]"),
    Question("What reaches ADAM17, and how?", {"target": "ADAM17"}, _adam17,
             "CMR2022 §3 [72]; NH2026 l.588-593 [175]"),
    Question("Which products did the NMPA approve (and the EMA)?", {"agency": "NMPA"}, _agencies,
             "NH2026 Table 2 l.736 [204]-[218]", more={"agency": "EMA"}),
    Question("Which systems are reported in both reviews?", {"source": "both"}, _both_reviews,
             "CMR2022 §3 [72], §5 [84], §6 [86]; NH2026 l.588-593 [175], l.611-624 [180], [182]"),
    Question("Which imaging systems are studied for brain metastases, in which cancers?",
             {"mechanism": "imaging and detection", "site": "brain"}, _imaging_brain,
             "CMR2022 §7 [102], [121]"),
    Question("Which drugs do approved liposomal products carry?",
             {"carrier": "liposome", "status": "approved"}, _liposome_cargo, "NH2026 Table 2 l.736",
             facets=("cargo",)),
    Question("Which carriers deliver immune checkpoint blockade?",
             {"mechanism": "immune checkpoint blockade"}, _checkpoint_carriers, "CMR2022 §2 [51], [61], [62]",
             facets=("carrier",)),
    Question("Which approved systems does NH2026 report no further than clinical trials?",
             {"status": "approved", "source": "NH2026", "evidence": "<=clinical"}, _disagree,
             "CMR2022 §8 [128], [129] (approved in Europe); NH2026 Table 3 l.969-970"),
    Question("Which formulations are given with an anti-PD-1 antibody?", {"target": "PD-1"}, _pd_1,
             "CMR2022 §2 [65]; NH2026 Table 3 l.969-970 (anti-PD-1 with NBTXR3)"),
    Question("Which formulations carry a CXCR4 antagonist?", {"drug_class": "CXCR4 antagonist"},
             _cxcr4_antagonists, "CMR2022 §6 [90]; NH2026 l.577-582 [174]"),
    Question("Which CD44-targeted systems are there, strategies included?", {"target": "CD44"}, _strategies,
             "NH2026 l.529-540 [160], [163], l.700-705 [198]; CMR2022 §2 [31]", include_strategies=True,
             more={"target": "CD44"}),
    Question("What is coated with platelet membranes?", {"carrier": "platelet membrane"}, _membranes,
             "CMR2022 §4 [79], §6 [79]"),
    Question("Which breast-cancer formulations were studied in triple-negative breast cancer?",
             {"cancer": "breast cancer"}, _subtypes, "NH2026 l.534-540 [163], l.573-576 [173]"),
    Question("Which systems have reached patients with brain metastases?",
             {"site": "brain", "evidence": "clinical"}, _clinical_brain,
             "CMR2022 §6 [90], [91], §7 [121]; NH2026 Table 3 l.969-970 (NCT03818386)"),
    Question("What is NBTXR3 and in which trials is it?", {"text": "NBTXR3"}, _nbtxr3,
             "NH2026 Table 3 l.969-970"),
]
