"""Compliance KPIs recomputed independently from the landing files with pandas and compared with the warehouse.

The expectation is written from the KPI catalogue (Compliance, Conventions) and the project's documented choices
(docs/kpi-definitions.md, Compliance; docs/decisions/compliance.md), not from the SQL: segments, evaluations, items,
follow-ups, plans and customers are read from the landing files (landing_reader), local dates come from Python's
zoneinfo, HR versions are rebuilt from the raw daily extracts (recompute.py), and each customer's CRM segment as
of an instant is read straight from the raw daily extracts. Every row of the four input models
(`int_kpi_compliance__quality_days`, `int_kpi_compliance__follow_up_days`, `int_kpi_compliance__plan_days`,
`int_kpi_compliance__evaluation_periods`) must match (same keys, numerator and denominator within 1e-9 relative,
same sample size); then every row of `kpi_compliance` must match the week and month roll-up of the recomputed
rows, including `baseline_value`, recomputed here by walking each series in Python.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from landing_reader import read_current, read_raw
from recompute import (
    KEY,
    PERIOD_KEY,
    History,
    clean,
    compare,
    cut_days_after_data_end,
    data_ranges,
    employee_versions,
    expand,
    flag_complete_periods,
    local_date,
    period_start,
    seed,
    site_zones,
)

WINDOWS = {"week": 8, "month": 3}
AGENT_SCOPES = (("center", None), ("site", "site_id"), ("team", "team_id"), ("agent", "agent_id"))


class Versions:
    """HR versions by instant (valid_from <= t < valid_to, else the earliest version) and by local date."""

    def __init__(self, versions: pd.DataFrame):
        self.history = History(versions)
        self.by_employee = {
            k: g.sort_values("valid_from").to_dict("records") for k, g in versions.groupby("employee_id")
        }

    def at_instant(self, employee_id, ts: pd.Timestamp) -> dict | None:
        rows = self.by_employee.get(employee_id, [])
        for v in rows:
            if v["valid_from"] <= ts and (pd.isna(v["valid_to"]) or ts < v["valid_to"]):
                return v
        return rows[0] if rows and ts < rows[0]["valid_from"] else None

    def on_date(self, employee_id, day: dt.date) -> dict | None:
        return self.history.as_of(employee_id, day)


@pytest.fixture(scope="module")
def sources(warehouse):
    """Everything the recomputation needs, read once from the landing files."""
    landing: Path = warehouse.landing
    versions = Versions(employee_versions(landing))
    zones = site_zones()
    queues = seed("queues")
    queue_site = dict(zip(queues.queue_id, queues.site_id))
    segments = read_current(landing, "acd/contact_segments")
    sites = []
    for queue_id, agent_id, initiated in segments[["queue_id", "agent_id", "initiated_at"]].itertuples(index=False):
        site = queue_site.get(queue_id)
        if site is None and agent_id is not None:
            v = versions.at_instant(agent_id, initiated)
            site = v["site_id"] if v else None
        sites.append(site)
    segments["site_id"] = sites
    segments["zone"] = [zones.get(s) for s in sites]
    return landing, versions, zones, segments


def team_on(versions: Versions, agent_id, day) -> str | None:
    v = versions.on_date(agent_id, day) if agent_id is not None else None
    return v["team_id"] if v else None


def evaluations_frame(landing: Path, versions: Versions, segments: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Evaluations of staged segments, dated by the segment (connected, else initiated, in its site's zone)."""
    evaluations = read_current(landing, "qa/evaluations")
    seg = segments.set_index("segment_id")
    evaluations = evaluations[evaluations.segment_id.isin(seg.index)].copy()
    dates, sites = [], []
    for segment_id in evaluations.segment_id:
        s = seg.loc[segment_id]
        when = s.connected_at if pd.notna(s.connected_at) else s.initiated_at
        dates.append(local_date(when, s.zone))
        sites.append(s.site_id)
    evaluations["local_date"], evaluations["site_id"] = dates, sites
    evaluations["team_id"] = [team_on(versions, a, d) for a, d in zip(evaluations.agent_id, evaluations.local_date)]
    items = read_current(landing, "qa/evaluation_items")
    items["section"] = clean(items["section"])
    items = items[items.evaluation_id.isin(set(evaluations.evaluation_id))]
    return evaluations, items


