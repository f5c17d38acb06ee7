"""Compare the marts built on two engines (DuckDB and Spark) row by row.

The same dbt project built on the same landing data must give the same numbers on every target. This module
reads every relation of the `marts` layer from a DuckDB warehouse file and from a Spark warehouse directory
(the Parquet files Spark wrote for each table, read with DuckDB: no second Spark JVM is started, and the
local Derby metastore allows only one) and checks, per table:

- the same columns,
- the same keys (each table's key comes from its uniqueness data test in dbt's manifest: `unique` on a
  column or `unique_combination_of_columns`), with no duplicate key on either side,
- for every key, every column equal: text, dates, timestamps and booleans exactly, numbers within a
  relative/absolute tolerance (engines sum floating point in different orders).

Usage (see `make test-spark`):
    python -m switchboard.enginecompare --duckdb build/spark/duckdb.duckdb \
        --spark-warehouse build/spark/warehouse --manifest build/spark/target_duckdb/manifest.json \
        --require kpi_operational kpi_team kpi_experience kpi_compliance
Exit code 0 when every table agrees, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

SCHEMA = "marts"
REL_TOL = 1e-9
ABS_TOL = 1e-9
MAX_EXAMPLES = 5


@dataclass
class TableResult:
    """Outcome of one table's comparison."""

    table: str
    key: list[str]
    rows_duckdb: int = 0
    rows_spark: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def table_keys(manifest_path: Path, schema: str = SCHEMA) -> dict[str, list[str]]:
    """Key columns of every model in `schema`, from its uniqueness data tests in dbt's manifest."""
    manifest = json.loads(manifest_path.read_text())
    models = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["schema"] == schema
    }
    keys: dict[str, list[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("test_metadata"):
            continue
        attached = node.get("attached_node")
        if attached not in models:
            continue
        name = node["test_metadata"]["name"]
        kwargs = node["test_metadata"].get("kwargs", {})
        table = models[attached]["alias"] or models[attached]["name"]
        if name == "unique" and kwargs.get("column_name"):
            keys.setdefault(table, [kwargs["column_name"]])
        elif name == "unique_combination_of_columns":
            keys[table] = list(kwargs["combination_of_columns"])  # a combination wins over a single column
    return keys


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Engine-neutral values: lower-case column names, timestamps as naive UTC, decimals as floats."""
    frame = frame.rename(columns=str.lower).copy()
    for column in frame.columns:
        series = frame[column]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            frame[column] = series.dt.tz_convert("UTC").dt.tz_localize(None)
        elif series.dtype == object:
            sample = series.dropna()
            if not sample.empty and type(sample.iloc[0]).__name__ == "Decimal":
                frame[column] = series.astype("float64")
    return frame


def values_equal(left: object, right: object) -> bool:
    """Null equals null; numbers within tolerance; anything else by equality of its text."""
    left_null, right_null = pd.isna(left), pd.isna(right)
    if left_null or right_null:
        return bool(left_null and right_null)
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return math.isclose(float(left), float(right), rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if _is_time(left) and _is_time(right):
        return pd.Timestamp(left) == pd.Timestamp(right)
    return str(left) == str(right)


def _is_time(value: object) -> bool:
    return hasattr(value, "isoformat") and not isinstance(value, str)


def compare_frames(table: str, key: list[str], duck: pd.DataFrame, spark: pd.DataFrame) -> TableResult:
    """Compare two versions of one table by key; every difference is described in `problems`."""
    duck, spark = normalise(duck), normalise(spark)
    result = TableResult(table, key, len(duck), len(spark))
    if sorted(duck.columns) != sorted(spark.columns):
        result.problems.append(
            f"columns differ: duckdb only {sorted(set(duck.columns) - set(spark.columns))},"
            f" spark only {sorted(set(spark.columns) - set(duck.columns))}"
        )
        return result
    missing_key = [column for column in key if column not in duck.columns]
    if missing_key:
        result.problems.append(f"key columns {missing_key} not in the table")
        return result
    key_text = [f"_k_{column}" for column in key]
    for frame in (duck, spark):
        for column, text in zip(key, key_text):
            frame[text] = frame[column].map(lambda v: "<null>" if pd.isna(v) else str(v))
    for side, frame in (("duckdb", duck), ("spark", spark)):
        duplicated = frame[frame.duplicated(key_text, keep=False)]
        if not duplicated.empty:
            result.problems.append(
                f"{side}: {len(duplicated)} rows share a key, e.g. "
                f"{duplicated[key_text].head(MAX_EXAMPLES).values.tolist()}"
            )
    if result.problems:
        return result
    merged = duck.merge(spark, on=key_text, how="outer", suffixes=("_duckdb", "_spark"), indicator=True)
    for side, flag in (("duckdb", "left_only"), ("spark", "right_only")):
        only = merged[merged["_merge"] == flag]
        if not only.empty:
            result.problems.append(
                f"{len(only)} keys only on {side}, e.g. {only[key_text].head(MAX_EXAMPLES).values.tolist()}"
            )
    both = merged[merged["_merge"] == "both"]
    for column in duck.columns:
        if column in key or column in key_text:
            continue
        left, right = both[f"{column}_duckdb"].tolist(), both[f"{column}_spark"].tolist()
        differing = [index for index, (a, b) in enumerate(zip(left, right)) if not values_equal(a, b)]
        if differing:
            examples = [(both.iloc[i][key_text].tolist(), left[i], right[i]) for i in differing[:MAX_EXAMPLES]]
            result.problems.append(
                f"column {column}: {len(differing)} of {len(both)} rows differ, e.g. (key, duckdb, spark) {examples}"
            )
    return result


def read_duckdb(path: Path, table: str, schema: str = SCHEMA) -> pd.DataFrame | None:
    """A table of the DuckDB warehouse, or None when it does not exist."""
    with duckdb.connect(str(path), read_only=True) as connection:
        exists = connection.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, table]
        ).fetchone()[0]
        if not exists:
            return None
        return connection.execute(f'select * from "{schema}"."{table}"').df()


def read_spark(warehouse: Path, table: str, schema: str = SCHEMA) -> pd.DataFrame | None:
    """A table Spark wrote (Parquet files under <warehouse>/<schema>.db/<table>), or None when it has none."""
    folder = warehouse / f"{schema}.db" / table
    if not folder.is_dir():
        return None
    files = sorted(folder.rglob("*.parquet"))
    if not files:  # an empty Spark table may be written as a folder without data files
        return pd.DataFrame()
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        return connection.execute("select * from read_parquet(?, union_by_name = true)", [[str(f) for f in files]]).df()


def compare(duckdb_path: Path, warehouse: Path, manifest: Path, required: list[str]) -> list[TableResult]:
    """Compare every marts table that has a key; a required table must exist on both engines."""
    results = []
    keys = table_keys(manifest)
    for name in sorted(set(required) - set(keys)):
        result = TableResult(name, [])
        result.problems.append("required table has no uniqueness test in the manifest (no key to compare by)")
        results.append(result)
    for table in sorted(keys):
        duck, spark = read_duckdb(duckdb_path, table), read_spark(warehouse, table)
        if duck is None or spark is None:
            result = TableResult(table, keys[table])
            missing = [side for side, frame in (("duckdb", duck), ("spark", spark)) if frame is None]
            if table in required:
                result.problems.append(f"missing on {', '.join(missing)}")
                results.append(result)
            else:
                print(f"skip {table}: not built on {', '.join(missing)}")
            continue
        if spark.empty and len(spark.columns) == 0:
            spark = duck.iloc[0:0]
        results.append(compare_frames(table, keys[table], duck, spark))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duckdb", type=Path, required=True, help="DuckDB warehouse file")
    parser.add_argument("--spark-warehouse", type=Path, required=True, help="spark.sql.warehouse.dir")
    parser.add_argument("--manifest", type=Path, required=True, help="dbt manifest.json (for the table keys)")
    parser.add_argument("--require", nargs="*", default=[], help="tables that must exist on both engines")
    args = parser.parse_args(argv)
    results = compare(args.duckdb, args.spark_warehouse, args.manifest, args.require)
    rows = 0
    for result in results:
        rows += result.rows_duckdb
        status = "ok  " if result.ok else "DIFF"
        print(
            f"{status} {result.table:<32} {result.rows_duckdb:>8} rows duckdb {result.rows_spark:>8} rows spark"
            f"  key ({', '.join(result.key)})"
        )
        for problem in result.problems:
            print(f"     {problem}")
    failed = [result.table for result in results if not result.ok]
    print(
        f"{len(results)} tables, {rows} rows compared: "
        + ("all identical within tolerance" if not failed else f"{len(failed)} differ: {', '.join(failed)}")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
