"""The headline named query ``carriers-mechanisms`` agrees, cell by cell, with the reachability matrix of
the analysis layer, including the formulations whose carrier is only the catch-all ``nanocarrier``
(the top concept of the carrier scheme), which an earlier version of the query dropped."""

from __future__ import annotations

from kg.analysis.hierarchy import catch_all_root, families
from kg.analysis.projection import projection
from kg.analysis.reach import reach
from kg.query.handle import KG


def test_named_query_matches_reach_on_every_cell(real_store):
    graph = projection(real_store)
    family_of = families(graph, "CarrierType")
    expected: dict[tuple[str, str], set[str]] = {}
    for (carrier, mechanism), cell in reach(graph, "carrier", "mechanism", level="leaf").cells.items():
        for family in family_of.get(carrier, {carrier}):
            expected.setdefault((family, mechanism), set()).update(cell.formulations)
    rows = KG(real_store).query("carriers-mechanisms").rows
    got = {(r["carrier_family_iri"], r["mechanism_iri"]): r["formulations"] for r in rows}
    assert got == {cell: len(formulations) for cell, formulations in expected.items()}


def test_formulations_on_the_catch_all_carrier_are_counted(real_store):
    root = catch_all_root(projection(real_store), "CarrierType")
    rows = KG(real_store).query("carriers-mechanisms").rows
    assert root is not None and any(r["carrier_family_iri"] == root for r in rows)


def test_leaf_level_matches_reach_at_leaf_level(real_store):
    """`level=leaf` keeps each carrier type as curated, as `kg reach --level leaf` does."""
    cells = reach(projection(real_store), "carrier", "mechanism", level="leaf").cells
    rows = KG(real_store).query("carriers-mechanisms", level="leaf").rows
    got = {(r["carrier_family_iri"], r["mechanism_iri"]): r["formulations"] for r in rows}
    assert got == {cell: len(c.formulations) for cell, c in cells.items()}
    assert len(got) > len(KG(real_store).query("carriers-mechanisms").rows)  # leaves split the families
