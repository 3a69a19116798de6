"""Commands that ask questions: ``queries`` (the library), ``query NAME``, ``sparql TEXT``."""

from __future__ import annotations

import textwrap
from pathlib import Path

import click

from kg.core.errors import QueryError, SparqlSyntaxError

FORMATS = ("table", "csv", "tsv", "md", "json")
TIMEOUT = 60.0  # seconds


def output_options(command):
    """``--format``, ``--limit``, ``--iris`` and ``--timeout``, shared by ``query`` and ``sparql``."""
    command = click.option("--timeout", type=click.FloatRange(min=0), default=TIMEOUT, show_default=True,
                           metavar="SECONDS", help="Stop a query that runs longer (exit code 5); 0: no limit."
                           )(command)
    command = click.option("--iris", is_flag=True,
                           help="Also show the IRI of every entity (a <column>_iri column next to its label)."
                           )(command)
    command = click.option("--limit", type=click.IntRange(min=0), default=None,
                           help="Show at most this many rows (the query stops after them).")(command)
    command = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                           help="Output: a table, CSV, TSV, Markdown, or SPARQL 1.1 JSON results.")(command)
    return click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
                        help="A query parameter; repeat for several. Entities by name, CURIE or IRI."
                        )(command)


def emit(result, fmt: str, limit: int | None, iris: bool) -> None:
    """Print a :class:`kg.query.results.Result`; counts go to stderr so that stdout stays clean."""
    from kg.cli.output import render_rows

    shown = result.head(limit)
    if fmt == "json":
        click.echo(shown.to_sparql_json())
    else:
        columns, rows = shown.table(iris=iris, full_iris=fmt in ("csv", "tsv"))
        click.echo(render_rows(columns, rows, fmt))
    if result.more:
        click.echo(f"(first {len(shown)} rows shown; the query has more)", err=True)
    elif shown.more:
        click.echo(f"({len(shown)} of {len(result)} rows shown)", err=True)
    elif fmt == "table":
        click.echo(f"({len(result)} row{'' if len(result) == 1 else 's'})", err=True)


def _assignments(pairs: tuple[str, ...]) -> dict[str, str]:
    """The ``--param`` values; ``limit`` is the row limit's name in the API, so not a parameter here."""
    from kg.query.params import parse_assignments

    given = parse_assignments(pairs)
    if "limit" in given:
        raise QueryError("a query parameter cannot be called limit here (--limit is the row limit); "
                         "rename the variable")
    return given


@click.command()
@click.argument("name", required=False)
def queries(name: str | None) -> None:
    """List the named queries, or show one (parameters and SPARQL) with NAME."""
    from kg.query.library import get_query, load_library

    library = load_library()
    if name:
        q = get_query(library, name)
        click.echo(f"{q.name} — {q.title}\n\n{textwrap.fill(q.description, 100)}\n")
        for p in q.params:
            click.echo(f"  --param {p.name}=…   {p.describe()}")
            if p.help:
                click.echo(f"      {p.help}")
        example = "".join(f" --param {p.name}='{p.example}'" for p in q.params if p.example and p.required)
        click.echo(f"\nexample:  kg query {q.name}{example}")
        click.echo("\n" + q.text.rstrip())
        return
    for q in library.values():
        click.echo(f"{q.name} — {q.title}")
        click.echo(textwrap.fill(q.description, 100, initial_indent="    ", subsequent_indent="    "))
        click.echo(textwrap.fill(f"parameters: {q.signature()}", 100, initial_indent="    ",
                                 subsequent_indent="        "))
    click.echo(f"\n{len(library)} queries; `kg queries NAME` shows one, "
               "`kg query NAME --param key=value` runs it.")


@click.command()
@click.argument("name")
@output_options
@click.pass_obj
def query(settings, name: str, params: tuple[str, ...], fmt: str, limit: int | None, iris: bool,
          timeout: float) -> None:
    """Run the named query NAME (see `kg queries`)."""
    from kg.cli.deadline import within

    given = _assignments(params)
    with settings.open_kg() as graph:
        emit(within(timeout, lambda: graph.query(name, limit=limit, **given)), fmt, limit, iris)


@click.command()
@click.argument("text", required=False)
@click.option("--file", "-f", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from a file (a header may declare typed parameters, as the library does).")
@output_options
@click.pass_obj
def sparql(settings, text: str | None, file: Path | None, params: tuple[str, ...], fmt: str,
           limit: int | None, iris: bool, timeout: float) -> None:
    """Run a free SPARQL query (TEXT, or --file); the project prefixes (nmo:, target:, …) are predefined.

    Parameters bind variables: `--param target=CXCR4` binds ?target to the entity called CXCR4;
    `--param text='"some text"'` binds a string literal. CONSTRUCT/DESCRIBE results print as Turtle.
    """
    import pyoxigraph as ox

    from kg.cli.deadline import within
    from kg.core.prefixes import PREFIXES
    from kg.query.library import read_query_file

    if (text is None) == (file is None):
        raise QueryError("give the query as an argument or with --file, not both and not neither")
    query_text = read_query_file(file) if file is not None else str(text)
    given = _assignments(params)
    with settings.open_kg() as graph:
        try:
            result = within(timeout, lambda: graph.sparql(query_text, limit=limit, **given))
        except SparqlSyntaxError as err:
            if file is None:
                raise
            raise SparqlSyntaxError(f"{file}: {err}") from None
    if isinstance(result, bool):
        if fmt == "json":
            import json

            from kg.query.results import boolean_json

            click.echo(json.dumps(boolean_json(result)))
        else:
            click.echo("true" if result else "false")
    elif isinstance(result, list):
        click.echo(ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode())
    else:
        emit(result, fmt, limit, iris)


COMMANDS = [queries, query, sparql]
