"""The landing door: one check of the landing root that both ``switchboard validate`` and ``dbt build`` apply.

``check_landing(root)`` lists every contract table's folder and checks every file (``shape.py``: which files are
read, their columns and types, every Parquet page and every CSV row), then lets DuckDB parse each table's CSV files
the way the warehouse reads them, so a file DuckDB would choke on is named here and not as fifteen model errors.

``door_report(root, ignore_json)`` is the same check as a JSON document for dbt: the dbt-duckdb plugin
(``dbt_plugin.py``) registers it as the SQL function ``switchboard_landing_door``, and the on-run-start macro
``register_landing`` calls it, stops the run with the problems (the one-line messages ``switchboard validate``
prints) before any model runs, and builds the landing views from the file lists it returns: the files read are
exactly the files checked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from switchboard.validation.shape import LandingScan, has_glob_character, ignored_file_patterns, scan_landing

FAILED = "landing validation failed: "
ROOT_MISSING = 2  # exit code of a landing root that is not a directory
SHAPE_PROBLEM = 1  # exit code of any other problem


def root_problem(root: Path) -> tuple[int, str] | None:
    """(exit code, message) when the landing root cannot be read as one; None when it can."""
    if not root.is_dir():
        return ROOT_MISSING, (f"landing root {root} is not a directory (set SWITCHBOARD_LANDING_DIR or pass --landing)")
    if has_glob_character(str(root)):
        return SHAPE_PROBLEM, (
            f"landing root {root} contains a glob character (* ? [ ] {{ }}) that DuckDB and Spark read as a "
            "pattern; move the landing zone"
        )
    return None


def csv_source(header: tuple[str, ...]) -> str:
    """A ``read_csv`` of files with this exact header, every column as text, in the contract's CSV dialect.

    The header is known from the shape check, so nothing is sniffed: with ``union_by_name`` DuckDB sniffs every
    file, which is 10-30 times slower on a hundred daily files.
    """
    spec = ", ".join("'" + c.replace("'", "''") + "': 'VARCHAR'" for c in header)
    return f"read_csv(?, header=true, delim=',', quote='\"', escape='\"', auto_detect=false, columns={{{spec}}})"


def duckdb_csv_problems(scan: LandingScan) -> None:
    """Let DuckDB parse every CSV file that passed the Python checks; a file it cannot read gets a problem.

    One query per table and header; only when one fails is each of its files read alone, to name the file.
    """
    import duckdb

    con = duckdb.connect()
    try:
        for ts in scan.tables:
            by_path = {f.path: f for f in ts.files}
            for header, paths in ts.csv_header_groups().items():
                paths = [p for p in paths if by_path[p].ok]
                if not paths:
                    continue
                try:
                    con.execute(f"SELECT count(*) FROM {csv_source(header)}", [[str(scan.root / p) for p in paths]])
                    continue
                except duckdb.Error:
                    pass
                for p in paths:
                    try:
                        con.execute(f"SELECT count(*) FROM {csv_source(header)}", [[str(scan.root / p)]])
                    except duckdb.Error as exc:
                        first = str(exc).strip().splitlines()[0]
                        by_path[p].problems.append(
                            f"DuckDB cannot read the file as the contract describes it ({first})"
                        )
    finally:
        con.close()


def check_landing(
    root: Path, ignore: list[str] | None = None, verify: bool = True, known: dict[str, str] | None = None
) -> LandingScan:
    """Every check of the door on a landing root that is a directory (see ``root_problem``); files whose
    fingerprint is in ``known`` (relative path -> fingerprint: files already processed) are listed, not read."""
    scan = scan_landing(root, ignore=ignore, verify=verify, known=known)
    if verify:
        duckdb_csv_problems(scan)
    return scan


def problem_lines(scan: LandingScan) -> list[str]:
    """One line per problem: '<file relative to the root>: <what is wrong>'."""
    return [f"{f.path}: {p}" for f, p in scan.problems]


def door_report(root_text: str, ignore_json: str | None = None, known_json: str | None = None) -> str:
    """The door as JSON for register_landing: problems, warnings and, per table id, the files to read.

    ``{"problems": [...], "warnings": [...], "tables": {"acd/contact_segments": {"parquet": [...], "csv": [...],
    "fingerprints": {path: fingerprint}}}}``; paths are relative to the landing root, problems are the messages of
    ``switchboard validate`` without its 'landing validation failed: ' prefix. ``known_json``: {path: fingerprint}
    of the files an incremental build already processed; those whose fingerprint is unchanged are not read again
    (the full checks of a daily file run once, on the run that first reads it).
    """
    root = Path(root_text).resolve()
    ignore = json.loads(ignore_json) if ignore_json else None
    known = json.loads(known_json) if known_json else None
    report: dict[str, Any] = {"problems": [], "warnings": [], "tables": {}}
    problem = root_problem(root)
    if problem:
        report["problems"].append(problem[1])
        return json.dumps(report)
    scan = check_landing(root, ignore=ignore, known=known)
    report["problems"] = problem_lines(scan)
    for ts in scan.tables:
        report["tables"][ts.table.id] = {
            "parquet": ts.paths("parquet"),
            "csv": ts.paths("csv"),
            "fingerprints": {f.path: f.fingerprint for f in ts.data_files},
        }
        report["warnings"] += [f"ignored {p} (var landing_ignored_files)" for p in ts.ignored]
    report["warnings"] += [f"ignored folder {name} (not a table of the landing contract)" for name in scan.unknown]
    return json.dumps(report)


__all__ = [
    "FAILED",
    "check_landing",
    "csv_source",
    "door_report",
    "ignored_file_patterns",
    "problem_lines",
    "root_problem",
]
