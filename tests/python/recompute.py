"""Shared helpers of the KPI recomputation tests: one copy of each, imported by every test_kpi_*.py module.

The KPI modules recompute their family's inputs in pandas straight from the landing files (landing_reader) and the
seeds, following the KPI catalogue rather than the SQL, then compare them row by row with the warehouse. What they
share lives here so that each convention (how an enumeration is cleaned, which local date an instant falls on,
how daily rows roll up to the scopes, what "the same row" means) is written once: a change to a convention is made
in one place and every family follows it. No test module imports another test module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from landing_reader import read_current, read_raw
from switchboard import contract, settings

CENTER_TZ = "America/New_York"  # the center's zone: the date of anything without a site
KEY = ["kpi_name", "local_date", "scope_type", "scope_id", "breakdown_type", "breakdown_id"]
PERIOD_KEY = ["kpi_name", "period_grain", "period_start", "scope_type", "scope_id", "breakdown_type", "breakdown_id"]
VALUES = ("numerator", "denominator", "sample_size")
TEXT_VALUES = frozenset({"currency"})
DATE_KEYS = frozenset({"local_date", "period_start"})
REL = 1e-9
FCR_WINDOW = pd.Timedelta(days=7)

Scope = tuple[str, str | None]  # (scope_type, column holding the scope id; None = the center, id 'all')


# ---------------------------------------------------------------------------------------------- reference data


def clean(series: pd.Series) -> pd.Series:
    """Enumerations as the contract spells them: trimmed, lower-cased."""
    return series.astype("object").map(lambda v: v.strip().lower() if isinstance(v, str) else v)


def seed(name: str, dtype: type | None = None) -> pd.DataFrame:
    """A seed as dbt loads it: empty fields are null, every other text (such as 'NA') is kept."""
    return pd.read_csv(settings.SEEDS_DIR / f"{name}.csv", dtype=dtype, keep_default_na=False, na_values=[""])


def site_zones() -> dict[str, str]:
    sites = seed("sites")
    return dict(zip(sites.site_id, sites.time_zone, strict=True))


# ---------------------------------------------------------------------------------------------- dates and periods


def local_date(ts: pd.Timestamp, zone: str | None) -> dt.date:
    """Local calendar date of one naive-UTC instant in `zone` (the center's zone when none)."""
    return ts.tz_localize("UTC").tz_convert(zone or CENTER_TZ).date()


def local_dates(utc: pd.Series, zones: pd.Series, fallback: str | None = CENTER_TZ) -> pd.Series:
    """`local_date` for a column, one zone at a time; rows without a zone take `fallback` (None: no date)."""
    zones = zones.fillna(fallback) if fallback else zones
    out = pd.Series([None] * len(utc), index=utc.index, dtype=object)
    for zone in zones.dropna().unique():
        mask = (zones == zone) & utc.notna()
        out[mask] = utc[mask].dt.tz_localize("UTC").dt.tz_convert(zone).dt.date
    return out


def period_start(day, grain: str):
    """First day of the ISO week (Monday) or month containing `day` (a date, or a column of dates); itself for day."""
    if isinstance(day, pd.Series):
        ts = pd.to_datetime(day)
        if grain == "week":
            return (ts - pd.to_timedelta(ts.dt.weekday, unit="D")).dt.date
        if grain == "month":
            return ts.dt.to_period("M").dt.start_time.dt.date
        return ts.dt.date
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def period_end(start: dt.date, grain: str) -> dt.date:
    """Last day of the period that begins on `start`."""
    if grain == "week":
        return start + dt.timedelta(days=6)
    if grain == "month":
        following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)
    return start


# ---------------------------------------------------------------------------------------------- roll-up and comparison


def expand(rows: pd.DataFrame, scopes: Sequence[Scope], maximum: Collection[str] = ()) -> pd.DataFrame:
    """Finest-grain rows summed per KPI, local date and breakdown to every scope of `scopes`.

    A row without the scope's id counts only at the scopes it has (an unsited contact at the center). Numerator and
    denominator are Σ (null when every input is null), the numerator of the KPIs in `maximum` is the max; the sample
    size is Σ; a `currency` column is carried. Rows without a breakdown get breakdown 'all'.
    """
    rows = rows.copy()
    if "breakdown_type" not in rows:
        rows["breakdown_type"], rows["breakdown_id"] = "all", "all"
    parts = []
    for scope_type, column in scopes:
        frame = rows.assign(scope_type=scope_type, scope_id="all" if column is None else rows[column])
        frame = frame[frame["scope_id"].notna()]
        if frame.empty:
            continue
        aggregations = {
            "num_sum": ("numerator", lambda s: s.sum(min_count=1)),
            "num_max": ("numerator", "max"),
            "denominator": ("denominator", lambda s: s.sum(min_count=1)),
            "sample_size": ("sample_size", "sum"),
        }
        if "currency" in frame:
            aggregations["currency"] = ("currency", "max")
        agg = frame.groupby(KEY, dropna=False).agg(**aggregations).reset_index()
        agg["numerator"] = agg["num_max"].where(agg["kpi_name"].isin(list(maximum)), agg["num_sum"])
        parts.append(agg.drop(columns=["num_sum", "num_max"]))
    return pd.concat(parts, ignore_index=True)


