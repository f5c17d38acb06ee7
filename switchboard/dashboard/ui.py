"""Shared page parts: the sidebar filters, headline numbers, charts with their PNG download, number formats."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from switchboard.dashboard import charts, queries
from switchboard.dashboard.navigation import BY_URL
from switchboard.dashboard.warehouse import warehouse_path
from switchboard.settings import PROJECT_DIR

ALL_SITES = "All sites"
GRAINS = ("day", "week", "month")
# How far back the date range starts by default, per grain (a readable trend without scrolling).
DEFAULT_SPAN_DAYS = {"day": 27, "week": 12 * 7 - 1, "month": 365}


def fmt(value: float | None, unit: str) -> str:
    """A KPI value as a manager reads it: ratios in %, seconds and hours whole, money with two decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "ratio":
        return f"{value:.2%}" if abs(value) < 0.1 else f"{value:.1%}"
    if unit == "seconds":
        return f"{value:,.0f} s"
    if unit == "hours":
        return f"{value:,.1f} h"
    if unit == "points":
        return f"{value:,.0f}"
    if unit in ("score", "currency"):
        return f"{value:,.2f}"
    return f"{value:,.1f}" if value != int(value) else f"{value:,.0f}"


@dataclass(frozen=True)
class Filters:
    """What the sidebar selected: a scope (center, site, queue or team), a grain and a date range."""

    site_id: str | None
    member_id: str | None  # the queue or team chosen, None for the whole site (or center)
    grain: str
    start: dt.date
    end: dt.date
    member_kind: str  # "queue" or "team"

    @property
    def scope(self) -> tuple[str, str]:
        """(scope_type, scope_id) of the KPI rows that answer this selection."""
        if self.member_id:
            return self.member_kind, self.member_id
        return ("site", self.site_id) if self.site_id else ("center", "all")


def page_header(url_path: str, caption: str) -> None:
    """The page's title (from navigation.PAGES) and what it answers, with the warehouse it reads."""
    st.title(BY_URL[url_path].title)
    path = warehouse_path().resolve()
    shown = path.relative_to(PROJECT_DIR) if path.is_relative_to(PROJECT_DIR) else path
    st.caption(f"{caption} · warehouse `{shown}` (read-only)")


def sidebar_filters(
    member_kind: str = "queue",
    grains: tuple[str, ...] = GRAINS,
    require_member: bool = False,
    default_grain: str = "day",
    one_day: bool = False,
) -> Filters:
    """The sidebar: site, queue or team, grain, date range (each page draws the filters it needs)."""
    days = queries.data_days()
    if days is None:
        st.warning("The warehouse has no operational KPIs yet: run `make demo` (or `dbt build`) first.")
        st.stop()
    first, last = days
    site_frame = queries.sites()
    names = dict(zip(site_frame["site_id"], site_frame["site_name"]))
    with st.sidebar:
        st.header("Filters")
        site_choice = st.selectbox("Site", [ALL_SITES, *names], key="site", format_func=lambda s: names.get(s, s))
        site_id = None if site_choice == ALL_SITES else site_choice
        if member_kind == "queue":
            members = queries.queues(site_id)
            labels = dict(zip(members["queue_id"], members["queue_name"]))
        else:
            members = queries.teams(site_id)
            labels = dict(zip(members["team_id"], members["team_id"]))
        options = list(labels) if require_member else [None, *labels]
        all_label = f"All {member_kind}s" + ("" if site_id is None else f" of {names[site_id]}")
        member = st.selectbox(
            member_kind.capitalize(),
            options,
            key=f"{member_kind}_{site_id}",
            format_func=lambda m: all_label if m is None else labels.get(m, m),
        )
        if one_day:
            open_days = queries.queue_days(member) if member else []
            if open_days:
                first, last = open_days[0], open_days[-1]
            choice = st.radio("Day", ("Latest day", "Day before", "Pick a day"), horizontal=True, key="day_choice")
            day = {"Latest day": last, "Day before": open_days[-2] if len(open_days) > 1 else last}.get(choice)
            if day is None:
                day = st.date_input("Local day", last, min_value=first, max_value=last, key="day")
            grain, start, end = "day", day, day
        else:
            grain_default = grains.index(default_grain) if default_grain in grains else 0
            grain = st.radio("Grain", grains, index=grain_default, horizontal=True, key=f"grain_{'_'.join(grains)}")
            default_start = max(first, last - dt.timedelta(days=DEFAULT_SPAN_DAYS[grain]))
            picked = st.date_input(
                "Date range", (default_start, last), min_value=first, max_value=last, key=f"range_{grain}"
            )
            start, end = picked if isinstance(picked, tuple) and len(picked) == 2 else (default_start, last)
        st.caption(f"Data from {first:%d %b %Y} to {last:%d %b %Y}.")
    return Filters(site_id, member, grain, start, end, member_kind)