def handled_frame(versions: Versions, segments: pd.DataFrame) -> pd.DataFrame:
    handled = segments[segments.connected_at.notna()].copy()
    handled["local_date"] = [local_date(c, z) for c, z in zip(handled.connected_at, handled.zone)]
    handled["team_id"] = [team_on(versions, a, d) for a, d in zip(handled.agent_id, handled.local_date)]
    return handled


def row(kpi, day, site, team, agent, num, den, n, breakdown=("all", "all")) -> dict:
    return {
        "kpi_name": kpi,
        "local_date": day,
        "site_id": site,
        "team_id": team,
        "agent_id": agent,
        "breakdown_type": breakdown[0],
        "breakdown_id": breakdown[1],
        "numerator": num,
        "denominator": den,
        "sample_size": n,
    }


def passed_share(kpi: str, where: tuple, items: pd.DataFrame) -> dict:
    """A pass-rate row of one evaluation: items passed over items evaluated."""
    return row(kpi, *where, float((items.passed == True).sum()), float(len(items)), len(items))  # noqa: E712


def expected_quality(landing, versions, segments) -> pd.DataFrame:
    evaluations, items = evaluations_frame(landing, versions, segments)
    ev = evaluations.set_index("evaluation_id")
    rows = []
    for evaluation_id, group in items.groupby("evaluation_id"):
        e = ev.loc[evaluation_id]
        where = (e.local_date, e.site_id, e.team_id, e.agent_id)
        evaluated = group[group.passed.notna()]
        compliance = evaluated[evaluated.is_compliance_item == True]  # noqa: E712
        process = evaluated[evaluated.section == "process"]
        if len(compliance):
            rows.append(passed_share("compliance_item_pass_rate", where, compliance))
            for item in compliance.itertuples(index=False):
                rows.append(
                    row(
                        "compliance_item_pass_rate",
                        *where,
                        float(item.passed is True),
                        1.0,
                        1,
                        ("compliance_item", item.item_id),
                    )
                )
        if len(evaluated):
            failed = ((evaluated.is_critical == True) & (evaluated.passed == False)).any()  # noqa: E712
            rows.append(row("critical_error_rate", *where, float(failed), 1.0, 1))
        if len(process):
            rows.append(passed_share("process_adherence_rate", where, process))
    for e in evaluations.itertuples(index=False):
        rows.append(row("qa_coverage", e.local_date, e.site_id, e.team_id, e.agent_id, 1.0, 0.0, 0))
    for h in handled_frame(versions, segments).itertuples(index=False):
        rows.append(row("qa_coverage", h.local_date, h.site_id, h.team_id, h.agent_id, 0.0, 1.0, 1))
    expected = expand(pd.DataFrame(rows), AGENT_SCOPES)
    return expected[(expected.sample_size > 0) | (expected.numerator != 0)]


def key_account_segment(landing: Path):
    """The customer's CRM segment as of an instant: the latest raw extract at or before it, else the earliest."""
    raw = read_raw(landing, "crm/customers").sort_values(["customer_id", "_extracted_at", "_file"], kind="mergesort")
    raw = raw.drop_duplicates(["customer_id", "_extracted_at"], keep="last")
    raw["segment"] = clean(raw["segment"])
    by_customer = {k: (g["_extracted_at"].to_numpy(), g["segment"].to_list()) for k, g in raw.groupby("customer_id")}

    def segment_at(customer_id, ts: pd.Timestamp) -> str | None:
        if customer_id not in by_customer:
            return None
        times, segments = by_customer[customer_id]
        idx = int(np.searchsorted(times, np.datetime64(ts), side="right")) - 1
        return segments[max(idx, 0)]

    return segment_at