def event_rows(
    frame: pd.DataFrame, kpi: str, date_col: str, numerator, denominator, sample, breakdown=("all", None), currency=None
) -> pd.DataFrame:
    """Event rows of one KPI, one per row of `frame` (already filtered to the KPI's events), with its site, channel
    and queue: numerator, denominator and sample size each a column of the frame or one value (None = null)."""
    n = len(frame)

    def column(v):
        return v.astype(float).to_numpy() if isinstance(v, pd.Series) else np.full(n, np.nan if v is None else float(v))

    out = pd.DataFrame(
        {
            "kpi_name": kpi,
            "local_date": frame[date_col].to_numpy(),
            "site_id": frame["site_id"].to_numpy(),
            "channel": frame["channel"].to_numpy(),
            "queue_id": frame["queue_id"].to_numpy(),
            "numerator": column(numerator),
            "denominator": column(denominator),
            "sample_size": column(sample),
            "breakdown_type": breakdown[0],
            "breakdown_id": "all" if breakdown[1] is None else frame[breakdown[1]].to_numpy(),
            "currency": currency,
        }
    )
    return out


def _keyed(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Key columns in one representation on both sides: dates as dates, everything else as text, nulls as None."""
    frame = frame.copy()
    for col in key:
        values = pd.to_datetime(frame[col]).dt.date if col in DATE_KEYS else frame[col]
        frame[col] = [None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in values]
    return frame


def compare(expected: pd.DataFrame, actual: pd.DataFrame, key: list[str], columns: Sequence[str] = VALUES) -> None:
    """Assert two row sets are the same: unique keys, the same keys on both sides, every column of `columns` equal
    (numbers within 1e-9 relative or absolute, text exactly; null equals null). Fails listing every difference."""
    expected, actual = _keyed(expected, key), _keyed(actual, key)
    problems = []
    for label, frame in (("expected", expected), ("warehouse", actual)):
        duplicated = frame[frame.duplicated(key, keep=False)]
        if len(duplicated):
            problems.append(f"{len(duplicated)} {label} rows share a key, e.g.\n{duplicated[key].head(8).to_string()}")
    merged = expected.merge(actual, on=key, how="outer", suffixes=("_exp", "_act"), indicator=True)
    for side, label in (("left_only", "missing from the warehouse"), ("right_only", "not expected")):
        extra = merged[merged["_merge"] == side]
        if len(extra):
            problems.append(f"{len(extra)} rows {label}, e.g.\n{extra[key].head(8).to_string()}")
    both = merged[merged["_merge"] == "both"]
    for col in columns:
        e, a = both[f"{col}_exp"], both[f"{col}_act"]
        if col in TEXT_VALUES:
            same = (e.astype(str) == a.astype(str)) | (e.isna() & a.isna())
        else:
            e, a = e.astype(float), a.astype(float)
            same = np.isclose(e, a, rtol=REL, atol=1e-9) | (e.isna() & a.isna())
        if not same.all():
            problems.append(
                f"{int((~same).sum())} rows with another {col}, e.g.\n"
                f"{both.loc[~same, key + [f'{col}_exp', f'{col}_act']].head(8).to_string()}"
            )
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------- HR versions


def employee_versions(landing: Path) -> pd.DataFrame:
    """SCD2 versions from the daily full extracts: a new version where anything but _extracted_at changed."""
    raw = read_raw(landing, "hr/employees").sort_values(["employee_id", "_extracted_at", "_file"], kind="mergesort")
    raw = raw.drop_duplicates(["employee_id", "_extracted_at"], keep="last")
    for col in ("job_role", "employment_type", "termination_type"):
        raw[col] = clean(raw[col])
    for col in ("hire_date", "termination_date"):
        as_dates = pd.to_datetime(raw[col]).dt.date
        raw[col] = as_dates.astype("object").where(as_dates.notna(), None)
    # every contract column but the key and the extract time (the order of the signature is immaterial)
    content = [c.name for c in contract.table("hr/employees").columns if c.name not in ("employee_id", "_extracted_at")]
    content = [c for c in content if c in raw.columns]
    signature = raw[content].astype(str).agg("|".join, axis=1)
    changed = signature != signature.groupby(raw["employee_id"]).shift()
    versions = raw[changed].copy()
    versions["valid_from"] = versions["_extracted_at"]
    versions["valid_to"] = versions.groupby("employee_id")["valid_from"].shift(-1)
    first = versions.groupby("employee_id").cumcount() == 0
    versions["from_date"] = versions["valid_from"].dt.date.where(~first, pd.Timestamp("1900-01-01").date())
    versions["to_date"] = versions["valid_to"].dt.date.where(
        versions["valid_to"].notna(), pd.Timestamp("9999-12-31").date()
    )
    versions["is_current"] = versions["valid_to"].isna()
    return versions.reset_index(drop=True)


class History:
    """Which HR version applies to an employee on a date: from_date <= date < to_date."""

    def __init__(self, versions: pd.DataFrame):
        self.by_employee = {k: g.to_dict("records") for k, g in versions.groupby("employee_id")}

    def as_of(self, employee_id, day) -> dict | None:
        for version in self.by_employee.get(employee_id, []):
            if version["from_date"] <= day < version["to_date"]:
                return version
        return None


# ---------------------------------------------------------------------------------------------- segments and contacts


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
                cycle = path[path.index(parent) :]
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
    by_agent = {
        agent: (g["_extracted_at"].to_numpy(), g["site_id"].to_numpy()) for agent, g in hr.groupby("employee_id")
    }
    out = []
    for agent, at in zip(segments["agent_id"], segments["initiated_at"], strict=True):
        if agent is None or agent not in by_agent:
            out.append(None)
            continue
        times, sites = by_agent[agent]
        idx = np.searchsorted(times, np.datetime64(at), side="right") - 1
        out.append(sites[max(idx, 0)])
    return pd.Series(out, index=segments.index, dtype=object)


def load_segments(landing: Path) -> pd.DataFrame:
    """The current version of every segment with its chain, site, zone, waits, handle time parts and local dates."""
    seg = read_current(landing, "acd/contact_segments")
    for col in ["channel", "direction", "disconnect_reason", "transfer_type", "campaign_result"]:
        seg[col] = clean(seg[col])
    queues = seed("queues", dtype=str)
    queues["service_level_threshold_s"] = queues["service_level_threshold_s"].astype(float)
    queues["short_abandon_threshold_s"] = queues["short_abandon_threshold_s"].astype(float)
    sites = seed("sites", dtype=str)[["site_id", "time_zone"]]
    prev = {
        s: (p if isinstance(p, str) else None)
        for s, p in zip(seg["segment_id"], seg["previous_segment_id"], strict=True)
    }
    seg = seg.merge(walk_chains(prev), on="segment_id", how="left")
    seg = seg.merge(
        queues[["queue_id", "site_id", "service_level_threshold_s", "short_abandon_threshold_s"]].rename(
            columns={"site_id": "queue_site"}
        ),
        on="queue_id",
        how="left",
    )
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
    seg["init_date"] = local_dates(seg["initiated_at"], seg["tz"])
    seg["enq_date"] = local_dates(seg["enqueued_at"], seg["tz"])
    seg["conn_date"] = local_dates(seg["connected_at"], seg["tz"])
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

    roots = first_where(
        ordered["segment_id"].notna(), ["chain_status", "direction", "channel", "initiated_at", "disconnect_reason"]
    )
    queued = first_where(ordered["queue_id"].notna(), ["queue_id", "channel", "site_id", "tz"])
    sited = first_where(ordered["site_id"].notna(), ["site_id", "tz"])
    customer = first_where(ordered["customer_id"].notna(), ["customer_id"])
    work = ordered.assign(
        escalated=ordered["segment_id"].isin(escalated_segments),
        handle_handled=ordered["handle"].where(ordered["handled"]),
    )
    totals = work.groupby("contact_id").agg(
        handled=("handled", "any"),
        handle=("handle_handled", lambda v: v.sum(min_count=1)),
        last_disconnected_at=("disconnected_at", "max"),
        transferred=("transferred_out", "any"),
        escalated=("escalated", "any"),
    )
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
    contacts["init_date"] = local_dates(contacts["initiated_at"], contacts["tz"])

    data_end = seg["initiated_at"].max()
    inbound_by_customer = {
        cust: np.sort(g["initiated_at"].to_numpy())
        for cust, g in contacts[(contacts["direction"] == "inbound") & contacts["customer_id"].notna()].groupby(
            "customer_id"
        )
    }
    window_end = contacts["last_disconnected_at"] + FCR_WINDOW
    repeat = []
    for cust, start, stop in zip(contacts["customer_id"], contacts["last_disconnected_at"], window_end, strict=True):
        if cust is None or pd.isna(start):
            repeat.append(False)
            continue
        times = inbound_by_customer.get(cust, np.array([], dtype="datetime64[ns]"))
        lo = np.searchsorted(times, np.datetime64(start), side="right")  # strictly after the last disconnect
        hi = np.searchsorted(times, np.datetime64(stop), side="right")  # up to and including the window end
        repeat.append(hi > lo)
    contacts["repeat"] = repeat
    contacts["eligible"] = (
        (contacts["chain_status"] == "ok")
        & (contacts["direction"] == "inbound")
        & contacts["handled"]
        & contacts["customer_id"].notna()
        & (window_end <= data_end)
    )
    contacts["resolved"] = (
        contacts["eligible"] & ~contacts["transferred"] & ~contacts["escalated"] & ~contacts["repeat"]
    )
    return contacts


# ---------------------------------------------------------------------------------------------- handling agents


def handling_teams(seg: pd.DataFrame, landing: Path) -> pd.Series:
    """The HR team of each handled segment's agent as of its connected local date (the team family's "as of a
    date": the version whose extract date <= the date < the next one's, the first version covering earlier
    dates); None for unhandled segments, segments without an agent and agents unknown to HR."""
    history = History(employee_versions(landing))
    out = []
    for handled, agent, day in zip(seg["handled"], seg["agent_id"], seg["conn_date"], strict=True):
        version = history.as_of(agent, day) if handled and isinstance(agent, str) else None
        team = version["team_id"] if version else None
        out.append(team if isinstance(team, str) else None)
    return pd.Series(out, index=seg.index, dtype=object)


def first_handlers(seg: pd.DataFrame) -> pd.DataFrame:
    """Per contact, the agent and team of its first handled segment in chain order (position, initiated_at,
    segment_id): the contact's handling agent for the per-agent contact KPIs. `seg` needs a team_id column
    (handling_teams)."""
    handled = seg[seg["handled"]].sort_values(["contact_id", "position", "initiated_at", "segment_id"])
    first = handled.drop_duplicates("contact_id", keep="first")
    agents = first["agent_id"].where(first["agent_id"].notna(), None)
    return pd.DataFrame(
        {"contact_id": first["contact_id"], "agent_id": agents.astype(object), "team_id": first["team_id"]}
    )


# ------------------------------------------------------------------------------------ data end and complete periods


def data_ranges(site_ids: pd.Series, initiated_at: pd.Series) -> dict[tuple[str, str], tuple[dt.date, dt.date]]:
    """The data's date range per scope from the landing's segments: (scope_type, scope_id) -> (first, last local
    date of `initiated_at`). A site: its own segments, in its zone; the center: every segment (those without a
    site dated in the center's zone)."""
    zones = site_zones()
    frame = pd.DataFrame({"site_id": site_ids.to_numpy(), "initiated_at": initiated_at.to_numpy()})
    frame["day"] = local_dates(frame["initiated_at"], frame["site_id"].map(zones))
    ranges = {("center", "all"): (min(frame["day"]), max(frame["day"]))}
    for site, days in frame.dropna(subset=["site_id"]).groupby("site_id")["day"]:
        ranges[("site", site)] = (min(days), max(days))
    return ranges


def scope_data_range(
    ranges: dict, scope_sites: dict[tuple[str, str], str], scope_type: str, scope_id: str
) -> tuple[dt.date, dt.date]:
    """A scope's range: its own (center, site), else its site's (queue, team, agent by `scope_sites`), else the
    center's (channel; a scope whose site has no segments)."""
    own = ranges.get((scope_type, scope_id))
    site = scope_sites.get((scope_type, scope_id))
    return own or ranges.get(("site", site)) or ranges[("center", "all")]


def cut_days_after_data_end(days: pd.DataFrame, ranges: dict, scope_sites: dict) -> pd.DataFrame:
    """Daily rows (local_date) on or before the data end of their scope: later days count in no period."""
    last = [scope_data_range(ranges, scope_sites, t, i)[1] for t, i in zip(days["scope_type"], days["scope_id"])]
    day = pd.to_datetime(days["local_date"]).dt.date.to_numpy()
    return days[day <= np.array(last, dtype=object)]


def flag_complete_periods(rows: pd.DataFrame, ranges: dict, scope_sites: dict) -> pd.DataFrame:
    """Period rows starting on or before the data end of their scope, with is_complete = the period lies wholly
    inside the scope's range."""
    bounds = [scope_data_range(ranges, scope_sites, t, i) for t, i in zip(rows["scope_type"], rows["scope_id"])]
    starts, grains = list(rows["period_start"]), list(rows["period_grain"])
    keep = [s <= last for s, (_, last) in zip(starts, bounds)]
    complete = [
        s >= first and period_end(s, g) <= last for s, g, (first, last) in zip(starts, grains, bounds, strict=True)
    ]
    return rows.assign(is_complete=complete)[keep]
