"""Independent recomputation of the contact and queue KPI inputs of kpi_operational.

Every KPI of `int_kpi_operational__contact_days` and `int_kpi_operational__queue_days` is recomputed here in pandas from
the generated landing files (tests/python/landing_reader.py), following the KPI catalogue
(/work/shared/spec/kpi-catalogue.md, Conventions, Operational, FCR) and docs/kpi/operational_contacts.md — not
by translating the models' SQL: chains are walked with a visited set, dates come from pandas' time-zone
database, FCR repeats are searched per customer. All rows (day grain, every scope and breakdown) must agree:
same keys, numerator and denominator within 1e-9 relative, equal sample sizes.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from switchboard import settings
from landing_reader import read_current, read_raw

CENTER_TZ = "America/New_York"
FCR_WINDOW = pd.Timedelta(days=7)
LIVE_PARTY = {"sale", "appointment_set", "callback_scheduled", "not_interested"}
KEY = ["kpi_name", "local_date", "scope_type", "scope_id", "breakdown_type", "breakdown_id"]
SCOPES = [("site", "site_id"), ("channel", "channel"), ("queue", "queue_id")]


# ---------------------------------------------------------------------------------------------- inputs

def _clean(series: pd.Series) -> pd.Series:
    """Enumerations as the contract spells them: trimmed, lower-cased."""
    return series.map(lambda v: v.strip().lower() if isinstance(v, str) else v)


def _seed(name: str) -> pd.DataFrame:
    return pd.read_csv(settings.SEEDS_DIR / f"{name}.csv", dtype=str, keep_default_na=False, na_values=[""])


def walk_chains(prev: dict[str, str | None]) -> pd.DataFrame:
    """Contact, position and status of every segment by walking previous_segment_id with a visited set."""
    rows = []
    for start in prev:
        path, seen, node = [start], {start}, start
        while True:
            parent = prev[node]
            if parent is None:
                status, contact = "ok", node
                break
            if parent not in prev:
                status, contact = "broken", node
                break
            if parent in seen:
                cycle = path[path.index(parent):]
                status, contact = "cycle", min(cycle)
                break
            path.append(parent)
            seen.add(parent)
            node = parent
        rows.append((start, contact, path.index(contact) + 1, status))
    frame = pd.DataFrame(rows, columns=["segment_id", "contact_id", "position", "chain_status"])
    # a contact's status is shared by all its segments (a contact's segments all end the same way)
    assert frame.groupby("contact_id")["chain_status"].nunique().max() == 1
    return frame


def agent_sites(landing: Path, segments: pd.DataFrame) -> pd.Series:
    """The agent's site as of initiated_at: the latest HR extract at or before it, else the agent's first one."""
    hr = read_raw(landing, "hr/employees")[["employee_id", "site_id", "_extracted_at"]]
    hr = hr.sort_values(["_extracted_at"]).reset_index(drop=True)
    by_agent = {agent: (g["_extracted_at"].to_numpy(), g["site_id"].to_numpy()) for agent, g in hr.groupby("employee_id")}
    out = []
    for agent, at in zip(segments["agent_id"], segments["initiated_at"]):
        if agent is None or agent not in by_agent:
            out.append(None)
            continue
        times, sites = by_agent[agent]
        idx = np.searchsorted(times, np.datetime64(at), side="right") - 1
        out.append(sites[max(idx, 0)])
    return pd.Series(out, index=segments.index, dtype=object)


def local_date(ts: pd.Series, tz: pd.Series) -> pd.Series:
    """Local calendar date of UTC instants, per row's time zone (center time zone when none)."""
    tz = tz.fillna(CENTER_TZ)
    out = pd.Series([None] * len(ts), index=ts.index, dtype=object)
    for zone in tz.unique():
        mask = (tz == zone) & ts.notna()
        out[mask] = ts[mask].dt.tz_localize("UTC").dt.tz_convert(zone).dt.date
    return out


