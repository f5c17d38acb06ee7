"""Every row of the published KPI tables, recomputed in pandas from their daily and period inputs.

The family modules (test_kpi_operational_*.py, test_kpi_team.py) recompute the daily and period input models
independently from the landing files and compare them row by row. This module closes the chain: it rolls those
inputs up to day, ISO week and month in pandas, by each KPI's aggregation in seeds/kpi_definitions.csv, resolves
targets from seeds/kpi_targets.csv (own scope, else site, else center, valid on period_start), and compares
every row and column of kpi_operational and kpi_team with what the shared SQL macros published. The data end and
is_complete come from the landing's segments (recompute.data_ranges), not from the warehouse.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from recompute import PERIOD_KEY as KEY
from recompute import cut_days_after_data_end, data_ranges, flag_complete_periods, load_segments, period_start, seed

DAILY_COLUMNS = (
    "kpi_name, local_date, scope_type, scope_id, breakdown_type, breakdown_id, "
    "numerator, denominator, sample_size, currency"
)
PERIOD_COLUMNS = (
    "kpi_name, period_grain, period_start, scope_type, scope_id, breakdown_type, breakdown_id, "
    "numerator, denominator, value, sample_size, currency"
)

FAMILIES = {
    "kpi_operational": {
        "daily": [
            "int_kpi_operational__contact_days",
            "int_kpi_operational__queue_days",
            "int_kpi_operational__interval_days",
            "int_kpi_operational__downtime_days",
        ],
        "periods": ["int_kpi_operational__volume_and_cost_periods"],
        "scope_sites": "select 'queue' as scope_type, queue_id as scope_id, site_id from reference.queues "
        "union all select 'team', team_id, site_id from staging.stg_hr__teams "
        "union all select 'agent', employee_id, site_id from marts.dim_agents where is_current",
    },
    "kpi_team": {
        "daily": ["int_kpi_team__agent_time_days", "int_kpi_team__people_days"],
        "periods": ["int_kpi_team__engagement_periods"],
        "scope_sites": "select 'team' as scope_type, team_id as scope_id, site_id from staging.stg_hr__teams "
        "union all select 'agent', employee_id, site_id from marts.dim_agents where is_current",
    },
    "kpi_experience": {
        "daily": [
            "int_kpi_experience__survey_days",
            "int_kpi_experience__complaint_days",
            "int_kpi_experience__contact_reason_days",
            "int_kpi_experience__next_best_action_days",
            "int_kpi_experience__key_account_churn_days",
        ],
        "periods": ["int_kpi_experience__customer_value_periods"],
        "scope_sites": "select 'queue' as scope_type, queue_id as scope_id, site_id from reference.queues",
    },
    "kpi_compliance": {
        "daily": [
            "int_kpi_compliance__quality_days",
            "int_kpi_compliance__follow_up_days",
            "int_kpi_compliance__plan_days",
        ],
        "periods": ["int_kpi_compliance__evaluation_periods"],
        "scope_sites": "select 'team' as scope_type, team_id as scope_id, site_id from staging.stg_hr__teams "
        "union all select 'agent', employee_id, site_id from marts.dim_agents where is_current",
        "grains": ("week", "month"),
        "baseline": {"week": 8, "month": 3},
    },
}


def roll_up(
    daily: pd.DataFrame, definitions: pd.DataFrame, grains: tuple[str, ...] = ("day", "week", "month")
) -> pd.DataFrame:
    """Day, week and month rows by aggregation: ratio/sum add up, max takes the max, last the final day."""
    daily = daily.merge(definitions[["kpi_name", "aggregation"]], on="kpi_name", how="left")
    daily = daily[daily["aggregation"] != "none"]
    frames = []
    for grain in grains:
        g = daily.copy()
        g["period_grain"] = grain
        g["period_start"] = [period_start(d, grain) for d in g["local_date"]]
        g = g.sort_values("local_date")
        grouped = g.groupby(KEY, dropna=False)
        out = grouped.agg(
            aggregation=("aggregation", "first"),
            num_sum=("numerator", lambda s: s.sum(min_count=1)),
            num_max=("numerator", "max"),
            num_last=("numerator", "last"),
            denominator=("denominator", lambda s: s.sum(min_count=1)),
            sample_sum=("sample_size", "sum"),
            sample_last=("sample_size", "last"),
            currency=("currency", "max"),
        ).reset_index()
        out["numerator"] = np.select(
            [out["aggregation"] == "max", out["aggregation"] == "last"],
            [out["num_max"], out["num_last"]],
            out["num_sum"],
        )
        out["sample_size"] = np.where(out["aggregation"] == "last", out["sample_last"], out["sample_sum"])
        out["value"] = np.nan
        frames.append(out[KEY + ["numerator", "denominator", "value", "sample_size", "currency"]])
    return pd.concat(frames, ignore_index=True)


def resolve_targets(rows: pd.DataFrame, scope_sites: pd.DataFrame) -> pd.DataFrame:
    targets = seed("kpi_targets")
    targets["valid_from"] = pd.to_datetime(targets["valid_from"]).dt.date
    targets["valid_to"] = pd.to_datetime(targets["valid_to"]).dt.date
    sites = {(r.scope_type, r.scope_id): r.site_id for r in scope_sites.itertuples()}
    by_scope: dict[tuple, list] = {}
    for t in targets.itertuples():
        by_scope.setdefault((t.kpi_name, t.scope_type, t.scope_id), []).append(t)

    def valid(kpi, scope_type, scope_id, start):
        for t in by_scope.get((kpi, scope_type, scope_id), []):
            if t.valid_from <= start and (pd.isna(t.valid_to) or start <= t.valid_to):
                return t
        return None

    values, comparisons = [], []
    for r in rows.itertuples():
        site = r.scope_id if r.scope_type == "site" else sites.get((r.scope_type, r.scope_id))
        hit = (
            (valid(r.kpi_name, r.scope_type, r.scope_id, r.period_start) if r.scope_type != "center" else None)
            or (valid(r.kpi_name, "site", site, r.period_start) if site else None)
            or valid(r.kpi_name, "center", "all", r.period_start)
        )
        values.append(hit.target_value if hit else np.nan)
        comparisons.append(hit.comparison if hit else None)
    rows = rows.copy()
    rows["target_value"] = values
    met = [
        None if (pd.isna(t) or pd.isna(v)) else (v >= t if c == ">=" else v <= t)
        for v, t, c in zip(rows["value"], values, comparisons)
    ]
    rows["meets_target"] = met
    return rows


def add_baseline(rows: pd.DataFrame, windows: dict | None) -> pd.DataFrame:
    """Compliance baseline: per series, Σ base numerator / Σ base denominator (counts: value / 1 per period) over
    the first N complete periods (is_complete) with a non-zero denominator, on the rows after them."""
    rows = rows.copy()
    rows["baseline_value"] = np.nan
    if not windows:
        return rows
    series = [c for c in KEY if c != "period_start"]
    complete = rows["is_complete"] & (rows["base_denominator"] != 0) & rows["base_denominator"].notna()
    c = rows[complete].sort_values("period_start")
    c = c[c.groupby(series).cumcount() < c["period_grain"].map(windows)]
    w = c.groupby(series, as_index=False).agg(
        n=("period_start", "size"),
        window_end=("period_start", "max"),
        num=("base_numerator", "sum"),
        den=("base_denominator", "sum"),
    )
    w = w[w["n"] == w["period_grain"].map(windows)]
    merged = rows.merge(w, on=series, how="left")
    after = merged["window_end"].notna() & (merged["period_start"] > merged["window_end"])
    rows["baseline_value"] = np.where(after, merged["num"] / merged["den"], np.nan)
    return rows


@pytest.fixture(scope="module")
def ranges(warehouse) -> dict:
    """The data's range per site and of the center, from the landing's segments."""
    segments = load_segments(warehouse.landing)
    return data_ranges(segments["site_id"], segments["initiated_at"])


def expected_table(warehouse, table: str, ranges: dict) -> pd.DataFrame:
    spec = FAMILIES[table]
    definitions = seed("kpi_definitions")
    scope_sites = warehouse.frame(spec["scope_sites"])
    sites = {(r.scope_type, r.scope_id): r.site_id for r in scope_sites.itertuples()}
    daily = pd.concat(
        [warehouse.frame(f"select {DAILY_COLUMNS} from intermediate.{m}") for m in spec["daily"]], ignore_index=True
    )
    daily["local_date"] = pd.to_datetime(daily["local_date"]).dt.date
    daily = cut_days_after_data_end(daily, ranges, sites)
    periods = pd.concat(
        [warehouse.frame(f"select {PERIOD_COLUMNS} from intermediate.{m}") for m in spec["periods"]], ignore_index=True
    )
    periods["period_start"] = pd.to_datetime(periods["period_start"]).dt.date
    rows = pd.concat(
        [roll_up(daily, definitions, spec.get("grains", ("day", "week", "month"))), periods], ignore_index=True
    )
    rows = rows.merge(definitions, on="kpi_name", how="left")
    ratio_like = rows["aggregation"].isin(["ratio", "none"])
    rows["value"] = np.select(
        [rows["aggregation"] == "ratio", rows["aggregation"] == "none"],
        [rows["numerator"] / rows["denominator"].replace(0, np.nan), rows["value"]],
        rows["numerator"],
    )
    rows["base_numerator"] = np.where(ratio_like, rows["numerator"], rows["value"])
    rows["base_denominator"] = np.where(ratio_like, rows["denominator"], 1.0)
    rows["numerator"] = rows["numerator"].where(ratio_like)
    rows["denominator"] = rows["denominator"].where(ratio_like)
    ratio_without_denominator = (rows["aggregation"] == "ratio") & (rows["denominator"].fillna(0) == 0)
    rows = rows[(rows["sample_size"] > 0) & ~ratio_without_denominator].copy()
    rows["is_reliable"] = rows["sample_size"] >= rows["min_sample"]
    rows = flag_complete_periods(rows, ranges, sites)
    rows = add_baseline(rows, spec.get("baseline"))
    return resolve_targets(rows, scope_sites)


@pytest.mark.parametrize("table", sorted(FAMILIES))
def test_every_kpi_row_is_the_roll_up_of_its_inputs(warehouse, ranges, table):
    expected = expected_table(warehouse, table, ranges)
    actual = warehouse.frame(f"select * from marts.{table}")
    actual["period_start"] = pd.to_datetime(actual["period_start"]).dt.date
    assert len(actual) > 1000, f"{table} is unexpectedly small"
    merged = expected.merge(actual, on=KEY, how="outer", suffixes=("_exp", "_act"), indicator=True)
    missing = merged[merged["_merge"] != "both"]
    assert missing.empty, f"{len(missing)} keys differ, e.g.\n{missing[KEY + ['_merge']].head(10)}"
    problems = []
    for column in ("numerator", "denominator", "value", "target_value", "baseline_value"):
        e, a = merged[f"{column}_exp"].astype(float), merged[f"{column}_act"].astype(float)
        bad = ~(np.isclose(e, a, rtol=1e-9, atol=1e-9) | (e.isna() & a.isna()))
        problems += [
            f"{column}: {r}"
            for r in merged.loc[bad, KEY + [f"{column}_exp", f"{column}_act"]].head(5).to_dict("records")
        ]
    for column in ("sample_size", "is_reliable", "is_complete", "unit", "aggregation", "currency", "meets_target"):
        e, a = merged[f"{column}_exp"], merged[f"{column}_act"]
        bad = ~((e == a) | (e.isna() & a.isna()))
        problems += [
            f"{column}: {r}"
            for r in merged.loc[bad, KEY + [f"{column}_exp", f"{column}_act"]].head(5).to_dict("records")
        ]
    assert not problems, "\n".join(problems)
    # the test data ends on Monday 4 May 2026 at both sites: its week and month are there, partial
    assert not actual.loc[actual["period_start"] > max(ranges.values())[1], KEY].size
    assert (~actual["is_complete"]).any() and actual["is_complete"].any()


def test_no_kpi_row_starts_after_the_data_end_and_latest_weeks_are_partial(warehouse, ranges):
    """The data (contact segments) ends on Monday 4 May 2026 at both sites: no row of any KPI table starts after
    it, the week of 4 May and May are incomplete, the week of 27 April and April complete."""
    assert {last for _, last in ranges.values()} == {dt.date(2026, 5, 4)}
    for table in FAMILIES:
        rows = warehouse.frame(f"select period_grain, period_start, is_complete from marts.{table}")
        rows["period_start"] = pd.to_datetime(rows["period_start"]).dt.date
        assert rows["period_start"].max() <= dt.date(2026, 5, 4), table
        flags = rows.groupby(["period_grain", "period_start"])["is_complete"].agg(["min", "max"])
        assert (flags["min"] == flags["max"]).all(), f"{table}: one period, complete at one scope, not another"
        expected = {
            ("week", dt.date(2026, 5, 4)): False,
            ("week", dt.date(2026, 4, 27)): True,
            ("month", dt.date(2026, 5, 1)): False,
            ("month", dt.date(2026, 4, 1)): True,
        }
        for key, complete in expected.items():
            if key in flags.index:
                assert bool(flags.loc[key, "min"]) is complete, (table, key)


def test_kpi_tables_cover_their_catalogue_families(warehouse):
    """Each table publishes its family's KPIs and only those (names from the seed kpi_definitions)."""
    definitions = seed("kpi_definitions")
    for table, family in (
        ("kpi_operational", "operational"),
        ("kpi_team", "team"),
        ("kpi_experience", "experience"),
        ("kpi_compliance", "compliance"),
    ):
        published = {r[0] for r in warehouse.query(f"select distinct kpi_name from marts.{table}")}
        defined = set(definitions.loc[definitions["family"] == family, "kpi_name"])
        assert published <= defined
        assert len(published) >= 0.8 * len(defined), sorted(defined - published)
