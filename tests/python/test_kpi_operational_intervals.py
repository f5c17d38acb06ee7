"""Independent recomputation of the interval, staffing and cost KPIs of the operational family.

Everything here is computed with pandas straight from the landing files (``landing_reader``) and the seeds,
following the KPI catalogue (kpi-catalogue.md: Conventions, Operational, Erlang C) and
docs/kpi-definitions.md (Operational: queue intervals), never from the dbt models. It is compared with every row
of ``int_kpi_operational__interval_days``, ``int_kpi_operational__downtime_days``,
``int_kpi_operational__volume_and_cost_periods`` and with
``fct_queue_intervals.required_agents`` of the shared test warehouse (fixture ``warehouse``): the same keys,
values within 1e-9 relative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import pytest

from landing_reader import read_current, read_raw
from recompute import CENTER_TZ, PERIOD_KEY, compare, local_dates, period_start, seed
from recompute import KEY as DAILY_KEY

INTERVAL = pd.Timedelta(minutes=30)
INTERVAL_S = 1800.0
REPORTING = "USD"
MAX_STATE = pd.Timedelta(hours=12)
MAX_AGENTS = 2000
DEFAULT_SL_TARGET = 0.8
TRAILING = pd.Timedelta(days=28)


# --------------------------------------------------------------------------------------------- helpers


def erlang_required(a: float, aht: float, t: float, target: float) -> int | None:
    """Fewest agents N > A with 1 - C(N, A) e^{-(N-A) t / aht} >= target (Erlang C with lgamma)."""
    limit = min(MAX_AGENTS, math.floor(a + 10 * math.sqrt(a) + 50))
    cdf = 0.0
    for k in range(0, limit + 1):
        pmf = math.exp(k * math.log(a) - a - math.lgamma(k + 1))
        cdf += pmf
        if k <= a:
            continue
        b = pmf / cdf
        c = k * b / (k - a * (1 - b))
        if 1 - c * math.exp(-(k - a) * t / aht) >= target:
            return k
    return None


# --------------------------------------------------------------------------------------------- model


@dataclass
class Recompute:
    landing: object

    @cached_property
    def sites(self) -> pd.DataFrame:
        return seed("sites")

    @cached_property
    def queues(self) -> pd.DataFrame:
        q = seed("queues").merge(self.sites[["site_id", "time_zone"]], on="site_id", how="left")
        q["is_outbound"] = q["is_outbound"].astype(str).str.lower() == "true"
        q["erlang"] = q["channel"].isin(["voice", "chat"]) & ~q["is_outbound"]
        return q

    @cached_property
    def segments(self) -> pd.DataFrame:
        s = read_current(self.landing, "acd/contact_segments")
        s = s.merge(
            self.queues[
                [
                    "queue_id",
                    "site_id",
                    "time_zone",
                    "channel",
                    "line_of_business",
                    "service_level_threshold_s",
                    "erlang",
                ]
            ].rename(columns={"channel": "q_channel"}),
            on="queue_id",
            how="left",
        )
        answered = s["connected_at"].notna()
        s["handle_s"] = np.where(
            answered,
            # talk (connected -> disconnected less hold) + hold + ACW
            (s["disconnected_at"] - s["connected_at"]).dt.total_seconds()
            - s["hold_seconds"].fillna(0)
            + s["hold_seconds"].fillna(0)
            + (s["acw_ended_at"] - s["acw_started_at"]).dt.total_seconds().fillna(0),
            np.nan,
        )
        return s

    @cached_property
    def employees(self) -> pd.DataFrame:
        """Every extract row of hr/employees with its local extract date (at the row's site)."""
        e = read_raw(self.landing, "hr/employees")
        e = e.sort_values(["_extracted_at", "_file"]).drop_duplicates(["employee_id", "_extracted_at"], keep="last")
        e = e.merge(self.sites[["site_id", "time_zone"]], on="site_id", how="left")
        e["extract_local_date"] = pd.to_datetime(local_dates(e["_extracted_at"], e["time_zone"], fallback=None))
        return e.reset_index(drop=True)

    # ---- queue intervals

    @cached_property
    def forecasts(self) -> pd.DataFrame:
        f = read_current(self.landing, "wfm/forecasts")
        f = f[f["created_at"] < f["interval_start"]]
        f = f.sort_values("created_at").drop_duplicates(["queue_id", "interval_start"], keep="last")
        return f[["queue_id", "interval_start", "forecast_contacts", "forecast_aht_s"]]

    @cached_property
    def queue_intervals(self) -> pd.DataFrame:
        s = self.segments[self.segments["queue_id"].notna()]
        offers = s[s["enqueued_at"].notna()].assign(interval_start=lambda x: x["enqueued_at"].dt.floor(INTERVAL))
        offers = offers.groupby(["queue_id", "interval_start"]).size().rename("offers").reset_index()
        handled = s[s["connected_at"].notna()].assign(interval_start=lambda x: x["connected_at"].dt.floor(INTERVAL))
        self._handled = handled
        handled = (
            handled.groupby(["queue_id", "interval_start"])
            .agg(handled=("segment_id", "size"), sum_handle=("handle_s", "sum"))
            .reset_index()
        )
        qi = offers.merge(handled, on=["queue_id", "interval_start"], how="outer")
        qi = qi.merge(self.forecasts, on=["queue_id", "interval_start"], how="outer")
        qi = qi.merge(self.queues, on="queue_id", how="inner")
        qi["offers"] = qi["offers"].fillna(0)
        qi["handled"] = qi["handled"].fillna(0)
        qi["sum_handle"] = qi["sum_handle"].fillna(0.0)
        qi["local_date"] = local_dates(qi["interval_start"], qi["time_zone"], fallback=None)
        return qi.reset_index(drop=True)

    def trailing_aht(self, queue_id: str, start: pd.Timestamp) -> float | None:
        h = self._handled
        h = h[(h["queue_id"] == queue_id) & (h["interval_start"] < start) & (h["interval_start"] >= start - TRAILING)]
        return float(h["handle_s"].sum() / len(h)) if len(h) else None

    @cached_property
    def sl_targets(self) -> pd.DataFrame:
        t = seed("kpi_targets")
        t = t[t["kpi_name"] == "service_level"].copy()
        t["valid_from"] = pd.to_datetime(t["valid_from"])
        t["valid_to"] = pd.to_datetime(t["valid_to"])
        return t

    def sl_target(self, queue_id: str, site_id: str, day) -> float:
        t = self.sl_targets
        day = pd.Timestamp(day)
        for scope, sid in (("queue", queue_id), ("site", site_id), ("center", "all")):
            rows = t[
                (t["scope_type"] == scope)
                & (t["scope_id"] == sid)
                & (t["valid_from"] <= day)
                & (t["valid_to"].isna() | (t["valid_to"] >= day))
            ]
            if len(rows):
                return float(rows["target_value"].iloc[0])
        return DEFAULT_SL_TARGET

    @cached_property
    def required(self) -> pd.DataFrame:
        qi = self.queue_intervals
        qi = qi[qi["erlang"]].copy()
        values = []
        for row in qi.itertuples():
            if row.offers == 0:
                values.append(0)
                continue
            if row.handled > 0:
                aht = row.sum_handle / row.handled
            elif pd.notna(row.forecast_aht_s) and row.forecast_aht_s > 0:
                aht = row.forecast_aht_s
            else:
                aht = self.trailing_aht(row.queue_id, row.interval_start)
            if not aht:
                values.append(None)
                continue
            a = row.offers / INTERVAL_S * aht
            values.append(
                erlang_required(
                    a,
                    aht,
                    float(row.service_level_threshold_s),
                    self.sl_target(row.queue_id, row.site_id, row.local_date),
                )
            )
        qi["required_agents"] = values
        return qi[
            ["queue_id", "interval_start", "site_id", "line_of_business", "local_date", "offers", "required_agents"]
        ]

    # ---- staffing

    @cached_property
    def scheduled(self) -> pd.DataFrame:
        sch = read_current(self.landing, "wfm/schedule_activities")
        latest = sch.groupby(["agent_id", "schedule_date"])["published_at"].transform("max")
        sch = sch[
            (sch["published_at"] == latest)
            & (sch["activity"].str.strip().str.lower() == "open")
            & (sch["ends_at"] > sch["starts_at"])
        ].copy()
        sch["schedule_dt"] = pd.to_datetime(sch["schedule_date"])
        emp = self.employees[["employee_id", "extract_local_date", "team_id", "_extracted_at"]]
        emp = emp.sort_values(["extract_local_date", "_extracted_at"])
        sch = sch.sort_values("schedule_dt")
        asof = pd.merge_asof(
            sch,
            emp.rename(columns={"employee_id": "agent_id"}),
            left_on="schedule_dt",
            right_on="extract_local_date",
            by="agent_id",
            direction="backward",
        )
        earliest = emp.sort_values("_extracted_at").drop_duplicates("employee_id")[["employee_id", "team_id"]]
        asof = asof.merge(
            earliest.rename(columns={"employee_id": "agent_id", "team_id": "first_team"}), on="agent_id", how="inner"
        )
        asof["team_id"] = asof["team_id"].where(asof["extract_local_date"].notna(), asof["first_team"])
        teams = read_current(self.landing, "hr/teams")[["team_id", "site_id", "line_of_business"]]
        asof = asof.merge(teams, on="team_id", how="inner")
        asof = asof[asof["site_id"].notna()]
        rows = []
        for r in asof.itertuples():
            start = r.starts_at.floor(INTERVAL)
            while start < r.ends_at:
                end = start + INTERVAL
                seconds = (min(end, r.ends_at) - max(start, r.starts_at)).total_seconds()
                if seconds > 0:
                    rows.append((r.site_id, r.line_of_business, start, seconds))
                start = end
        out = pd.DataFrame(rows, columns=["site_id", "line_of_business", "interval_start", "seconds"])
        out = out.groupby(["site_id", "line_of_business", "interval_start"])["seconds"].sum().reset_index()
        out["scheduled_agents"] = out["seconds"] / INTERVAL_S
        return out

    @cached_property
    def staffing_cells(self) -> pd.DataFrame:
        req = (
            self.required.groupby(["site_id", "line_of_business", "interval_start"])
            .agg(
                offers=("offers", "sum"),
                required=("required_agents", lambda v: None if any(x is None or pd.isna(x) for x in v) else sum(v)),
            )
            .reset_index()
        )
        cells = req.merge(
            self.scheduled[["site_id", "line_of_business", "interval_start", "scheduled_agents"]],
            on=["site_id", "line_of_business", "interval_start"],
            how="outer",
        )
        cells["offers"] = cells["offers"].fillna(0)
        cells["required"] = np.where(cells["offers"] == 0, 0.0, cells["required"].astype(float))
        cells["scheduled_agents"] = cells["scheduled_agents"].fillna(0.0)
        cells = cells.merge(self.sites[["site_id", "time_zone"]], on="site_id")
        cells["local_date"] = local_dates(cells["interval_start"], cells["time_zone"], fallback=None)
        return cells

    # ---- daily KPI rows

    def daily_rows(self) -> pd.DataFrame:
        frames = [self.peak_rows(), self.accuracy_rows(), self.staffing_rows()]
        return pd.concat(frames, ignore_index=True)

    @cached_property
    def scope_intervals(self) -> pd.DataFrame:
        qi = self.queue_intervals
        qi = qi[qi["offers"] > 0]
        parts = []
        for scope, col in (("center", None), ("site", "site_id"), ("channel", "channel"), ("queue", "queue_id")):
            keys = ["local_date", "interval_start"] + ([col] if col else [])
            g = qi.groupby(keys)["offers"].sum().reset_index()
            g["scope_type"] = scope
            g["scope_id"] = g[col] if col else "all"
            parts.append(g[["scope_type", "scope_id", "local_date", "interval_start", "offers"]])
        return pd.concat(parts, ignore_index=True)

    def peak_rows(self) -> pd.DataFrame:
        g = self.scope_intervals.groupby(["scope_type", "scope_id", "local_date"])["offers"]
        out = pd.DataFrame({"numerator": g.max(), "sample_size": g.size()}).reset_index()
        return out.assign(
            kpi_name="peak_interval_contacts", breakdown_type="all", breakdown_id="all", denominator=np.nan
        )

    def accuracy_rows(self) -> pd.DataFrame:
        qi = self.queue_intervals[~self.queue_intervals["is_outbound"]]
        fa = qi[(qi["offers"] > 0) | qi["forecast_contacts"].notna()].copy()
        fa["num"] = fa["offers"] - (fa["offers"] - fa["forecast_contacts"].fillna(0)).abs()
        fa["den"] = fa["offers"]
        fa["n"] = fa["offers"]
        fa["kpi_name"] = "forecast_accuracy"
        ah = qi[qi["handled"] > 0].copy()
        ah["num"] = (
            ah["sum_handle"] - ah["handled"] * (ah["sum_handle"] / ah["handled"] - ah["forecast_aht_s"].fillna(0)).abs()
        )
        ah["den"] = ah["sum_handle"]
        ah["n"] = ah["handled"]
        ah["kpi_name"] = "aht_forecast_accuracy"
        both = pd.concat([fa, ah], ignore_index=True)
        parts = []
        for scope, col in (("center", None), ("site", "site_id"), ("channel", "channel"), ("queue", "queue_id")):
            keys = ["kpi_name", "local_date"] + ([col] if col else [])
            g = (
                both.groupby(keys)
                .agg(numerator=("num", "sum"), denominator=("den", "sum"), sample_size=("n", "sum"))
                .reset_index()
            )
            g["scope_type"] = scope
            g["scope_id"] = g[col] if col else "all"
            parts.append(g)
        out = pd.concat(parts, ignore_index=True)
        # a day whose intervals had forecasts but no offer still carries their error (a missing side counts 0) into
        # its week and month, in a row of sample size 0
        forecast_error_only = (out["kpi_name"] == "forecast_accuracy") & (out["numerator"] != 0)
        return out[(out["sample_size"] > 0) | forecast_error_only].assign(breakdown_type="all", breakdown_id="all")

    def staffing_rows(self) -> pd.DataFrame:
        c = self.staffing_cells.copy()
        hours = 0.5
        metrics = {
            "required_agent_hours": (c["required"] * hours, np.nan, (c["required"] > 0).astype(int)),
            "scheduled_agent_hours": (c["scheduled_agents"] * hours, np.nan, (c["scheduled_agents"] > 0).astype(int)),
            "understaffed_interval_share": (
                ((c["offers"] > 0) & (c["scheduled_agents"] < c["required"])).astype(float),
                (c["offers"] > 0).astype(float),
                (c["offers"] > 0).astype(int),
            ),
        }
        parts = []
        for kpi, (num, den, n) in metrics.items():
            base = c[["site_id", "line_of_business", "local_date"]].assign(num=num, den=den, n=n)
            for scope in ("center", "site"):
                for breakdown in ("all", "line_of_business"):
                    keys = (
                        ["local_date"]
                        + (["site_id"] if scope == "site" else [])
                        + (["line_of_business"] if breakdown != "all" else [])
                    )
                    g = (
                        base.groupby(keys)
                        .agg(numerator=("num", "sum"), denominator=("den", "sum"), sample_size=("n", "sum"))
                        .reset_index()
                    )
                    g["kpi_name"] = kpi
                    g["scope_type"] = scope
                    g["scope_id"] = g["site_id"] if scope == "site" else "all"
                    g["breakdown_type"] = breakdown
                    g["breakdown_id"] = g["line_of_business"] if breakdown != "all" else "all"
                    if kpi != "understaffed_interval_share":
                        g["denominator"] = np.nan
                    parts.append(g)
        out = pd.concat(parts, ignore_index=True)
        return out[out["sample_size"] > 0]

    # ---- technical time and incidents

    def finance_daily_rows(self) -> pd.DataFrame:
        st = read_current(self.landing, "acd/agent_state_changes").sort_values(["agent_id", "state_started_at"])
        st["next_start"] = st.groupby("agent_id")["state_started_at"].shift(-1)
        st = st[st["state"].str.strip().str.lower() == "technical_issue"].copy()
        end = st["next_start"].fillna(st["_extracted_at"])
        end = end.where(end <= st["state_started_at"] + MAX_STATE, st["state_started_at"] + MAX_STATE)
        st["seconds"] = (end - st["state_started_at"]).dt.total_seconds()
        emp = self.employees[["employee_id", "_extracted_at", "site_id"]].sort_values("_extracted_at")
        st = st.sort_values("state_started_at")
        st = pd.merge_asof(
            st,
            emp.rename(columns={"employee_id": "agent_id", "_extracted_at": "version_at"}),
            left_on="state_started_at",
            right_on="version_at",
            by="agent_id",
            direction="backward",
        )
        first = emp.drop_duplicates("employee_id")[["employee_id", "site_id"]].rename(
            columns={"employee_id": "agent_id", "site_id": "first_site"}
        )
        st = st.merge(first, on="agent_id", how="left")
        st["site_id"] = st["site_id"].where(st["version_at"].notna(), st["first_site"])
        st = st.merge(self.sites[["site_id", "time_zone"]], on="site_id", how="left")
        st["local_date"] = local_dates(st["state_started_at"], st["time_zone"])
        parts = []
        site = (
            st[st["site_id"].notna()]
            .groupby(["local_date", "site_id"])
            .agg(numerator=("seconds", "sum"), sample_size=("seconds", "size"))
            .reset_index()
        )
        parts.append(site.assign(scope_type="site", scope_id=site["site_id"]))
        center = st.groupby("local_date").agg(numerator=("seconds", "sum"), sample_size=("seconds", "size"))
        parts.append(center.reset_index().assign(scope_type="center", scope_id="all"))
        tech = pd.concat(parts, ignore_index=True).assign(kpi_name="technical_time_lost_s")

        inc = read_current(self.landing, "ops/incidents")
        data_end = inc["_extracted_at"].max()
        inc["minutes"] = (inc["resolved_at"].fillna(data_end) - inc["started_at"]).dt.total_seconds() / 60.0
        rows = []
        for r in inc.itertuples():
            if pd.isna(r.site_id):
                for s in self.sites.itertuples():
                    rows.append(("site", s.site_id, r.started_at, s.time_zone, r.minutes))
                rows.append(("center", "all", r.started_at, CENTER_TZ, r.minutes))
            else:
                tz = self.sites.set_index("site_id")["time_zone"].get(r.site_id, CENTER_TZ)
                if r.site_id in set(self.sites["site_id"]):
                    rows.append(("site", r.site_id, r.started_at, tz, r.minutes))
                rows.append(("center", "all", r.started_at, tz, r.minutes))
        inc_rows = pd.DataFrame(rows, columns=["scope_type", "scope_id", "started_at", "tz", "minutes"])
        inc_rows["local_date"] = local_dates(inc_rows["started_at"], inc_rows["tz"], fallback=None)
        incid = (
            inc_rows.groupby(["scope_type", "scope_id", "local_date"])
            .agg(numerator=("minutes", "sum"), sample_size=("minutes", "size"))
            .reset_index()
        )
        incid["kpi_name"] = "incident_minutes"
        out = pd.concat([tech, incid], ignore_index=True)
        return out.assign(breakdown_type="all", breakdown_id="all", denominator=np.nan)

    # ---- period rows

    def period_rows(self) -> pd.DataFrame:
        si = self.scope_intervals
        parts = []
        for grain in ("day", "week", "month"):
            x = si.assign(period_start=period_start(si["local_date"], grain))
            g = x.groupby(["scope_type", "scope_id", "period_start"])["offers"]
            pa = pd.DataFrame({"numerator": g.max(), "denominator": g.sum() / g.size(), "sample_size": g.size()})
            pa = pa.reset_index().assign(kpi_name="peak_to_average_ratio", period_grain=grain)
            parts.append(pa)
        # volume change: every calendar day between the first and last local date with an offer
        days = pd.date_range(min(si["local_date"]), max(si["local_date"]), freq="D")
        per_day = si.groupby(["scope_type", "scope_id", "local_date"])["offers"].sum()
        scopes = si[["scope_type", "scope_id"]].drop_duplicates()
        grid = scopes.merge(pd.DataFrame({"local_date": days.date}), how="cross")
        grid = grid.merge(per_day.reset_index(), on=["scope_type", "scope_id", "local_date"], how="left")
        grid["offers"] = grid["offers"].fillna(0)
        for grain in ("day", "week", "month"):
            x = grid.assign(period_start=period_start(grid["local_date"], grain))
            p = x.groupby(["scope_type", "scope_id", "period_start"])["offers"].sum().reset_index()
            prev_start = pd.to_datetime(p["period_start"])
            prev_start = {
                "day": prev_start - pd.Timedelta(days=1),
                "week": prev_start - pd.Timedelta(days=7),
                "month": prev_start - pd.DateOffset(months=1),
            }[grain]
            p["prev_start"] = pd.Series(prev_start).dt.date
            prev = p[["scope_type", "scope_id", "period_start", "offers"]].rename(
                columns={"period_start": "prev_start", "offers": "prev_offers"}
            )
            v = p.merge(prev, on=["scope_type", "scope_id", "prev_start"], how="inner")
            v = v[v["prev_offers"] > 0]
            parts.append(
                pd.DataFrame(
                    {
                        "scope_type": v["scope_type"],
                        "scope_id": v["scope_id"],
                        "period_start": v["period_start"],
                        "numerator": v["offers"] - v["prev_offers"],
                        "denominator": v["prev_offers"],
                        "sample_size": v["prev_offers"],
                        "kpi_name": "volume_change_rate",
                        "period_grain": grain,
                    }
                )
            )
        out = pd.concat(parts, ignore_index=True).assign(breakdown_type="all", breakdown_id="all", currency=None)
        out["value"] = out["numerator"] / out["denominator"]
        return pd.concat([out, self.money_rows()], ignore_index=True)

    def handled_contacts(self) -> pd.DataFrame:
        """Handled contacts of ok chains per site (None = no site) and local month of the root's initiated_at."""
        s = self.segments.set_index("segment_id")
        prev = s["previous_segment_id"].to_dict()
        root_of: dict[str, str | None] = {}
        for seg in s.index:
            path, cur, root = [], seg, None
            seen = set()
            while True:
                if cur in root_of:
                    root = root_of[cur]
                    break
                if cur in seen:
                    root = None  # cycle
                    break
                seen.add(cur)
                path.append(cur)
                p = prev.get(cur)
                if p is None or (isinstance(p, float) and math.isnan(p)):
                    root = cur
                    break
                if p not in prev:
                    root = None  # broken link
                    break
                cur = p
            for node in path:
                root_of[node] = root
        seg = self.segments.copy()
        seg["root"] = seg["segment_id"].map(root_of)
        seg = seg[seg["root"].notna()]
        # position along the chain: depth from the root
        depth: dict[str, int] = {}

        def depth_of(node: str) -> int:
            chain = []
            while node not in depth:
                p = prev.get(node)
                if p is None or (isinstance(p, float) and math.isnan(p)):
                    depth[node] = 1
                    break
                chain.append(node)
                node = p
            d = depth[node]
            for n in reversed(chain):
                d += 1
                depth[n] = d
            return depth[chain[0]] if chain else d

        seg["position"] = [depth_of(x) for x in seg["segment_id"]]
        # agent's site as of initiated_at (else the earliest version), for segments without a queue
        emp = self.employees[["employee_id", "_extracted_at", "site_id"]].sort_values("_extracted_at")
        seg = seg.sort_values("initiated_at")
        with_agent = seg[seg["agent_id"].notna()]
        asof = pd.merge_asof(
            with_agent[["segment_id", "agent_id", "initiated_at"]],
            emp.rename(columns={"employee_id": "agent_id", "site_id": "agent_site"}),
            left_on="initiated_at",
            right_on="_extracted_at",
            by="agent_id",
            direction="backward",
        )
        first = emp.drop_duplicates("employee_id").set_index("employee_id")["site_id"]
        asof["agent_site"] = asof["agent_site"].where(asof["_extracted_at"].notna(), asof["agent_id"].map(first))
        seg = seg.merge(asof[["segment_id", "agent_site"]], on="segment_id", how="left")
        seg["seg_site"] = seg["site_id"].where(seg["queue_id"].notna(), seg["agent_site"])
        seg = seg.sort_values(["root", "position"])
        queued = seg[seg["queue_id"].notna()].drop_duplicates("root").set_index("root")["site_id"]
        sited = seg[seg["seg_site"].notna()].drop_duplicates("root").set_index("root")["seg_site"]
        contacts = seg.groupby("root").agg(handled=("connected_at", lambda v: v.notna().any()))
        roots = seg[seg["segment_id"] == seg["root"]].set_index("root")["initiated_at"]
        contacts["initiated_at"] = roots
        contacts["site_id"] = [queued.get(r) if r in queued.index else sited.get(r) for r in contacts.index]
        contacts = contacts[contacts["handled"]].reset_index()
        tz = contacts["site_id"].map(self.sites.set_index("site_id")["time_zone"]).fillna(CENTER_TZ)
        contacts["period_start"] = period_start(local_dates(contacts["initiated_at"], tz, fallback=None), "month")
        return contacts

    def money_rows(self) -> pd.DataFrame:
        fx = seed("fx_rates")
        fx["period_month"] = pd.to_datetime(fx["period_month"]).dt.date
        rate = fx.set_index(["currency", "period_month"])["rate_to_reporting"]
        site_cur = self.sites.set_index("site_id")["currency"]
        frames = []
        for source, table in (("cost", "finance/cost_ledger"), ("budget", "finance/budget")):
            t = read_current(self.landing, table)
            t = t[t["site_id"].isin(site_cur.index)].copy()
            t["source"] = source
            t["category"] = t["category"].str.strip().str.lower()
            if "cost_behaviour" in t:
                t["cost_behaviour"] = t["cost_behaviour"].str.strip().str.lower()
            else:
                t["cost_behaviour"] = None
            t["site_currency"] = t["site_id"].map(site_cur)
            r_entry = np.array([rate.get((c, m), np.nan) for c, m in zip(t["currency"], t["period_month"])])
            r_site = np.array([rate.get((c, m), np.nan) for c, m in zip(t["site_currency"], t["period_month"])])
            t["site_amount"] = np.where(
                t["currency"] == t["site_currency"], t["amount"], t["amount"] * r_entry / r_site
            )
            t["reporting_amount"] = t["amount"] * r_entry
            frames.append(t)
        e = pd.concat(frames, ignore_index=True)
        contacts = self.handled_contacts()
        rows = []
        for scope in ("site", "center"):
            amount = "site_amount" if scope == "site" else "reporting_amount"
            for breakdown, col in (("all", None), ("cost_category", "category"), ("cost_behaviour", "cost_behaviour")):
                keys = ["period_month"] + (["site_id"] if scope == "site" else []) + ([col] if col else [])
                for key, g in e.groupby(keys, dropna=False):
                    key = key if isinstance(key, tuple) else (key,)
                    month = key[0]
                    sid = key[1] if scope == "site" else "all"
                    bid = key[-1] if col else "all"
                    currency = site_cur[sid] if scope == "site" else REPORTING
                    cost = g[g["source"] == "cost"]
                    budget = g[g["source"] == "budget"]
                    if breakdown == "cost_behaviour" and (pd.isna(bid) or not len(cost)):
                        continue
                    base = dict(
                        period_start=month,
                        scope_type=scope,
                        scope_id=sid,
                        breakdown_type=breakdown,
                        breakdown_id=bid,
                        currency=currency,
                    )
                    c_amt, b_amt = cost[amount].sum(), budget[amount].sum()
                    if len(cost):
                        rows.append(
                            {
                                **base,
                                "kpi_name": "operating_cost",
                                "numerator": c_amt,
                                "denominator": np.nan,
                                "value": c_amt,
                                "sample_size": len(cost),
                            }
                        )
                    if breakdown == "cost_behaviour":
                        continue
                    rows.append(
                        {
                            **base,
                            "kpi_name": "budget_variance",
                            "numerator": c_amt - b_amt,
                            "denominator": np.nan,
                            "value": c_amt - b_amt,
                            "sample_size": len(cost) + len(budget),
                        }
                    )
                    if len(budget) and b_amt != 0:
                        rows.append(
                            {
                                **base,
                                "kpi_name": "budget_utilisation",
                                "numerator": c_amt,
                                "denominator": b_amt,
                                "value": c_amt / b_amt,
                                "sample_size": len(budget),
                            }
                        )
                    if breakdown == "all" and len(cost):
                        if scope == "site":
                            n = int(((contacts["site_id"] == sid) & (contacts["period_start"] == month)).sum())
                        else:
                            n = int((contacts["period_start"] == month).sum())
                        if n > 0:
                            rows.append(
                                {
                                    **base,
                                    "kpi_name": "cost_per_contact",
                                    "numerator": c_amt,
                                    "denominator": float(n),
                                    "value": c_amt / n,
                                    "sample_size": n,
                                }
                            )
        return pd.DataFrame(rows).assign(period_grain="month")


@pytest.fixture(scope="module")
def recompute(warehouse) -> Recompute:
    return Recompute(warehouse.landing)


def test_required_agents_match_fct_queue_intervals(warehouse, recompute):
    expected = recompute.required[["queue_id", "interval_start", "required_agents"]].copy()
    actual = warehouse.frame(
        "select queue_id, interval_start, required_agents from marts.fct_queue_intervals where is_erlang_queue"
    )
    expected["interval_start"] = pd.to_datetime(expected["interval_start"])
    actual["interval_start"] = pd.to_datetime(actual["interval_start"])
    assert expected["required_agents"].notna().sum() > 1000
    compare(expected, actual, ["queue_id", "interval_start"], ["required_agents"])


def test_interval_kpis_match(warehouse, recompute):
    expected = recompute.daily_rows()
    actual = warehouse.frame("select * from intermediate.int_kpi_operational__interval_days")
    assert set(expected["kpi_name"]) == {
        "peak_interval_contacts",
        "forecast_accuracy",
        "aht_forecast_accuracy",
        "required_agent_hours",
        "scheduled_agent_hours",
        "understaffed_interval_share",
    }
    compare(expected, actual, DAILY_KEY, ["numerator", "denominator", "sample_size"])
    assert actual["currency"].isna().all()


def test_technical_time_and_incident_kpis_match(warehouse, recompute):
    expected = recompute.finance_daily_rows()
    actual = warehouse.frame("select * from intermediate.int_kpi_operational__downtime_days")
    assert set(expected["kpi_name"]) == {"technical_time_lost_s", "incident_minutes"}
    compare(expected, actual, DAILY_KEY, ["numerator", "denominator", "sample_size"])


def test_period_kpis_match(warehouse, recompute):
    expected = recompute.period_rows()
    actual = warehouse.frame("select * from intermediate.int_kpi_operational__volume_and_cost_periods")
    assert {
        "peak_to_average_ratio",
        "volume_change_rate",
        "operating_cost",
        "budget_variance",
        "budget_utilisation",
        "cost_per_contact",
    } <= set(expected["kpi_name"])
    compare(expected, actual, PERIOD_KEY, ["numerator", "denominator", "value", "sample_size", "currency"])


def test_erlang_reference_values():
    """The published example: A = 10, AHT 180 s, T = 20 s, 80 % -> 14 agents (13 give 0.7956)."""
    assert erlang_required(10.0, 180.0, 20.0, 0.8) == 14
    assert erlang_required(10.0, 180.0, 20.0, 0.7955) == 13
