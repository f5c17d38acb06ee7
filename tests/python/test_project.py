"""The project's plumbing: generated sources, landing registration, missing tables, freshness."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from harness import run_dbt
from landing_fixtures import valid_row, write_csv, write_landing
from switchboard import contract, settings, staging_files


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def test_generated_files_match_contract():
    """Sources, base_/stg_/quarantine_ models and their YAML are what `switchboard contract` writes."""
    assert staging_files.problems() == []
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("switchboard")), "contract", "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def test_contract_check_reports_stale_missing_and_extra(tmp_path):
    """On a copy of the project: an edited, a deleted and a leftover generated file are each named; write() fixes
    all."""
    for folder in ("models", "macros"):
        shutil.copytree(settings.PROJECT_DIR / folder, tmp_path / folder)
    stale = tmp_path / "models" / "staging" / "acd" / "_acd__models.yml"
    stale.write_text(stale.read_text() + "# edited by hand\n")
    missing = tmp_path / "models" / "data_quality" / "quarantine_hr__teams.sql"
    missing.unlink()
    extra = tmp_path / "models" / "staging" / "hr" / "stg_hr__dropped_table.sql"
    extra.write_text("{#- " + staging_files.MARKER + " - do not edit by hand. -#}\nselect 1\n")
    hand = tmp_path / "models" / "staging" / "acd" / "stg_acd__contact_segments.sql"
    hand.unlink()
    assert sorted(staging_files.problems(tmp_path)) == sorted(
        [
            "stale: models/staging/acd/_acd__models.yml",
            "missing: models/data_quality/quarantine_hr__teams.sql",
            "extra (generated, no longer produced by the contract): models/staging/hr/stg_hr__dropped_table.sql",
            "missing hand-written stg_ model of acd/contact_segments: models/staging/acd/stg_acd__contact_segments.sql",
        ]
    )
    staging_files.write(tmp_path)
    assert not extra.exists() and missing.exists()
    still_missing = (
        "missing hand-written stg_ model of acd/contact_segments: models/staging/acd/stg_acd__contact_segments.sql"
    )
    assert staging_files.problems(tmp_path) == [still_missing]


def test_hand_written_staging_models_say_why():
    """Every stg_ model not generated from the contract is listed in staging_files and says why at the top."""
    generated = {p.name for p in staging_files.expected_files() if p.name.startswith("stg_")}
    for path in (settings.PROJECT_DIR / "models" / "staging").glob("*/stg_*.sql"):
        if path.name in generated:
            continue
        assert path.read_text().startswith("{#- Hand-written"), path
    hand = {f"stg_{contract.table(t).relation}.sql" for t in staging_files.HAND_WRITTEN}
    assert not hand & generated and len(generated) + len(hand) == len(contract.TABLES)


def test_every_contract_table_is_a_source():
    manifest_sources = set()
    for path in (settings.PROJECT_DIR / "models" / "staging").glob("*/_*__sources.yml"):
        import yaml

        for src in yaml.safe_load(path.read_text())["sources"]:
            manifest_sources |= {f"{src['name']}/{t['name']}" for t in src["tables"]}
    assert manifest_sources == {t.id for t in contract.TABLES}


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    """A landing with one valid Parquet row per table, a CSV batch for segments, and the QA folder missing."""
    root = tmp_path_factory.mktemp("landing")
    extracted = now_utc() - dt.timedelta(minutes=30)
    write_landing(root, extracted, skip=("qa/evaluations", "qa/evaluation_items"))
    segments = contract.table("acd/contact_segments")
    good = valid_row(segments, extracted - dt.timedelta(hours=2), extracted)
    bad = dict(good, segment_id="SEG-CSV-BAD", hold_seconds="twelve")
    write_csv(
        root / "acd" / "contact_segments" / "contact_segments_batch2.csv",
        segments,
        [dict(good, segment_id="SEG-CSV-OK"), bad],
    )
    db = tmp_path_factory.mktemp("db") / "w.duckdb"
    proc = run_dbt(["source", "freshness", "--output", str(db.parent / "sources.json")], root, db, check=False)
    return root, db, proc


def test_landing_relations_read_parquet_and_csv(registered):
    _, db, _ = registered
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select segment_id, hold_seconds, _source_file, _unparseable_column, _unparseable_value "
            "from landing.acd__contact_segments order by segment_id"
        ).fetchall()
    assert rows == [
        ("SEG-CSV-BAD", None, "acd/contact_segments/contact_segments_batch2.csv", "hold_seconds", "twelve"),
        ("SEG-CSV-OK", 0, "acd/contact_segments/contact_segments_batch2.csv", None, None),
        ("SEG1", 0, "acd/contact_segments/contact_segments_batch1.parquet", None, None),
    ]


def test_missing_table_is_an_empty_relation_with_contract_columns(registered):
    _, db, _ = registered
    table = contract.table("qa/evaluation_items")
    with duckdb.connect(str(db), read_only=True) as con:
        cols = [r[0] for r in con.execute("describe landing.qa__evaluation_items").fetchall()]
        count = con.execute("select count(*) from landing.qa__evaluation_items").fetchone()[0]
    assert count == 0
    assert cols == table.column_names + ["_source_file", "_unparseable_column", "_unparseable_value"]


def test_freshness_passes_on_fresh_tables_and_flags_missing_ones(registered):
    _, db, proc = registered
    results = {
        r["unique_id"].split(".", 2)[2]: r["status"]
        for r in json.loads((db.parent / "sources.json").read_text())["results"]
    }
    checked = [t for t in contract.TABLES if t.cadence != "on_change"]  # change-driven feeds have no check
    assert set(results) == {t.id.replace("/", ".") for t in checked}
    for table in checked:
        expected = "error" if table.system == "qa" else "pass"  # qa: no files at all
        assert results[table.id.replace("/", ".")] == expected, table.id
    assert proc.returncode != 0  # stale (missing) tables make freshness fail, as they should


def test_thresholds_follow_each_tables_delivery_cadence(tmp_path):
    """48 h old: a daily feed warns (36 h < 48 h < 72 h); weekly and monthly feeds are still fresh."""
    old = now_utc() - dt.timedelta(hours=48)
    write_landing(tmp_path / "landing", old)
    db = tmp_path / "w.duckdb"
    run_dbt(["source", "freshness", "--output", str(tmp_path / "sources.json")], tmp_path / "landing", db, check=False)
    statuses = {
        r["unique_id"].split(".", 2)[2]: r["status"]
        for r in json.loads((tmp_path / "sources.json").read_text())["results"]
    }
    expected = {
        t.id.replace("/", "."): ("warn" if t.cadence == "daily" else "pass")
        for t in contract.TABLES
        if t.cadence != "on_change"
    }
    assert statuses == expected


def test_build_succeeds_without_a_table_folder(registered):
    """A center without a QA system: the qa folders are missing, and the whole project still builds and tests."""
    root, db, _ = registered
    run_dbt(["build", "--exclude-resource-type", "unit_test"], root, db)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from staging.stg_qa__evaluations").fetchone()[0] == 0
        assert con.execute("select count(*) from staging.stg_acd__contact_segments").fetchone()[0] == 2
        reconciled = con.execute(
            "select rows_read, rows_staged, rows_quarantined from data_quality.audit_reconciliation "
            "where source_table = 'acd/contact_segments'"
        ).fetchone()
    assert reconciled == (3, 2, 1)  # the CSV row whose hold_seconds does not parse is quarantined


@pytest.mark.parametrize("folder", ["staging", "landing"])
def test_every_macro_documented_with_its_arguments(folder):
    """macros/<folder>/_macros.yml documents every macro of the folder, adapter implementations included (as in
    every other macro folder, which dbt-bouncer checks), with exactly its arguments."""
    import re

    import yaml

    directory = settings.PROJECT_DIR / "macros" / folder
    defined = {}
    for path in directory.glob("*.sql"):
        for name, args in re.findall(r"{%-?\s*macro\s+(\w+)\((.*?)\)\s*-?%}", path.read_text()):
            defined[name] = [a.split("=")[0].strip() for a in args.split(",") if a.strip()]
    documented = {
        m["name"]: [a["name"] for a in m.get("arguments", [])]
        for m in yaml.safe_load((directory / "_macros.yml").read_text())["macros"]
    }
    assert defined and documented == defined
