"""Dagster definitions (issue 15), in-process: they load; a run on a small generated landing materialises every
asset with every check passing; a landing file with a missing column fails the blocking validation check and no
dbt asset runs; the schedule and the sensor evaluate with Dagster's test contexts.

The definitions read their settings from the environment when imported, so the module fixture sets them first.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import shutil
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest

from serving_helpers import expected_freshness, generate, site_env
from switchboard import serving


@pytest.fixture(scope="module")
def orch(tmp_path_factory):
    root = tmp_path_factory.mktemp("orchestration")
    landing = generate(root / "landing")
    env = site_env(root, landing)
    with pytest.MonkeyPatch.context() as mp:
        for key in (
            "SWITCHBOARD_LANDING_DIR",
            "SWITCHBOARD_DB_PATH",
            "SWITCHBOARD_SERVED_PATH",
            "SWITCHBOARD_FAILURE_DIR",
            "DBT_TARGET_PATH",
            "DBT_LOG_PATH",
            "DBT_PROFILES_DIR",
        ):
            mp.setenv(key, env[key])
        mp.setenv("SWITCHBOARD_SCHEDULE_TIME", "05:30")
        mp.setenv("SWITCHBOARD_SCHEDULE_TIMEZONE", "Europe/Warsaw")
        mp.setenv("SWITCHBOARD_RETRY_DELAY_S", "1")
        definitions = importlib.import_module("switchboard.orchestration.definitions")
        defs = definitions.build_definitions()
        yield {"root": root, "landing": landing, "env": env, "mod": definitions, "defs": defs, "mp": mp}


def _run(defs: dg.Definitions) -> dg.ExecuteInProcessResult:
    with dg.instance_for_test() as instance:
        return defs.resolve_job_def("switchboard_daily").execute_in_process(instance=instance, raise_on_error=False)


def test_definitions_load(orch):
    defs, mod = orch["defs"], orch["mod"]
    graph = defs.resolve_asset_graph()
    keys = graph.get_all_asset_keys()
    landing = {mod.landing_key(t) for t in mod.TABLES}
    assert landing <= keys and dg.AssetKey(["served", "switchboard"]) in keys
    assert dg.AssetKey(["marts", "kpi_operational"]) in keys and dg.AssetKey(["marts", "fct_contact_segments"]) in keys
    checks = graph.asset_check_keys
    contract = {c for c in checks if c.name == "landing_contract"}
    assert {c.asset_key for c in contract} == landing
    assert all(graph.get_check_spec(c).blocking for c in contract)
    assert {c.asset_key for c in checks if c.name == "freshness"} == {
        mod.landing_key(t) for t in mod.TABLES if t.cadence != "on_change"
    }
    assert len([c for c in checks if c.name.startswith("unit_")]) == len(mod.MANIFEST["unit_tests"]) > 0
    data_tests = [n for n in mod.MANIFEST["nodes"] if n.startswith("test.")]
    assert len(checks) >= len(data_tests) + len(landing) + len(mod.MANIFEST["unit_tests"])
    # every dbt asset (the landing feeds its sources) is downstream of the landing assets
    assert graph.get(dg.AssetKey(["acd", "contact_segments"])).child_keys
    resource = defs.resources["dbt"]
    assert resource.target == "duckdb" and Path(resource.dbt_executable).name == "dbt"


def test_run_materialises_every_asset_and_every_check_passes(orch):
    landing = Path(orch["env"]["SWITCHBOARD_LANDING_DIR"])
    stale_before = _stale(expected_freshness(landing, dt.datetime.now(dt.UTC)))
    result = _run(orch["defs"])
    stale_after = _stale(expected_freshness(landing, dt.datetime.now(dt.UTC)))
    failures = [e.event_specific_data.error.message[:2000] for e in result.all_events if e.is_step_failure]
    assert result.success, failures
    graph = orch["defs"].resolve_asset_graph()
    materialised = {e.asset_key for e in result.get_asset_materialization_events()}
    assert materialised == graph.get_all_asset_keys()
    evaluations = [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    assert {dg.AssetCheckKey(e.asset_key, e.check_name) for e in evaluations} == set(graph.asset_check_keys)
    failed = {(e.asset_key.to_user_string(), e.check_name) for e in evaluations if not e.passed}
    # every check passes but the freshness of feeds the files show stale (a sparse feed's staleness depends on the
    # calendar: the monthly pulse, a day without cases), recomputed before and after the run
    assert {(t, "freshness") for t in stale_before} <= failed <= {(t, "freshness") for t in stale_after}
    with serving.connect_served(Path(orch["env"]["SWITCHBOARD_SERVED_PATH"])) as con:
        assert con.execute("select engine from meta.publication").fetchall() == [("duckdb",)]
        assert con.execute("select count(*) from marts.kpi_operational").fetchone()[0] > 0


def test_missing_column_fails_the_validation_check_and_no_dbt_asset_runs(orch, tmp_path):
    mod, mp = orch["mod"], orch["mp"]
    landing = tmp_path / "landing"
    shutil.copytree(orch["landing"], landing)
    target = min((landing / "acd" / "contact_segments").glob("*.parquet"))
    pq.write_table(pq.read_table(target).drop_columns(["queue_id"]), target)
    build, failures = tmp_path / "build" / "switchboard.duckdb", tmp_path / "failures"
    mp.setenv("SWITCHBOARD_LANDING_DIR", str(landing))
    mp.setenv("SWITCHBOARD_DB_PATH", str(build))
    mp.setenv("SWITCHBOARD_FAILURE_DIR", str(failures))
    try:
        result = _run(orch["defs"])
    finally:
        for key in ("SWITCHBOARD_LANDING_DIR", "SWITCHBOARD_DB_PATH", "SWITCHBOARD_FAILURE_DIR"):
            mp.setenv(key, orch["env"][key])
    assert not result.success
    materialised = {e.asset_key for e in result.get_asset_materialization_events()}
    assert materialised == {mod.landing_key(t) for t in mod.TABLES}  # the landing observed, nothing else
    assert not build.exists()  # dbt never touched the warehouse
    evaluations = {
        (
            e.event_specific_data.asset_key.to_user_string(),
            e.event_specific_data.check_name,
        ): e.event_specific_data.passed
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }
    assert evaluations[("acd/contact_segments", "landing_contract")] is False
    assert evaluations[("acd/agent_state_changes", "landing_contract")] is True
    [failure] = [e for e in result.all_events if e.is_step_failure]
    message = failure.event_specific_data.error.message
    relative = target.relative_to(landing).as_posix()
    assert relative in message and "'queue_id' is missing" in message and "expected str" in message
    [record] = [json.loads(p.read_text()) for p in failures.glob("*.json")]
    assert record["what"] == "landing validation" and record["files"] == [relative]
    assert "'queue_id' is missing" in record["message"]


def test_schedule_runs_daily_at_the_configured_time(orch):
    schedule = orch["mod"].daily_schedule
    assert schedule.cron_schedule == "30 5 * * *" and schedule.execution_timezone == "Europe/Warsaw"
    context = dg.build_schedule_context(scheduled_execution_time=dt.datetime(2026, 12, 2, 5, 30))
    [request] = schedule.evaluate_tick(context).run_requests
    assert isinstance(request, dg.RunRequest)


def test_sensor_fires_once_per_new_file(orch, tmp_path, monkeypatch):
    sensor = orch["mod"].new_landing_files
    folder = tmp_path / "landing" / "acd" / "contact_segments"
    folder.mkdir(parents=True)
    first = sorted((orch["landing"] / "acd" / "contact_segments").glob("*.parquet"))
    shutil.copy(first[0], folder)
    monkeypatch.setenv("SWITCHBOARD_LANDING_DIR", str(tmp_path / "landing"))

    def tick(cursor: str | None) -> tuple[list, str | None]:
        context = dg.build_sensor_context(cursor=cursor)
        data = sensor.evaluate_tick(context)
        return data.run_requests, data.cursor

    requests, cursor = tick(None)
    assert len(requests) == 1
    again, cursor_again = tick(cursor)
    assert again == [] and cursor_again in (None, cursor)
    shutil.copy(first[1], folder)
    new, cursor = tick(cursor)
    assert len(new) == 1 and new[0].run_key != requests[0].run_key
    assert new[0].tags["switchboard/first_new_file"] == f"acd/contact_segments/{first[1].name}"
    assert tick(cursor)[0] == []


def _stale(statuses: dict[str, str]) -> set[str]:
    """The tables whose freshness check fails (warn, error or no data)."""
    return {t for t, status in statuses.items() if status not in ("pass", "not_checked")}