def load_segments(landing: Path) -> pd.DataFrame:
    seg = read_current(landing, "acd/contact_segments")
    for col in ["channel", "direction", "disconnect_reason", "transfer_type", "campaign_result"]:
        seg[col] = _clean(seg[col])
    queues = _seed("queues")
    queues["service_level_threshold_s"] = queues["service_level_threshold_s"].astype(float)
    queues["short_abandon_threshold_s"] = queues["short_abandon_threshold_s"].astype(float)
    sites = _seed("sites")[["site_id", "time_zone"]]
    prev = {s: (p if isinstance(p, str) else None) for s, p in zip(seg["segment_id"], seg["previous_segment_id"])}
    seg = seg.merge(walk_chains(prev), on="segment_id", how="left")
    seg = seg.merge(queues[["queue_id", "site_id", "service_level_threshold_s", "short_abandon_threshold_s"]]
                    .rename(columns={"site_id": "queue_site"}), on="queue_id", how="left")
    seg["site_id"] = seg["queue_site"].where(seg["queue_site"].notna(), agent_sites(landing, seg))
    seg = seg.merge(sites, on="site_id", how="left")
    seg["tz"] = seg["time_zone"].where(seg["time_zone"].notna(), None)

    seg["offer"] = seg["enqueued_at"].notna()
    seg["handled"] = seg["connected_at"].notna()
    seg["answered"] = seg["offer"] & seg["handled"]
    seg["abandoned"] = seg["offer"] & ~seg["handled"] & (seg["disconnect_reason"] == "customer_disconnect")
    end = seg["connected_at"].where(seg["answered"], seg["disconnected_at"])
    seg["wait"] = ((end - seg["enqueued_at"]).dt.total_seconds()).where(seg["offer"])
    seg["short"] = seg["abandoned"] & (seg["wait"] <= seg["short_abandon_threshold_s"])
    hold = seg["hold_seconds"].fillna(0.0)
    acw = (seg["acw_ended_at"] - seg["acw_started_at"]).dt.total_seconds().fillna(0.0)
    connected = (seg["disconnected_at"] - seg["connected_at"]).dt.total_seconds()
    seg["talk"] = (connected - hold).where(seg["handled"])
    seg["hold"] = hold.where(seg["handled"])
    seg["acw"] = acw.where(seg["handled"])
    seg["handle"] = (seg["talk"] + seg["hold"] + seg["acw"]).where(seg["handled"])
    seg["transferred_out"] = (seg["disconnect_reason"] == "transferred") | seg["transfer_type"].notna()
    seg["init_date"] = local_date(seg["initiated_at"], seg["tz"])
    seg["enq_date"] = local_date(seg["enqueued_at"], seg["tz"])
    seg["conn_date"] = local_date(seg["connected_at"], seg["tz"])
    return seg


