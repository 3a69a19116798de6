"""Read and write curation tables: TSV / CSV (one sheet per file) and YAML (sheets as sections).

Every row remembers where it came from (``studies.tsv, row 4``: spreadsheet row numbers, the header is
row 1), so that each problem names its row and column. Problems are collected, then raised together.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.core.errors import KGError, ValidationError
from kg.curate.columns import SEPARATOR, SHEETS, Sheet, split_cell

Cell = str | list[str]
SHOWN_UP_TO = 200  # problems listed in one message; the rest are counted


class TableSyntaxError(KGError):
    """A table that cannot be read: bad YAML, an unknown column or sheet. Exit code 2, like Turtle."""

    exit_code = 2


class TableError(ValidationError):
    """Cells that do not resolve or break a rule; every problem is listed with its row and column."""


@dataclass
class Row:
    sheet: str
    where: str  # "studies.tsv, row 4"
    cells: dict[str, Cell]

    def text(self, name: str) -> str:
        value = self.cells.get(name, "")
        return SEPARATOR.join(value) if isinstance(value, list) else value.strip()

    def values(self, name: str) -> list[str]:
        value = self.cells.get(name, "")
        if isinstance(value, list):
            return [v.strip() for v in value if v.strip()]
        if SHEETS[self.sheet].column(name).multi:
            return split_cell(value)
        return [value.strip()] if value.strip() else []


@dataclass
class Problems:
    """Problems found in a table, each with its row and column."""

    found: list[str] = field(default_factory=list)

    def add(self, row: Row | None, column: str | None, message: str) -> None:
        where = row.where if row else "table"
        self.found.append(f"{where}{f', column {column}' if column else ''}: {message}")

    def __bool__(self) -> bool:
        return bool(self.found)

    def raise_if_any(self) -> None:
        if not self.found:
            return
        shown = [p.replace("\n", "\n    ") for p in self.found[:SHOWN_UP_TO]]
        more = len(self.found) - len(shown)
        tail = f"\n  … and {more} more" if more > 0 else ""
        raise TableError(f"the table has {len(self.found)} problem(s); nothing was written:\n  "
                         + "\n  ".join(shown) + tail)


# ------------------------------------------------------------------ reading

def _column_name(header: str) -> str:
    return header.strip().lower().replace(" ", "_").replace("-", "_")


def _sheet_for(columns: Sequence[str], where: str) -> Sheet:
    for sheet in SHEETS.values():
        if sheet.key in columns:
            return sheet
    keys = ", ".join(f"{s.key} ({s.name})" for s in SHEETS.values())
    raise TableSyntaxError(f"{where}: the header names no sheet: it needs one of the columns {keys}")


def _check_columns(sheet: Sheet, columns: Iterable[str], where: str) -> None:
    import difflib

    unknown = []
    for name in columns:
        if name and name not in sheet.names:
            close = difflib.get_close_matches(name, sheet.names, n=1)
            unknown.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    if unknown:
        raise TableSyntaxError(f"{where}: unknown column(s) of the {sheet.name} sheet: {', '.join(unknown)}; "
                               f"the columns are: {', '.join(sheet.names)}")


def _read_delimited(path: Path, text: str) -> list[Row]:
    delimiter = "," if path.suffix.lower() == ".csv" else "\t"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [_column_name(h) for h in next(reader, [])]
        sheet = _sheet_for(header, path.name)
        _check_columns(sheet, header, path.name)
        rows, start = [], reader.line_num + 1
        for record in reader:
            first = (record[0].strip() if record else "")
            if any(c.strip() for c in record) and not first.startswith("#"):
                if len(record) > len(header):
                    raise TableSyntaxError(f"{path.name}, row {start}: {len(record)} cells but "
                                           f"{len(header)} columns in the header")
                rows.append(Row(sheet.name, f"{path.name}, row {start}",
                                {h: c for h, c in zip(header, record, strict=False) if h}))
            start = reader.line_num + 1
    except csv.Error as err:
        raise TableSyntaxError(f"{path.name}, row {reader.line_num}: {err}") from None
    return rows


def _yaml_value(node, where: str) -> Cell:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return "" if node.tag.endswith(":null") else node.value
    if isinstance(node, yaml.SequenceNode) and all(isinstance(n, yaml.ScalarNode) for n in node.value):
        return [n.value for n in node.value]
    raise TableSyntaxError(f"{where}: a cell is a text or a list of texts")


def _yaml_rows(sheet: Sheet, items, name: str) -> list[Row]:
    import yaml

    if not isinstance(items, yaml.SequenceNode):
        items = yaml.SequenceNode("tag:yaml.org,2002:seq", [items])
    rows = []
    for number, item in enumerate(items.value, 1):
        where = f"{name}, {sheet.name} item {number} (line {item.start_mark.line + 1})"
        if not isinstance(item, yaml.MappingNode):
            raise TableSyntaxError(f"{where}: an item is a mapping of column: value")
        cells = {_column_name(k.value): _yaml_value(v, where) for k, v in item.value}
        _check_columns(sheet, cells, where)
        rows.append(Row(sheet.name, where, cells))
    return rows


def _read_yaml(path: Path, text: str) -> list[Row]:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise TableSyntaxError(f"{path.name}{at}: not valid YAML: {getattr(err, 'problem', err)}") from None
    if root is None:
        return []
    if isinstance(root, yaml.MappingNode):
        keys = [_column_name(k.value) for k, _ in root.value]
        if all(k in SHEETS for k in keys):
            return [row for (k, v) in root.value for row in _yaml_rows(SHEETS[_column_name(k.value)], v,
                                                                        path.name)]
        return _yaml_rows(_sheet_for(keys, path.name), root, path.name)
    if isinstance(root, yaml.SequenceNode):
        return _yaml_rows(SHEETS["studies"], root, path.name)
    raise TableSyntaxError(f"{path.name}: expected sections ({', '.join(SHEETS)}) or a list of studies")


def read_table(path: Path) -> list[Row]:
    """The rows of one table file (``.tsv``, ``.tab``, ``.csv``, ``.yaml``, ``.yml``), in order."""
    suffix = path.suffix.lower()
    if suffix not in (".tsv", ".tab", ".csv", ".yaml", ".yml"):
        raise TableSyntaxError(f"{path}: not a table (use .tsv, .csv, .yaml or .yml)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise TableSyntaxError(f"{path.name}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    return _read_yaml(path, text) if suffix in (".yaml", ".yml") else _read_delimited(path, text)


# ------------------------------------------------------------------ writing

def write_table(sheet: Sheet, rows: list[dict[str, Cell]], fmt: str) -> str:
    """``rows`` as a table of ``sheet`` in ``fmt`` (``tsv``, ``csv`` or ``yaml``); lists joined with
    :data:`SEPARATOR` in TSV/CSV, kept as lists in YAML; empty cells left out in YAML."""
    if fmt == "yaml":
        import yaml

        items = [{k: v for k, v in row.items() if v} for row in rows]
        return yaml.safe_dump({sheet.name: items}, allow_unicode=True, sort_keys=False, width=100_000)
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
    writer.writerow(sheet.names)
    for row in rows:
        writer.writerow([SEPARATOR.join(v) if isinstance(v := row.get(name, ""), list) else v
                         for name in sheet.names])
    return out.getvalue()
