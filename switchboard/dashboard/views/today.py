"""Today / yesterday by interval: one queue's day per 30-minute interval against its targets and its staffing."""

from __future__ import annotations

import streamlit as st

from switchboard.dashboard import charts, queries, ui

HEADLINES = (
    ("contacts_offered", "Offers"),
    ("service_level", "Service level"),
    ("average_speed_of_answer_s", "ASA"),
    ("abandonment_rate", "Abandonment"),
    ("average_handle_time_s", "AHT"),
)

ui.page_header("today", "One queue's local day, interval by interval")
f = ui.sidebar_filters("queue", require_member=True, one_day=True)
queue = queries.queues(None).set_index("queue_id").loc[f.member_id]
day = f.start

rows = queries.kpi("kpi_operational", tuple(k for k, _ in HEADLINES), "queue", (f.member_id,), "day", day, day)
staffing = queries.kpi(
    "kpi_operational",
    ("understaffed_interval_share",),
    "site",
    (queue["site_id"],),
    "day",
    day,
    day,
    breakdown_type="line_of_business",
)
staffing = staffing[staffing["breakdown_id"] == queue["line_of_business"]]

st.subheader(f"{queue['queue_name']} · {day:%A %d %B %Y}")
columns = st.columns(len(HEADLINES) + 1)
for column, (kpi_name, label) in zip(columns, HEADLINES):
    ui.headline(column, label, rows, kpi_name)
ui.headline(
    columns[-1],
    "Understaffed",
    staffing,
    "understaffed_interval_share",
    help_text=f"Share of the intervals with offers where the {queue['line_of_business']} agents scheduled at "
    "the site were fewer than Erlang C requires",
)

intervals = queries.interval_day(f.member_id, day)
if intervals.empty:
    ui.empty("No interval of this queue has offers, handled contacts or a forecast on that day.")
else:
    asa = rows[rows["kpi_name"] == "average_speed_of_answer_s"]["target_value"]
    asa_target = float(asa.iloc[0]) if not asa.empty and asa.notna().iloc[0] else None
    ui.chart(
        charts.interval_day(intervals, f"{queue['queue_name']} · {day:%d %b %Y} · per 30-minute interval", asa_target),
        f"intervals_{f.member_id}_{day:%Y%m%d}",
        stretch=False,
    )
    short = intervals[intervals["is_understaffed"]]
    st.markdown(
        f"**{len(short)} understaffed interval{'s' if len(short) != 1 else ''}** (scheduled agents of "
        f"the site's {queue['line_of_business']} teams below the Erlang C requirement)."
    )
    if not short.empty:
        short = short.assign(service_level=[ui.fmt(v, "ratio") for v in short["service_level"]])
        st.dataframe(
            short[
                [
                    "local_interval_start",
                    "offers",
                    "service_level",
                    "site_required_agents",
                    "scheduled_agents",
                    "staffing_gap",
                ]
            ],
            hide_index=True,
            column_config={
                "local_interval_start": st.column_config.DatetimeColumn("interval", format="HH:mm"),
                "service_level": st.column_config.TextColumn("service level"),
                "site_required_agents": st.column_config.NumberColumn("required", format="%.0f"),
                "scheduled_agents": st.column_config.NumberColumn("scheduled", format="%.1f"),
                "staffing_gap": st.column_config.NumberColumn("gap", format="%.1f"),
            },
        )