def build_contacts(seg: pd.DataFrame, landing: Path) -> pd.DataFrame:
    """One row per contact: queue/channel/site by the catalogue rule, customer, handle time, FCR fields."""
    ordered = seg.sort_values(["contact_id", "position", "initiated_at", "segment_id"])
    cases = read_current(landing, "crm/cases")
    links = read_current(landing, "crm/case_segments")
    escalated_segments = set(links.merge(cases[cases["escalated"] == True], on="case_id")["segment_id"])  # noqa: E712

    def first_where(mask: pd.Series, columns: list[str]) -> pd.DataFrame:
        """The first segment of each chain (by position) that satisfies mask."""
        return ordered[mask].drop_duplicates("contact_id", keep="first").set_index("contact_id")[columns]

    roots = first_where(ordered["segment_id"].notna(), ["chain_status", "direction", "channel", "initiated_at",
                                                         "disconnect_reason"])
    queued = first_where(ordered["queue_id"].notna(), ["queue_id", "channel", "site_id", "tz"])
    sited = first_where(ordered["site_id"].notna(), ["site_id", "tz"])
    customer = first_where(ordered["customer_id"].notna(), ["customer_id"])
    work = ordered.assign(escalated=ordered["segment_id"].isin(escalated_segments),
                          handle_handled=ordered["handle"].where(ordered["handled"]))
    totals = work.groupby("contact_id").agg(
        handled=("handled", "any"), handle=("handle_handled", lambda v: v.sum(min_count=1)),
        last_disconnected_at=("disconnected_at", "max"), transferred=("transferred_out", "any"),
        escalated=("escalated", "any"))
    contacts = roots.join(totals)
    contacts["self_served"] = contacts["disconnect_reason"] == "self_served"
    # the contact's queue and channel: the root's, else the first segment with a queue; site: that queue's,
    # else the first segment with a site (its agent's)
    contacts = contacts.join(queued.add_prefix("q_")).join(sited.add_prefix("s_")).join(customer)
    has_queue = contacts["q_queue_id"].notna()
    contacts["queue_id"] = contacts["q_queue_id"]
    contacts["channel"] = contacts["q_channel"].where(has_queue, contacts["channel"])
    contacts["site_id"] = contacts["q_site_id"].where(has_queue, contacts["s_site_id"])
    contacts["tz"] = contacts["q_tz"].where(has_queue, contacts["s_tz"])
    contacts = contacts.reset_index()
    contacts = contacts.astype({"queue_id": object, "site_id": object, "tz": object, "customer_id": object})
    contacts = contacts.where(contacts.notna(), None)
    contacts["initiated_at"] = pd.to_datetime(contacts["initiated_at"])
    contacts["last_disconnected_at"] = pd.to_datetime(contacts["last_disconnected_at"])
    contacts["handled"] = contacts["handled"].astype(bool)
    contacts["transferred"] = contacts["transferred"].astype(bool)
    contacts["escalated"] = contacts["escalated"].astype(bool)
    contacts["self_served"] = contacts["self_served"].astype(bool)
    contacts["init_date"] = local_date(contacts["initiated_at"], contacts["tz"])

    data_end = seg["initiated_at"].max()
    inbound_by_customer = {
        cust: np.sort(g["initiated_at"].to_numpy())
        for cust, g in contacts[(contacts["direction"] == "inbound") & contacts["customer_id"].notna()]
        .groupby("customer_id")
    }
    window_end = contacts["last_disconnected_at"] + FCR_WINDOW
    repeat = []
    for cust, start, stop in zip(contacts["customer_id"], contacts["last_disconnected_at"], window_end):
        if cust is None or pd.isna(start):
            repeat.append(False)
            continue
        times = inbound_by_customer.get(cust, np.array([], dtype="datetime64[ns]"))
        lo = np.searchsorted(times, np.datetime64(start), side="right")  # strictly after the last disconnect
        hi = np.searchsorted(times, np.datetime64(stop), side="right")  # up to and including the window end
        repeat.append(hi > lo)
    contacts["repeat"] = repeat
    contacts["eligible"] = (
        (contacts["chain_status"] == "ok") & (contacts["direction"] == "inbound") & contacts["handled"]
        & contacts["customer_id"].notna() & (window_end <= data_end)
    )
    contacts["resolved"] = (contacts["eligible"] & ~contacts["transferred"] & ~contacts["escalated"]
                            & ~contacts["repeat"])
    return contacts


# ---------------------------------------------------------------------------------------------- KPI events

def events(frame: pd.DataFrame, kpi: str, date_col: str, numerator, ratio: bool, maximum: bool = False,
           breakdown: tuple[str, str | None] = ("all", None)) -> pd.DataFrame:
    """Event rows of one KPI: one per row of `frame` (already filtered to the KPI's events)."""
    out = pd.DataFrame({
        "kpi_name": kpi,
        "local_date": frame[date_col].to_numpy(),
        "site_id": frame["site_id"].to_numpy(),
        "channel": frame["channel"].to_numpy(),
        "queue_id": frame["queue_id"].to_numpy(),
        "numerator": numerator.astype(float).to_numpy() if isinstance(numerator, pd.Series)
        else np.full(len(frame), float(numerator)),
        "denominator": 1.0 if ratio else np.nan,
        "sample_size": 1,
        "is_max": maximum,
    })
    kind, column = breakdown
    out["breakdown_type"] = kind
    out["breakdown_id"] = "all" if column is None else frame[column].to_numpy()
    return out


