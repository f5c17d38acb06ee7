"""The project's plumbing: generated sources, landing registration, missing tables, freshness."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest

from harness import run_dbt
from landing_fixtures import valid_row, write_csv, write_landing
from switchboard import contract, settings
from switchboard.sources_yaml import write_sources


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def test_source_yaml_matches_contract():
    write_sources(check=True)  # raises SystemExit naming the stale file


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
            "select rows_read, rows_staged, rows_quarantined from staging.audit_reconciliation "
            "where source_table = 'acd/contact_segments'"
        ).fetchone()
    assert reconciled == (3, 2, 1)  # the CSV row whose hold_seconds does not parse is quarantined
