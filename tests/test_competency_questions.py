"""Competency questions for the question library (issue 13): the new and fixed named queries answered on
the real, built KG. As in ``test_competency.py``, every expected answer was taken by hand from the two
source reviews in ``../shared/sources/`` (never from the Turtle or by running the code), and the comment
above each expectation cites where: ``CMR2022 §2 [62]`` or ``NH2026 l.675-687 [196]`` / ``NH2026 T3``.

Expectations are "includes" where the graph may know more than the cited passage, and exact where the
passage is closed (a table's rows).
"""

from __future__ import annotations

from kg.query.handle import KG


def rows_by(real_store, query: str, key: str, **params) -> dict[str, dict]:
    """The named query's rows by the label in column ``key``."""
    return {row[key]: row for row in KG(real_store).query(query, **params).rows}


def test_which_formulations_reach_pd_l1_through_a_co_administered_antibody(real_store):
    """Which formulations reach PD-L1, counting an anti-PD-L1 antibody given with them?"""
    found = rows_by(real_store, "formulations-by-target", "formulation", target="PD-L1")
    # CMR2022 §2 [62]: DOX/IND-liposome eradicated lung metastasis combined with PD-L1 antibody therapy;
    # CMR2022 §2 [66]: P@CH further combined with anti-PD-L1 antibody; NH2026 l.675-687 [196]: FIC-PDT with
    # a ROCK inhibitor and anti-PD-L1 antibody in uveal melanoma
    for name in ("DOX/IND-liposome", "P@CH", "FIC-PDT"):
        assert name in found, f"{name} missing; the query answers {sorted(found)}"
        assert "given with anti-PD-L1 antibody, which acts on it" in found[name]["how"].split("; ")
    # CMR2022 §2 [67]: pPP-mCAuNCs@HA carries the anti-PD-L1 peptide dPPA itself, coated with a red blood
    # cell membrane: a carrier-type coating shows among its carriers
    assert "red blood cell membrane" in found["pPP-mCAuNCs@HA"]["carriers"].split("; ")


def test_which_regulators_approved_in_south_korea(real_store):
    """Which products are approved in South Korea? (the agency asked for by its country)"""
    # NH2026 T1 l.731 [202] and T2 l.736 [210]-[215]: Genexol PM and Pazenir, "approved in South Korea"
    products = {row["product"] for row in KG(real_store).query("approved-products", agency="South Korea")}
    assert products == {"Genexol PM", "Pazenir"}
    # CMR2022 §8 [124]-[127]: FDA approvals in the USA include Doxil (1995) and Abraxane (2005)
    in_usa = {(row["product"], row.get("year"))
              for row in KG(real_store).query("approved-products", agency="USA")}
    assert {("Doxil", "1995"), ("Abraxane", "2005")} <= in_usa  # xsd:gYear, as printed


def test_which_targets_are_hit_in_bone_metastasis(real_store):
    """Which targets do formulations studied against bone metastases aim at?"""
    found = rows_by(real_store, "targets-by-site", "target", site="bone")
    # CMR2022 §6 [86]: Au@MSNs-ZOL against breast cancer bone metastasis; zoledronic acid reduces VEGF,
    # inhibits farnesyl pyrophosphate synthase and so depletes osteoclasts; CMR2022 §6 (after [87]): a
    # Gli2 inhibitor in alendronate-modified NPs reduced bone lesions
    assert {"VEGF", "farnesyl pyrophosphate synthase", "osteoclasts", "GLI2"} <= set(found)
    assert all(row["site"] == "bone" for row in found.values())


def test_what_liposomes_carry(real_store):
    """Which drugs do liposomal formulations (any kind of liposome) carry?"""
    cargo = {row["cargo"] for row in KG(real_store).query("cargo-by-carrier", carrier="liposome")}
    # NH2026 T1 l.731 [164]: Doxil, PEGylated liposome with doxorubicin; T2 [212]-[213]: Onivyde, irinotecan
    # in PEGylated liposomes; T3 l.969-970: LipoVNB vinorelbine tartrate liposomes, FF-10850 topotecan
    # liposomes
    assert {"doxorubicin", "irinotecan", "vinorelbine", "topotecan"} <= cargo
    # at leaf level the carrier type stays as curated: Doxil's is the PEGylated liposome (NH2026 T1 [164])
    leaf = KG(real_store).query("cargo-by-carrier", carrier="liposome", level="leaf").rows
    assert ("PEGylated liposome", "doxorubicin") in {(row["carrier_family"], row["cargo"]) for row in leaf}


def test_which_trial_systems_deliver_docetaxel_with_their_nct_numbers(real_store):
    """Which systems in clinical trials deliver docetaxel, with their NCT identifiers and phases?"""
    found = rows_by(real_store, "clinical-products", "formulation", cargo="docetaxel")
    # NH2026 T3 l.969-970 (a closed table): BIND-014 phase II NCT01812746; CriPec phase I NCT02442531;
    # Docetaxel-PM phase II NCT03585673; Docetaxel-PNP phase I NCT01103791
    assert {name: row["trials"] for name, row in found.items()} == {
        "BIND-014": "NCT01812746 (clinical phase II)", "CriPec": "NCT02442531 (clinical phase I)",
        "Docetaxel-PM": "NCT03585673 (clinical phase II)", "Docetaxel-PNP": "NCT01103791 (clinical phase I)"}


