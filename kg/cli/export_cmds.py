"""Commands that send the graph elsewhere: ``export`` (files) and ``push`` (a SPARQL Graph Store)."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import shared_options
from kg.core.errors import KGError


@click.command()
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "jsonld", "graphml", "kgx"]), required=True,
              help="Turtle, N-Triples, JSON-LD, GraphML, or KGX for the Biolink model (nodes.tsv, edges.tsv, "
                   "prefix-map.json).")
@click.option("--out", "-o", type=click.Path(path_type=Path),
              help="File to write (for kgx: a folder); default: standard output (not for kgx).")
@shared_options
@click.pass_obj
def export(settings, fmt: str, out: Path | None) -> None:
    """Export the whole graph, deterministically (sorted, stable blank-node labels): diffs stay readable."""
    import sys

    from kg import export as exporting

    if fmt == "kgx" and (out is None or out.is_file()):
        raise KGError("kgx writes several files: give a folder with --out")
    if fmt != "kgx" and out is not None and out.is_dir():
        raise KGError(f"--out {out} is a folder: give a file path")
    with settings.open_kg() as graph:
        triples = graph.store.triples()
    if out is None:
        sys.stdout.buffer.write(exporting.WRITERS[fmt](triples))
        return
    for path in exporting.export(triples, fmt, out):
        click.echo(f"wrote {path}", err=True)


@click.command()
@click.argument("graph_store", metavar="GRAPH_STORE_URL")
@click.option("--append", is_flag=True, help="Add to the default graph instead of replacing it.")
@shared_options
@click.pass_obj
def push(settings, graph_store: str, append: bool) -> None:
    """Load the graph into a SPARQL 1.1 Graph Store (e.g. http://127.0.0.1:7878/store of `oxigraph serve`).

    The default graph is replaced (HTTP PUT) unless --append (HTTP POST). Query it afterwards with
    `kg --endpoint URL query …`.
    """
    from kg.store.remote import push as push_triples

    with settings.open_kg() as graph:
        triples = graph.store.triples()
    push_triples(triples, graph_store, replace=not append)
    click.echo(f"pushed {len(triples)} triples to {graph_store}", err=True)

