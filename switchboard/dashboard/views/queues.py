"""Queues: service level vs target, abandonment, ASA and AHT (with its parts) per queue and site over time, and the
four service-level modes side by side for one queue."""

from __future__ import annotations

import streamlit as st

from switchboard.dashboard import charts, queries, ui

HEADLINES = (
    ("contacts_offered", "Offers"),
    ("service_level", "Service level"),
    ("abandonment_rate", "Abandonment"),
    ("average_speed_of_answer_s", "ASA"),
    ("average_handle_time_s", "AHT"),
)
TRENDS = (
    ("service_level", "Service level vs target", "ratio"),
    ("abandonment_rate", "Abandonment rate vs target", "ratio"),
    ("average_speed_of_answer_s", "Average speed of answer (s)", "seconds"),
)
AHT_PARTS = {"average_talk_time_s": "talk", "average_hold_time_s": "hold", "average_acw_s": "after-call work"}

ui.page_header("queues", "Service level, abandonment, speed of answer and handle time per queue and site")
f = ui.sidebar_filters("queue")
scope_type, scope_id = f.scope
all_queues = queries.queues(f.site_id)
if f.member_id:
    series_type, series_ids = "queue", (f.member_id,)
elif f.site_id:
    series_type, series_ids = "queue", tuple(all_queues["queue_id"])
else:
    series_type, series_ids = "site", tuple(queries.sites()["site_id"])

head = ui.latest(
    queries.kpi("kpi_operational", tuple(k for k, _ in HEADLINES), scope_type, (scope_id,), f.grain, f.start, f.end)
)
period = head["period_start"].max() if not head.empty else None
st.subheader(f"Latest complete {f.grain}" + (f" · from {period:%d %b %Y}" if period else ""))
for column, (kpi_name, label) in zip(st.columns(len(HEADLINES)), HEADLINES):
    ui.headline(column, label, head, kpi_name)

trends = queries.kpi(
    "kpi_operational", tuple(k for k, _, _ in TRENDS), series_type, series_ids, f.grain, f.start, f.end
)
_, right = ui.trend_grid(trends, TRENDS, f.grain)
parts = queries.kpi("kpi_operational", tuple(AHT_PARTS), scope_type, (scope_id,), f.grain, f.start, f.end)
with right:
    if parts.empty:
        ui.empty("No handle-time rows for this selection.")
    else:
        ui.chart(
            charts.stacked_parts(parts, "Average handle time and its parts (s)", "seconds", AHT_PARTS),
            f"aht_parts_{f.grain}",
        )

st.divider()
mode_queue = f.member_id or (all_queues["queue_id"].iloc[0] if not all_queues.empty else None)
if mode_queue is not None:
    name = all_queues.set_index("queue_id")["queue_name"].get(mode_queue, mode_queue)
    st.subheader(f"Service level four ways · {name}")
    if not f.member_id:
        st.caption("Pick a queue in the sidebar to compare its modes; showing the first queue of the selection.")
    modes = queries.service_level_modes(mode_queue, f.start, f.end)
    left, right = st.columns([3, 2])
    with left:
        ui.chart(
            charts.ranked_bars(
                modes,
                "counts",
                "service_level",
                f"{f.start:%d %b} – {f.end:%d %b %Y}",
                ".1%",
                highlight="is_project_mode",
            ),
            f"service_level_modes_{mode_queue}",
        )
    with right:
        st.markdown(
            "The same offers, four definitions. The dark bar is the one this warehouse publishes "
            "(var `service_level_abandon_mode`); a vendor report that counts abandons differently shows one of "
            "the others. Met = answered (or, Amazon-style, abandoned) within the queue's threshold."
        )
        st.dataframe(
            modes[["mode", "met", "counted"]].assign(
                service_level=[ui.fmt(v, "ratio") for v in modes["service_level"]]
            ),
            hide_index=True,
        )
