"""The door: which files of a landing table are read, and is each one whole and of the contract's shape.

The same checks run in ``switchboard validate`` and, through the dbt-duckdb plugin
(``dbt_plugin.py``), in dbt's on-run-start ``register_landing``, so a ``dbt build``
started alone stops at the same door with the same one-line messages.

Listing (``list_table``): every entry of a table folder is either read, ignored
by name (var ``landing_ignored_files`` in dbt_project.yml: ``.DS_Store``,
``_SUCCESS``, ``README*`` ...), or a problem naming it. ``.parquet`` and ``.csv``
are read whatever their case (``*.PARQUET`` too); any other file, a sub-folder,
a data file whose name starts with ``.`` or ``_`` (Spark and Hadoop tools skip
those silently) and a name with a glob character (``* ? [ ] { }``: the engines
would read it as a pattern) are problems.

Shape: the columns must be exactly the contract's set (order does not matter):
a missing column and an unexpected column are each an error naming the column,
so a renamed column shows up as one of each. Parquet types come from the footer
and must be compatible with the contract type (``TYPE_RULES``); CSV cell types
cannot be checked (staging quarantines unparseable cells as ``unparseable_value``).

Integrity: every page of a Parquet file is decoded once with page checksums
verified where the writer stored them (DuckDB 1.5 does not verify them, pyarrow
does), so a damaged file stops the run instead of feeding changed values; a CSV
file must be UTF-8 throughout (a bad byte is reported with its row and column)
and every row must have as many fields as the header.

Nothing here imports Great Expectations: the GX part runs once per table later.
"""

from __future__ import annotations

import csv
import fnmatch
import hashlib
import io
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from switchboard import settings
from switchboard.contract import TABLES, Table

# Suffixes the warehouse reads, compared in lower case (a.PARQUET is read like a.parquet); any other file in a
# table folder stops the run unless var landing_ignored_files names it.
PARQUET_SUFFIX = ".parquet"
CSV_SUFFIX = ".csv"
# Characters DuckDB or Spark read as a glob pattern in a path.
GLOB_CHARACTERS = frozenset("*?[]{}")
UTF8_BOM = b"\xef\xbb\xbf"

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
    """The check of one entry of a table folder."""

    table_id: str
    path: str  # relative to the landing root, forward slashes
    fmt: str  # parquet | csv | other (neither read nor ignored: always a problem)
    columns: list[str] = field(default_factory=list)
    rows: int | None = None  # from the Parquet footer; CSV rows are counted later
    problems: list[str] = field(default_factory=list)
    fingerprint: str | None = None  # file_fingerprint(): set for every landing file the scan lists
    known: bool = False  # its fingerprint is one the caller already checked (and processed): not checked again

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class TableScan:
    """What the landing root holds for one contract table."""

    table: Table
    folder_exists: bool
    files: list[FileCheck] = field(default_factory=list)  # data files, then entries that are neither read nor ignored
    ignored: list[str] = field(default_factory=list)  # relative paths not read, by var landing_ignored_files

    @property
    def data_files(self) -> list[FileCheck]:
        return [f for f in self.files if f.fmt in ("parquet", "csv")]

    @property
    def found(self) -> bool:
        return bool(self.data_files)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    def paths(self, fmt: str) -> list[str]:
        """Relative paths of the table's files of one format, in name order."""
        return [f.path for f in self.files if f.fmt == fmt]

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