def test_hensify_trials_and_approval(real_store):
    """How far has Hensify (NBTXR3) got: trials and approvals?"""
    hensify = rows_by(real_store, "clinical-products", "formulation")["Hensify"]
    # NH2026 T3 l.969-970: NBTXR3 (Hensify) in NCT03589339 (phase I), NCT05039632 (phase I, II),
    # NCT04484909 (phase I); CMR2022 §8 [129]: Hensify approved in Europe
    assert set(hensify["trials"].split("; ")) == {"NCT03589339 (clinical phase I)",
                                                   "NCT05039632 (clinical phase I/II)",
                                                   "NCT04484909 (clinical phase I)"}
    assert "regulatory authority in Europe" in hensify["approvals"].split("; ")
    assert hensify["strongest_evidence"] == "approved"


def test_what_is_preclinical_only(real_store):
    """What has only been shown in cells or animals?"""
    found = rows_by(real_store, "preclinical-only", "formulation")
    # CMR2022 §3 [72] and NH2026 l.588-593 [175]: nanoquinacrine with an ADAM-17 inhibitor lowered invasion
    # of cervical cancer stem cells (cells only)
    assert found["Nanoquinacrine"]["strongest_evidence"] == "in vitro"
    # CMR2022 §6 [86]: Au@MSNs-ZOL suppressed bone metastasis in a mouse model
    assert found["Au@MSNs-ZOL"]["strongest_evidence"] == "in vivo (animal)"
    # CMR2022 §8 and NH2026 T2/T3: approved or in trials, so not preclinical only
    assert not {"Doxil", "AGuIX", "BIND-014", "Genexol PM"} & set(found)
    breast = rows_by(real_store, "preclinical-only", "formulation", cancer="breast cancer")
    assert "Au@MSNs-ZOL" in breast and "Nanoquinacrine" not in breast  # cervical, not breast


def test_where_the_two_reviews_differ_on_aguix(real_store):
    """AGuIX is in both reviews: what does each say?"""
    rows = KG(real_store).query("reviews-compared", formulation="AGuIX").rows
    said = {(r["aspect"], r["value"]): (r["stated_by"], r["in_every_source"]) for r in rows}
    # CMR2022 §7 [121]: phase 1 trial in patients with brain metastases from melanoma, lung, colon and
    # breast cancer; NH2026 T3: phase I/II in pancreatic cancer (NCT04789486), phase II in multiple brain
    # metastases (NCT03818386)
    assert said[("evidence level", "clinical phase I")] == ("CMR2022", False)
    assert said[("evidence level", "clinical phase I/II")] == ("NH2026", False)
    assert said[("metastasis site", "brain")] == ("CMR2022; NH2026", True)
    assert said[("cancer type", "pancreatic cancer")] == ("NH2026", False)
    assert said[("cancer type", "melanoma")] == ("CMR2022", False)
    only_differences = KG(real_store).query("reviews-compared", formulation="AGuIX", differences=True).rows
    assert ("metastasis site", "brain") not in {(r["aspect"], r["value"]) for r in only_differences}


def test_nanoquinacrine_step_is_intravasation_only_in_nh2026(real_store):
    """Do the reviews place nanoquinacrine at the same cascade step?"""
    rows = KG(real_store).query("reviews-compared", formulation="NQC").rows
    said = {(r["aspect"], r["value"]): r["stated_by"] for r in rows}
    # NH2026 l.588-593 [175] introduces NQC under "targeting the process of tumor intravasation"; CMR2022 §3
    # [72] reports decreased invasion; both: cervical cancer
    assert said[("cascade step", "intravasation")] == "NH2026"
    assert said[("cascade step", "local invasion")] == "CMR2022; NH2026"
    assert said[("cancer type", "cervical cancer")] == "CMR2022; NH2026"


def test_which_imaging_systems_per_cancer(real_store):
    """Which nano-systems image or detect metastases, per cancer?"""
    melanoma = rows_by(real_store, "imaging-systems", "formulation", cancer="melanoma")
    # CMR2022 §7 [113]: rare-earth ReANC nanoparticles detect emerging and disseminated melanoma tumours
    assert "ReANC" in melanoma
    breast = rows_by(real_store, "imaging-systems", "formulation", cancer="breast cancer")
    # CMR2022 §7 [117]: ICG-conjugated ultra-pH-sensitive micelles detect and resect lymph node
    # (micro)metastases in a mouse breast cancer model; [114]: erbium-doped ReANCs in basal breast cancer
    assert {"ICG-conjugated ultra-pH-sensitive polymeric micelles", "erbium-doped ReANC"} <= set(breast)
    assert "lymph node" in breast["ICG-conjugated ultra-pH-sensitive polymeric micelles"]["metastasis_sites"]
    assert "ReANC" not in breast  # melanoma only


def test_which_steps_gene_silencing_reaches(real_store):
    """Which cascade steps, carriers and cancers do gene-silencing formulations reach?"""
    (row,) = KG(real_store).query("mechanism-profile", mechanism_family="gene silencing").rows
    # CMR2022 §5 [84]: CBSA/siS100A4@Exosome silences S100A4 in the lung pre-metastatic niche after breast
    # cancer surgery, an exosome-membrane-coated system
    assert "pre-metastatic niche" in row["steps"].split("; ")
    assert "breast cancer" in row["cancer_types"].split("; ")
    assert "biomimetic nanocarrier" in row["carrier_families"].split("; ")
