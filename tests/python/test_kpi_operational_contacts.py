"""Independent recomputation of the contact and queue KPI inputs of kpi_operational.

Every KPI of `int_kpi_operational__contact_days` and `int_kpi_operational__queue_days` is recomputed here in pandas from
the generated landing files (tests/python/landing_reader.py), following the KPI catalogue
(Conventions, Operational, FCR) and docs/kpi-definitions.md (Operational: contacts) — not
by translating the models' SQL: chains are walked with a visited set, dates come from pandas' time-zone
database, FCR repeats are searched per customer, teams are looked up in the HR versions rebuilt from the raw daily
extracts. All rows (day grain, every scope and breakdown: the channel breakdown of the queue KPIs at center and site,
the team and agent rows of the handle-time and per-agent contact KPIs) must agree: same keys, numerator and
denominator within 1e-9 relative, equal sample sizes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from landing_reader import read_current
from recompute import (
    FCR_WINDOW,
    KEY,
    PERIOD_KEY,
    clean,
    compare,
    cut_days_after_data_end,
    data_ranges,
    event_rows,
    expand,
    first_handlers,
    handling_teams,
    local_dates,
    seed,
)

LIVE_PARTY = {"sale", "appointment_set", "callback_scheduled", "not_interested"}
SCOPES = [("center", None), ("site", "site_id"), ("channel", "channel"), ("queue", "queue_id")]
MAXIMUM = ("longest_wait_s",)
# the channel breakdown of the queue KPIs exists at these scopes only (a channel or queue is one channel already)
CHANNEL_BREAKDOWN_SCOPES = [("center", None), ("site", "site_id")]
# team and agent rows (breakdown all only) of the KPIs a team lead reads per person
PEOPLE_SCOPES = [("team", "team_id"), ("agent", "agent_id")]


# ---------------------------------------------------------------------------------------------- KPI events


def events(frame: pd.DataFrame, kpi: str, date_col: str, numerator, ratio: bool, breakdown=("all", None)):
    """Event rows of one KPI, each event counting once: a ratio's event adds 1 to the denominator. The handling
    team and agent are carried when the frame has them."""
    out = event_rows(frame, kpi, date_col, numerator, 1 if ratio else None, 1, breakdown)
    for column in ("team_id", "agent_id"):
        out[column] = frame[column].to_numpy() if column in frame else None
    return out


def daily_rows(ev: pd.DataFrame, by_channel: pd.DataFrame | None = None, people: pd.DataFrame | None = None):
    """Center, site, channel and queue rows of `ev`, center and site rows of the channel breakdown events
    `by_channel`, team and agent rows of `people`: sums (max for max KPIs); only rows with sample_size > 0."""
    parts = [expand(ev, SCOPES, maximum=MAXIMUM)]
    if by_channel is not None:
        parts.append(expand(by_channel, CHANNEL_BREAKDOWN_SCOPES, maximum=MAXIMUM))
    if people is not None:
        parts.append(expand(people, PEOPLE_SCOPES, maximum=MAXIMUM))
    out = pd.concat(parts, ignore_index=True)
    return out[out["sample_size"] > 0]


def with_teams(seg: pd.DataFrame, landing: Path) -> pd.DataFrame:
    """Segments with the handling agent (handled segments only) and its team as of the connected local date."""
    seg = seg.copy()
    seg["team_id"] = handling_teams(seg, landing)
    seg["agent_id"] = seg["agent_id"].where(seg["handled"] & seg["agent_id"].notna(), None).astype(object)
    return seg


def queue_events(offers: pd.DataFrame, breakdown=("all", None)) -> list[pd.DataFrame]:
    """The queue KPIs per offer, dated by enqueued_at; longest_wait_s over every offer, answered or not."""
    met = offers["answered"] & (offers["wait"] <= offers["service_level_threshold_s"])
    sl_over = offers["answered"] | (offers["abandoned"] & ~offers["short"])
    answered, abandoned = offers[offers["answered"]], offers[offers["abandoned"]]
    not_short = offers[~offers["short"]]
    return [
        events(offers, "contacts_offered", "enq_date", 1, ratio=False, breakdown=breakdown),
        events(answered, "offers_answered", "enq_date", 1, ratio=False, breakdown=breakdown),
        events(offers[sl_over], "service_level", "enq_date", met[sl_over], ratio=True, breakdown=breakdown),
        events(answered, "average_speed_of_answer_s", "enq_date", answered["wait"], ratio=True, breakdown=breakdown),
        events(offers, "longest_wait_s", "enq_date", offers["wait"], ratio=False, breakdown=breakdown),
        events(not_short, "abandonment_rate", "enq_date", not_short["abandoned"], ratio=True, breakdown=breakdown),
        events(abandoned, "average_abandon_time_s", "enq_date", abandoned["wait"], ratio=True, breakdown=breakdown),
    ]


HANDLE_TIME = [
    ("average_handle_time_s", "handle"),
    ("average_talk_time_s", "talk"),
    ("average_hold_time_s", "hold"),
    ("average_acw_s", "acw"),
    ("transfer_rate", "transferred_out"),
]


def expected_queues(seg: pd.DataFrame, landing: Path) -> pd.DataFrame:
    """Queue KPIs per offer (enqueued date; also by the offer's channel at center and site) and handle-time KPIs
    per handled segment (connected date); offers_answered and the handle-time KPIs also per handling agent and
    its team (breakdown all)."""
    seg = with_teams(seg, landing)
    offers = seg[seg["offer"]].copy()
    offers["offer_channel"] = offers["channel"].where(offers["channel"].notna(), "unknown")
    ev = queue_events(offers)
    by_channel = queue_events(offers, breakdown=("channel", "offer_channel"))
    answered = offers[offers["answered"]]
    people = [events(answered, "offers_answered", "enq_date", 1, ratio=False)]
    reasons = seed("disposition_codes", dtype=str).set_index("disposition_code")["contact_reason"].to_dict()
    handled = seg[seg["handled"]].copy()
    handled["reason"] = handled["disposition_code"].map(
        lambda d: reasons.get(d, "unknown") if isinstance(d, str) else "unknown"
    )
    for breakdown in [("all", None), ("contact_reason", "reason")]:
        for kpi, col in HANDLE_TIME:
            ev.append(events(handled, kpi, "conn_date", handled[col], ratio=True, breakdown=breakdown))
    people += [events(handled, kpi, "conn_date", handled[col], ratio=True) for kpi, col in HANDLE_TIME]
    return daily_rows(
        pd.concat(ev, ignore_index=True), pd.concat(by_channel, ignore_index=True), pd.concat(people, ignore_index=True)
    )


def expected_contacts(seg: pd.DataFrame, contacts: pd.DataFrame, landing: Path) -> pd.DataFrame:
    """The contact KPIs; contacts_handled, handle_time_per_contact_s and FCR also for the agent of the contact's
    first handled segment and that agent's team as of the segment's connected local date (breakdown all)."""
    handlers = first_handlers(with_teams(seg, landing))
    ok = contacts[contacts["chain_status"] == "ok"].merge(handlers, on="contact_id", how="left")
    inbound = ok[ok["direction"] == "inbound"]
    handled = ok[ok["handled"]]
    eligible = ok[ok["eligible"]]
    blocked = seg[(seg["direction"] == "inbound") & (seg["disconnect_reason"] == "blocked")]
    ev = [
        events(inbound, "contacts_received", "init_date", 1, ratio=False),
        events(handled, "contacts_handled", "init_date", 1, ratio=False),
        events(inbound, "self_service_rate", "init_date", inbound["self_served"], ratio=True),
        events(handled, "handle_time_per_contact_s", "init_date", handled["handle"], ratio=True),
        events(eligible, "first_contact_resolution", "init_date", eligible["resolved"], ratio=True),
        events(eligible, "repeat_contact_rate", "init_date", eligible["repeat"], ratio=True),
        events(blocked, "contacts_blocked", "init_date", 1, ratio=False),
    ]
    dials = seg[(seg["direction"] == "outbound") & seg["campaign_result"].notna()].copy()
    dials["live"] = dials["campaign_result"].isin(LIVE_PARTY)
    for breakdown, frame in [
        (("all", None), dials),
        (("campaign", "campaign_id"), dials[dials["campaign_id"].notna()]),
    ]:
        live = frame[frame["live"]]
        targets = frame[frame["campaign_result"].isin({"sale", "appointment_set"})]
        ev += [
            events(frame, "outbound_connect_rate", "init_date", frame["live"], ratio=True, breakdown=breakdown),
            events(
                live,
                "outbound_conversion_rate",
                "init_date",
                live["campaign_result"] == "sale",
                ratio=True,
                breakdown=breakdown,
            ),
            events(targets, "outbound_targets_reached", "init_date", 1, ratio=False, breakdown=breakdown),
        ]
    ev.append(resolution_events(seg, landing))
    people = [
        events(handled, "contacts_handled", "init_date", 1, ratio=False),
        events(handled, "handle_time_per_contact_s", "init_date", handled["handle"], ratio=True),
        events(eligible, "first_contact_resolution", "init_date", eligible["resolved"], ratio=True),
    ]
    return daily_rows(pd.concat(ev, ignore_index=True), people=pd.concat(people, ignore_index=True))


def resolution_events(seg: pd.DataFrame, landing: Path) -> pd.DataFrame:
    """Resolved cases (resolved or closed, closed_at set) whose linked contacts all have ok chains; dated by
    closed_at at the site of the earliest linked segment; contacts and distinct agents of the linked contacts."""
    cases = read_current(landing, "crm/cases")
    cases["status"] = clean(cases["status"])
    resolved = cases[cases["status"].isin({"resolved", "closed"}) & cases["closed_at"].notna()]
    links = read_current(landing, "crm/case_segments")[["case_id", "segment_id"]]
    linked = resolved[["case_id", "closed_at"]].merge(links, on="case_id").merge(seg, on="segment_id")
    rows = []
    for _case_id, group in linked.groupby("case_id"):
        first = group.sort_values(["initiated_at", "segment_id"]).iloc[0]
        contact_ids = set(group["contact_id"])
        agents = seg.loc[seg["contact_id"].isin(contact_ids), "agent_id"].dropna().nunique()
        rows.append(
            {
                "closed_at": first["closed_at"],
                "tz": first["tz"],
                "site_id": first["site_id"],
                "channel": first["channel"],
                "queue_id": first["queue_id"],
                "ok": bool((group["chain_status"] == "ok").all()),
                "contacts": len(contact_ids),
                "agents": agents,
            }
        )
    frame = pd.DataFrame(rows)
    frame = frame[frame["ok"]].reset_index(drop=True)
    frame["date"] = local_dates(frame["closed_at"], frame["tz"])
    return pd.concat(
        [
            events(frame, "contacts_per_resolution", "date", frame["contacts"], ratio=True),
            events(frame, "agents_per_resolution", "date", frame["agents"], ratio=True),
        ],
        ignore_index=True,
    )


def model_rows(warehouse, model: str) -> pd.DataFrame:
    return warehouse.frame(
        f"select kpi_name, local_date, scope_type, scope_id, breakdown_type, breakdown_id, numerator, denominator, "
        f"sample_size from intermediate.{model}"
    )


def test_every_segment_kept_with_the_same_chain(warehouse, recomputed):
    seg, _ = recomputed
    model = warehouse.frame(
        "select segment_id, contact_id, position, chain_status from intermediate.int_segment_chains"
    )
    merged = seg[["segment_id", "contact_id", "position", "chain_status"]].merge(
        model, on="segment_id", how="outer", suffixes=("_exp", "_act"), indicator=True
    )
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head()
    for col in ["contact_id", "position", "chain_status"]:
        diff = merged[merged[f"{col}_exp"] != merged[f"{col}_act"]]
        assert diff.empty, diff.head()


def test_queue_and_handle_time_kpis_match(warehouse, recomputed):
    seg, _ = recomputed
    compare(expected_queues(seg, warehouse.landing), model_rows(warehouse, "int_kpi_operational__queue_days"), KEY)


def test_contact_kpis_match(warehouse, recomputed):
    seg, contacts = recomputed
    compare(
        expected_contacts(seg, contacts, warehouse.landing),
        model_rows(warehouse, "int_kpi_operational__contact_days"),
        KEY,
    )


def test_fcr_is_observable_and_plausible(recomputed):
    """The test data must exercise FCR: eligible contacts exist, some resolved, some repeated, and the last
    N days have none (the window does not end before the data end)."""
    seg, contacts = recomputed
    eligible = contacts[contacts["eligible"]]
    assert len(eligible) > 100
    assert 0 < eligible["resolved"].mean() < 1 and eligible["repeat"].any()
    assert eligible["last_disconnected_at"].max() + FCR_WINDOW <= seg["initiated_at"].max()


def cut_after_data_end(seg: pd.DataFrame, days: pd.DataFrame) -> pd.DataFrame:
    """Days after the data end of their scope (site: its segments; queue: its site's; center, channel: all) count
    in no week or month."""
    queues = seed("queues")
    queue_sites = {("queue", q): s for q, s in zip(queues.queue_id, queues.site_id, strict=True)}
    return cut_days_after_data_end(days, data_ranges(seg["site_id"], seg["initiated_at"]), queue_sites)


def test_week_and_month_rows_of_kpi_operational(warehouse, recomputed):
    """Once the lead's kpi_operational exists: its week and month rows of these KPIs are Σ numerator / Σ
    denominator (max for longest_wait_s) of the recomputed days of the ISO week (Monday) or month."""
    exists = warehouse.query("select count(*) from information_schema.tables where table_name = 'kpi_operational'")
    if not exists[0][0]:
        pytest.skip("kpi_operational is not built yet")
    seg, contacts = recomputed
    days = pd.concat(
        [expected_queues(seg, warehouse.landing), expected_contacts(seg, contacts, warehouse.landing)],
        ignore_index=True,
    )
    days = cut_after_data_end(seg, days)
    names = sorted(days["kpi_name"].unique())
    dates = pd.to_datetime(days["local_date"])
    parts = []
    for grain, start in [
        ("week", dates - pd.to_timedelta(dates.dt.weekday, unit="D")),
        ("month", dates.dt.to_period("M").dt.to_timestamp()),
    ]:
        frame = days.assign(period_grain=grain, period_start=start.dt.date)
        agg = (
            frame.groupby(PERIOD_KEY)
            .agg(
                num=("numerator", "sum"),
                num_max=("numerator", "max"),
                den=("denominator", lambda s: s.sum(min_count=1)),
                sample_size=("sample_size", "sum"),
            )
            .reset_index()
        )
        is_max = agg["kpi_name"].isin(MAXIMUM)
        agg["value"] = np.where(
            is_max, agg["num_max"], np.where(agg["den"].notna(), agg["num"] / agg["den"], agg["num"])
        )
        parts.append(agg[PERIOD_KEY + ["value", "sample_size"]])
    expected = pd.concat(parts, ignore_index=True)
    quoted = ", ".join(f"'{n}'" for n in names)
    actual = warehouse.frame(
        "select kpi_name, period_grain, period_start, scope_type, scope_id, breakdown_type, breakdown_id, value, "
        f"sample_size from marts.kpi_operational where period_grain in ('week', 'month') and kpi_name in ({quoted})"
    )
    actual["period_start"] = pd.to_datetime(actual["period_start"]).dt.date
    merged = expected.merge(actual, on=PERIOD_KEY, how="outer", suffixes=("_exp", "_act"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head(10).to_string()
    values_differ = ~np.isclose(
        merged["value_exp"].astype(float), merged["value_act"].astype(float), rtol=1e-9, atol=1e-9
    )
    assert not values_differ.any(), merged[values_differ].head(10).to_string()
    assert (merged["sample_size_exp"] == merged["sample_size_act"]).all()