def expand(ev: pd.DataFrame) -> pd.DataFrame:
    """Center, site, channel and queue rows: sums (max for max KPIs); only rows with sample_size > 0."""
    parts = []
    for scope_type, column in [("center", None)] + SCOPES:
        frame = ev.copy()
        frame["scope_type"] = scope_type
        frame["scope_id"] = "all" if column is None else frame[column]
        frame = frame[frame["scope_id"].notna()]
        grouped = frame.groupby(KEY, dropna=False)
        agg = grouped.agg(num_sum=("numerator", "sum"), num_max=("numerator", "max"),
                          denominator=("denominator", lambda s: s.sum(min_count=1)),
                          sample_size=("sample_size", "sum"), is_max=("is_max", "max")).reset_index()
        agg["numerator"] = np.where(agg["is_max"], agg["num_max"], agg["num_sum"])
        parts.append(agg[KEY + ["numerator", "denominator", "sample_size"]])
    out = pd.concat(parts, ignore_index=True)
    return out[out["sample_size"] > 0]


def expected_queues(seg: pd.DataFrame) -> pd.DataFrame:
    """Queue KPIs per offer (enqueued date) and handle-time KPIs per handled segment (connected date)."""
    offers = seg[seg["offer"]]
    met = offers["answered"] & (offers["wait"] <= offers["service_level_threshold_s"])
    sl_over = offers["answered"] | (offers["abandoned"] & ~offers["short"])
    answered, abandoned = offers[offers["answered"]], offers[offers["abandoned"]]
    not_short = offers[~offers["short"]]
    ev = [
        events(offers, "contacts_offered", "enq_date", 1, ratio=False),
        events(answered, "offers_answered", "enq_date", 1, ratio=False),
        events(offers[sl_over], "service_level", "enq_date", met[sl_over], ratio=True),
        events(answered, "average_speed_of_answer_s", "enq_date", answered["wait"], ratio=True),
        events(offers[offers["answered"] | offers["abandoned"]], "longest_wait_s", "enq_date",
               offers.loc[offers["answered"] | offers["abandoned"], "wait"], ratio=False, maximum=True),
        events(not_short, "abandonment_rate", "enq_date", not_short["abandoned"], ratio=True),
        events(abandoned, "average_abandon_time_s", "enq_date", abandoned["wait"], ratio=True),
    ]
    reasons = _seed("disposition_codes").set_index("disposition_code")["contact_reason"].to_dict()
    handled = seg[seg["handled"]].copy()
    handled["reason"] = handled["disposition_code"].map(lambda d: reasons.get(d, "unknown") if isinstance(d, str)
                                                        else "unknown")
    for breakdown in [("all", None), ("contact_reason", "reason")]:
        for kpi, col in [("average_handle_time_s", "handle"), ("average_talk_time_s", "talk"),
                         ("average_hold_time_s", "hold"), ("average_acw_s", "acw"),
                         ("transfer_rate", "transferred_out")]:
            ev.append(events(handled, kpi, "conn_date", handled[col], ratio=True, breakdown=breakdown))
    return expand(pd.concat(ev, ignore_index=True))


def expected_contacts(seg: pd.DataFrame, contacts: pd.DataFrame, landing: Path) -> pd.DataFrame:
    ok = contacts[contacts["chain_status"] == "ok"]
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
    for breakdown, frame in [(("all", None), dials), (("campaign", "campaign_id"), dials[dials["campaign_id"].notna()])]:
        live = frame[frame["live"]]
        targets = frame[frame["campaign_result"].isin({"sale", "appointment_set"})]
        ev += [
            events(frame, "outbound_connect_rate", "init_date", frame["live"], ratio=True, breakdown=breakdown),
            events(live, "outbound_conversion_rate", "init_date", live["campaign_result"] == "sale", ratio=True,
                   breakdown=breakdown),
            events(targets, "outbound_targets_reached", "init_date", 1, ratio=False, breakdown=breakdown),
        ]
    ev.append(resolution_events(seg, landing))
    return expand(pd.concat(ev, ignore_index=True))


