"""``kg curate``: grow the graph from study tables (import) and review it as one (export)."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.build_cmds import source_options
from kg.cli.options import LocalCommand, shared_options
from kg.core.errors import KGError

FORMATS = ("tsv", "csv", "yaml")


@click.group()
@shared_options
def curate() -> None:
    """Add studies from tables (TSV, CSV, YAML) instead of Turtle, and export the graph's studies as one.

    The table format is in docs/CURATION.md; docs/templates/ holds templates to start from.
    """


@curate.command("import", cls=LocalCommand)
@click.argument("tables", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the Turtle files [default: <triples>/curated/<first table's name>/].")
@click.option("--dry-run", is_flag=True, help="Resolve and check the tables, list what would be written, "
                                              "write nothing (the build's validation is skipped).")
@source_options
@shared_options
def import_tables(tables: tuple[Path, ...], out: Path | None, dry_run: bool, ontology: Path | None,
                  triples: Path | None, engine: str) -> None:
    """Resolve every cell of the TABLES (studies, sources, vocabulary, statements sheets), write one Turtle
    file per source, and validate the graph with them.

    Nothing is written while a cell does not resolve (each problem is listed with its row and column; exit
    3) or the graph does not validate. Importing the same tables again replaces the files it wrote.
    """
    from kg.core.locations import Sources
    from kg.curate.importing import import_tables as run_import

    report = run_import(list(tables), Sources.default(ontology, triples), out, engine, dry_run,
                        progress=lambda message: click.echo(f"  {message}", err=True))
    verb = "would write" if dry_run else "wrote"
    for path, text in report.files.items():
        click.echo(f"{verb} {path} ({text.count(chr(10))} lines)")
    for path in report.removed:
        click.echo(f"{'would remove' if dry_run else 'removed'} {path} (no longer produced by the tables)")
    counts = ", ".join(f"{what}: {n}" for what, n in report.counts.items() if n)
    click.echo(f"{counts or 'nothing'}{' (dry run)' if dry_run else ''}", err=True)
    if report.warnings:
        click.echo(f"  {len(report.warnings)} lint warning(s):", err=True)
        for warning in report.warnings:
            click.echo(f"    {warning}", err=True)


@curate.command("export", cls=LocalCommand)
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (.tsv, .csv, .yaml); default: TSV on standard output.")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="Table format [default: from --out, else tsv].")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
@click.option("--ontology", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of the ontology [default: shipped ontology].")
@click.option("--triples", type=click.Path(exists=True, file_okay=False, path_type=Path),
              envvar="NANOMET_KG_TRIPLES", help="Folder of curated Turtle [default: shipped data].")
@shared_options
def export_studies(out: Path | None, fmt: str | None, force: bool, ontology: Path | None,
                   triples: Path | None) -> None:
    """Write every study of the curated Turtle as a row of the study table (importing it gives back the
    same studies and formulations)."""
    import pyoxigraph as ox

    from kg.core.loading import load_files
    from kg.core.locations import Sources
    from kg.curate.exporting import export_table

    if fmt is None:
        suffix = out.suffix.lower().lstrip(".") if out else "tsv"
        fmt = "yaml" if suffix == "yml" else suffix
        if fmt not in FORMATS:
            raise KGError(f"--out {out}: cannot tell the format from its suffix {suffix!r}; give --format")
    if out is not None and out.exists() and not force:
        raise KGError(f"refusing to overwrite {out}; give --force to replace it")
    sources = Sources.default(ontology, triples)
    sources.check(shapes=False)
    graph = ox.Store()
    load_files(graph, sources.files())
    text = export_table(graph, fmt)
    if out is None:
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    click.echo(f"wrote {out} ({text.count(chr(10)) - 1} studies)", err=True)

