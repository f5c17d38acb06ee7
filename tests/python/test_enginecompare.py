"""switchboard.enginecompare: the DuckDB-vs-Spark comparison finds every kind of difference it claims to."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from switchboard import enginecompare


def frame(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_identical_tables_pass_within_tolerance():
    duck = frame(k=["a", "b"], v=[1.0, 2.0 / 3.0], d=[Decimal("1.5000"), None])
    spark = frame(k=["b", "a"], v=[0.6666666666666666 + 1e-15, 1.0], d=[None, 1.5])
    assert enginecompare.compare_frames("t", ["k"], duck, spark).ok


def test_a_value_outside_tolerance_is_reported_with_its_key():
    result = enginecompare.compare_frames(
        "t", ["k"], frame(k=["a"], v=[22.366666666666667]), frame(k=["a"], v=[22.366667])
    )
    assert not result.ok
    assert "column v: 1 of 1 rows differ" in result.problems[0] and "'a'" in result.problems[0]


def test_missing_keys_duplicates_nulls_and_columns_are_reported():
    only_duck = enginecompare.compare_frames("t", ["k"], frame(k=["a", "b"], v=[1, 2]), frame(k=["a"], v=[1]))
    assert any("1 keys only on duckdb" in p for p in only_duck.problems)
    duplicated = enginecompare.compare_frames("t", ["k"], frame(k=["a", "a"], v=[1, 1]), frame(k=["a"], v=[1]))
    assert any("share a key" in p for p in duplicated.problems)
    null_vs_zero = enginecompare.compare_frames("t", ["k"], frame(k=["a"], v=[None]), frame(k=["a"], v=[0.0]))
    assert not null_vs_zero.ok
    text = enginecompare.compare_frames("t", ["k"], frame(k=["a"], s=["x"]), frame(k=["a"], s=["X"]))
    assert not text.ok
    columns = enginecompare.compare_frames("t", ["k"], frame(k=["a"], v=[1]), frame(k=["a"], w=[1]))
    assert "columns differ" in columns.problems[0]


def test_timestamps_compare_across_time_zone_representations():
    naive = frame(k=[1], ts=pd.to_datetime(["2026-03-02 10:00:00"]))
    aware = frame(k=[1], ts=pd.to_datetime(["2026-03-02 11:00:00+01:00"]))
    assert enginecompare.compare_frames("t", ["k"], naive, aware).ok
    later = frame(k=[1], ts=pd.to_datetime(["2026-03-02 10:00:01"]))
    assert not enginecompare.compare_frames("t", ["k"], naive, later).ok


def test_keys_come_from_uniqueness_tests_and_tables_are_read_from_both_warehouses(tmp_path: Path):
    manifest = {
        "nodes": {
            "model.p.kpi_x": {"resource_type": "model", "schema": "marts", "alias": "kpi_x", "name": "kpi_x"},
            "model.p.fct_y": {"resource_type": "model", "schema": "marts", "alias": "fct_y", "name": "fct_y"},
            "test.p.u1": {
                "resource_type": "test",
                "attached_node": "model.p.kpi_x",
                "test_metadata": {
                    "name": "unique_combination_of_columns",
                    "kwargs": {"combination_of_columns": ["a", "b"]},
                },
            },
            "test.p.u2": {
                "resource_type": "test",
                "attached_node": "model.p.fct_y",
                "test_metadata": {"name": "unique", "kwargs": {"column_name": "id"}},
            },
        }
    }
    manifest_path = tmp_path / "manifest.json"
    manifest_path.write_text(json.dumps(manifest))
    assert enginecompare.table_keys(manifest_path) == {"kpi_x": ["a", "b"], "fct_y": ["id"]}

    database = tmp_path / "w.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema marts")
        connection.execute("create table marts.kpi_x as select 'p' as a, 1 as b, 0.5::double as v")
    warehouse = tmp_path / "warehouse"
    (warehouse / "marts.db" / "kpi_x").mkdir(parents=True)
    with duckdb.connect() as connection:
        connection.execute(
            f"copy (select 'p' as a, 1 as b, 0.25::double as v) to "
            f"'{warehouse}/marts.db/kpi_x/part-0.parquet' (format parquet)"
        )
    results = enginecompare.compare(database, warehouse, manifest_path, required=["kpi_x", "fct_y"])
    by_table = {result.table: result for result in results}
    assert "column v" in by_table["kpi_x"].problems[0]
    assert "missing on duckdb, spark" in by_table["fct_y"].problems[0]
    assert (
        enginecompare.main(
            ["--duckdb", str(database), "--spark-warehouse", str(warehouse), "--manifest", str(manifest_path)]
        )
        == 1
    )
