"""The semantic layer (issue 17) gives the same numbers as the governed KPI tables, row for row.

Why: MetricFlow is a second path to every KPI. A ratio metric that averaged a ratio column, dated its events in
UTC, or forgot a filter (short abandons, chain status, attribution) still parses and validates, so only the numbers
prove the definitions. Each family's metrics are asked from `mf query` at two grains (day and ISO week; week and
month for compliance, which has no day rows) and two scopes
(the center and one scope below it) on the session's test warehouse, and every published row of the KPI table
(breakdown 'all') must come back with the same value (1e-9); a ratio the KPI table has no row for (an empty
denominator) must be null in MetricFlow too.

mf reads `<project>/target/semantic_manifest.json` of the project it runs in and opens the DuckDB file read-write,
so the test parses the project into a private directory of links to the worktree and queries a private copy of the
warehouse file (other test modules read the shared file concurrently).
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from queue import Queue

import duckdb
import pandas as pd
import pytest

from harness import BIN, Warehouse, dbt_env, run_checked
from switchboard import settings

PROJECT_ENTRIES = ("dbt_project.yml", "models", "macros", "seeds", "analyses", "tests", "docs")
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Family:
    """The metrics of one KPI table and the scopes they are compared at (group-by item of each scope)."""

    table: str
    # metric name -> kpi_name in the table (the same name except interval_service_level)
    metrics: dict[str, str]
    # scope_type -> mf group-by item ('' for the center)
    scopes: dict[str, str]
    grains: tuple[str, ...] = ("day", "week")


def _same(names: list[str]) -> dict[str, str]:
    return {name: name for name in names}


FAMILIES = {
    "operational": Family(
        "kpi_operational",
        {
            **_same(
                [
                    "contacts_offered",
                    "offers_answered",
                    "service_level",
                    "average_speed_of_answer_s",
                    "longest_wait_s",
                    "abandonment_rate",
                    "average_abandon_time_s",
                    "average_handle_time_s",
                    "average_talk_time_s",
                    "average_hold_time_s",
                    "average_acw_s",
                    "transfer_rate",
                    "contacts_blocked",
                    "contacts_received",
                    "contacts_handled",
                    "self_service_rate",
                    "handle_time_per_contact_s",
                    "first_contact_resolution",
                    "repeat_contact_rate",
                    "outbound_connect_rate",
                    "outbound_conversion_rate",
                    "outbound_targets_reached",
                ]
            ),
            "interval_service_level": "service_level",
        },
        {"center": "", "queue": "queue"},
    ),
    "intervals": Family(
        "kpi_operational",
        _same(
            [
                "forecast_accuracy",
                "aht_forecast_accuracy",
                "required_agent_hours",
                "scheduled_agent_hours",
                "understaffed_interval_share",
            ]
        ),
        {"center": "", "site": "site"},
    ),
    # The forecast KPIs at queue scope too: a queue's day with forecasts but no offer keeps its forecast error for
    # the week roll-up (docs/semantic-layer.md); the staffing KPIs have no queue rows.
    "forecasts_by_queue": Family(
        "kpi_operational",
        _same(["forecast_accuracy", "aht_forecast_accuracy"]),
        {"queue": "queue"},
    ),
    "experience": Family(
        "kpi_experience",
        _same(
            [
                "csat",
                "csat_mean",
                "nps",
                "customer_effort_score",
                "ces_easy_share",
                "survey_response_rate",
                "customer_reported_resolution",
                "net_sentiment",
                "sentiment_mean",
                "complaints",
                "complaint_resolution_time_h",
                "complaint_resolution_satisfaction",
                "complaints_per_1000_contacts",
            ]
        ),
        {"center": "", "site": "site"},
    ),
    "team": Family(
        "kpi_team",
        _same(
            [
                "occupancy",
                "utilization",
                "schedule_adherence",
                "schedule_conformance",
                "shrinkage",
                "planned_shrinkage",
                "unplanned_shrinkage",
                "quality_score",
            ]
        ),
        {"center": "", "team": "team"},
    ),
    "compliance": Family(
        "kpi_compliance",
        _same(
            [
                "compliance_item_pass_rate",
                "critical_error_rate",
                "process_adherence_rate",
                "qa_coverage",
                "evaluations_per_agent",
            ]
        ),
        {"center": "", "site": "site"},
        ("week", "month"),  # kpi_compliance has no day grain
    ),
}


@dataclass(frozen=True)
class SemanticLayer:
    """A parsed copy of the project and a private copy of the warehouse that `mf` can query."""

    project: Path
    db: Path

    def env(self, db: Path | None = None) -> dict[str, str]:
        return dict(dbt_env(self.project / "landing", db or self.db), DBT_PROJECT_DIR=str(self.project))

    def query(self, metrics: list[str], group_by: list[str], out: Path, db: Path | None = None) -> pd.DataFrame:
        """One `mf query` for several metrics (one process per call is the expensive part). mf opens the file
        read-write, so concurrent queries need one copy each (`db`, a copy with the same file name)."""
        cmd = [
            str(BIN / "mf"),
            "query",
            "--metrics",
            ",".join(metrics),
            "--group-by",
            ",".join(group_by),
            "--csv",
            str(out),
            "--quiet",
        ]
        proc = subprocess.run(cmd, cwd=self.project, env=self.env(db), capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not out.exists():
            raise AssertionError(f"{' '.join(cmd)} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
        return pd.read_csv(out, keep_default_na=True)


@pytest.fixture(scope="module")
def semantic(warehouse: Warehouse, tmp_path_factory) -> SemanticLayer:
    root = tmp_path_factory.mktemp("semantic")
    project = root / "project"
    project.mkdir()
    for entry in PROJECT_ENTRIES:
        (project / entry).symlink_to(settings.PROJECT_DIR / entry)
    db = root / "warehouse.duckdb"
    shutil.copyfile(warehouse.db, db)
    layer = SemanticLayer(project, db)
    run_checked(
        [str(BIN / "dbt"), "parse", "--project-dir", str(project), "--log-path", str(root / "logs")], layer.env()
    )
    assert (project / "target" / "semantic_manifest.json").exists()
    return layer


def kpi_rows(db: Path, family: Family, grain: str, scope_type: str) -> pd.DataFrame:
    """The published rows (breakdown 'all') of the family's KPIs at one grain and scope."""
    kpis = sorted(set(family.metrics.values()))
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            f"""
            select kpi_name, period_start, scope_id, value
            from marts.{family.table}
            where period_grain = ? and scope_type = ? and breakdown_type = 'all'
                and kpi_name in ({", ".join("?" for _ in kpis)})
            """,
            [grain, scope_type, *kpis],
        ).df()


