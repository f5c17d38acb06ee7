"""Customers: satisfaction, effort, resolution, repeats and complaints, and what customers contact us about."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from switchboard.dashboard import charts, queries, ui

EXPERIENCE = (
    ("csat", "CSAT"),
    ("nps", "NPS"),
    ("customer_effort_score", "Effort (CES)"),
    ("complaints_per_1000_contacts", "Complaints / 1,000"),
)
OPERATIONAL = (("first_contact_resolution", "FCR"), ("repeat_contact_rate", "Repeat rate"))
TRENDS = (
    ("csat", "CSAT (top-2-box) vs target", "ratio"),
    ("nps", "Net promoter score vs target", "points"),
    ("first_contact_resolution", "First-contact resolution vs target", "ratio"),
    ("complaints_per_1000_contacts", "Complaints per 1,000 handled contacts", "count"),
)

ui.page_header("customers", "What customers say, whether we solved it first time, and why they call")
f = ui.sidebar_filters("queue", default_grain="week")
scope = (f.scope[0], (f.scope[1],), f.grain, f.start, f.end)
rows = pd.concat(
    [
        queries.kpi("kpi_experience", tuple(k for k, _ in EXPERIENCE), *scope),
        queries.kpi("kpi_operational", tuple(k for k, _ in OPERATIONAL), *scope),
    ]
)
head = ui.latest(rows)
st.subheader(f"Latest complete {f.grain} with data")
for column, (kpi_name, label) in zip(st.columns(6), EXPERIENCE[:3] + OPERATIONAL + EXPERIENCE[3:]):
    starts = head.loc[head["kpi_name"] == kpi_name, "period_start"]
    ui.headline(
        column,
        label,
        head,
        kpi_name,
        help_text=None
        if starts.empty
        else f"{f.grain} from {starts.iloc[0]:%d %b %Y}"
        + (
            " (FCR needs its repeat window to pass, so recent days have none yet)"
            if kpi_name in ("first_contact_resolution", "repeat_contact_rate")
            else ""
        ),
    )

ui.trend_grid(rows, TRENDS, f.grain)

st.divider()
reasons = queries.kpi("kpi_experience", ("contact_reason_share",), *scope, breakdown_type="contact_reason")
aht = queries.kpi("kpi_operational", ("average_handle_time_s",), *scope, breakdown_type="contact_reason")
if reasons.empty:
    ui.empty("No contact-reason rows for this selection.")
else:
    period = reasons["period_start"].max()
    st.subheader(f"Why customers contact us · {f.grain} from {period:%d %b %Y}")
    left, right = st.columns(2)
    mix = reasons[reasons["period_start"] == period]
    with left:
        ui.chart(
            charts.ranked_bars(mix, "breakdown_id", "value", "Share of handled contacts", ".0%"),
            f"contact_reason_mix_{f.grain}",
        )
    times = aht[aht["period_start"] == period]
    with right:
        if times.empty:
            ui.empty("No handle-time rows by contact reason for this period.")
        else:
            ui.chart(
                charts.ranked_bars(
                    times,
                    "breakdown_id",
                    "value",
                    "Average handle time by reason (s)",
                    ",.0f",
                    reference="target_value",
                ),
                f"contact_reason_aht_{f.grain}",
            )
