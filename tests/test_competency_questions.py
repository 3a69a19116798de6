"""Competency questions for the question library (issue 13): the new and fixed named queries, and the
``kg find`` / ``kg reach`` recipes the README lists for the other families, answered on the real, built
KG. As in ``test_competency.py``, every expected answer was taken by hand from the two source reviews in
``../shared/sources/`` (never from the Turtle or by running the code), and the comment above each
expectation cites where: ``CMR2022 §2 [62]`` or ``NH2026 l.675-687 [196]`` / ``NH2026 T3``.

Expectations are "includes" where the graph may know more than the cited passage, and exact where the
passage is closed (a table's rows).
"""

from __future__ import annotations

from test_competency import entity

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


# ---------------------------------------------------------------- README recipes (kg find, kg reach)

def test_recipe_what_is_preclinical_only(real_store):
    """`kg find --status preclinical --evidence "<=in vivo"`: shown no further than in animals."""
    rows = KG(real_store).find(status="preclinical", evidence="<=in vivo").rows
    found = {row["formulation"]: row for row in rows}
    # CMR2022 §3 [72] and NH2026 l.588-593 [175]: nanoquinacrine lowered invasion of cervical cancer stem
    # cells (cells only); CMR2022 §6 [86]: Au@MSNs-ZOL suppressed bone metastasis in mice
    assert found["Nanoquinacrine"]["best_evidence"] == "in vitro"
    assert found["Au@MSNs-ZOL"]["best_evidence"] == "in vivo (animal)"
    # CMR2022 §8, NH2026 T2/T3: approved or in trials
    assert not {"Doxil", "AGuIX", "BIND-014", "Genexol PM"} & set(found)


def test_recipe_clinical_products_with_trials_and_approvals(real_store):
    """`kg find --status "in trial" --status approved --columns formulation,status,trials,approved_by`"""
    found = {row["formulation"]: row for row in KG(real_store).find(status=["in trial", "approved"]).rows}
    # NH2026 T3 l.969-970: NBTXR3 (Hensify) in NCT03589339, NCT05039632 and NCT04484909; CMR2022 §8 [129]:
    # Hensify approved in Europe; NH2026 T2 [210]-[215]: Genexol PM approved in South Korea
    assert set(found["Hensify"]["trials"]) == {"NCT03589339", "NCT05039632", "NCT04484909"}
    assert "regulatory authority in Europe" in found["Hensify"]["approved_by"]
    assert "regulatory authority of South Korea" in found["Genexol PM"]["approved_by"]


def test_recipe_cargo_per_carrier_at_leaf_level(real_store):
    """`kg reach --from carrier --to cargo --level leaf`: which drugs each carrier type carries."""
    from kg.analysis.projection import projection
    from kg.analysis.reach import reach

    matrix = reach(projection(real_store), "carrier", "cargo", level="leaf")
    pegylated = entity(real_store, "PEGylated liposome", "CarrierType").value
    # NH2026 T1 l.731 [164]: Doxil, PEGylated liposome with doxorubicin; T2 [212]-[213]: Onivyde,
    # irinotecan in PEGylated liposomes
    for drug, product in (("doxorubicin", "Doxil"), ("irinotecan", "Onivyde")):
        cell = matrix.cell(pegylated, entity(real_store, drug, "Agent").value)
        assert entity(real_store, product).value in cell.formulations, (drug, product)
