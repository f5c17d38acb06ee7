"""The dashboard without a browser (Streamlit's AppTest) on the session's test warehouse.

Every page renders without an exception and shows its title; the headline numbers of a chosen queue and day are
the KPI table's rows; interval numbers add up to the day's published numerator and denominator; the privacy rules
hold at the door; a missing warehouse is a sentence, not a traceback; no connection outlives a page.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from switchboard.dashboard import charts, queries
from switchboard.dashboard.navigation import PAGES
from switchboard.dashboard.server import APP
from switchboard.dashboard.ui import fmt
from switchboard.dashboard.warehouse import DASHBOARD_DB_ENV, warehouse_path
from switchboard.serving import SERVED_PATH_ENV

TIMEOUT_S = 90


def _use(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    monkeypatch.setenv(DASHBOARD_DB_ENV, str(db))
    monkeypatch.delenv(SERVED_PATH_ENV, raising=False)


def _page(file: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.run()
    if file != PAGES[0].file:
        at.switch_page(file).run()
    return at


@pytest.fixture
def app_on_warehouse(warehouse, monkeypatch):
    _use(monkeypatch, warehouse.db)
    return warehouse


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_renders_with_its_title(app_on_warehouse, page):
    at = _page(page.file)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert [t.value for t in at.title] == [page.title]
    assert len(at.metric) >= 4  # the headline numbers are there


def _kpi_row(warehouse, kpi_name: str, scope_type: str, scope_id: str, grain: str, day) -> dict:
    frame = warehouse.frame(
        "select value, unit, target_value, meets_target, is_reliable, sample_size from marts.kpi_operational "
        f"where kpi_name = '{kpi_name}' and scope_type = '{scope_type}' and scope_id = '{scope_id}' "
        f"and period_grain = '{grain}' and period_start = '{day}' and breakdown_type = 'all'"
    )
    assert len(frame) == 1, (kpi_name, scope_id, day)
    return frame.iloc[0].to_dict()


def _expected_delta(row: dict) -> str | None:
    if not row["is_reliable"]:
        return f"small sample ({int(row['sample_size'])})"
    if row["target_value"] is None or row["target_value"] != row["target_value"]:
        return None
    return f"{'✓' if row['meets_target'] else '✗'} target {fmt(row['target_value'], row['unit'])}"


@pytest.fixture(scope="module")
def chosen(warehouse):
    """A queue and a day that is not the latest (so the day picker is used) with a reliable service level."""
    queue_id, site_id, day = warehouse.query(
        "select k.scope_id, q.site_id, k.period_start from marts.kpi_operational k "
        "join marts.dim_queues q on k.scope_id = q.queue_id "
        "where k.kpi_name = 'service_level' and k.scope_type = 'queue' and k.period_grain = 'day' and k.is_reliable "
        "and k.period_start < (select max(period_start) from marts.kpi_operational) "
        "order by k.period_start desc, k.scope_id limit 1 offset 7"
    )[0]
    return queue_id, site_id, day


def test_today_headlines_are_the_kpi_rows_of_the_chosen_queue_and_day(app_on_warehouse, chosen):
    queue_id, site_id, day = chosen
    at = _page(PAGES[0].file)
    at.selectbox(key="site").set_value(site_id).run()
    at.selectbox(key=f"queue_{site_id}").set_value(queue_id).run()
    at.radio(key="day_choice").set_value("Pick a day").run()
    at.date_input(key="day").set_value(day).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = {m.label: m for m in at.metric}
    for kpi_name, label in (
        ("contacts_offered", "Offers"),
        ("service_level", "Service level"),
        ("average_speed_of_answer_s", "ASA"),
        ("abandonment_rate", "Abandonment"),
        ("average_handle_time_s", "AHT"),
    ):
        row = _kpi_row(app_on_warehouse, kpi_name, "queue", queue_id, "day", day)
        assert shown[label].value == fmt(row["value"], row["unit"]), kpi_name
        assert (shown[label].delta or None) == _expected_delta(row), kpi_name
    assert any(f"{day:%d %B %Y}" in s.value for s in at.subheader)


def test_queues_headlines_are_the_kpi_rows_of_the_latest_complete_week(app_on_warehouse, chosen):
    queue_id, site_id, _ = chosen
    at = _page("views/queues.py")
    at.selectbox(key="site").set_value(site_id).run()
    at.selectbox(key=f"queue_{site_id}").set_value(queue_id).run()
    at.radio(key="grain_day_week_month").set_value("week").run()
    assert not at.exception, [e.value for e in at.exception]
    (week,) = app_on_warehouse.query(
        "select max(period_start) from marts.kpi_operational where kpi_name = 'service_level' and "
        f"scope_type = 'queue' and scope_id = '{queue_id}' and period_grain = 'week' and is_complete"
    )[0]
    (last_week,) = app_on_warehouse.query(
        "select max(period_start) from marts.kpi_operational where kpi_name = 'service_level' and "
        f"scope_type = 'queue' and scope_id = '{queue_id}' and period_grain = 'week'"
    )[0]
    assert last_week > week, "the test data ends on a Monday: its last week is partial and must not be the headline"
    assert any(f"{week:%d %b %Y}" in s.value for s in at.subheader)
    shown = {m.label: m.value for m in at.metric}
    for kpi_name, label in (("service_level", "Service level"), ("average_handle_time_s", "AHT")):
        row = _kpi_row(app_on_warehouse, kpi_name, "queue", queue_id, "week", week)
        assert shown[label] == fmt(row["value"], row["unit"])


def test_intervals_add_up_to_the_days_published_numerator_and_denominator(app_on_warehouse, chosen):
    queue_id, _, day = chosen
    intervals = queries.interval_day(queue_id, day)
    assert len(intervals) > 5
    for kpi_name, prefix in (("service_level", "sl"), ("average_speed_of_answer_s", "asa")):
        ((numerator, denominator),) = app_on_warehouse.query(
            "select numerator, denominator from marts.kpi_operational where kpi_name = "
            f"'{kpi_name}' and scope_type = 'queue' and scope_id = '{queue_id}' and period_grain = 'day' "
            f"and period_start = '{day}' and breakdown_type = 'all'"
        )
        assert intervals[f"{prefix}_numerator"].sum() == pytest.approx(numerator)
        assert intervals[f"{prefix}_denominator"].sum() == pytest.approx(denominator)
    # understaffed = the published staffing gap below zero, nothing else
    assert (intervals["is_understaffed"] == (intervals["staffing_gap"].fillna(0) < 0)).all()


def test_the_projects_service_level_mode_is_the_published_one(app_on_warehouse, chosen):
    queue_id, _, day = chosen
    modes = queries.service_level_modes(queue_id, day, day).set_index("mode")
    assert len(modes) == 4 and modes["is_project_mode"].sum() == 1
    project = modes[modes["is_project_mode"]].iloc[0]
    row = _kpi_row(app_on_warehouse, "service_level", "queue", queue_id, "day", day)
    assert project["service_level"] == pytest.approx(row["value"])
    # answered-only can only be higher or equal: the denominators differ, the met offers are the same
    assert modes.loc["exclude_all", "service_level"] >= modes.loc["include_all", "service_level"]


def _privacy_warehouse(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.kpi_team (kpi_name varchar, period_grain varchar, period_start date, scope_type "
            "varchar, scope_id varchar, breakdown_type varchar, breakdown_id varchar, numerator double, denominator "
            "double, value double, unit varchar, currency varchar, sample_size bigint, is_reliable boolean, "
            "is_complete boolean, target_value double, meets_target boolean, baseline_value double)"
        )
        rows = [
            ("occupancy", "agent", "a1", "ratio", None, 7200),
            ("employee_satisfaction", "agent", "a1", "score", None, 9),
            ("agent_cost", "agent", "a1", "currency", "USD", 9),
            ("employee_satisfaction", "team", "t_small", "score", None, 4),
            ("employee_satisfaction", "team", "t_big", "score", None, 5),
        ]
        for kpi_name, scope_type, scope_id, unit, currency, n in rows:
            con.execute(
                "insert into marts.kpi_team values (?, 'week', date '2026-03-02', ?, ?, 'all', 'all', 1, 1, "
                "0.5, ?, ?, ?, true, true, null, null, null)",
                [kpi_name, scope_type, scope_id, unit, currency, n],
            )


def test_privacy_rules_hold_at_the_door_whatever_the_table_holds(tmp_path, monkeypatch):
    db = tmp_path / "privacy.duckdb"
    _privacy_warehouse(db)
    _use(monkeypatch, db)
    import datetime as dt

    week = dt.date(2026, 3, 2)
    agent = queries.kpi(
        "kpi_team", ("occupancy", "employee_satisfaction", "agent_cost"), "agent", ("a1",), "week", week, week
    )
    assert list(agent["kpi_name"]) == ["occupancy"]  # no engagement and no money per person
    teams = queries.kpi("kpi_team", ("employee_satisfaction",), "team", ("t_small", "t_big"), "week", week, week)
    assert list(teams["scope_id"]) == ["t_big"]  # 4 responses < engagement_min_responses


def test_warehouse_path_prefers_the_option_then_the_served_copy(monkeypatch, tmp_path):
    monkeypatch.delenv(DASHBOARD_DB_ENV, raising=False)
    monkeypatch.setenv("SWITCHBOARD_DB_PATH", str(tmp_path / "build.duckdb"))
    monkeypatch.delenv(SERVED_PATH_ENV, raising=False)
    assert warehouse_path() == tmp_path / "served" / "switchboard.duckdb"  # the published copy, never the build file
    monkeypatch.setenv(SERVED_PATH_ENV, str(tmp_path / "served.duckdb"))
    assert warehouse_path() == tmp_path / "served.duckdb"
    monkeypatch.setenv(DASHBOARD_DB_ENV, str(tmp_path / "option.duckdb"))
    assert warehouse_path() == tmp_path / "option.duckdb"
    assert warehouse_path(tmp_path / "explicit.duckdb") == tmp_path / "explicit.duckdb"


def test_a_missing_warehouse_is_a_sentence_not_a_traceback(tmp_path, monkeypatch):
    _use(monkeypatch, tmp_path / "nowhere.duckdb")
    at = _page(PAGES[0].file)
    assert not at.exception
    assert any("No warehouse at" in e.value for e in at.error)
    cli = subprocess.run(
        [sys.executable, "-m", "switchboard.cli", "dashboard", "--db", str(tmp_path / "no.duckdb")],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 2 and "no warehouse at" in cli.stderr and "Traceback" not in cli.stderr


def test_published_meta_is_shown_and_no_connection_outlives_a_page(warehouse, tmp_path, monkeypatch):
    db = tmp_path / "served.duckdb"
    shutil.copy(warehouse.db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("create schema meta")
        con.execute(
            "create table meta.publication as select timestamp '2026-05-04 06:30:00' as published_at, "
            "timestamp '2026-05-04 06:29:00' as build_finished_at, 'abc123' as git_commit, "
            "'duckdb' as engine"
        )
        con.execute(
            "create table meta.landing_freshness as select * from (values "
            "('acd/contact_segments', 'daily', 3, 1000, timestamp '2026-05-04 05:00:00', 1.5, 26.0, 50.0, "
            "'ok'), ('hr/employees', 'daily', 1, 80, timestamp '2026-05-01 05:00:00', 73.5, 26.0, 50.0, "
            "'error')) t(table_id, cadence, files, rows, max_extracted_at, age_hours, warn_after_hours, "
            "error_after_hours, status)"
        )
    _use(monkeypatch, db)
    at = _page("views/data_health.py")
    assert not at.exception, [e.value for e in at.exception]
    shown = {m.label: m.value for m in at.metric}
    assert shown["Published (UTC)"] == "04 May 06:30"
    assert shown["Landing tables late"] == "1 of 2"
    assert shown["Reconciliation"] == "balanced"
    # the page has read the file; a writer can open it now (no reader kept it open)
    writer = subprocess.run(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; duckdb.connect(sys.argv[1]).execute('create table meta.probe as select 1 as x')",
            str(db),
        ],
        capture_output=True,
        text=True,
    )
    assert writer.returncode == 0, writer.stderr


def test_charts_export_as_png(app_on_warehouse, chosen):
    queue_id, _, day = chosen
    png = charts.to_png(charts.interval_day(queries.interval_day(queue_id, day), "t", 30.0))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    at = _page("views/queues.py")
    assert len(at.get("download_button")) >= 4  # one PNG button per chart


def test_headlines_take_the_latest_complete_period():
    """ui.latest: the newest period with is_complete per KPI; a partial later week is no headline; a KPI with no
    complete period shows its newest."""
    import datetime as dt

    import pandas as pd

    from switchboard.dashboard import ui

    monday = dt.date(2026, 4, 27)
    rows = pd.DataFrame(
        {
            "kpi_name": ["service_level", "service_level", "service_level", "csat"],
            "period_start": [monday - dt.timedelta(days=7), monday, monday + dt.timedelta(days=7), monday],
            "is_complete": [True, True, False, False],
            "value": [0.7, 0.8, 0.2, 0.9],
        }
    )
    head = ui.latest(rows).set_index("kpi_name")
    assert head.loc["service_level", "period_start"] == monday and head.loc["service_level", "value"] == 0.8
    assert head.loc["csat", "period_start"] == monday
    assert len(head) == 2