def expected_follow_ups(landing, versions, zones) -> pd.DataFrame:
    follow_ups = read_current(landing, "crm/follow_ups")
    follow_ups["follow_up_type"] = clean(follow_ups["follow_up_type"])
    as_of = follow_ups["_extracted_at"].max()
    segment_at = key_account_segment(landing)
    rows = []
    for f in follow_ups[follow_ups.due_at <= as_of].itertuples(index=False):
        owner = f.owner_agent_id
        zone_version = versions.on_date(owner, f.due_at.date()) if owner is not None else None
        day = local_date(f.due_at, zones.get(zone_version["site_id"]) if zone_version else None)
        v = versions.on_date(owner, day) if owner is not None else None
        where = (day, v["site_id"] if v else None, v["team_id"] if v else None, owner)
        completed = pd.notna(f.completed_at)
        on_time = completed and f.completed_at <= f.due_at
        if f.follow_up_type == "feedback_reply":
            rows.append(row("feedback_timeliness_rate", *where, float(on_time), 1.0, 1))
        elif f.follow_up_type == "info_handoff":
            rows.append(row("handoff_timeliness_rate", *where, float(on_time), 1.0, 1))
        elif f.follow_up_type == "customer_callback":
            rows.append(row("callback_completion_rate", *where, float(completed), 1.0, 1))
            if completed and segment_at(f.customer_id, f.due_at) == "key_account":
                rows.append(row("key_account_callbacks", *where, 1.0, np.nan, 1))
    expected = expand(pd.DataFrame(rows), AGENT_SCOPES)
    return expected[expected.sample_size > 0]


def expected_plans(landing, zones) -> pd.DataFrame:
    plans = read_current(landing, "ops/plan_items")
    plans["plan_type"] = clean(plans["plan_type"])
    as_of = plans["_extracted_at"].max()
    rows = []
    for p in plans.itertuples(index=False):
        if not p.due_date < local_date(as_of, zones.get(p.site_id)):
            continue
        done = 0.0 if pd.isna(p.completed_qty) else float(p.completed_qty)
        on_time = p.completed_date is not None and not pd.isna(p.completed_date) and p.completed_date <= p.due_date
        for breakdown in (("all", "all"), ("plan_type", p.plan_type)):
            rows.append(
                row("plan_completion_rate", p.due_date, p.site_id, None, None, done, float(p.target_qty), 1, breakdown)
            )
            rows.append(row("plan_on_time_share", p.due_date, p.site_id, None, None, float(on_time), 1.0, 1, breakdown))
    expected = expand(pd.DataFrame(rows), AGENT_SCOPES[:2])
    return expected[expected.sample_size > 0]


def expected_periods(landing, versions, segments) -> pd.DataFrame:
    evaluations, _ = evaluations_frame(landing, versions, segments)
    handled = handled_frame(versions, segments)
    handled = handled[handled.agent_id.notna()]
    out = []
    for grain in ("week", "month"):
        for scope_type, col in AGENT_SCOPES:
            ev, ha = evaluations.copy(), handled.copy()
            for frame in (ev, ha):
                frame["scope_id"] = "all" if col is None else frame[col]
                frame["period_start"] = [period_start(d, grain) for d in frame.local_date]
            ev, ha = ev[ev.scope_id.notna()], ha[ha.scope_id.notna()]
            agents = ha.groupby(["period_start", "scope_id"]).agent_id.nunique().rename("denominator")
            counts = ev.groupby(["period_start", "scope_id"]).size().rename("numerator")
            g = pd.concat([agents, counts], axis=1).reset_index()
            g = g[g.denominator.notna() & (g.denominator > 0)]
            g["numerator"] = g["numerator"].fillna(0.0)
            out.append(g.assign(period_grain=grain, scope_type=scope_type))
    expected = pd.concat(out, ignore_index=True)
    expected["kpi_name"], expected["breakdown_type"], expected["breakdown_id"] = "evaluations_per_agent", "all", "all"
    expected["sample_size"] = expected["denominator"].astype("int64")
    return expected


@pytest.fixture(scope="module")
def expected(sources):
    landing, versions, zones, segments = sources
    return {
        "quality": expected_quality(landing, versions, segments),
        "follow_ups": expected_follow_ups(landing, versions, zones),
        "plans": expected_plans(landing, zones),
        "periods": expected_periods(landing, versions, segments),
    }


DAILY_MODELS = {
    "quality": "int_kpi_compliance__quality_days",
    "follow_ups": "int_kpi_compliance__follow_up_days",
    "plans": "int_kpi_compliance__plan_days",
}


