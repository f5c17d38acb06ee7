"""Compliance: pass rate and critical errors against their baselines, QA coverage and the agents under the minimum
sample; rows below their KPI's minimum sample are shown as unreliable."""

from __future__ import annotations

import streamlit as st

from switchboard.dashboard import charts, queries, ui

HEADLINES = (
    ("compliance_item_pass_rate", "Item pass rate"),
    ("critical_error_rate", "Critical errors"),
    ("process_adherence_rate", "Process adherence"),
    ("qa_coverage", "QA coverage"),
    ("feedback_timeliness_rate", "Feedback on time"),
)
TRENDS = (
    ("compliance_item_pass_rate", "Compliance item pass rate vs baseline", "baseline_value", "baseline"),
    ("critical_error_rate", "Critical error rate vs baseline", "baseline_value", "baseline"),
    ("qa_coverage", "QA coverage (evaluations / handled segments) vs target", "target_value", "target"),
)

ui.page_header("compliance", "Quality assurance against each scope's own baseline (its first complete periods)")
f = ui.sidebar_filters("team", grains=("week", "month"), default_grain="week")
scope_type, scope_id = f.scope
rows = queries.kpi("kpi_compliance", tuple(k for k, _ in HEADLINES), scope_type, (scope_id,), f.grain, f.start, f.end)
head = ui.latest(rows)
st.subheader(f"Latest complete {f.grain}" + ("" if head.empty else f" · from {head['period_start'].max():%d %b %Y}"))
for column, (kpi_name, label) in zip(st.columns(len(HEADLINES)), HEADLINES):
    baseline = head.loc[head["kpi_name"] == kpi_name, "baseline_value"]
    ui.headline(
        column,
        label,
        head,
        kpi_name,
        help_text=None if baseline.empty or baseline.isna().all() else f"baseline {ui.fmt(baseline.iloc[0], 'ratio')}",
    )

columns = st.columns(len(TRENDS))
for column, (kpi_name, title, reference, label) in zip(columns, TRENDS):
    data = rows[rows["kpi_name"] == kpi_name]
    with column:
        if data.empty:
            ui.empty(f"No {title.split(' vs')[0].lower()} rows for this selection.")
        else:
            ui.chart(
                charts.kpi_trend(data, title, "ratio", reference=reference, reference_label=label),
                f"{kpi_name}_{f.grain}",
            )
st.caption(
    "Hollow grey points are periods below the KPI's minimum sample (flagged unreliable in the KPI table). "
    "The dashed line is the baseline, set once the scope's first complete periods are past."
)

st.divider()
teams = (f.member_id,) if f.member_id else tuple(queries.teams(f.site_id)["team_id"])
per_team = ui.latest(
    queries.kpi("kpi_compliance", tuple(k for k, _ in HEADLINES), "team", teams, f.grain, f.start, f.end)
)
left, right = st.columns(2)
with left:
    st.subheader("Per team, latest complete period")
    if per_team.empty:
        ui.empty("No team rows for this selection.")
    else:
        st.dataframe(ui.kpi_table(per_team, HEADLINES, "team").reset_index(), hide_index=True)
        st.caption(ui.UNRELIABLE_NOTE)
with right:
    period = head["period_start"].max() if not head.empty else None
    under = queries.qa_under_min_sample(f.grain, period, f.site_id, f.member_id) if period else None
    st.subheader("Agents under the QA minimum sample")
    if under is None or under.empty:
        ui.empty("Every agent of the selection has the minimum number of evaluations for the period.")
    else:
        st.caption(f"{len(under)} agent(s) in the {f.grain} from {period:%d %b %Y} need more evaluations.")
        st.dataframe(under, hide_index=True)
