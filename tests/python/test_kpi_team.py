"""Team KPIs recomputed independently from the landing files with pandas and compared with the team input models.

The expectation is written from the KPI catalogue (Team section, "Agent-state timeline") and the project's
documented choices (docs/kpi-definitions.md, Team), not from the SQL: the agent timeline is cut into elementary
segments at every state, activity and 30-minute boundary with numpy, local dates come from zoneinfo, and HR versions
are rebuilt from the raw daily extracts. Every row of `int_kpi_team__agent_time_days`, `int_kpi_team__people_days` and
`int_kpi_team__engagement_periods` must match (same keys, numerator and denominator within 1e-9 relative, same
sample size).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from landing_reader import read_current
from recompute import KEY, PERIOD_KEY, History, clean, compare, employee_versions, expand, local_date, seed, site_zones

INTERVAL = pd.Timedelta(minutes=30)
ANCHOR = pd.Timestamp("2000-01-03")
MAX_STATE = pd.Timedelta(hours=12)
PRODUCTIVE = ("available", "on_contact", "acw", "outbound_dialing")
PLANNED = ("break", "lunch", "meeting", "training", "coaching", "vacation")
MATCHED = ("break", "lunch", "meeting", "training", "coaching")
SCOPES = (("center", None), ("site", "site_id"), ("team", "team_id"), ("agent", "agent_id"))


def agent_states(landing: Path) -> pd.DataFrame:
    """States with their end: next change, else the row's _extracted_at, at most 12 h; logged_out is no state."""
    changes = read_current(landing, "acd/agent_state_changes")
    changes["state"] = clean(changes["state"])
    changes = changes.sort_values(["agent_id", "state_started_at"])
    changes["next"] = changes.groupby("agent_id")["state_started_at"].shift(-1)
    end = changes["next"].fillna(changes["_extracted_at"])
    changes["end"] = end.where(end <= changes["state_started_at"] + MAX_STATE, changes["state_started_at"] + MAX_STATE)
    states = changes[changes["state"] != "logged_out"]
    return states.rename(columns={"state_started_at": "start"})[["agent_id", "start", "end", "state"]]


def schedule(landing: Path) -> pd.DataFrame:
    """The schedule in force: activities of the latest publication per agent and schedule date."""
    acts = read_current(landing, "wfm/schedule_activities")
    acts["activity"] = clean(acts["activity"])
    latest = acts.groupby(["agent_id", "schedule_date"])["published_at"].transform("max")
    acts = acts[acts["published_at"] == latest]
    return acts.rename(columns={"starts_at": "start", "ends_at": "end"})[["agent_id", "start", "end", "activity"]]


