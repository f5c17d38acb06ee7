"""Team: occupancy (with its ceiling), adherence, shrinkage planned and unplanned, absenteeism and attrition per
team, and an agent table for the team lead — never pay, never engagement of fewer than the minimum responses."""

from __future__ import annotations

import streamlit as st

from switchboard.dashboard import charts, queries, ui

HEADLINES = (
    ("occupancy", "Occupancy"),
    ("schedule_adherence", "Adherence"),
    ("shrinkage", "Shrinkage"),
    ("absenteeism", "Absenteeism"),
    ("attrition_rate_annualised", "Attrition (annualised)"),
    ("headcount", "Headcount"),
    ("employee_satisfaction", "eSat"),
)
SHRINKAGE_PARTS = {"planned_shrinkage": "planned", "unplanned_shrinkage": "unplanned"}
# The team lead's agent table: KPI rows of the agent scope (the marts publish no pay and no engagement there).
AGENT_COLUMNS = (
    ("occupancy", "occupancy"),
    ("schedule_adherence", "adherence"),
    ("shrinkage", "shrinkage"),
    ("absenteeism", "absenteeism"),
    ("quality_score", "quality"),
    ("contacts_per_logged_in_hour", "contacts / logged-in h"),
)

ui.page_header("team", "How the teams spend their time, and who needs a conversation")
f = ui.sidebar_filters("team", default_grain="week")
scope_type, scope_id = f.scope
team_frame = queries.teams(f.site_id)
team_ids = (f.member_id,) if f.member_id else tuple(team_frame["team_id"])

head = ui.latest(
    queries.kpi("kpi_team", tuple(k for k, _ in HEADLINES), scope_type, (scope_id,), f.grain, f.start, f.end)
)
st.subheader(f"Latest {f.grain}" + ("" if head.empty else f" · from {head['period_start'].max():%d %b %Y}"))
for column, (kpi_name, label) in zip(st.columns(len(HEADLINES)), HEADLINES):
    ui.headline(
        column,
        label,
        head,
        kpi_name,
        help_text="team scope and above, only where enough people answered the pulse survey"
        if kpi_name == "employee_satisfaction"
        else None,
    )

per_team = queries.kpi(
    "kpi_team",
    (
        "occupancy",
        "schedule_adherence",
        "planned_shrinkage",
        "unplanned_shrinkage",
        "absenteeism",
        "attrition_rate_annualised",
    ),
    "team",
    team_ids,
    f.grain,
    f.start,
    f.end,
)
left, right = st.columns(2)
with left:
    occupancy = per_team[per_team["kpi_name"] == "occupancy"]
    if occupancy.empty:
        ui.empty("No occupancy rows for this selection.")
    else:
        ui.chart(
            charts.kpi_trend(
                occupancy,
                "Occupancy per team (shaded: above the ceiling)",
                "ratio",
                reference_label="ceiling",
                shade_above=True,
            ),
            f"occupancy_{f.grain}",
        )
with right:
    adherence = per_team[per_team["kpi_name"] == "schedule_adherence"]
    if adherence.empty:
        ui.empty("No adherence rows for this selection.")
    else:
        ui.chart(charts.kpi_trend(adherence, "Schedule adherence per team vs target", "ratio"), f"adherence_{f.grain}")

newest = ui.latest(per_team)
left, right = st.columns(2)
with left:
    parts = newest[newest["kpi_name"].isin(SHRINKAGE_PARTS)]
    if parts.empty:
        ui.empty("No shrinkage rows for this selection.")
    else:
        ui.chart(
            charts.stacked_parts(
                parts,
                "Shrinkage per team: planned + unplanned (latest period)",
                "ratio",
                SHRINKAGE_PARTS,
                x_field="scope_id",
                x_type="N",
            ),
            f"shrinkage_{f.grain}",
        )
with right:
    for kpi_name, title in (
        ("absenteeism", "Absenteeism per team vs target"),
        ("attrition_rate_annualised", "Attrition per team (annualised) vs target"),
    ):
        data = newest[newest["kpi_name"] == kpi_name]
        if not data.empty:
            ui.chart(
                charts.ranked_bars(data, "scope_id", "value", title, ".1%", reference="target_value"),
                f"{kpi_name}_{f.grain}",
            )

st.divider()
if not f.member_id:
    st.caption("Pick a team in the sidebar to see its agents.")
else:
    agents = queries.team_agents(f.member_id, f.end)
    rows = ui.latest(
        queries.kpi(
            "kpi_team", tuple(k for k, _ in AGENT_COLUMNS), "agent", tuple(agents["agent_id"]), f.grain, f.start, f.end
        )
    )
    st.subheader(
        f"Agents of {f.member_id}" + ("" if rows.empty else f" · {f.grain} from {rows['period_start'].max():%d %b %Y}")
    )
    if rows.empty:
        ui.empty("No agent rows for this team and period.")
    else:
        table = ui.kpi_table(rows, AGENT_COLUMNS, "agent")
        table = agents.set_index("agent_id")[["proficiency_level"]].rename_axis("agent").join(table, how="inner")
        st.dataframe(table.reset_index(), hide_index=True)
        st.caption(f"{ui.UNRELIABLE_NOTE} No pay and no engagement score is shown per agent.")
