"""Commands that make and describe the store: ``build``, ``validate``, ``stats``."""

from __future__ import annotations

import time
from pathlib import Path

import click

from kg.cli.options import LocalCommand, shared_options
from kg.cli.output import render_table
from kg.core.errors import ValidationError


def source_options(command):
    """``--ontology`` / ``--triples``: build from other folders than the shipped ones; ``--shacl``: which
    SHACL engine."""
    command = click.option(
        "--shacl", "engine", type=click.Choice(["auto", "sparql", "pyshacl"]), default="auto",
        show_default=True,
        help="SHACL engine: the shapes compiled to SPARQL in the store (fast at any size), pyshacl (the "
             "reference implementation; minutes at a million triples), or auto (SPARQL unless the shapes use "
             "SHACL it does not translate).")(command)
    command = click.option("--triples", type=click.Path(exists=True, file_okay=False, path_type=Path),
                           envvar="NANOMET_KG_TRIPLES",
                           help="Folder of curated Turtle [default: data/triples/ of the data folder, "
                                "named on the first line of output].")(command)
    return click.option("--ontology", type=click.Path(exists=True, file_okay=False, path_type=Path),
                        help="Folder of the ontology and shapes [default: ontology/ of the data "
                             "folder].")(command)


def _announced_sources(ontology: Path | None, triples: Path | None):
    """The sources to build or validate, announced on stderr with where each part comes from."""
    from kg.core.locations import Sources, data_origin

    root, why = data_origin()
    sources = Sources.default(ontology, triples)
    if ontology is None and triples is None:
        where = f"{root.absolute()} ({why})"
    else:
        def part(name: str, path: Path, given: Path | None) -> str:
            return f"{name} {path.absolute()} ({'given' if given is not None else why})"

        where = f"{part('ontology', sources.ontology, ontology)}, {part('triples', sources.triples, triples)}"
    click.echo(f"data:  {where}", err=True)
    return sources


def render_summary(summary) -> str:
    """A :class:`kg.query.stats.Summary` as text: triples, then tables of nodes per class and studies per
    source."""
    lines = [f"triples: {summary.triples}", "", "nodes per class (subclasses included):",
             render_table(["class", "nodes"], [[c, str(n)] for c, n in summary.classes]),
             "", "studies per source:",
             render_table(["source", "studies", "formulations"],
                          [[s, str(a), str(b)] for s, a, b in summary.sources])]
    return "\n".join(lines)


def _progress(message: str) -> None:
    click.echo(f"  {message}", err=True)


def _print_warnings(report, show: bool) -> None:
    if not report.warnings:
        return
    if show:
        click.echo(f"lint warnings ({len(report.warnings)}):", err=True)
        for finding in report.warnings:
            click.echo(f"  {finding}", err=True)
    else:
        click.echo(f"  {len(report.warnings)} lint warning(s); see them with --warnings", err=True)


@click.command(cls=LocalCommand)
@click.option("--warnings", "show_warnings", is_flag=True, help="List lint warnings too.")
@click.option("--force", is_flag=True,
              help="Build even without curated triples, or keeping less than half of the store's.")
@source_options
@shared_options
@click.pass_obj
def build(settings, show_warnings: bool, force: bool, ontology: Path | None, triples: Path | None,
          engine: str) -> None:
    """Parse, validate and load the curated Turtle into the embedded store.

    The new store replaces the old one only if every check passes, and (unless --force) only if it
    has curated triples and keeps at least half of the old store's.
    """
    from kg.build.pipeline import build as run_build
    from kg.query.stats import summarize
    from kg.store import open_store

    started = time.perf_counter()
    sources = _announced_sources(ontology, triples)
    click.echo(f"store: {settings.store.absolute()}", err=True)
    report = run_build(settings.store, sources, progress=_progress, engine=engine, force=force)
    _print_warnings(report, show_warnings)
    with open_store(settings.store) as store:
        click.echo(render_summary(summarize(store)))
    click.echo(f"built in {time.perf_counter() - started:.1f} s", err=True)


@click.command(cls=LocalCommand)
@click.option("--warnings", "show_warnings", is_flag=True, help="List lint warnings too.")
@source_options
@shared_options
def validate(show_warnings: bool, ontology: Path | None, triples: Path | None, engine: str) -> None:
    """Run the SHACL shapes and the lint on the sources without building."""
    from kg.build.pipeline import validate as run_validate

    report = run_validate(_announced_sources(ontology, triples), progress=_progress, engine=engine)
    _print_warnings(report, show_warnings)
    if not report.ok:
        raise ValidationError(report.describe_problems())
    click.echo(f"valid: {len(report.parsed)} triples, no violations")


@click.command()
@shared_options
@click.pass_obj
def stats(settings) -> None:
    """Summarise the graph: triples, nodes per class, studies per source (of the built store, or of the
    --backend / --endpoint chosen)."""
    from kg.query.stats import summarize

    with settings.open_kg() as graph:
        manifest = getattr(graph.store, "manifest", None)
        if callable(manifest):
            click.echo(f"store: {settings.store} (built {manifest().get('built_at', '?')})")
        elif settings.endpoint:
            click.echo(f"endpoint: {settings.endpoint} (no build date: a remote graph)")
        else:
            click.echo(f"{graph.store.name}: the Turtle sources, parsed now (no build date)")
        click.echo(render_summary(summarize(graph.store)))