def resolution_events(seg: pd.DataFrame, landing: Path) -> pd.DataFrame:
    """Resolved cases (resolved or closed, closed_at set) whose linked contacts all have ok chains; dated by
    closed_at at the site of the earliest linked segment; contacts and distinct agents of the linked contacts."""
    cases = read_current(landing, "crm/cases")
    cases["status"] = _clean(cases["status"])
    resolved = cases[cases["status"].isin({"resolved", "closed"}) & cases["closed_at"].notna()]
    links = read_current(landing, "crm/case_segments")[["case_id", "segment_id"]]
    linked = resolved[["case_id", "closed_at"]].merge(links, on="case_id").merge(seg, on="segment_id")
    rows = []
    for case_id, group in linked.groupby("case_id"):
        first = group.sort_values(["initiated_at", "segment_id"]).iloc[0]
        contact_ids = set(group["contact_id"])
        agents = seg.loc[seg["contact_id"].isin(contact_ids), "agent_id"].dropna().nunique()
        rows.append({"closed_at": first["closed_at"], "tz": first["tz"], "site_id": first["site_id"],
                     "channel": first["channel"], "queue_id": first["queue_id"],
                     "ok": bool((group["chain_status"] == "ok").all()), "contacts": len(contact_ids),
                     "agents": agents})
    frame = pd.DataFrame(rows)
    frame = frame[frame["ok"]].reset_index(drop=True)
    frame["date"] = local_date(frame["closed_at"], frame["tz"])
    return pd.concat([
        events(frame, "contacts_per_resolution", "date", frame["contacts"], ratio=True),
        events(frame, "agents_per_resolution", "date", frame["agents"], ratio=True),
    ], ignore_index=True)


# ---------------------------------------------------------------------------------------------- comparison

def compare(expected: pd.DataFrame, actual: pd.DataFrame) -> list[str]:
    """Differences between two sets of daily input rows (keys, numerator, denominator, sample size)."""
    expected = expected.copy()
    actual = actual.copy()
    for frame in (expected, actual):
        frame["local_date"] = pd.to_datetime(frame["local_date"]).dt.date
        frame["scope_id"] = frame["scope_id"].astype(str)
        frame["breakdown_id"] = frame["breakdown_id"].astype(str)
    merged = expected.merge(actual, on=KEY, how="outer", suffixes=("_exp", "_act"), indicator=True)
    problems = []
    for side, label in [("left_only", "missing from the model"), ("right_only", "not expected")]:
        extra = merged[merged["_merge"] == side]
        if len(extra):
            problems.append(f"{len(extra)} rows {label}, e.g.\n{extra[KEY].head(5).to_string()}")
    both = merged[merged["_merge"] == "both"]

    def close(a: float, b: float) -> bool:
        if (a is None or (isinstance(a, float) and math.isnan(a))) and (b is None or (isinstance(b, float) and math.isnan(b))):
            return True
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)

    for col in ["numerator", "denominator", "sample_size"]:
        bad = both[[not close(float(a) if a is not None else None, float(b) if b is not None else None)
                    for a, b in zip(both[f"{col}_exp"], both[f"{col}_act"])]]
        if len(bad):
            problems.append(f"{len(bad)} rows with another {col}, e.g.\n"
                            f"{bad[KEY + [f'{col}_exp', f'{col}_act']].head(5).to_string()}")
    return problems


@pytest.fixture(scope="module")
def recomputed(warehouse):
    seg = load_segments(warehouse.landing)
    contacts = build_contacts(seg, warehouse.landing)
    return seg, contacts


def model_rows(warehouse, model: str) -> pd.DataFrame:
    return warehouse.frame(
        f"select kpi_name, local_date, scope_type, scope_id, breakdown_type, breakdown_id, numerator, denominator, "
        f"sample_size from intermediate.{model}")


