"""Commands that ask questions: ``queries`` (the library), ``query NAME``, ``sparql TEXT``."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import LocalCommand, shared_options
from kg.cli.output import FORMAT_OPTION, emit_result
from kg.core.errors import QueryError, SparqlSyntaxError

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
    command = FORMAT_OPTION(command)
    return click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
                        help="A query parameter; repeat for several. Entities by name, CURIE or IRI."
                        )(command)


def _assignments(pairs: tuple[str, ...]) -> dict[str, str]:
    """The ``--param`` values; ``limit`` is the row limit's name in the API, so not a parameter here."""
    from kg.query.params import parse_assignments

    given = parse_assignments(pairs)
    if "limit" in given:
        raise QueryError("a query parameter cannot be called limit here (--limit is the row limit); "
                         "rename the variable")
    return given


@click.command(cls=LocalCommand)
@click.argument("name", required=False)
@shared_options
def queries(name: str | None) -> None:
    """List the named queries, or show one (parameters and SPARQL) with NAME."""
    import textwrap

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
@shared_options
@click.pass_obj
def query(settings, name: str, params: tuple[str, ...], fmt: str, limit: int | None, iris: bool,
          timeout: float) -> None:
    """Run the named query NAME (see `kg queries`)."""
    from kg.cli.deadline import within

    given = _assignments(params)
    with settings.open_kg() as graph:
        emit_result(within(timeout, lambda: graph.query(name, limit=limit, **given)), fmt, limit, iris)


@click.command()
@click.argument("text", required=False)
@click.option("--file", "-f", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from a file (a header may declare typed parameters, as the library does).")
@click.option("--allow-service", is_flag=True,
              help="Let the query call other SPARQL endpoints over the network (SERVICE); refused otherwise.")
@output_options
@shared_options
@click.pass_obj
def sparql(settings, text: str | None, file: Path | None, allow_service: bool, params: tuple[str, ...],
           fmt: str, limit: int | None, iris: bool, timeout: float) -> None:
    """Run a free SPARQL query (TEXT, or --file); the project prefixes (nmo:, target:, …) are predefined.

    Parameters bind variables: `--param target=CXCR4` binds ?target to the entity called CXCR4;
    `--param text='"some text"'` binds a string literal. CONSTRUCT/DESCRIBE results print as Turtle.
    A query never reaches the network (SERVICE is refused) unless --allow-service.
    """
    from kg.cli.deadline import within
    from kg.query.library import read_query_file

    if (text is None) == (file is None):
        raise QueryError("give the query as an argument or with --file, not both and not neither")
    query_text = read_query_file(file) if file is not None else str(text)
    given = _assignments(params)
    with settings.open_kg(allow_service) as graph:
        try:
            result = within(timeout, lambda: graph.sparql(query_text, limit=limit, **given))
        except SparqlSyntaxError as err:
            if file is None:
                raise
            raise SparqlSyntaxError(f"{file}: {err}") from None
    emit_result(result, fmt, limit, iris)

