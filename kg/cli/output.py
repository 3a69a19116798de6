"""Render result rows: a plain-text table for people, CSV / TSV / Markdown for other tools.

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
"""

from __future__ import annotations

import csv
import io

TEXT_FORMATS = ("table", "csv", "tsv", "md")


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
