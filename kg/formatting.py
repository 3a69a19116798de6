"""Render result rows for people: a plain-text table.

>>> print(render_table(["a", "b"], [["1", "xyz"], ["22", ""]]))
a   b
--  ---
1   xyz
22
"""

from __future__ import annotations


def render_table(columns: list[str], rows: list[list[str]]) -> str:
    """Left-aligned columns separated by two spaces, with a dashed rule under the header."""
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]

    def line(cells):
        return "  ".join(cell.ljust(w) for cell, w in zip(cells, widths)).rstrip()

    return "\n".join([line(columns), line(["-" * w for w in widths])] + [line(r) for r in rows])
