"""The ``view`` command: an interactive, self-contained HTML page of the graph or part of it."""

from __future__ import annotations

import time
from pathlib import Path

import click

from kg.cli.options import shared_options
from kg.views.subgraphs import DEFAULT_MAX_NODES
from kg.views.view import DEFAULT_DEPTH, DEFAULT_MAX_HOPS, DEFAULT_PATH_LIMIT

DEFAULT_OUT = "nanomet-kg.html"


@click.command()
@click.option("--focus", metavar="NAME", help="Draw NAME and its neighbourhood (an ego network).")
@click.option("--depth", type=click.IntRange(1, 5), default=DEFAULT_DEPTH, show_default=True,
              help="Hops around --focus.")
@click.option("--query", metavar="NAME",
              help="Draw the entities in a named query's result rows and the links among them.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of --query (repeatable).")
@click.option("--paths", nargs=2, metavar="A B", help="Draw the paths between two entities.")
@click.option("--max-hops", type=click.IntRange(1, 6), default=DEFAULT_MAX_HOPS, show_default=True,
              help="Longest path for --paths.")
@click.option("--limit", type=click.IntRange(1), default=DEFAULT_PATH_LIMIT, show_default=True,
              help="At most this many paths for --paths.")
@click.option("--studies", is_flag=True,
              help="Draw study nodes instead of folding them into formulation links.")
@click.option("--max-nodes", type=click.IntRange(10), default=DEFAULT_MAX_NODES, show_default=True,
              help="Largest view; a bigger one is aggregated or trimmed, with a warning.")
@click.option("--title", help="Page title [default: says what the view shows].")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="The HTML file to write.")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the web browser.")
@shared_options
@click.pass_obj
def view(settings, focus: str | None, depth: int, query: str | None, params: tuple[str, ...],
         paths: tuple[str, str] | None, max_hops: int, limit: int, studies: bool, max_nodes: int,
         title: str | None, out: Path, open_page: bool) -> None:
    """Write an interactive HTML view: one file that works offline.

    Without options it draws the whole graph, studies folded into formulation links. Colour and shape
    show the node type, size the number of links; hover for sources and identifiers, click to pin them.

    \b
      kg view --out nanomet-kg.html
      kg view --focus CD44 --depth 2 --out cd44.html
      kg view --query formulations-by-target --param target=CXCR4
      kg view --paths "hyaluronic acid" "local invasion" --open
    """
    from kg.cli.options import holding_projections
    from kg.core.errors import QueryError
    from kg.query.params import parse_assignments
    from kg.views import build_view

    if params and not query:
        raise QueryError("--param needs --query")
    started = time.perf_counter()
    with settings.open_kg() as graph:
        page = build_view(graph, focus=focus, depth=depth, query=query, params=parse_assignments(params),
                          paths=paths, max_hops=max_hops, limit=limit, studies=studies, max_nodes=max_nodes,
                          title=title, lean=True)
    holding_projections()
    for note in page.notes:
        click.echo(f"warning: {note}", err=True)
    path = page.write(out)
    size = path.stat().st_size / 1e6
    click.echo(f"wrote {path}: {page.title}; {page.nodes} nodes, {page.edges} links, {size:.1f} MB "
               f"({time.perf_counter() - started:.1f} s)")
    if open_page:
        import webbrowser

        webbrowser.open(path.resolve().as_uri())