def headline(column, label: str, rows: pd.DataFrame, kpi_name: str, help_text: str | None = None) -> None:
    """One published KPI row as a big number, with its target (met or not) or its small-sample flag."""
    row = rows[rows["kpi_name"] == kpi_name]
    if row.empty:
        column.metric(label, "–", help=help_text or "no row published for this scope and period", border=True)
        return
    r = row.iloc[0]
    delta, color = None, "off"
    if not bool(r["is_reliable"]):
        delta, color = f"small sample ({int(r['sample_size'])})", "gray"
    elif pd.notna(r["target_value"]):
        met = bool(r["meets_target"])
        delta, color = f"{'✓' if met else '✗'} target {fmt(r['target_value'], r['unit'])}", "green" if met else "red"
    column.metric(
        label,
        fmt(r["value"], r["unit"]),
        delta=delta,
        delta_color=color,
        delta_arrow="off",
        help=help_text,
        border=True,
    )


def latest(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of the latest complete period per KPI (``is_complete``: the period lies wholly inside the data's
    range), for headline numbers of a trend page: a week or month the data only partly covers is never a
    headline. A KPI with no complete period in the selection shows its latest period."""
    if rows.empty:
        return rows
    complete = rows["is_complete"].astype(bool) if "is_complete" in rows else pd.Series(True, index=rows.index)
    has_complete = complete.groupby(rows["kpi_name"]).transform("any")
    candidates = rows[complete | ~has_complete]
    newest = candidates.groupby("kpi_name")["period_start"].transform("max")
    return candidates[candidates["period_start"] == newest]


def kpi_table(rows: pd.DataFrame, columns: tuple[tuple[str, str], ...], label: str) -> pd.DataFrame:
    """Published KPI rows as one line per scope and one column per KPI, formatted; unreliable values marked ⚠."""
    text = [fmt(v, u) + ("" if ok else " ⚠") for v, u, ok in zip(rows["value"], rows["unit"], rows["is_reliable"])]
    table = rows.assign(text=text).pivot(index="scope_id", columns="kpi_name", values="text")
    table = table.reindex(columns=[k for k, _ in columns]).rename(columns=dict(columns)).fillna("–")
    return table.rename_axis(label)


UNRELIABLE_NOTE = "⚠ = below the KPI's minimum sample (is_reliable false in the KPI table): an indication only."


def chart(chart_obj: alt.TopLevelMixin, name: str, stretch: bool = True) -> None:
    """Draw a chart (stretched to its column, or at its own width) and offer it as a PNG (rendered on click by
    vl-convert, so pages stay fast)."""
    st.altair_chart(chart_obj, width="stretch" if stretch else "content")
    st.download_button(
        "PNG",
        data=lambda: charts.to_png(chart_obj),
        file_name=f"{name}.png",
        mime="image/png",
        key=f"png_{name}",
        icon=":material/download:",
        type="tertiary",
    )


def trend_grid(rows: pd.DataFrame, trends: tuple[tuple[str, str, str], ...], grain: str) -> tuple:
    """One trend chart per (kpi_name, title, unit), two to a row; returns the two columns for what follows."""
    left, right = st.columns(2)
    for index, (kpi_name, title, unit) in enumerate(trends):
        data = rows[rows["kpi_name"] == kpi_name]
        with left if index % 2 == 0 else right:
            if data.empty:
                empty(f"No {title.split(' vs')[0].lower()} rows for this selection.")
            else:
                chart(charts.kpi_trend(data, title, unit), f"{kpi_name}_{grain}")
    return left, right


def empty(message: str) -> None:
    st.info(message, icon=":material/info:")