def mismatches(family: Family, grain: str, scope_type: str, kpi: pd.DataFrame, mf: pd.DataFrame) -> list[str]:
    """Every KPI row whose metric value differs, is missing, or a non-null metric value with no KPI row."""
    time_column, scope_column = f"metric_time__{grain}", family.scopes[scope_type]
    if scope_column:  # rows without the scope (e.g. outbound segments without a queue) count at the center only
        mf = mf[mf[scope_column].notna()]
    mf = mf.assign(
        period_start=pd.to_datetime(mf[time_column]).dt.date,
        scope_id=mf[scope_column].astype(str) if scope_column else "all",
    )
    by_key = mf.set_index(["period_start", "scope_id"])
    if not by_key.index.is_unique:
        return [f"{grain}/{scope_type}: mf returned duplicate rows"]
    kpi = kpi.assign(period_start=pd.to_datetime(kpi["period_start"]).dt.date)
    problems: list[str] = []
    for metric, kpi_name in family.metrics.items():
        published = kpi[kpi["kpi_name"] == kpi_name].set_index(["period_start", "scope_id"])["value"]
        if published.empty:
            problems.append(f"{kpi_name} {grain}/{scope_type}: no KPI rows to compare")
            continue
        answered = by_key[metric]
        for key, value in published.items():
            got = answered.get(key)
            if got is None or pd.isna(got) or not math.isclose(got, value, rel_tol=TOLERANCE, abs_tol=TOLERANCE):
                problems.append(f"{metric} {grain}/{scope_type} {key}: kpi {value!r}, mf {got!r}")
        extra = answered.dropna()
        extra = extra[(extra != 0) & ~extra.index.isin(published.index)]
        problems += [
            f"{metric} {grain}/{scope_type} {key}: mf {value!r} but no KPI row" for key, value in extra.items()
        ]
    return problems


@pytest.fixture(scope="module")
def answers(semantic: SemanticLayer, tmp_path_factory) -> dict[tuple[str, str], pd.DataFrame]:
    """Every (grain, group-by) any family needs, one `mf query` each with the metrics of all families that need it
    (about ten calls; two at a time, as each mostly waits on dbt's start-up)."""
    wanted: dict[tuple[str, str], list[str]] = {}
    for family in FAMILIES.values():
        for grain in family.grains:
            for group_by in family.scopes.values():
                wanted.setdefault((grain, group_by), []).extend(family.metrics)
    out = tmp_path_factory.mktemp("answers")
    # a second copy of the warehouse (same file name: the manifest names the database after it) for the second worker
    free: Queue[Path] = Queue()
    free.put(semantic.db)
    free.put(shutil.copyfile(semantic.db, tmp_path_factory.mktemp("second") / semantic.db.name))

    def ask(key: tuple[str, str]) -> pd.DataFrame:
        grain, group_by = key
        db = free.get()
        try:
            return semantic.query(
                sorted(set(wanted[key])),
                [f"metric_time__{grain}", *([group_by] if group_by else [])],
                out / f"{grain}_{group_by or 'center'}.csv",
                db,
            )
        finally:
            free.put(db)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(wanted, pool.map(ask, wanted), strict=True))


