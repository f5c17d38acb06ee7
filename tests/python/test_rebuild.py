"""Two `switchboard build`s of the same landing: bit-identical marts, and no file grows.

A small generated landing (10 days, scale 0.05) is built and published twice into the same build and served files,
models and seeds only (no data tests: this is about what the build writes). Before KPI sums were exact, DuckDB's
parallel summation of doubles made kpi_operational, kpi_team and kpi_experience differ in the last digits between
two such builds; and the second build left the build file nearly twice as large (tables are replaced, their old
blocks only marked free), until `switchboard build` compacted it (serving.compact_build_file).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from harness import BIN, dbt_env, run_checked

SMALL_LANDING = ["--seed", "3", "--start", "2026-03-02", "--days", "10", "--scale", "0.05"]
# a second build may take one or two more DuckDB blocks (256 KiB) by allocation order; not growing means staying
# within a few per cent of the first, where the unfixed build file grew by 85 %
SLACK = 1.05


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("rebuild")
    landing, build = root / "landing", root / "db" / "switchboard.duckdb"
    served = root / "served" / "switchboard.duckdb"
    run_checked([str(BIN / "switchboard"), "generate", "--out", str(landing), *SMALL_LANDING])
    build.parent.mkdir()
    env = dict(dbt_env(landing, build), SWITCHBOARD_SERVED_PATH=str(served))
    dbt_args = ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
    dbt_args += ["--target-path", str(build.parent / "target"), "--log-path", str(build.parent / "logs")]
    sizes = []
    for attempt in (1, 2):
        run_checked([str(BIN / "switchboard"), "build", "--landing", str(landing), "--", *dbt_args], env)
        sizes.append((build.stat().st_size, served.stat().st_size))
        if attempt == 1:
            shutil.copyfile(build, root / "first.duckdb")
    return {"first": root / "first.duckdb", "second": build, "sizes": sizes}


def marts_tables(db: Path) -> dict[str, list[str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select table_name, column_name from information_schema.columns where table_schema = 'marts' "
            "order by table_name, ordinal_position"
        ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return tables


def test_two_builds_of_one_landing_are_bit_identical(two_builds):
    first, second = marts_tables(two_builds["first"]), marts_tables(two_builds["second"])
    assert first == second
    assert {"kpi_operational", "kpi_team", "kpi_experience", "kpi_compliance"} <= set(first)
    differences = []
    with duckdb.connect() as con:
        con.execute(f"attach '{two_builds['first']}' as a (read_only)")
        con.execute(f"attach '{two_builds['second']}' as b (read_only)")
        for table, columns in first.items():
            cols = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f"select count(*) from a.marts.{table}").fetchone()[0]
            # EXCEPT ALL compares doubles bit for bit (no tolerance), both ways, duplicates counted
            only = [
                con.execute(
                    f"select count(*) from (select {cols} from {x}.marts.{table} "
                    f"except all select {cols} from {y}.marts.{table})"
                ).fetchone()[0]
                for x, y in (("a", "b"), ("b", "a"))
            ]
            if only != [0, 0]:
                differences.append(f"{table}: {only[0]} rows only in the first build, {only[1]} only in the second")
            assert rows > 0 or not table.startswith("kpi_"), f"{table} is empty"
    assert not differences, "\n".join(differences)


def test_a_second_build_grows_neither_the_build_file_nor_the_published_file(two_builds):
    (build_1, served_1), (build_2, served_2) = two_builds["sizes"]
    assert build_2 <= build_1 * SLACK, f"build file {build_1:,} -> {build_2:,} bytes"
    assert served_2 <= served_1 * SLACK, f"published file {served_1:,} -> {served_2:,} bytes"
    # nothing left behind by the compaction or the publication
    leftovers = [p.name for p in two_builds["second"].parent.iterdir() if p.name.endswith((".compact", ".new"))]
    assert not leftovers, leftovers
    assert os.path.getsize(two_builds["first"]) == build_1


def test_states_running_past_the_data_end_publish_no_row(two_builds):
    """The small landing's segments end on Wednesday 11 March 2026 at both sites; the last agent states run to their
    batch's extraction time on the 12th. No KPI row starts after the 11th, the week of 9 March is incomplete and
    its occupancy is the ratio of its published days' sums (the 12th counts nowhere)."""
    with duckdb.connect(str(two_builds["second"]), read_only=True) as con:
        late_states = con.execute(
            "select count(*) from intermediate.int_kpi_team__agent_time_days where local_date > date '2026-03-11'"
        ).fetchone()[0]
        assert late_states > 0, "the landing must have states past the data end for this test to mean anything"
        for table in ("kpi_operational", "kpi_team", "kpi_experience", "kpi_compliance"):
            (latest,) = con.execute(f"select max(period_start) from marts.{table}").fetchone()
            assert str(latest) <= "2026-03-11", table
        week, days = con.execute(
            "select max(value) filter (where period_grain = 'week' and not is_complete), "
            "sum(numerator) filter (where period_grain = 'day' and is_complete) "
            "/ sum(denominator) filter (where period_grain = 'day' and is_complete) "
            "from marts.kpi_team where kpi_name = 'occupancy' and scope_type = 'center' "
            "and period_start >= date '2026-03-09'"
        ).fetchone()
    assert week is not None and abs(week - days) <= 1e-12 * abs(days)