def test_every_segment_kept_with_the_same_chain(warehouse, recomputed):
    seg, _ = recomputed
    model = warehouse.frame("select segment_id, contact_id, position, chain_status from intermediate.int_segment_chains")
    merged = seg[["segment_id", "contact_id", "position", "chain_status"]].merge(
        model, on="segment_id", how="outer", suffixes=("_exp", "_act"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head()
    for col in ["contact_id", "position", "chain_status"]:
        diff = merged[merged[f"{col}_exp"] != merged[f"{col}_act"]]
        assert diff.empty, diff.head()


def test_queue_and_handle_time_kpis_match(warehouse, recomputed):
    seg, _ = recomputed
    problems = compare(expected_queues(seg), model_rows(warehouse, "int_kpi_operational__queue_days"))
    assert not problems, "\n".join(problems)


def test_contact_kpis_match(warehouse, recomputed):
    seg, contacts = recomputed
    problems = compare(expected_contacts(seg, contacts, warehouse.landing),
                       model_rows(warehouse, "int_kpi_operational__contact_days"))
    assert not problems, "\n".join(problems)


def test_fcr_is_observable_and_plausible(recomputed):
    """The test data must exercise FCR: eligible contacts exist, some resolved, some repeated, and the last
    N days have none (the window does not end before the data end)."""
    seg, contacts = recomputed
    eligible = contacts[contacts["eligible"]]
    assert len(eligible) > 100
    assert 0 < eligible["resolved"].mean() < 1 and eligible["repeat"].any()
    assert eligible["last_disconnected_at"].max() + FCR_WINDOW <= seg["initiated_at"].max()


def test_week_and_month_rows_of_kpi_operational(warehouse, recomputed):
    """Once the lead's kpi_operational exists: its week and month rows of these KPIs are Σ numerator / Σ
    denominator (max for longest_wait_s) of the recomputed days of the ISO week (Monday) or month."""
    exists = warehouse.query("select count(*) from information_schema.tables where table_name = 'kpi_operational'")
    if not exists[0][0]:
        pytest.skip("kpi_operational is not built yet")
    seg, contacts = recomputed
    days = pd.concat([expected_queues(seg), expected_contacts(seg, contacts, warehouse.landing)], ignore_index=True)
    names = sorted(days["kpi_name"].unique())
    dates = pd.to_datetime(days["local_date"])
    parts = []
    for grain, start in [("week", dates - pd.to_timedelta(dates.dt.weekday, unit="D")),
                         ("month", dates.dt.to_period("M").dt.to_timestamp())]:
        frame = days.assign(period_grain=grain, period_start=start.dt.date)
        keys = ["kpi_name", "period_grain", "period_start", "scope_type", "scope_id", "breakdown_type", "breakdown_id"]
        agg = frame.groupby(keys).agg(num=("numerator", "sum"), num_max=("numerator", "max"),
                                      den=("denominator", lambda s: s.sum(min_count=1)),
                                      sample_size=("sample_size", "sum")).reset_index()
        is_max = agg["kpi_name"] == "longest_wait_s"
        agg["value"] = np.where(is_max, agg["num_max"], np.where(agg["den"].notna(), agg["num"] / agg["den"], agg["num"]))
        parts.append(agg[keys + ["value", "sample_size"]])
    expected = pd.concat(parts, ignore_index=True)
    quoted = ", ".join(f"'{n}'" for n in names)
    actual = warehouse.frame(
        "select kpi_name, period_grain, period_start, scope_type, scope_id, breakdown_type, breakdown_id, value, "
        f"sample_size from marts.kpi_operational where period_grain in ('week', 'month') and kpi_name in ({quoted})")
    actual["period_start"] = pd.to_datetime(actual["period_start"]).dt.date
    keys = ["kpi_name", "period_grain", "period_start", "scope_type", "scope_id", "breakdown_type", "breakdown_id"]
    merged = expected.merge(actual, on=keys, how="outer", suffixes=("_exp", "_act"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head(10).to_string()
    values_differ = ~np.isclose(merged["value_exp"].astype(float), merged["value_act"].astype(float), rtol=1e-9,
                                atol=1e-9)
    assert not values_differ.any(), merged[values_differ].head(10).to_string()
    assert (merged["sample_size_exp"] == merged["sample_size_act"]).all()
