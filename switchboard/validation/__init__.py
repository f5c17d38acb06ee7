"""Landing validation: check the landing files against the contract before dbt runs.

``validate_landing(landing, docs_dir)`` returns the process exit code:

- 0: every file has the contract's shape (row-level findings are warnings only);
- 1: a file the door refuses (missing, unexpected or duplicate column, wrong
  Parquet type, a damaged or unreadable file, a non-UTF-8 CSV, a file that is
  neither a landing file nor on the ignore list): the run must stop before the
  warehouse is touched;
- 2: the landing root is not a directory.

Steps: (1) the door (``door.py``, ``shape.py``): which files are read, every
file's shape from its Parquet footer or CSV header, every Parquet page (checksums
verified where stored) and CSV row; dbt's ``register_landing`` applies the same
door through the dbt-duckdb plugin, with the same messages; (2) per table, all
its files read at once with DuckDB into one DataFrame, sampled above
``max_rows`` (``rows.py``); (3) one GX suite per table on that DataFrame, and
HTML Data Docs rendered once (``gx_checks.py``). A machine-readable result goes
to ``landing_validation.json`` next to the Data Docs folder. See docs/validation.md.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from switchboard import settings
from switchboard.validation.door import FAILED, check_landing, problem_lines, root_problem
from switchboard.validation.shape import LandingScan, TableScan

DEFAULT_MAX_ROWS = 500_000
MAX_PRINTED_PROBLEMS = 50
RESULT_FILE = "landing_validation.json"

__all__ = ["validate_landing", "default_docs_dir", "DEFAULT_MAX_ROWS"]


def default_docs_dir() -> Path:
    return settings.PROJECT_DIR / "build" / "data_docs"


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


def _files_frame(scan: LandingScan) -> Any:
    import pandas as pd

    rows = []
    for f in scan.files:
        for problem in f.problems or [None]:
            rows.append(
                {
                    "table": f.table_id,
                    "file": f.path,
                    "format": f.fmt,
                    "rows": f.rows,
                    "problem": f"{f.path}: {problem}" if problem else None,
                }
            )
    cols = ["table", "file", "format", "rows", "problem"]
    return pd.DataFrame(rows, columns=cols).astype({"problem": object})


def _plain(value: Any) -> Any:
    """An example value as a reader expects it: 6 rather than 6.0 for whole numbers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _warning_text(table_id: str, finding: Any, checked: int, sampled: bool) -> str:
    where = f"{checked:,} {'sampled ' if sampled else ''}rows"
    if finding.error:
        return f"{table_id}: {finding.expectation} on '{finding.column}' could not run: {finding.error}"
    what = {
        "null_key": "a null key column",
        "unknown_value": "a value outside the contract's list",
        "out_of_range": "a value outside the contract's range",
    }.get(finding.rule or "", finding.expectation)
    examples = ", ".join(repr(_plain(v)) for v in dict.fromkeys(map(_plain, finding.examples)))
    eg = f" (e.g. {examples})" if examples and finding.rule != "null_key" else ""
    rule = f"; staging quarantines them as {finding.rule}" if finding.rule else ""
    return f"{table_id}: {finding.unexpected_count:,} of {where} have {what} in '{finding.column}'{eg}{rule}"


def _table_record(ts: TableScan) -> dict[str, Any]:
    return {
        "table": ts.table.id,
        "found": ts.found,
        "folder_exists": ts.folder_exists,
        "files": len(ts.data_files),
        "parquet_files": sum(f.fmt == "parquet" for f in ts.files),
        "csv_files": sum(f.fmt == "csv" for f in ts.files),
        "rows": None,
        "rows_checked": None,
        "sampled": False,
        "ignored_files": ts.ignored,
        "shape_problems": [f"{f.path}: {p}" for f in ts.files for p in f.problems],
        # CSV files by header: lets a reader skip DuckDB's per-file sniffing (union_by_name)
        "csv_header_groups": [
            {"columns": list(header), "files": paths} for header, paths in ts.csv_header_groups().items()
        ],
        "warnings": [],
    }


