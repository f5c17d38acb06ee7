"""Shape check of every landing file against the landing contract, cheaply.

Parquet files are checked from their footer only (``pyarrow.parquet.ParquetFile``
reads the footer, never the row groups); CSV files from their header line. The
columns must be exactly the contract's set (order does not matter): a missing
column and an unexpected column are each an error naming the column, so a
renamed column shows up as one of each. Parquet types must be compatible with
the contract type (see ``TYPE_RULES``); CSV cell types cannot be checked from
the header (staging quarantines unparseable cells as ``unparseable_value``).

Nothing here imports Great Expectations: the GX part runs once per table later.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from switchboard.contract import TABLES, Table

# Suffixes the warehouse reads (the dbt registration reads only these); anything
# else in a table folder is reported as ignored, never read.
PARQUET_SUFFIX = ".parquet"
CSV_SUFFIX = ".csv"

UTC_NAMES = frozenset({"UTC", "Etc/UTC", "utc", "+00:00", "Z", "GMT", "Etc/GMT"})


def _is_str(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)


def _is_ts(t: pa.DataType) -> bool:
    return pa.types.is_timestamp(t) and (t.tz is None or t.tz in UTC_NAMES)


# contract type -> (predicate on the Parquet type, what the message says was expected)
TYPE_RULES: dict[str, tuple[Callable[[pa.DataType], bool], str]] = {
    "str": (_is_str, "str (a string column)"),
    "int": (pa.types.is_integer, "int (an integer column)"),
    "dec": (
        lambda t: pa.types.is_decimal(t) or pa.types.is_floating(t) or pa.types.is_integer(t),
        "dec (a decimal, float or integer column)",
    ),
    "bool": (pa.types.is_boolean, "bool (a boolean column)"),
    "ts": (_is_ts, "ts (a timestamp column, UTC or without time zone)"),
    "date": (pa.types.is_date, "date (a date32/date64 column)"),
}


def type_matches(contract_type: str, arrow_type: pa.DataType) -> bool:
    """True when a Parquet column of ``arrow_type`` can hold the contract type.

    An all-null column (Arrow ``null`` type) fits every contract type, and a
    dictionary-encoded column is judged by its value type.
    """
    if pa.types.is_null(arrow_type):
        return True
    if pa.types.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    return TYPE_RULES[contract_type][0](arrow_type)


@dataclass
class FileCheck:
    """The shape check of one landing file."""

    table_id: str
    path: str  # relative to the landing root, forward slashes
    fmt: str  # parquet | csv
    columns: list[str] = field(default_factory=list)
    rows: int | None = None  # from the Parquet footer; CSV rows are counted later
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class TableScan:
    """What the landing root holds for one contract table."""

    table: Table
    folder_exists: bool
    files: list[FileCheck] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # relative paths not read

    @property
    def found(self) -> bool:
        return bool(self.files)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    def csv_header_groups(self) -> dict[tuple[str, ...], list[str]]:
        """CSV files (relative paths) grouped by their header; column order may differ by file."""
        groups: dict[tuple[str, ...], list[str]] = {}
        for f in self.files:
            if f.fmt == "csv" and f.columns:
                groups.setdefault(tuple(f.columns), []).append(f.path)
        return groups


@dataclass
class LandingScan:
    root: Path
    tables: list[TableScan]
    unknown: list[str]  # folders under the root that are not contract tables

    @property
    def files(self) -> list[FileCheck]:
        return [f for t in self.tables for f in t.files]

    @property
    def problems(self) -> list[tuple[FileCheck, str]]:
        return [(f, p) for f in self.files for p in f.problems]


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def compare_columns(table: Table, observed: list[str]) -> list[str]:
    """Problems with a file's column names versus the contract (order ignored)."""
    problems: list[str] = []
    seen: set[str] = set()
    for name in observed:
        if name in seen:
            problems.append(f"column '{name}' appears more than once")
        seen.add(name)
    expected = table.column_names
    missing = [c for c in expected if c not in seen]
    extra = [c for c in observed if c not in set(expected)]
    for name in missing:
        col = table.column(name)
        problems.append(f"column '{name}' is missing (expected {col.type} per the landing contract)")
    for name in dict.fromkeys(extra):
        hint = f"; renamed from '{missing[0]}'?" if len(missing) == 1 and len(extra) == 1 else ""
        problems.append(
            f"column '{name}' is not in the landing contract "
            f"(expected only the {len(expected)} contract columns of {table.id}{hint})"
        )
    return problems