@pytest.mark.parametrize("part", list(DAILY_MODELS))
def test_daily_inputs_match(warehouse, expected, part):
    actual = warehouse.frame(f"select * from intermediate.{DAILY_MODELS[part]}")
    assert len(actual) > 0
    compare(expected[part], actual, KEY)


def test_evaluations_per_agent_periods_match(warehouse, expected):
    actual = warehouse.frame("select * from intermediate.int_kpi_compliance__evaluation_periods")
    compare(expected["periods"], actual, PERIOD_KEY)
    assert np.allclose(actual.value, actual.numerator / actual.denominator)


def baselines(rows: pd.DataFrame) -> dict[tuple, float]:
    """baseline_value per row key: walk each series in period order; the first N complete periods with a
    non-zero denominator form the window; the rows after its last period get Σ num / Σ den (counts: mean)."""
    out: dict[tuple, float] = {}
    series_cols = [c for c in PERIOD_KEY if c != "period_start"]
    for series, group in rows.sort_values("period_start").groupby(series_cols, sort=False):
        n = WINDOWS[series[1]]
        window = []
        for r in group.itertuples(index=False):
            if r.is_complete and r.base_den != 0 and len(window) < n:
                window.append(r)
        if len(window) < n:
            continue
        value = sum(r.base_num for r in window) / sum(r.base_den for r in window)
        for r in group.itertuples(index=False):
            if r.period_start > window[-1].period_start:
                out[tuple(getattr(r, c) for c in PERIOD_KEY)] = value
    return out


def compliance_data_ranges(warehouse, sources) -> tuple[dict, dict]:
    """The data's range per scope from the landing's segments, and the site of each team and agent (their current
    site, as for targets)."""
    _, _, _, segments = sources
    scope_sites = warehouse.frame(
        "select 'team' as scope_type, team_id as scope_id, site_id from staging.stg_hr__teams "
        "union all select 'agent', employee_id, site_id from marts.dim_agents where is_current"
    )
    sites = {(r.scope_type, r.scope_id): r.site_id for r in scope_sites.itertuples()}
    return data_ranges(segments["site_id"], segments["initiated_at"]), sites


def test_kpi_compliance_rows_and_baselines(warehouse, sources, expected):
    """Every published row = the week/month roll-up of the independently recomputed inputs, with its baseline."""
    definitions = seed("kpi_definitions")
    aggregation = dict(zip(definitions.kpi_name, definitions.aggregation))
    daily = pd.concat([expected["quality"], expected["follow_ups"], expected["plans"]], ignore_index=True)
    ranges, sites = compliance_data_ranges(warehouse, sources)
    daily = cut_days_after_data_end(daily, ranges, sites)
    frames = []
    for grain in ("week", "month"):
        d = daily.assign(period_grain=grain, period_start=[period_start(x, grain) for x in daily.local_date])
        frames.append(
            d.groupby(PERIOD_KEY, as_index=False).agg(
                numerator=("numerator", lambda x: x.sum(min_count=1)),
                denominator=("denominator", lambda x: x.sum(min_count=1)),
                sample_size=("sample_size", "sum"),
            )
        )
    rolled = pd.concat(frames + [expected["periods"]], ignore_index=True)
    rolled["aggregation"] = rolled.kpi_name.map(aggregation)
    no_denominator = (rolled.aggregation == "ratio") & (rolled.denominator.fillna(0) == 0)
    rolled = rolled[(rolled.sample_size > 0) & ~no_denominator]
    is_ratio = rolled.aggregation.isin(["ratio", "none"])
    rolled["value"] = np.where(is_ratio, rolled.numerator / rolled.denominator, rolled.numerator)
    rolled["base_num"] = np.where(is_ratio, rolled.numerator, rolled.value)
    rolled["base_den"] = np.where(is_ratio, rolled.denominator, 1.0)
    rolled["numerator"] = rolled.numerator.where(is_ratio)
    rolled["denominator"] = rolled.denominator.where(is_ratio)
    rolled = flag_complete_periods(rolled, ranges, sites)
    found = baselines(rolled)
    rolled["baseline_value"] = [found.get(tuple(r), np.nan) for r in rolled[PERIOD_KEY].itertuples(index=False)]

    actual = warehouse.frame("select * from marts.kpi_compliance")
    actual["period_start"] = pd.to_datetime(actual["period_start"]).dt.date
    assert set(actual.period_grain) == {"week", "month"}
    merged = rolled.merge(actual, on=PERIOD_KEY, how="outer", suffixes=("_exp", "_act"), indicator=True)
    missing = merged[merged["_merge"] != "both"]
    assert missing.empty, f"{len(missing)} keys differ:\n{missing[PERIOD_KEY + ['_merge']].head(20)}"
    for col in ("numerator", "denominator", "value", "baseline_value"):
        e, a = merged[f"{col}_exp"].astype(float), merged[f"{col}_act"].astype(float)
        ok = np.isclose(e, a, rtol=1e-9, atol=1e-12) | (e.isna() & a.isna())
        assert ok.all(), f"{col} differs:\n{merged.loc[~ok, PERIOD_KEY + [f'{col}_exp', f'{col}_act']].head(20)}"
    assert (merged.is_complete_exp.astype(bool) == merged.is_complete_act.astype(bool)).all()
    assert (merged.sample_size_exp.astype("int64") == merged.sample_size_act.astype("int64")).all()
    # the test data has baselines at every scope type, and none on plans (fewer than 8 weeks / 3 complete months)
    with_baseline = actual[actual.baseline_value.notna()]
    assert set(with_baseline.scope_type) == {"center", "site", "team", "agent"}
    assert not with_baseline.kpi_name.str.startswith("plan_").any()


