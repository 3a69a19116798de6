"""``kg find``: faceted search over formulations and their studies, one option per axis."""

from __future__ import annotations

import click

from kg.cli.options import shared_options
from kg.cli.output import FORMATS, render_rows
from kg.query.find_axes import AXES

SINGULAR = {"formulations": "formulation", "studies": "study", "values": "value"}

EPILOG = """\b
Examples:
  kg find --target PD-L1 --step extravasation --evidence "in vivo"
  kg find --target CD44 --facet carrier           # which carriers are used in CD44-targeted formulations
  kg find --mechanism "gene silencing" --facet step
  kg find --cargo docetaxel --status "in trial" --columns formulation,trials,best_evidence
  kg find --target CXCR4 --evidence "<=in vitro"   # what is only in vitro for CXCR4
"""


def _axis_options(command):
    for name, axis in reversed(list(AXES.items())):
        metavar = "TEXT" if name == "text" else "LEVEL" if name == "evidence" else "NAME"
        command = click.option(f"--{name}", name.replace("-", "_"), multiple=True, metavar=metavar,
                               help=f"{axis.help[0].upper()}{axis.help[1:]}.")(command)
    return command


def _emit(result, fmt: str, iris: bool, what: str) -> None:
    """Print a find result; the row count goes to stderr."""
    if fmt == "json":
        click.echo(result.to_json())
    else:
        columns, rows = result.table(iris=iris, full_iris=fmt in ("csv", "tsv"))
        click.echo(render_rows(columns, rows, fmt))
    total = result.total if result.total is not None else len(result)
    noun = what if total != 1 else SINGULAR[what]
    shown = f"{len(result)} of {total} {what} shown" if len(result) < total else f"{total} {noun}"
    if fmt == "table" or len(result) < total:
        click.echo(f"({shown})", err=True)


@click.command(epilog=EPILOG)
@_axis_options
@click.option("--facet", "facet_axes", multiple=True, metavar="AXIS",
              help="Instead of rows, count the formulations and studies for each value of AXIS among the "
                   "matches (repeatable).")
@click.option("--studies", is_flag=True, help="One row per matching study instead of per formulation.")
@click.option("--include-strategies", is_flag=True,
              help="Also show formulation strategies (class-level nodes), marked '(strategy)'.")
@click.option("--columns", metavar="COLUMN,…", help="Show only these columns, in this order.")
@click.option("--sparql", "show_sparql", is_flag=True,
              help="Print the SPARQL generated for the filters (names resolved, values bound) and stop.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output: a table, CSV, TSV, Markdown, or JSON (entities with labels and IRIs).")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Show at most this many rows.")
@click.option("--iris", is_flag=True, help="Also show the IRIs of the entities (a <column>_iri column each).")
@shared_options
@click.pass_obj
def find(settings, facet_axes: tuple[str, ...], studies: bool, include_strategies: bool, columns: str | None,
         show_sparql: bool, fmt: str, limit: int | None, iris: bool, **filters) -> None:
    """Find formulations by any combination of axes, without SPARQL.

    Each value is a name, alt label, CURIE or IRI; repeat an option for OR, combine options for AND; a
    family includes its sub-terms. Study-level filters (mechanism, step, cancer, site, modality, evidence,
    source) must hold in the same study. Rows: formulations (best evidence first) with carriers, cargo,
    ligands, targets and how each is reached, and what the matching studies report, with citations.
    """
    from kg.query.find import facets, find_sparql
    from kg.query.find import find as run_find

    given = {axis: list(values) for axis, values in filters.items() if values}
    with settings.open_kg() as graph:
        if show_sparql:
            click.echo(find_sparql(graph.store, include_strategies, **given))
            return
        if facet_axes:
            result = facets(graph.store, facet_axes, given, include_strategies=include_strategies).head(limit)
        else:
            result = run_find(graph.store, given, studies=studies, include_strategies=include_strategies,
                              limit=limit)
    if columns:
        result = result.select([c.strip() for c in columns.split(",") if c.strip()])
    _emit(result, fmt, iris, "values" if facet_axes else "studies" if studies else "formulations")