def check_parquet(table: Table, root: Path, path: Path) -> FileCheck:
    """Check one Parquet file from its footer: column names, types, row count."""
    check = FileCheck(table.id, _rel(root, path), "parquet")
    try:
        pf = pq.ParquetFile(path)
        schema = pf.schema_arrow
        check.rows = pf.metadata.num_rows
    except Exception as exc:  # noqa: BLE001 - any unreadable footer is a shape error
        check.problems.append(f"not a readable Parquet file ({type(exc).__name__}: {exc})")
        return check
    check.columns = list(schema.names)
    check.problems.extend(compare_columns(table, check.columns))
    contract = {c.name: c for c in table.columns}
    for fld in schema:
        col = contract.get(fld.name)
        if col is not None and not type_matches(col.type, fld.type):
            check.problems.append(
                f"column '{fld.name}' has Parquet type {fld.type}, "
                f"expected {TYPE_RULES[col.type][1]} per the landing contract"
            )
    return check


def check_csv(table: Table, root: Path, path: Path) -> FileCheck:
    """Check one CSV file from its header line only."""
    check = FileCheck(table.id, _rel(root, path), "csv")
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), None)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        check.problems.append(f"header row is not readable as UTF-8 CSV ({exc})")
        return check
    if not header or header == [""]:
        check.problems.append("file is empty: a CSV landing file needs a header row")
        return check
    check.columns = list(header)
    check.problems.extend(compare_columns(table, check.columns))
    return check


def _list_table(root: Path, table: Table) -> tuple[bool, list[Path], list[str]]:
    folder = root / table.system / table.name
    if not folder.is_dir():
        return False, [], []
    files: list[Path] = []
    ignored: list[str] = []
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        path = Path(entry.path)
        if entry.is_file() and entry.name.endswith((PARQUET_SUFFIX, CSV_SUFFIX)):
            files.append(path)
        else:
            ignored.append(_rel(root, path))
    return True, files, ignored


def _unknown_folders(root: Path) -> list[str]:
    known_systems = {t.system for t in TABLES}
    known = {(t.system, t.name) for t in TABLES}
    unknown: list[str] = []
    for system_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        if system_dir.name not in known_systems:
            unknown.append(system_dir.name)
            continue
        for table_dir in sorted(p for p in system_dir.iterdir() if p.is_dir()):
            if (system_dir.name, table_dir.name) not in known:
                unknown.append(f"{system_dir.name}/{table_dir.name}")
    return unknown


def scan_landing(root: Path, workers: int = 8) -> LandingScan:
    """List every contract table's files and check each file's shape."""
    listed = [(t, *_list_table(root, t)) for t in TABLES]
    jobs: list[tuple[Table, Path]] = [(t, p) for t, _, files, _ in listed for p in files]

    def run(job: tuple[Table, Path]) -> FileCheck:
        table, path = job
        if path.name.endswith(PARQUET_SUFFIX):
            return check_parquet(table, root, path)
        return check_csv(table, root, path)

    # Footer reads are I/O and release the GIL: a few threads hide file-open latency.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        checks = list(pool.map(run, jobs))
    by_table: dict[str, list[FileCheck]] = {}
    for check in checks:
        by_table.setdefault(check.table_id, []).append(check)
    tables = [TableScan(t, exists, by_table.get(t.id, []), ignored) for t, exists, _, ignored in listed]
    return LandingScan(root, tables, _unknown_folders(root))
