"""Everything the commands print as data: the ``--format`` option, rows rendered as a plain-text table for
people or CSV / TSV / Markdown / JSON for other tools, and query results (rows, ASK, CONSTRUCT).

>>> print(render_table(["a", "b"], [["1", "xyz"], ["22", ""]]))
a   b
--  ---
1   xyz
22
>>> print(render_rows(["a", "b"], [["1", "x|y"]], "md"))
| a | b |
| --- | --- |
| 1 | x\\|y |
>>> print(render_rows(["a", "b"], [["1", 'say "hi", twice']], "csv"))
a,b
1,"say ""hi"", twice"
>>> [cell(v) for v in (0.123456, ("a", "b"), 3)]
['0.1235', 'a | b', '3']
"""

from __future__ import annotations

import click

TEXT_FORMATS = ("table", "csv", "tsv", "md")
FORMATS = (*TEXT_FORMATS, "json")

FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
    help="Output: a table, CSV, TSV, Markdown, or JSON (SPARQL 1.1 JSON results for queries).")


# ------------------------------------------------------------------------------------------- rendering

def render_table(columns: list[str], rows: list[list[str]]) -> str:
    """Left-aligned columns separated by two spaces, with a dashed rule under the header."""
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]

    def line(cells):
        return "  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(columns), line(["-" * w for w in widths])] + [line(r) for r in rows])


def render_markdown(columns: list[str], rows: list[list[str]]) -> str:
    """A Markdown (GitHub) table; pipes in cells are escaped, newlines become spaces."""
    def line(cells):
        return "| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |"

    return "\n".join([line(columns), line(["---"] * len(columns))] + [line(r) for r in rows])


def render_delimited(columns: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    """CSV (or TSV with ``delimiter="\\t"``) with a header row, quoted where needed."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().rstrip("\n")


def render_rows(columns: list[str], rows: list[list[str]], fmt: str = "table") -> str:
    """Rows of strings in one of :data:`TEXT_FORMATS`."""
    if fmt == "table":
        return render_table(columns, rows)
    if fmt == "md":
        return render_markdown(columns, rows)
    if fmt in ("csv", "tsv"):
        return render_delimited(columns, rows, "," if fmt == "csv" else "\t")
    raise ValueError(f"unknown text format {fmt!r}; use one of: {', '.join(TEXT_FORMATS)}")


def cell(value) -> str:
    """A Python value as a table cell: floats to four significant digits, lists joined with `` | ``."""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)):
        return " | ".join(map(str, value))
    return str(value)


# ------------------------------------------------------------------------------------------- printing

def emit_json(data) -> None:
    """Print ``data`` as indented JSON (non-ASCII kept as is)."""
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def emit_rows(columns: list[str], rows: list[list], fmt: str, records: list[dict] | None = None) -> None:
    """Print rows of Python values in ``fmt``; JSON prints ``records`` (default: the rows as objects)."""
    if fmt == "json":
        emit_json(records if records is not None else [dict(zip(columns, r, strict=True)) for r in rows])
    else:
        click.echo(render_rows(columns, [[cell(v) for v in r] for r in rows], fmt))


def emit_result(result, fmt: str, limit: int | None = None, iris: bool = False) -> None:
    """Print what a query returned: a :class:`kg.query.results.Result` (at most ``limit`` rows; entities
    as labels, ``iris`` adds their IRIs; the row count goes to stderr so that stdout stays clean), an ASK
    answer (``true``/``false``) or CONSTRUCT / DESCRIBE triples (Turtle)."""
    if isinstance(result, bool):
        if fmt == "json":
            import json

            from kg.query.results import boolean_json

            click.echo(json.dumps(boolean_json(result)))
        else:
            click.echo("true" if result else "false")
        return
    if isinstance(result, list):
        import pyoxigraph as ox

        from kg.core.prefixes import PREFIXES

        click.echo(ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode())
        return
    shown = result.head(limit)
    if fmt == "json":
        click.echo(shown.to_sparql_json())
    else:
        columns, rows = shown.table(iris=iris, full_iris=fmt in ("csv", "tsv"))
        click.echo(render_rows(columns, rows, fmt))
    if result.more:  # the query itself stopped after the rows asked for
        click.echo(f"(first {len(shown)} rows shown; the query has more)", err=True)
    elif shown.more:
        click.echo(f"({len(shown)} of {len(result)} rows shown)", err=True)
    elif fmt == "table":
        click.echo(f"({len(result)} row{'' if len(result) == 1 else 's'})", err=True)
