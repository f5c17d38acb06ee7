"""Landing validation: shape mismatches stop the run, row-level findings only warn."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from landing_fixtures import ARROW_TYPES, csv_text, write_parquet
from switchboard.contract import TABLES, Column, Table, table
from switchboard.validation import validate_landing
from switchboard.validation.door import door_report, ignored_file_patterns
from switchboard.validation.shape import compare_columns, type_matches

TS = dt.datetime(2026, 1, 5, 10, 0, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 1, 5)


def valid_value(col: Column, i: int = 1) -> Any:
    """A value that passes every contract check for the column."""
    if col.enum:
        return col.enum[0]
    if col.type == "str":
        return f"{col.name}_{i}"
    if col.type in ("int", "dec"):
        v = col.min if col.min is not None else 1
        return int(v) if col.type == "int" else Decimal(str(v)).quantize(Decimal("0.0001"))
    if col.type == "bool":
        return True
    if col.type == "ts":
        return TS
    return DAY


def rows_for(t: Table, n: int = 1) -> list[dict[str, Any]]:
    return [{c.name: valid_value(c, i) for c in t.columns} for i in range(1, n + 1)]


def write_csv(path: Path, header: list[str], rows: list[dict[str, Any]], names: list[str] | None = None) -> Path:
    """Write rows with ``header``; ``names`` are the contract columns the header stands for."""
    names = names or header
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for r in rows:
            w.writerow([csv_text(r.get(n)) for n in names])
    return path


def build_landing(root: Path, skip: tuple[str, ...] = (), only: tuple[str, ...] | None = None) -> Path:
    """One valid Parquet file per table, plus a valid CSV file for a few tables."""
    skip = skip + tuple(t.id for t in TABLES if only is not None and t.id not in only)
    for t in TABLES:
        if t.id in skip:
            continue
        write_parquet(root / t.system / t.name / f"{t.name}_20260105.parquet", t, rows_for(t, 3))
    for tid in ("acd/contact_segments", "hr/employees"):
        if tid in skip:
            continue
        t = table(tid)
        header = t.column_names if tid == "acd/contact_segments" else list(reversed(t.column_names))
        write_csv(root / t.system / t.name / f"{t.name}_20260106.csv", header, rows_for(t, 2))
    return root


def run(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], **kw: Any) -> tuple[int, str, dict]:
    docs = tmp_path / "build" / "data_docs"
    code = validate_landing(root, docs_dir=docs, **kw)
    out = capsys.readouterr()
    result_file = tmp_path / "build" / "landing_validation.json"
    result = json.loads(result_file.read_text()) if result_file.exists() else {}
    return code, out.out + out.err, result


@pytest.fixture()
def landing(tmp_path: Path) -> Path:
    return build_landing(tmp_path / "landing")


def test_valid_landing_passes_and_writes_data_docs(landing: Path, tmp_path: Path, capsys) -> None:
    code, out, result = run(landing, tmp_path, capsys)
    assert code == 0, out
    assert "landing validation passed" in out
    assert (tmp_path / "build" / "data_docs" / "index.html").is_file()
    assert result["status"] == "ok" and result["tables_not_found"] == []
    segs = next(t for t in result["tables"] if t["table"] == "acd/contact_segments")
    assert segs["files"] == 2 and segs["rows"] == 5 and segs["warnings"] == []
    emps = next(t for t in result["tables"] if t["table"] == "hr/employees")  # CSV columns in another order
    assert emps["files"] == 2 and emps["rows"] == 5 and emps["warnings"] == []
    # the Data Docs show each table's validation, not just the suites
    assert list((tmp_path / "build" / "data_docs" / "validations").rglob("*.html"))


def test_parquet_with_a_removed_column_fails_naming_file_and_column(landing: Path, tmp_path: Path, capsys) -> None:
    t = table("acd/contact_segments")
    write_parquet(
        landing / "acd/contact_segments/contact_segments_20260107.parquet", t, rows_for(t), drop=("agent_id",)
    )
    code, out, result = run(landing, tmp_path, capsys)
    assert code == 1
    assert (
        "landing validation failed: acd/contact_segments/contact_segments_20260107.parquet: "
        "column 'agent_id' is missing (expected str per the landing contract)"
    ) in out
    assert result["status"] == "failed"
    assert (tmp_path / "build" / "data_docs" / "index.html").is_file()


def test_csv_with_a_renamed_column_fails_naming_both(landing: Path, tmp_path: Path, capsys) -> None:
    t = table("hr/teams")
    header = ["team_ident" if c == "team_id" else c for c in t.column_names]
    write_csv(landing / "hr/teams/teams_20260107.csv", header, rows_for(t), names=t.column_names)
    code, out, _ = run(landing, tmp_path, capsys)
    assert code == 1
    assert "hr/teams/teams_20260107.csv: column 'team_id' is missing (expected str" in out
    assert "hr/teams/teams_20260107.csv: column 'team_ident' is not in the landing contract" in out
    assert "renamed from 'team_id'?" in out


def test_wrong_parquet_type_fails_naming_file_column_and_expected_type(landing: Path, tmp_path: Path, capsys) -> None:
    t = table("survey/contact_surveys")
    rows = [r | {"csat_score": "5"} for r in rows_for(t)]
    write_parquet(
        landing / "survey/contact_surveys/contact_surveys_20260107.parquet", t, rows, types={"csat_score": pa.string()}
    )
    code, out, _ = run(landing, tmp_path, capsys)
    assert code == 1
    assert (
        "survey/contact_surveys/contact_surveys_20260107.parquet: column 'csat_score' has Parquet type "
        "string, expected int"
    ) in out


def test_missing_and_empty_table_folders_are_reported_not_failed(tmp_path: Path, capsys) -> None:
    root = build_landing(tmp_path / "landing", only=("acd/contact_segments", "hr/teams"))
    (root / "crm" / "cases").mkdir(parents=True)  # an empty folder is an empty table too
    # files on the ignore list and folders that are not contract tables are reported, not failed
    (root / "hr" / "teams" / "README.md").write_text("hello")
    (root / "telephony" / "calls").mkdir(parents=True)
    code, out, result = run(root, tmp_path, capsys)
    assert code == 0, out
    expected_missing = [t.id for t in TABLES if t.id not in ("acd/contact_segments", "hr/teams")]
    assert result["tables_not_found"] == expected_missing and "crm/cases" in expected_missing
    assert f"tables not found (treated as empty): {', '.join(expected_missing)}" in out
    assert "warning: ignored hr/teams/README.md (var landing_ignored_files)" in out
    assert "warning: ignored folder telephony" in out
    assert result["unknown_folders"] == ["telephony"]


def test_enum_range_and_null_key_violations_warn_but_pass(tmp_path: Path, capsys) -> None:
    landing = build_landing(tmp_path / "landing", only=("acd/contact_segments", "hr/employees"))
    t = table("acd/contact_segments")
    bad = rows_for(t, 4)
    bad[0]["channel"] = "fax"
    bad[1]["hold_seconds"] = -5
    bad[2]["segment_id"] = None
    write_parquet(landing / "acd/contact_segments/contact_segments_20260107.parquet", t, bad)
    e = table("hr/employees")  # a CSV with an out-of-range fte and an unparseable one (staging's business)
    rows = rows_for(e, 2)
    rows[0]["fte"] = "2.5"
    rows[1]["fte"] = "abc"
    write_csv(landing / "hr/employees/employees_20260107.csv", e.column_names, rows)
    code, out, result = run(landing, tmp_path, capsys)
    assert code == 0, out
    assert "have a value outside the contract's list in 'channel' (e.g. 'fax')" in out
    assert "quarantines them as unknown_value" in out
    assert "have a value outside the contract's range in 'hold_seconds'" in out
    assert "have a null key column in 'segment_id'" in out
    segs = next(t for t in result["tables"] if t["table"] == "acd/contact_segments")
    counts = {(w["column"], w["rule"]): w["unexpected_count"] for w in segs["warnings"]}
    assert counts == {
        ("channel", "unknown_value"): 1,
        ("hold_seconds", "out_of_range"): 1,
        ("segment_id", "null_key"): 1,
    }
    emps = next(t for t in result["tables"] if t["table"] == "hr/employees")
    assert [(w["column"], w["unexpected_count"]) for w in emps["warnings"]] == [("fte", 1)]
    assert "have a value outside the contract's range in 'fte' (e.g. 2.5)" in out


def test_large_tables_are_sampled_and_counted_exactly(tmp_path: Path, capsys) -> None:
    landing = build_landing(tmp_path / "landing", only=("acd/contact_segments",))
    t = table("acd/contact_segments")
    write_parquet(landing / "acd/contact_segments/contact_segments_20260107.parquet", t, rows_for(t, 2000))
    code, out, result = run(landing, tmp_path, capsys, max_rows=200)
    assert code == 0, out
    segs = next(t for t in result["tables"] if t["table"] == "acd/contact_segments")
    assert segs["rows"] == 2005 and segs["sampled"] is True
    assert 100 < segs["rows_checked"] < 300  # a Bernoulli sample of about max_rows rows
    assert "checked a sample of" in out


def test_missing_landing_root_is_exit_2(tmp_path: Path, capsys) -> None:
    code, out, _ = run(tmp_path / "nope", tmp_path, capsys)
    assert code == 2 and "is not a directory" in out


def test_type_rules() -> None:
    assert type_matches("str", pa.large_string())
    assert type_matches("int", pa.int32()) and not type_matches("int", pa.float64())
    assert type_matches("dec", pa.float64()) and type_matches("dec", pa.int64())
    assert type_matches("ts", pa.timestamp("ns")) and type_matches("ts", pa.timestamp("ms", tz="UTC"))
    assert not type_matches("ts", pa.timestamp("us", tz="Europe/Warsaw"))
    assert not type_matches("date", pa.timestamp("us")) and type_matches("date", pa.date64())
    assert all(type_matches(t, pa.null()) for t in ARROW_TYPES)
    assert type_matches("str", pa.dictionary(pa.int32(), pa.string()))
    assert not type_matches("bool", pa.string())


def test_column_comparison_ignores_order() -> None:
    t = table("hr/teams")
    assert compare_columns(t, list(reversed(t.column_names))) == []
    problems = compare_columns(t, t.column_names + ["team_id"])
    assert problems == ["column 'team_id' appears more than once"]


def test_empty_files_are_an_empty_table_not_an_error(tmp_path: Path, capsys) -> None:
    landing = build_landing(tmp_path / "landing", only=("hr/teams",))
    t = table("hr/teams")
    write_parquet(landing / "hr/teams/teams_20260107.parquet", t, [])
    write_csv(landing / "hr/teams/teams_20260108.csv", t.column_names, [])
    p = table("ops/plan_items")  # only a header-only CSV: found, zero rows
    write_csv(landing / "ops/plan_items/plan_items_20260108.csv", p.column_names, [])
    code, out, result = run(landing, tmp_path, capsys)
    assert code == 0, out
    recs = {r["table"]: r for r in result["tables"]}
    assert recs["hr/teams"]["rows"] == 3 and recs["hr/teams"]["files"] == 3
    assert recs["ops/plan_items"]["rows"] == 0 and recs["ops/plan_items"]["warnings"] == []


def test_a_csv_the_warehouse_cannot_read_stops_the_run(tmp_path: Path, capsys) -> None:
    landing = build_landing(tmp_path / "landing", only=("hr/teams",))
    t = table("hr/teams")
    path = write_csv(landing / "hr/teams/teams_20260107.csv", t.column_names, rows_for(t))
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("a,b,c,d,e,f,g,h,i\n")  # a row with more fields than the header
    code, out, _ = run(landing, tmp_path, capsys)
    assert code == 1
    assert (
        "landing validation failed: hr/teams/teams_20260107.csv: row 2 (line 3) has 9 fields, the header has 6: "
        "every row needs one field per header column"
    ) in out


def test_every_entry_of_a_table_folder_is_read_ignored_or_refused(tmp_path: Path, capsys) -> None:
    landing = build_landing(tmp_path / "landing", only=("hr/teams",))
    folder = landing / "hr" / "teams"
    t = table("hr/teams")
    write_parquet(folder / "teams_20260107.PARQUET", t, rows_for(t, 2))  # extensions in any letter case are read
    write_csv(folder / "teams_20260108.Csv", t.column_names, rows_for(t, 1))
    (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")  # the default ignore list
    (folder / "_SUCCESS").write_text("")
    (folder / "README.txt").write_text("exported by hand")
    code, out, result = run(landing, tmp_path, capsys)
    assert code == 0, out
    teams = next(r for r in result["tables"] if r["table"] == "hr/teams")
    assert (teams["files"], teams["parquet_files"], teams["csv_files"], teams["rows"]) == (3, 2, 1, 6)
    assert teams["ignored_files"] == ["hr/teams/.DS_Store", "hr/teams/README.txt", "hr/teams/_SUCCESS"]

    (folder / "notes.txt").write_text("call list")
    (folder / "2026").mkdir()
    write_parquet(folder / "_teams_old.parquet", t, rows_for(t, 1))
    write_parquet(folder / "teams[1].parquet", t, rows_for(t, 1))
    code, out, result = run(landing, tmp_path, capsys)
    assert code == 1
    refused = {
        "hr/teams/2026": "a folder inside a table folder is not read",
        "hr/teams/_teams_old.parquet": "a landing file name must not start with '.' or '_'",
        "hr/teams/notes.txt": "not a landing file: only .parquet and .csv files are read (in any letter case)",
        "hr/teams/teams[1].parquet": "the name contains a glob character",
    }
    assert [e.split(": ")[0] for e in result["errors"]] == sorted(refused)
    for path, why in refused.items():
        assert f"landing validation failed: {path}: {why}" in out
    # dbt's register_landing asks the same door (through the dbt-duckdb plugin): the same problems, word for word
    assert json.loads(door_report(str(landing)))["problems"] == result["errors"]
    # the ignore list is a var: names on it are never an error
    extra = ["notes.txt", "2026", "_teams_old.parquet", "teams?1?.*"]
    code, out, _ = run(landing, tmp_path, capsys, ignore=ignored_file_patterns() + extra)
    assert code == 0, out


def test_csv_encoding_problems_name_the_row_and_column(tmp_path: Path, capsys) -> None:
    landing = build_landing(tmp_path / "landing", only=("hr/teams",))
    t = table("hr/teams")
    lines = [",".join(t.column_names)] + [",".join(csv_text(r[c]) for c in t.column_names) for r in rows_for(t, 3)]
    bom = landing / "hr/teams/teams_bom.csv"  # a UTF-8 BOM is fine
    bom.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode() + b"\n")
    name_at = t.column_names.index("team_name")
    row3 = lines[3].split(",")
    row3[name_at] = "Zoë"
    latin = landing / "hr/teams/teams_latin1.csv"
    latin.write_bytes("\n".join(lines[:3] + [",".join(row3)]).encode("latin-1") + b"\n")
    code, out, _ = run(landing, tmp_path, capsys)
    assert code == 1
    assert (
        "landing validation failed: hr/teams/teams_latin1.csv: row 3 (line 4), column 'team_name': byte 0xeb is "
        "not UTF-8; CSV landing files must be UTF-8 (re-export the file as UTF-8)"
    ) in out
    assert "teams_bom.csv" not in out.split("landing validation failed")[-1]
    latin.write_bytes(",".join(["t\xe9am_id"] + t.column_names[1:]).encode("latin-1") + b"\n")
    code, out, _ = run(landing, tmp_path, capsys)
    assert "hr/teams/teams_latin1.csv: header, field 1: byte 0xe9 is not UTF-8" in out