@pytest.mark.parametrize("family_name", sorted(FAMILIES))
def test_metrics_agree_with_kpi_tables(semantic: SemanticLayer, answers, family_name: str) -> None:
    family = FAMILIES[family_name]
    problems: list[str] = []
    for grain in family.grains:
        for scope_type, group_by in family.scopes.items():
            kpi = kpi_rows(semantic.db, family, grain, scope_type)
            problems += mismatches(family, grain, scope_type, kpi, answers[(grain, group_by)])
    assert not problems, f"{len(problems)} differences, first: " + "\n".join(problems[:20])


def test_weeks_start_on_monday(answers) -> None:
    """metric_time__week is the ISO week (Monday) of the local date, as period_start of the KPI tables."""
    # (rows of measures whose own date is null, e.g. never-connected segments' handle time, have no metric_time)
    weeks = pd.to_datetime(answers[("week", "")]["metric_time__week"]).dropna()
    assert len(weeks) > 10 and (weeks.dt.dayofweek == 0).all()


# name -> the date standing in for current_date, its grain and scope, and KPIs it returns by table (the test data lie
# in the past, so the saved query's SQL is run with "today" set inside them)
SAVED_QUERIES = {
    "yesterday_by_queue": (
        "day",
        "queue",
        {
            "kpi_operational": [
                "contacts_offered",
                "service_level",
                "average_speed_of_answer_s",
                "abandonment_rate",
                "average_handle_time_s",
                "transfer_rate",
                "longest_wait_s",
            ],
            "kpi_experience": ["csat"],
        },
    ),
    "last_4_weeks_by_site": (
        "week",
        "site",
        {
            "kpi_operational": ["service_level", "average_handle_time_s", "first_contact_resolution"],
            "kpi_experience": ["csat", "nps"],
            "kpi_team": ["occupancy", "schedule_adherence", "shrinkage"],
            "kpi_compliance": ["qa_coverage", "compliance_item_pass_rate"],
        },
    ),
    "this_month_by_team": (
        "month",
        "team",
        {
            "kpi_team": [
                "occupancy",
                "utilization",
                "schedule_adherence",
                "schedule_conformance",
                "shrinkage",
                "quality_score",
            ],
            "kpi_compliance": ["compliance_item_pass_rate", "critical_error_rate"],
        },
    ),
}
SAVED_QUERY_TODAY = "2026-04-15"


@pytest.mark.parametrize("name", sorted(SAVED_QUERIES))
def test_saved_query_agrees_with_kpi_tables(semantic: SemanticLayer, name: str) -> None:
    """A headline saved query, run with today = SAVED_QUERY_TODAY, returns the KPI tables' rows of its periods."""
    grain, scope_type, tables = SAVED_QUERIES[name]
    cmd = [str(BIN / "mf"), "query", "--saved-query", name, "--explain", "--quiet"]
    proc = subprocess.run(cmd, cwd=semantic.project, env=semantic.env(), capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and "select" in proc.stdout.lower(), f"{name}: {proc.stdout[-3000:]}{proc.stderr}"
    sql = re.sub(r"\bcurrent_date\b", f"date '{SAVED_QUERY_TODAY}'", proc.stdout, flags=re.IGNORECASE)
    with duckdb.connect(str(semantic.db), read_only=True) as con:
        answer = con.sql(sql).df()
    periods = set(pd.to_datetime(answer[f"metric_time__{grain}"]).dt.date)
    assert periods, f"{name} returned no rows for today = {SAVED_QUERY_TODAY}"
    problems: list[str] = []
    for table, kpis in tables.items():
        family = Family(table, _same(kpis), {scope_type: scope_type}, (grain,))
        kpi = kpi_rows(semantic.db, family, grain, scope_type)
        kpi = kpi[pd.to_datetime(kpi["period_start"]).dt.date.isin(periods)]
        problems += mismatches(family, grain, scope_type, kpi, answer)
    assert not problems, f"{name}: {len(problems)} differences, first: " + "\n".join(problems[:20])


def test_validate_configs(semantic: SemanticLayer) -> None:
    """`mf validate-configs` (semantic rules and every measure, dimension and metric against the warehouse)."""
    proc = subprocess.run(
        [str(BIN / "mf"), "validate-configs"],
        cwd=semantic.project,
        env=semantic.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    counts = re.findall(r"ERRORS: (\d+)", proc.stdout)
    assert proc.returncode == 0 and counts and all(count == "0" for count in counts), (
        proc.stdout[-4000:] + proc.stderr[-2000:]
    )
