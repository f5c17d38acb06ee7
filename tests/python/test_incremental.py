"""Day-by-day incremental builds equal a full refresh of the same landing, row for row (issue 14's acceptance).

A small landing is generated once (8 days, scale 0.05, 1 % of every bad-row rule) and replayed into a second
landing root with `landing_as_of` (hard links, so a file of the replay is only ever replaced, never edited):

Step 0, the initial build: the files delivered up to the first simulated day (schedules published ten days
ahead included).
Step 1: the files up to the re-delivery day, except one day's contact segments and another day's QA evaluations,
held back. New days; surveys and QA evaluations of segments built in step 0; customer versions changing between
daily extracts; a schedule republished for a date first published in step 0; the held-back segments' surveys and
evaluations and the held-back evaluations' items quarantined as orphans.
Step 2: every remaining file, the re-deliveries included; the first day's segments file (built in step 0) and an
employee extract (step 1) removed; one customer extract and one QA evaluations file of step 1 replaced by different
content under the same name. The late parents release their orphans; the re-delivered batch re-ranks rows built in
step 1; the removed segments orphan surveys and evaluations built in step 1; the changed files are reprocessed (a
dropped evaluation orphans its items).

Steps 0 to 2 build into one DuckDB file with plain `dbt build` (models and seeds); then the final landing is built
with `--full-refresh` into a fresh file, and every table of `marts`, `intermediate` and `data_quality` and every
`stg_` table of `staging` must hold the same columns and the same multiset of rows in both (exact equality:
warehouse_diff.py). The `base_` models are not compared: how they store what they have processed is theirs.

The replay asserts that each scenario really happens in it (a late evaluation, a changed customer version, ...),
so a change of the generator cannot make this test silently stop covering one.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from harness import BIN, run_checked, run_dbt
from switchboard.landing_days import file_day, landing_as_of, landing_days
from warehouse_diff import diff_relation, diff_warehouses

SMALL_LANDING = ["--seed", "3", "--start", "2026-03-02", "--days", "8", "--scale", "0.05", "--bad-rows", "0.01"]
FIRST_DAY = date(2026, 3, 2)
BUILD = ["build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
# what must be identical: schema -> name prefix of the relations compared
COMPARED = {"marts": "", "intermediate": "", "data_quality": "", "staging": "stg_"}
CLOCK_TABLES = ("intermediate.int_calendar_dates:", "marts.dim_date:")


def day_label(day: date) -> str:
    return day.strftime("%Y%m%d")


def replace_file(path: Path, table: pa.Table) -> None:
    """Replace a landing file by new content under the same name: written beside it, then renamed over it, so the
    generated file it was hard-linked to keeps its content."""
    tmp = path.with_name(path.name + ".new")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def with_column(table: pa.Table, name: str, values: pa.Array) -> pa.Table:
    i = table.schema.get_field_index(name)
    return table.set_column(i, table.schema.field(i), values.cast(table.schema.field(i).type))


def segment_ids(path: Path) -> list[str]:
    return [s for s in pq.read_table(path, columns=["segment_id"]).column("segment_id").to_pylist() if s]


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="module")
def replay(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("incremental")
    source, landing = root / "generated", root / "landing"
    # every build goes to one path (one profile: dbt parses the project once); the day-by-day file is then set
    # aside and the full refresh built in its place
    db, daily = root / "build" / "switchboard.duckdb", root / "daily.duckdb"
    db.parent.mkdir()
    run_checked([str(BIN / "switchboard"), "generate", "--out", str(source), *SMALL_LANDING])
    days = landing_days(source)
    redelivered = sorted(p.relative_to(source).as_posix() for p in source.glob("*/*/*_redelivery.*"))
    assert redelivered, "the generator re-delivers a batch"
    redelivery_day = file_day(Path(redelivered[0]).name)[0]
    held_back = f"acd/contact_segments/contact_segments_{day_label(redelivery_day - timedelta(days=3))}.parquet"
    held_back_evaluations = f"qa/evaluations/evaluations_{day_label(redelivery_day - timedelta(days=2))}.parquet"
    removed = f"acd/contact_segments/contact_segments_{day_label(FIRST_DAY)}.parquet"
    removed_employees = f"hr/employees/employees_{day_label(FIRST_DAY + timedelta(days=2))}.parquet"
    changed_customers = f"crm/customers/customers_{day_label(FIRST_DAY + timedelta(days=1))}.parquet"
    facts: dict = {"redelivered": redelivered, "held_back": held_back, "removed": removed}
    steps: dict[str, int] = {}  # landing file -> the step that delivered it
    seconds = []
    clock_days = []  # the UTC day each build started on: the calendar's end follows the build's clock

    def build(db: Path, *extra: str) -> None:
        t0 = time.perf_counter()
        clock_days.append(datetime.now(UTC).date())
        run_dbt([*BUILD, *extra], landing, db)
        seconds.append(round(time.perf_counter() - t0, 1))

    # step 0: the initial build
    for rel in landing_as_of(source, landing, FIRST_DAY):
        steps[rel] = 0
    build(db)

    # step 1: up to the re-delivery day, one day's segments held back
    for rel in landing_as_of(source, landing, redelivery_day):
        steps[rel] = 1
    for rel in (held_back, held_back_evaluations):
        (landing / rel).unlink()
        del steps[rel]
    build(db)
    held_ids = segment_ids(source / held_back)
    removed_ids = segment_ids(source / removed)
    facts["orphans"] = {
        table: query(
            db,
            f"select {key} from data_quality.quarantine_{table} where _rule = 'orphan_reference' "
            "and segment_id in (select unnest(?))",
            [held_ids],
        )
        for table, key in (("survey__contact_surveys", "response_id"), ("qa__evaluations", "evaluation_id"))
    }
    held_evaluations = pq.read_table(source / held_back_evaluations).column("evaluation_id").to_pylist()
    facts["orphans"]["qa__evaluation_items"] = query(
        db,
        "select evaluation_id, item_id from data_quality.quarantine_qa__evaluation_items "
        "where _rule = 'orphan_reference' and evaluation_id in (select unnest(?))",
        [[e for e in held_evaluations if e]],
    )
    facts["children_of_removed"] = {
        table: query(db, f"select {key} from staging.stg_{table} where segment_id in (select unnest(?))", [removed_ids])
        for table, key in (("survey__contact_surveys", "response_id"), ("qa__evaluations", "evaluation_id"))
    }
    # an evaluation built in step 1 with its items, whose file step 2 replaces without it
    step_1_evaluations = [rel for rel, step in steps.items() if step == 1 and rel.startswith("qa/evaluations/")]
    dropped, changed_evaluations, dropped_items = query(
        db,
        "select evaluation_id, any_value(e._source_file), count(*) from staging.stg_qa__evaluations e "
        "join staging.stg_qa__evaluation_items using (evaluation_id) "
        "where e._source_file in (select unnest(?)) and segment_id not in (select unnest(?)) "
        "group by evaluation_id order by evaluation_id limit 1",
        [step_1_evaluations, removed_ids],
    )[0]
    facts.update(dropped_evaluation=dropped, dropped_items_staged=dropped_items)
    facts["changed"] = [changed_customers, changed_evaluations]

    # step 2: everything else and the re-deliveries; a processed file removed, two replaced by new content
    for rel in landing_as_of(source, landing, days[-1], redelivery=True):
        steps[rel] = 2
    assert steps[held_back] == steps[held_back_evaluations] == 2
    for rel in (removed, removed_employees):
        (landing / rel).unlink()
    facts["removed_steps"] = [steps.pop(removed), steps.pop(removed_employees)]
    customers = pq.read_table(landing / changed_customers)
    consumers = [i for i, s in enumerate(customers.column("segment").to_pylist()) if s == "consumer"][:3]
    facts["moved_customers"] = sorted(customers.column("customer_id").take(consumers).to_pylist())
    moved = [("small_business" if i in consumers else s) for i, s in enumerate(customers.column("segment").to_pylist())]
    replace_file(landing / changed_customers, with_column(customers, "segment", pa.array(moved)))
    # the evaluation picked in step 1 dropped (its items become orphans), every other one evaluated an hour earlier
    evaluations = pq.read_table(landing / changed_evaluations)
    kept = evaluations.filter(pc.not_equal(pc.fill_null(evaluations.column("evaluation_id"), ""), dropped))
    earlier = pc.subtract(kept.column("evaluated_at"), pa.scalar(timedelta(hours=1)))
    replace_file(landing / changed_evaluations, with_column(kept, "evaluated_at", earlier))
    facts["changed_steps"] = [steps[changed_customers], steps[changed_evaluations]]
    build(db)

    # the same final landing, rebuilt from nothing
    for suffix in ("", ".wal"):
        if Path(f"{db}{suffix}").exists():
            os.replace(f"{db}{suffix}", f"{daily}{suffix}")
    build(db, "--full-refresh")
    return {"daily": daily, "full": db, "steps": steps, "facts": facts, "seconds": seconds, "clock_days": clock_days}


ROWS = ["(1, 0.3::double, 'a')", "(2, 'nan'::double, null)", "(2, 'nan'::double, null)", "(3, null, 'c')"]


def differs(con: duckdb.DuckDBPyConnection, left: list[str], right: list[str], id_type: str = "integer") -> str | None:
    for side, rows, typ in (("lhs", left, "integer"), ("rhs", right, id_type)):
        values = ", ".join(rows)
        con.execute(
            f"create or replace table {side}.marts.t as select id::{typ} id, x, s from (values {values}) v(id, x, s)"
        )
    return diff_relation(con, "lhs", "rhs", "marts.t")


def test_the_comparison_sees_every_difference(tmp_path):
    """The comparator can fail: the same rows in another order (NULL and NaN included) are equal; one ulp of a
    double, a NULL for a value, a row twice instead of once and another column type each are a difference."""
    with duckdb.connect() as con:
        for side in ("lhs", "rhs"):
            con.execute(f"attach ':memory:' as {side}")
            con.execute(f"create schema {side}.marts")
        assert differs(con, ROWS, ROWS[::-1]) is None
        ulp = differs(con, ROWS, [ROWS[0].replace("0.3::double", "(0.1::double + 0.2::double)"), *ROWS[1:]])
        assert "1 rows only in lhs" in ulp and "1 rows only in rhs" in ulp and "0.30000000000000004" in ulp
        assert "1 rows only in rhs" in differs(con, ROWS, [*ROWS[:3], "(3, null, null)"])
        multiset = differs(con, ROWS, [*ROWS[:2], ROWS[3], ROWS[3]])
        assert "1 rows only in lhs" in multiset and "1 rows only in rhs" in multiset
        assert "columns differ" in differs(con, ROWS, ROWS, id_type="bigint")
    # a relation missing on one side, and the prefix filter
    for name, tables in (("a", ["stg_x", "base_x"]), ("b", ["stg_x"])):
        with duckdb.connect(str(tmp_path / f"{name}.duckdb")) as con:
            con.execute("create schema staging")
            for table in tables:
                con.execute(f"create table staging.{table} as select 1 as id")
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    assert diff_warehouses(a, b, {"staging": "stg_"}) == (["staging.stg_x"], [])
    assert diff_warehouses(a, b, {"staging": ""})[1] == [f"staging.base_x: only in {a}"]


def step_of(replay: dict) -> str:
    """A `values` list of (landing file, step that delivered it), to join on `_source_file`."""
    return ", ".join(f"('{rel}', {step})" for rel, step in replay["steps"].items())


def test_the_replay_covers_every_scenario(replay):
    facts, full, steps = replay["facts"], replay["full"], step_of(replay)
    # a re-delivered batch arrives a step after the batch it repeats, and its rows win the tie-break
    for rel in facts["redelivered"]:
        assert replay["steps"][rel] == 2 and replay["steps"][rel.replace("_redelivery", "")] == 1, rel
    (redelivered_rows,) = query(
        full,
        "select count(*) from staging.stg_acd__contact_segments where _source_file like '%\\_redelivery%' escape '\\'",
    )[0]
    assert redelivered_rows > 0
    # QA evaluations and surveys delivered a step after the segment they refer to
    for table in ("qa__evaluations", "survey__contact_surveys"):
        (late,) = query(
            full,
            f"with steps(file, step) as (values {steps}) select count(*) from staging.stg_{table} c "
            "join steps cs on cs.file = c._source_file join staging.stg_acd__contact_segments s using (segment_id) "
            "join steps ss on ss.file = s._source_file where cs.step > ss.step",
        )[0]
        assert late > 0, table
    # a customer's version changes between two daily extracts delivered in different steps
    (changed,) = query(
        full,
        f"with steps(file, step) as (values {steps}), versions as (select customer_id, step, "
        "lag(step) over (partition by customer_id order by valid_from) as previous_step "
        "from staging.stg_crm__customers join steps on file = _source_file where _source_file <> ?) "
        "select count(*) from versions where step > previous_step",
        [facts["changed"][0]],
    )[0]
    assert changed > 0
    # a schedule republished in a later step than its first publication
    (republished,) = query(
        full,
        f"with steps(file, step) as (values {steps}), publications as (select distinct agent_id, schedule_date, "
        "published_at, step from staging.stg_wfm__schedule_activities join steps on file = _source_file) "
        "select count(*) from publications a join publications b using (agent_id, schedule_date) "
        "where b.published_at > a.published_at and b.step > a.step",
    )[0]
    assert republished > 0
    # the held-back segments' surveys and evaluations were orphans after step 1 and are staged at the end
    for table, key in (("survey__contact_surveys", "response_id"), ("qa__evaluations", "evaluation_id")):
        orphans = [k for (k,) in facts["orphans"][table]]
        assert orphans, f"no {table} row of the held-back segments was delivered while they were held back"
        staged = query(full, f"select {key} from staging.stg_{table} where {key} in (select unnest(?))", [orphans])
        assert sorted(k for (k,) in staged) == sorted(orphans), table
    # the held-back evaluations' items were orphans after step 1 and are staged at the end
    items = facts["orphans"]["qa__evaluation_items"]
    assert items, "no evaluation item of the held-back evaluations was delivered while they were held back"
    staged = query(
        full,
        "select evaluation_id, item_id from staging.stg_qa__evaluation_items "
        "where (evaluation_id, item_id) in (select unnest(?), unnest(?))",
        [[e for e, _ in items], [i for _, i in items]],
    )
    assert sorted(staged) == sorted(items)
    # surveys and evaluations staged in step 1 lose their segments with the removed file: orphans at the end
    assert facts["removed_steps"] == [0, 1]
    for table, key in (("survey__contact_surveys", "response_id"), ("qa__evaluations", "evaluation_id")):
        children = [k for (k,) in facts["children_of_removed"][table]]
        assert children, f"no {table} row of the removed segments file was staged"
        quarantined = query(
            full,
            f"select distinct {key} from data_quality.quarantine_{table} "
            f"where _rule = 'orphan_reference' and {key} in (select unnest(?))",
            [children],
        )
        assert sorted(k for (k,) in quarantined) == sorted(set(children)), table
    # the two files replaced under the same name had been built in step 1, and their new content counts
    assert facts["changed_steps"] == [1, 1]
    moved = query(
        full,
        "select customer_id from staging.stg_crm__customers where _source_file = ? and segment = 'small_business' "
        "and customer_id in (select unnest(?))",
        [facts["changed"][0], facts["moved_customers"]],
    )
    assert len(facts["moved_customers"]) == 3 and sorted(c for (c,) in moved) == facts["moved_customers"]
    assert facts["dropped_items_staged"] > 0
    (orphan_items,) = query(
        full,
        "select count(*) from data_quality.quarantine_qa__evaluation_items "
        "where _rule = 'orphan_reference' and evaluation_id = ?",
        [facts["dropped_evaluation"]],
    )[0]
    assert orphan_items == facts["dropped_items_staged"]


def test_increments_equal_a_full_refresh(replay):
    compared, differences = diff_warehouses(replay["daily"], replay["full"], COMPARED)
    if replay["clock_days"][-2] != replay["clock_days"][-1]:
        # the last increment and the full refresh started on two UTC days (around midnight): the calendar ends at
        # the build's clock + landing_planning_horizon_days, so only its two tables may differ, by design
        differences = [d for d in differences if not d.startswith(CLOCK_TABLES)]
    print(f"dbt build seconds per step (0, 1, 2, full refresh): {replay['seconds']}; {len(compared)} relations")
    assert not differences, "\n".join(differences)
    for schema in COMPARED:
        assert any(r.startswith(f"{schema}.") for r in compared), schema
    assert {f"marts.{t}" for t in ("kpi_operational", "kpi_team", "kpi_experience", "kpi_compliance")} <= set(compared)
    (segments,) = query(replay["daily"], "select count(*) from staging.stg_acd__contact_segments")[0]
    assert segments > 0


def test_the_day_by_day_builds_were_incremental(replay):
    """On DuckDB every base_ model is incremental, so steps 1 and 2 really were increments (else the comparison
    above would compare two full builds)."""
    manifest = json.loads((replay["full"].parent / "target" / "manifest.json").read_text())
    base = {n["name"]: n["config"]["materialized"] for n in manifest["nodes"].values() if n["name"].startswith("base_")}
    assert len(base) == 20 and set(base.values()) == {"incremental"}, base