def cover(starts: np.ndarray, ends: np.ndarray, labels: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Label of the (non-overlapping) span covering each point, else None."""
    order = np.argsort(starts)
    starts, ends, labels = starts[order], ends[order], labels[order]
    idx = np.searchsorted(starts, points, side="right") - 1
    out = np.full(len(points), None, dtype=object)
    ok = idx >= 0
    ok[ok] = points[ok] < ends[idx[ok]]
    out[ok] = labels[idx[ok]]
    return out


def elementary_segments(states: pd.DataFrame, acts: pd.DataFrame) -> pd.DataFrame:
    """Per agent: the time line cut at every state, activity and 30-minute boundary; each piece carries its state
    (or None) and scheduled activity (or None) and its duration in seconds."""
    frames = []
    for agent_id in sorted(set(states.agent_id) | set(acts.agent_id)):
        s, a = states[states.agent_id == agent_id], acts[acts.agent_id == agent_id]
        bounds = pd.concat([s.start, s.end, a.start, a.end])
        lo = ANCHOR + ((bounds.min() - ANCHOR) // INTERVAL) * INTERVAL
        grid = pd.date_range(lo, bounds.max() + INTERVAL, freq=INTERVAL)
        points = np.unique(np.concatenate([bounds.values.astype("datetime64[s]"), grid.values.astype("datetime64[s]")]))
        starts, ends = points[:-1], points[1:]
        state = cover(
            s.start.values.astype("datetime64[s]"), s.end.values.astype("datetime64[s]"), s.state.values, starts
        )
        activity = cover(
            a.start.values.astype("datetime64[s]"), a.end.values.astype("datetime64[s]"), a.activity.values, starts
        )
        keep = pd.notna(state) | pd.notna(activity)
        frames.append(
            pd.DataFrame(
                {
                    "agent_id": agent_id,
                    "start": starts[keep],
                    "state": state[keep],
                    "activity": activity[keep],
                    "seconds": (ends[keep] - starts[keep]).astype("int64"),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def localize(frame: pd.DataFrame, history: History, zones: dict[str, str], utc_col: str) -> pd.DataFrame:
    """Local date: in the time zone of the agent's site as of the UTC date; site and team as of the local date."""
    keys = frame[["agent_id", utc_col]].copy()
    keys["utc_date"] = keys[utc_col].dt.date
    out_date, out_site, out_team = [], [], []
    cache: dict = {}
    for agent_id, ts, utc_date in keys.itertuples(index=False):
        version = history.as_of(agent_id, utc_date)
        local = local_date(ts, zones.get(version["site_id"]) if version else None)
        ck = (agent_id, local)
        if ck not in cache:
            v = history.as_of(agent_id, local)
            cache[ck] = (v["site_id"], v["team_id"]) if v else (None, None)
        out_date.append(local)
        out_site.append(cache[ck][0])
        out_team.append(cache[ck][1])
    frame = frame.copy()
    frame["local_date"], frame["site_id"], frame["team_id"] = out_date, out_site, out_team
    return frame


@pytest.fixture(scope="module")
def team_inputs(warehouse):
    landing = warehouse.landing
    versions = employee_versions(landing)
    history = History(versions)
    zones = site_zones()
    states, acts = agent_states(landing), schedule(landing)
    segments = localize(elementary_segments(states, acts), history, zones, "start")
    return landing, versions, history, zones, segments


def agent_day_time(segments: pd.DataFrame) -> pd.DataFrame:
    s = segments
    st, act, sec = s["state"], s["activity"], s["seconds"]
    productive = st.isin(PRODUCTIVE)
    paid = act.notna() & (act != "off")
    adherent = ((act == "open") & productive) | (act.isin(MATCHED) & (st == act))
    cols = {
        "available": sec.where(st == "available", 0),
        "handling": sec.where(st.isin(("on_contact", "acw", "outbound_dialing")), 0),
        "logged_in": sec.where(st.notna(), 0),
        "open": sec.where(act == "open", 0),
        "planned": sec.where(act.isin(PLANNED), 0),
        "paid": sec.where(paid, 0),
        "adh_den": sec.where(paid & (act != "vacation"), 0),
        "adherent": sec.where(adherent, 0),
        "productive_open": sec.where((act == "open") & productive, 0),
    }
    frame = pd.DataFrame(cols).assign(
        agent_id=s.agent_id, local_date=s.local_date, site_id=s.site_id, team_id=s.team_id
    )
    return frame.groupby(["agent_id", "local_date"], as_index=False).agg(
        site_id=("site_id", "first"), team_id=("team_id", "first"), **{c: (c, "sum") for c in cols}
    )


def test_time_kpis_match(warehouse, team_inputs):
    landing, versions, history, zones, segments = team_inputs
    days = agent_day_time(segments)
    rows = []
    for name, num, den in (
        ("occupancy", days.handling, days.handling + days.available),
        ("utilization", days.logged_in, days.paid),
        ("schedule_adherence", days.adherent, days.adh_den),
        ("schedule_conformance", days.available + days.handling, days.open),
        ("shrinkage", days.paid - days.productive_open, days.paid),
        ("planned_shrinkage", days.planned, days.paid),
        ("unplanned_shrinkage", days.open - days.productive_open, days.paid),
    ):
        rows.append(
            days[["agent_id", "local_date", "site_id", "team_id"]].assign(
                kpi_name=name, numerator=num.astype(float), denominator=den.astype(float), sample_size=den
            )
        )

    # absences of agents (role as of the absence date) over paid scheduled hours of the agent-day
    absences = read_current(landing, "hr/absences")
    absences["local_date"] = absences["absence_date"]
    role = [history.as_of(e, d) for e, d in zip(absences.employee_id, absences.absence_date)]
    absences["job_role"] = [v["job_role"] if v else None for v in role]
    absences["site_id"] = [v["site_id"] if v else None for v in role]
    absences["team_id"] = [v["team_id"] if v else None for v in role]
    absences = absences[absences.job_role == "agent"].rename(columns={"employee_id": "agent_id"})
    absences["unauth"] = absences["hours"].where(absences["is_authorised"] == False, 0.0)  # noqa: E712
    absences["unplanned"] = absences["hours"].where(absences["is_planned"] == False, 0.0)  # noqa: E712
    per_day = absences.groupby(["agent_id", "local_date"], as_index=False).agg(
        unauth=("unauth", "sum"),
        unplanned=("unplanned", "sum"),
        a_site=("site_id", "first"),
        a_team=("team_id", "first"),
    )
    ab = days.merge(per_day, on=["agent_id", "local_date"], how="outer")
    ab["site_id"] = ab["site_id"].where(ab["site_id"].notna(), ab["a_site"])
    ab["team_id"] = ab["team_id"].where(ab["team_id"].notna(), ab["a_team"])
    paid_h = ab["paid"].fillna(0) / 3600.0
    for name, col in (("absenteeism", "unauth"), ("unplanned_absence_rate", "unplanned")):
        rows.append(
            ab[["agent_id", "local_date", "site_id", "team_id"]].assign(
                kpi_name=name,
                numerator=ab[col].fillna(0.0),
                denominator=paid_h,
                sample_size=np.ceil(paid_h).astype("int64"),
            )
        )

    # handled segments by connected local date (the segment's site: its queue's, else the agent's) per logged-in hour
    seg = read_current(landing, "acd/contact_segments")
    seg = seg[seg.connected_at.notna() & seg.agent_id.notna()].copy()
    queues = seed("queues")
    queue_site = dict(zip(queues.queue_id, queues.site_id))
    local_dates = []
    for agent_id, queue_id, initiated, connected in seg[
        ["agent_id", "queue_id", "initiated_at", "connected_at"]
    ].itertuples(index=False):
        site = queue_site.get(queue_id)
        if site is None:
            v = history.as_of(agent_id, initiated.date())
            site = v["site_id"] if v else None
        local_dates.append(local_date(connected, zones.get(site)))
    seg["local_date"] = local_dates
    handled = seg.groupby(["agent_id", "local_date"], as_index=False).size().rename(columns={"size": "handled"})
    asof = [history.as_of(a, d) for a, d in zip(handled.agent_id, handled.local_date)]
    handled["h_site"] = [v["site_id"] if v else None for v in asof]
    handled["h_team"] = [v["team_id"] if v else None for v in asof]
    ch = days.merge(handled, on=["agent_id", "local_date"], how="outer")
    ch["site_id"] = ch["site_id"].where(ch["site_id"].notna(), ch["h_site"])
    ch["team_id"] = ch["team_id"].where(ch["team_id"].notna(), ch["h_team"])
    hours = ch["logged_in"].fillna(0) / 3600.0
    rows.append(
        ch[["agent_id", "local_date", "site_id", "team_id"]].assign(
            kpi_name="contacts_per_logged_in_hour",
            numerator=ch["handled"].fillna(0).astype(float),
            denominator=hours,
            sample_size=np.ceil(hours).astype("int64"),
        )
    )

    expected = expand(pd.concat(rows, ignore_index=True), SCOPES)
    expected = expected[(expected.sample_size > 0) | (expected.numerator != 0)]
    actual = warehouse.frame("select * from intermediate.int_kpi_team__agent_time_days")
    compare(expected, actual, KEY)


def test_people_kpis_match(warehouse, team_inputs):
    landing, versions, history, zones, segments = team_inputs
    latest = versions[versions.is_current & (versions.job_role == "agent")]
    span_start = versions.valid_from.min().date()
    span_end = segments[segments.state.notna()].local_date.max()
    rows = []
    for day in pd.date_range(span_start, span_end, freq="D").date:
        active = latest[
            [h <= day and (t is None or t >= day) for h, t in zip(latest.hire_date, latest.termination_date)]
        ]
        for agent in active.itertuples(index=False):
            v = history.as_of(agent.employee_id, day)
            leaver = agent.termination_date == day
            tenure_ok = leaver and (agent.termination_date - agent.hire_date).days <= 90
            base = {"agent_id": agent.employee_id, "local_date": day, "site_id": v["site_id"], "team_id": v["team_id"]}
            level = v["proficiency_level"]
            has_level = level is not None and not math.isnan(level)
            for name, num, den, n in (
                ("attrition_rate_annualised", 365.0 * leaver, 1.0, 1),
                ("voluntary_attrition_rate", 365.0 * (leaver and agent.termination_type == "voluntary"), 1.0, 1),
                ("involuntary_attrition_rate", 365.0 * (leaver and agent.termination_type == "involuntary"), 1.0, 1),
                ("new_hire_attrition_rate", 365.0 * tenure_ok, 1.0, 1),
                ("headcount", 1.0, np.nan, 1),
                ("fte", float(v["fte"]), np.nan, 1),
                ("proficiency_mean", level if has_level else np.nan, 1.0 if has_level else np.nan, int(has_level)),
                (
                    "new_agent_share",
                    float(level <= 2) if has_level else np.nan,
                    1.0 if has_level else np.nan,
                    int(has_level),
                ),
            ):
                rows.append({**base, "kpi_name": name, "numerator": num, "denominator": den, "sample_size": n})

    # quality: Σ weight × score / max_score ÷ Σ weight × 100, 0 with a failed critical item; dated by the segment
    evaluations = read_current(landing, "qa/evaluations")
    items = read_current(landing, "qa/evaluation_items")
    items["part"] = items.weight * items.score / items.max_score.replace(0, np.nan)
    items["critical_failed"] = (items.is_critical == True) & (items.passed == False)  # noqa: E712
    per_eval = items.groupby("evaluation_id").agg(
        part=("part", "sum"), weight=("weight", "sum"), critical_failed=("critical_failed", "any")
    )
    per_eval["score"] = np.where(per_eval.critical_failed, 0.0, 100.0 * per_eval.part / per_eval.weight)
    seg = read_current(landing, "acd/contact_segments").set_index("segment_id")
    queues = seed("queues")
    queue_site = dict(zip(queues.queue_id, queues.site_id))
    for ev in evaluations.itertuples(index=False):
        if ev.evaluation_id not in per_eval.index or ev.segment_id not in seg.index or ev.agent_id is None:
            continue
        score = per_eval.loc[ev.evaluation_id, "score"]
        if pd.isna(score):
            continue
        s = seg.loc[ev.segment_id]
        site = queue_site.get(s.queue_id)
        if site is None and s.agent_id is not None:
            v = history.as_of(s.agent_id, s.initiated_at.date())
            site = v["site_id"] if v else None
        when = s.connected_at if pd.notna(s.connected_at) else s.initiated_at
        day = local_date(when, zones.get(site))
        v = history.as_of(ev.agent_id, day)
        rows.append(
            {
                "agent_id": ev.agent_id,
                "local_date": day,
                "site_id": v["site_id"] if v else None,
                "team_id": v["team_id"] if v else None,
                "kpi_name": "quality_score",
                "numerator": score,
                "denominator": 1.0,
                "sample_size": 1,
            }
        )

    attrition = (
        "attrition_rate_annualised",
        "voluntary_attrition_rate",
        "involuntary_attrition_rate",
        "new_hire_attrition_rate",
    )
    rows = pd.DataFrame(rows)
    expected = pd.concat(
        [expand(rows, SCOPES[:3]), expand(rows[~rows.kpi_name.isin(attrition)], SCOPES[3:])], ignore_index=True
    )
    expected = expected[expected.sample_size > 0]
    actual = warehouse.frame("select * from intermediate.int_kpi_team__people_days")
    compare(expected, actual, KEY)
    # the attrition formula on the test data: Σ leavers x 365 / Σ daily headcount over the whole span
    center = actual[(actual.scope_type == "center") & (actual.kpi_name == "attrition_rate_annualised")]
    leavers = sum(t is not None and span_start <= t <= span_end for t in latest.termination_date)
    assert center.numerator.sum() == pytest.approx(365.0 * leavers)


def test_engagement_periods_match(warehouse):
    landing = warehouse.landing
    pulse = read_current(landing, "survey/employee_pulse")
    teams = read_current(landing, "hr/teams")
    pulse = pulse.merge(teams[["team_id", "site_id"]], on="team_id", how="left")
    day = pd.to_datetime(pulse.survey_date)
    pulse["day"], pulse["week"] = day.dt.date, (day - pd.to_timedelta(day.dt.weekday, unit="D")).dt.date
    pulse["month"] = day.dt.to_period("M").dt.start_time.dt.date
    answers = []
    for name, col, fn in (
        ("employee_satisfaction", "esat_score", lambda x: x),
        ("enps", "enps_score", lambda x: np.where(x >= 9, 100.0, np.where(x <= 6, -100.0, 0.0))),
        ("collaboration_score", "collaboration_score", lambda x: x),
    ):
        a = pulse[pulse[col].notna()].copy()
        a["kpi_name"], a["value"] = name, fn(a[col].astype(float))
        answers.append(a)
    answers = pd.concat(answers, ignore_index=True)
    rows = []
    for grain in ("day", "week", "month"):
        for scope_type, col in (("center", None), ("site", "site_id"), ("team", "team_id")):
            a = answers.copy()
            a["scope_id"] = "all" if col is None else a[col]
            a = a[a.scope_id.notna()]
            g = a.groupby(["kpi_name", grain, "scope_id"], as_index=False).agg(
                numerator=("value", "sum"), denominator=("value", "size")
            )
            g = g.rename(columns={grain: "period_start"}).assign(period_grain=grain, scope_type=scope_type)
            rows.append(g)
    expected = pd.concat(rows, ignore_index=True)
    expected = expected[expected.denominator >= 5].assign(breakdown_type="all", breakdown_id="all")
    expected["sample_size"] = expected.denominator
    actual = warehouse.frame("select * from intermediate.int_kpi_team__engagement_periods")
    compare(expected, actual, PERIOD_KEY)
    assert np.allclose(actual.value, actual.numerator / actual.denominator)


def test_no_pay_and_no_small_engagement_groups(warehouse):
    """No team relation or agent-scope row carries pay; engagement rows never cover fewer than 5 responses and never
    one agent."""
    pay_columns = warehouse.query(
        "select table_name, column_name from information_schema.columns "
        "where (table_name like 'int_kpi_team%' or table_name in ('fct_agent_intervals', 'dim_agents') "
        "or table_name like 'int_agent_%') "
        "and (column_name like '%cost%' or column_name like '%pay%' or column_name like '%salar%' "
        "or column_name like '%wage%')"
    )
    assert pay_columns == []
    kpis = warehouse.query(
        "select distinct kpi_name from intermediate.int_kpi_team__agent_time_days where scope_type = 'agent' union "
        "select distinct kpi_name from intermediate.int_kpi_team__people_days where scope_type = 'agent'"
    )
    units = dict(warehouse.query("select kpi_name, unit from reference.kpi_definitions"))
    assert all(units[k] != "currency" for (k,) in kpis)
    assert warehouse.query(
        "select count(*) from intermediate.int_kpi_team__agent_time_days where currency is not null "
        "union all select count(*) from intermediate.int_kpi_team__people_days "
        "where currency is not null"
    ) == [(0,), (0,)]
    small = warehouse.query(
        "select count(*) from intermediate.int_kpi_team__engagement_periods "
        "where sample_size < 5 or denominator < 5 or scope_type = 'agent'"
    )
    assert small == [(0,)]
    attrition_agent_rows = warehouse.query(
        "select count(*) from intermediate.int_kpi_team__people_days "
        "where scope_type = 'agent' and kpi_name like '%attrition%'"
    )
    assert attrition_agent_rows == [(0,)]