def ignored_file_patterns() -> list[str]:
    """The project's var landing_ignored_files (dbt_project.yml): names never read and never an error.

    dbt passes its own value of the var to the same checks (``register_landing``), so a ``--vars`` override
    given to dbt must be given to ``switchboard validate`` too (``ignore=``).
    """
    import yaml

    project = yaml.safe_load((settings.PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return [str(p) for p in (project.get("vars") or {}).get("landing_ignored_files") or []]


def is_ignored(name: str, patterns: Sequence[str]) -> bool:
    """True when a file or folder name matches one of the glob patterns, in any letter case."""
    low = name.lower()
    return any(fnmatch.fnmatchcase(low, p.lower()) for p in patterns)


def has_glob_character(text: str) -> bool:
    return any(ch in GLOB_CHARACTERS for ch in text)


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


def _damaged_page(pf: pq.ParquetFile) -> str | None:
    """Decode every page once (checksums verified where stored); the first damaged column, or None."""
    for group in range(pf.num_row_groups):
        try:
            pf.read_row_group(group)
            continue
        except Exception as exc:  # noqa: BLE001 - any decoding error means a damaged file
            whole = exc
        for name in pf.schema_arrow.names:
            try:
                pf.read_row_group(group, columns=[name])
            except Exception as exc:  # noqa: BLE001
                if "checksum" in str(exc).lower():
                    return (
                        f"column '{name}' (row group {group}): a page checksum does not match, the file was damaged "
                        "after it was written; re-deliver the file"
                    )
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                return (
                    f"column '{name}' (row group {group}) cannot be decoded, the file is damaged "
                    f"({type(exc).__name__}: {first}); re-deliver the file"
                )
        first = str(whole).strip().splitlines()[0] if str(whole).strip() else ""
        return f"row group {group} cannot be decoded ({type(whole).__name__}: {first}); re-deliver the file"
    return None


def check_parquet(table: Table, root: Path, path: Path, verify: bool = True) -> FileCheck:
    """Check one Parquet file: column names and types and row count from the footer, then (``verify``) every page."""
    check = FileCheck(table.id, _rel(root, path), "parquet")
    try:
        pf = pq.ParquetFile(path, page_checksum_verification=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable footer is a shape error
        check.problems.append(f"not a readable Parquet file ({type(exc).__name__}: {exc})")
        return check
    try:
        schema = pf.schema_arrow
        check.rows = pf.metadata.num_rows
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
        if verify and not check.problems:
            damaged = _damaged_page(pf)
            if damaged:
                check.problems.append(damaged)
    finally:
        pf.close()
    return check


def _bad_byte(field_text: str) -> int | None:
    """The first byte that was not UTF-8 in a field decoded with surrogateescape, or None."""
    for ch in field_text:
        if "\udc80" <= ch <= "\udcff":
            return ord(ch) - 0xDC00
    return None


def check_csv(table: Table, root: Path, path: Path, verify: bool = True) -> FileCheck:
    """Check one CSV file: the header against the contract, then (``verify``) every row.

    The whole file must be UTF-8 (a leading BOM is allowed): a bad byte is reported with its row and column, not
    as a header problem. Every row must have as many fields as the header (DuckDB cannot read it otherwise).
    Rows are counted from 1 after the header, as the generator's bad_rows.csv counts them.
    """
    check = FileCheck(table.id, _rel(root, path), "csv")
    try:
        data = path.read_bytes()
    except OSError as exc:
        check.problems.append(f"the file cannot be read ({exc})")
        return check
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    reader = csv.reader(io.StringIO(data.decode("utf-8", errors="surrogateescape"), newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header or header == [""]:
            check.problems.append("file is empty: a CSV landing file needs a header row")
            return check
        for i, name in enumerate(header):
            byte = _bad_byte(name)
            if byte is not None:
                check.problems.append(
                    f"header, field {i + 1}: byte 0x{byte:02x} is not UTF-8; CSV landing files must be UTF-8 "
                    "(re-export the file as UTF-8)"
                )
                return check
        check.columns = list(header)
        check.problems.extend(compare_columns(table, check.columns))
        if not verify:
            return check
        bad_encoding: list[str] = []
        bad_width: list[str] = []
        row = 0
        for fields in reader:
            if not fields:
                continue  # a blank line
            row += 1
            if len(fields) != len(header):
                bad_width.append(
                    f"row {row} (line {reader.line_num}) has {len(fields)} fields, the header has {len(header)}"
                )
            for i, text in enumerate(fields):
                byte = _bad_byte(text)
                if byte is not None:
                    column = f"'{header[i]}'" if i < len(header) else f"{i + 1} (beyond the header)"
                    bad_encoding.append(f"row {row} (line {reader.line_num}), column {column}: byte 0x{byte:02x}")
                    break
    except csv.Error as exc:
        check.problems.append(f"line {reader.line_num} is not readable as CSV ({exc})")
        return check
    if bad_encoding:
        more = f" (and {len(bad_encoding) - 1} more rows)" if len(bad_encoding) > 1 else ""
        check.problems.append(
            f"{bad_encoding[0]} is not UTF-8{more}; CSV landing files must be UTF-8 (re-export the file as UTF-8)"
        )
    if bad_width:
        more = f" (and {len(bad_width) - 1} more rows)" if len(bad_width) > 1 else ""
        check.problems.append(f"{bad_width[0]}{more}: every row needs one field per header column")
    return check


def _entry_problem(entry: os.DirEntry[str]) -> str | None:
    """Why an entry of a table folder that is not ignored cannot be read; None for a landing file."""
    name = entry.name
    if entry.is_dir():
        return (
            "a folder inside a table folder is not read (a table's files lie directly in its folder); "
            "move its files up, or add its name to var landing_ignored_files"
        )
    if not entry.is_file():
        return "not a regular file"
    if os.path.splitext(name)[1].lower() not in (PARQUET_SUFFIX, CSV_SUFFIX):
        return (
            "not a landing file: only .parquet and .csv files are read (in any letter case); remove it, "
            "or add its name to var landing_ignored_files"
        )
    if name.startswith((".", "_")):
        return "a landing file name must not start with '.' or '_' (Spark and Hadoop tools skip such files); rename it"
    if has_glob_character(name):
        return "the name contains a glob character (* ? [ ] { }) that DuckDB and Spark read as a pattern; rename it"
    return None


def list_table(root: Path, table: Table, ignore: Sequence[str]) -> tuple[bool, list[Path], list[FileCheck], list[str]]:
    """A table folder's entries: (folder exists, landing files, entries that are problems, ignored paths)."""
    folder = root / table.system / table.name
    if not folder.is_dir():
        return False, [], [], []
    files: list[Path] = []
    rejected: list[FileCheck] = []
    ignored: list[str] = []
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        path = Path(entry.path)
        if is_ignored(entry.name, ignore):
            ignored.append(_rel(root, path))
            continue
        problem = _entry_problem(entry)
        if problem:
            rejected.append(FileCheck(table.id, _rel(root, path), "other", problems=[problem]))
        else:
            files.append(path)
    return True, files, rejected, ignored


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


def file_fingerprint(path: Path) -> str | None:
    """A landing file's identity for incremental builds: its size and the SHA-256 of its bytes (None when the file
    cannot be read: the checks then name the problem).

    Content, not the modification time, so a landing zone copied or moved elsewhere is not reprocessed, and a file
    rewritten under the same name (a corrected re-delivery) is always seen. Hashing reads every byte (about 1 s per
    GB on one core), far less than reading the rows again.
    """
    try:
        with path.open("rb") as fh:
            digest = hashlib.file_digest(fh, "sha256")
        return f"{path.stat().st_size}:{digest.hexdigest()}"
    except OSError:
        return None


def scan_landing(
    root: Path,
    workers: int = 8,
    ignore: Sequence[str] | None = None,
    verify: bool = True,
    known: Mapping[str, str] | None = None,
) -> LandingScan:
    """List every contract table's files and check each one (shape; with ``verify``, every page and row too).

    ``ignore``: the glob patterns of names never read (default: var landing_ignored_files of dbt_project.yml).
    ``known``: relative path -> fingerprint of files checked before (the files an incremental build processed);
    a file whose fingerprint is unchanged is listed (``known``) but not read again.
    """
    patterns = ignored_file_patterns() if ignore is None else list(ignore)
    listed = [(t, *list_table(root, t, patterns)) for t in TABLES]
    jobs: list[tuple[Table, Path]] = [(t, p) for t, _, files, _, _ in listed for p in files]
    known = known or {}

    def run(job: tuple[Table, Path]) -> FileCheck:
        table, path = job
        fingerprint = file_fingerprint(path)
        rel = _rel(root, path)
        if fingerprint is not None and known.get(rel) == fingerprint:
            fmt = "parquet" if path.name.lower().endswith(PARQUET_SUFFIX) else "csv"
            return FileCheck(table.id, rel, fmt, fingerprint=fingerprint, known=True)
        if path.name.lower().endswith(PARQUET_SUFFIX):
            check = check_parquet(table, root, path, verify)
        else:
            check = check_csv(table, root, path, verify)
        check.fingerprint = fingerprint
        return check

    # Footer and page reads are I/O and decompression that release the GIL: a few threads hide their latency.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        checks = list(pool.map(run, jobs))
    by_table: dict[str, list[FileCheck]] = {}
    for check in checks:
        by_table.setdefault(check.table_id, []).append(check)
    tables = [
        TableScan(t, exists, by_table.get(t.id, []) + rejected, ignored) for t, exists, _, rejected, ignored in listed
    ]
    return LandingScan(root, tables, _unknown_folders(root))