def test_compliance_rows_scopes_and_plans(warehouse):
    """Plans have no team or agent rows; no compliance row is daily or carries a currency."""
    bad = warehouse.query(
        "select count(*) from marts.kpi_compliance where (kpi_name like 'plan_%' and scope_type in ('team', 'agent')) "
        "or period_grain = 'day' or currency is not null"
    )
    assert bad == [(0,)]


def test_agents_under_the_qa_minimum_sample(warehouse, sources):
    """rpt_qa_agents_under_min_sample: agents who handled segments in a week (month) with fewer than 1 (4)
    evaluations, with their handled segments, evaluations and the shortfall (the default vars)."""
    landing, versions, zones, segments = sources
    evaluations, _ = evaluations_frame(landing, versions, segments)
    handled = handled_frame(versions, segments)
    handled = handled[handled.agent_id.notna()]
    rows = []
    for grain, minimum in (("week", 1), ("month", 4)):
        h = handled.assign(period_start=[period_start(d, grain) for d in handled.local_date])
        e = evaluations[evaluations.agent_id.notna()]
        e = e.assign(period_start=[period_start(d, grain) for d in e.local_date])
        counts = e.groupby(["agent_id", "period_start"]).size()
        for (agent_id, start), group in h.groupby(["agent_id", "period_start"]):
            n = int(counts.get((agent_id, start), 0))
            if n < minimum:
                last = group.sort_values("local_date").iloc[-1]
                rows.append(
                    {
                        "period_grain": grain,
                        "period_start": start,
                        "agent_id": agent_id,
                        "handled_segments": len(group),
                        "evaluations": n,
                        "evaluations_missing": minimum - n,
                        "team_id": last.team_id,
                    }
                )
    expected = pd.DataFrame(rows)
    actual = warehouse.frame("select * from marts.rpt_qa_agents_under_min_sample")
    actual["period_start"] = pd.to_datetime(actual["period_start"]).dt.date
    key = ["period_grain", "period_start", "agent_id"]
    merged = expected.merge(actual, on=key, how="outer", suffixes=("_exp", "_act"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"][key + ["_merge"]].head(20)
    assert len(merged) > 0
    for col in ("handled_segments", "evaluations", "evaluations_missing", "team_id"):
        e, a = merged[f"{col}_exp"], merged[f"{col}_act"]
        bad = ~((e == a) | (e.isna() & a.isna()))
        assert not bad.any(), merged.loc[bad, key + [f"{col}_exp", f"{col}_act"]].head(20)