def validate_landing(
    landing: str | Path,
    docs_dir: str | Path | None = None,
    *,
    max_rows: int | None = DEFAULT_MAX_ROWS,
    ignore: list[str] | None = None,
) -> int:
    """Validate every landing file against the contract; return the exit code.

    ``max_rows`` caps the rows per table that the row-level expectations see
    (a seeded sample of about ``max_rows`` rows above it; ``None`` = all rows).
    ``ignore``: names never read (default: var landing_ignored_files of dbt_project.yml).
    """
    started = time.perf_counter()
    root = Path(landing).resolve()
    docs = Path(docs_dir).resolve() if docs_dir else default_docs_dir()
    refused = root_problem(root)
    if refused:
        _err(FAILED + refused[1])
        return refused[0]

    scan = check_landing(root, ignore=ignore)
    records = {ts.table.id: _table_record(ts) for ts in scan.tables}
    for ts in scan.tables:
        rows = [f.rows for f in ts.data_files]
        if ts.data_files and all(r is not None for r in rows):
            records[ts.table.id]["rows"] = sum(rows)  # Parquet-only: exact from the footers

    problems = scan.problems
    read_errors: list[str] = []
    reader = None
    if not problems:
        from switchboard.validation.rows import TableReader

        # DuckDB reads the tables in the background while GX is imported and run
        reader = TableReader(root, [ts for ts in scan.tables if ts.found], max_rows)
    timings = {"shape_check": time.perf_counter() - started}
    try:
        from switchboard.validation.gx_checks import LandingGX

        gx_run = LandingGX(docs)
        gx_run.validate_files(_files_frame(scan))
        timings["gx_import_and_setup"] = time.perf_counter() - started - sum(timings.values())
        if reader is not None:
            read_errors = _row_level(reader, gx_run, records)
        timings["row_level"] = time.perf_counter() - started - sum(timings.values())
    finally:
        if reader is not None:
            reader.close()
    index = gx_run.build_docs()
    timings["data_docs"] = time.perf_counter() - started - sum(timings.values())
    elapsed = time.perf_counter() - started
    failed = bool(problems or read_errors)
    result = {
        "landing_root": str(root),
        "status": "failed" if failed else "ok",
        "exit_code": 1 if failed else 0,
        "data_docs": str(index),
        "seconds": round(elapsed, 2),
        "seconds_by_step": {k: round(v, 2) for k, v in timings.items()},
        "max_rows_per_table": max_rows,
        "tables_not_found": [ts.table.id for ts in scan.tables if not ts.found],
        "unknown_folders": scan.unknown,
        "errors": problem_lines(scan) + read_errors,
        "tables": list(records.values()),
    }
    result_path = docs.parent / RESULT_FILE
    result_path.parent.mkdir(parents=True, exist_ok=True)
    result_path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    _print_summary(scan, records, result, result_path)
    return result["exit_code"]


def _row_level(reader: Any, gx_run: Any, records: dict[str, dict[str, Any]]) -> list[str]:
    """Run each found table's suite once on all its rows; return read errors."""
    errors: list[str] = []
    for ts, tf in reader:
        if isinstance(tf, list):
            errors.extend(tf)
            continue
        rec = records[ts.table.id]
        rec["rows"] = tf.rows_total
        rec["rows_checked"] = len(tf.frame)
        rec["sampled"] = tf.sampled
        for finding in gx_run.validate_table(ts.table, tf.frame):
            rec["warnings"].append(
                finding.as_dict() | {"message": _warning_text(ts.table.id, finding, len(tf.frame), tf.sampled)}
            )
    return errors


def _print_summary(
    scan: LandingScan, records: dict[str, dict[str, Any]], result: dict[str, Any], result_path: Path
) -> None:
    print(f"landing validation: {scan.root}")
    print(f"  {'table':<28} {'files':>6} {'rows':>11}  row-level warnings")
    for rec in records.values():
        if not rec["found"]:
            continue
        rows = "-" if rec["rows"] is None else f"{rec['rows']:,}"
        if rec["rows_checked"] is None:
            note = "not checked (the run stops on the shape problem)"
        else:
            note = f"{len(rec['warnings'])} expectation(s) failed" if rec["warnings"] else "none"
        if rec["sampled"]:
            note += f" (checked a sample of {rec['rows_checked']:,} rows)"
        print(f"  {rec['table']:<28} {rec['files']:>6} {rows:>11}  {note}")
    missing = result["tables_not_found"]
    if missing:
        print(f"tables not found (treated as empty): {', '.join(missing)}")
    for rec in records.values():
        for path in rec["ignored_files"]:
            print(f"warning: ignored {path} (var landing_ignored_files)")
        for w in rec["warnings"]:
            print(f"warning: {w['message']}")
    for name in scan.unknown:
        print(f"warning: ignored folder {name} (not a table of the landing contract)")
    print(f"Data Docs: {result['data_docs']}")
    print(f"result: {result_path} ({result['seconds']:.1f} s)")
    errors = result["errors"]
    if errors:
        for e in errors[:MAX_PRINTED_PROBLEMS]:
            _err(FAILED + e)
        if len(errors) > MAX_PRINTED_PROBLEMS:
            _err(
                f"landing validation failed: ... and {len(errors) - MAX_PRINTED_PROBLEMS} more "
                f"problems (see {result_path})"
            )
        _err(
            f"landing validation failed: {len(errors)} problem(s) with the landing files; fix the files or the "
            "contract before running dbt"
        )
    else:
        print("landing validation passed")
