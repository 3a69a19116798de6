"""Commands that make and describe the store: ``build``, ``validate``, ``stats``."""

from __future__ import annotations

import time
from pathlib import Path

import click

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
                           help="Folder of curated Turtle [default: shipped data].")(command)
    return click.option("--ontology", type=click.Path(exists=True, file_okay=False, path_type=Path),
                        help="Folder of the ontology and shapes [default: shipped ontology].")(command)


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


@click.command()
@click.option("--warnings", "show_warnings", is_flag=True, help="List lint warnings too.")
@source_options
@click.pass_obj
def build(settings, show_warnings: bool, ontology: Path | None, triples: Path | None, engine: str) -> None:
    """Parse, validate and load the curated Turtle into the embedded store.

    The new store replaces the old one only if every check passes.
    """
    from kg.build.pipeline import build as run_build
    from kg.core.locations import Sources
    from kg.query.stats import summarize
    from kg.store import open_store

    started = time.perf_counter()
    click.echo(f"building {settings.store}", err=True)
    report = run_build(settings.store, Sources.default(ontology, triples), progress=_progress, engine=engine)
    _print_warnings(report, show_warnings)
    with open_store(settings.store) as store:
        click.echo(summarize(store).render())
    click.echo(f"built in {time.perf_counter() - started:.1f} s", err=True)


@click.command()
@click.option("--warnings", "show_warnings", is_flag=True, help="List lint warnings too.")
@source_options
def validate(show_warnings: bool, ontology: Path | None, triples: Path | None, engine: str) -> None:
    """Run the SHACL shapes and the lint on the sources without building."""
    from kg.build.pipeline import validate as run_validate
    from kg.core.locations import Sources

    report = run_validate(Sources.default(ontology, triples), progress=_progress, engine=engine)
    _print_warnings(report, show_warnings)
    if not report.ok:
        raise ValidationError(report.describe_problems())
    click.echo(f"valid: {len(report.parsed)} triples, no violations")


@click.command()
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
        click.echo(summarize(graph.store).render())


COMMANDS = [build, validate, stats]
