"""Data health: freshness of every landing table, quarantined rows per rule, reconciliation, last build.

Reads the publication's `meta` tables when the warehouse was published (issue 15), and the audit models (schema
data_quality); what is not published yet is said so, never guessed.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from switchboard.dashboard import charts, queries, ui
from switchboard.dashboard.warehouse import warehouse_path

STATUS_ICON = {
    "ok": "🟢 ok",
    "pass": "🟢 ok",
    "warn": "🟠 warn",
    "error": "🔴 error",
    "no_data": "⚪ no data",
    "not_checked": "⚪ not checked",
}

ui.page_header("data-health", "Can the numbers on the other pages be trusted today?")

publication = queries.meta("publication")
build, fresh, quarantine, recon = st.columns(4)
if publication is not None and not publication.empty:
    row = publication.iloc[0]
    build.metric(
        "Published (UTC)",
        f"{row['published_at']:%d %b %H:%M}",
        border=True,
        help=f"build finished {row.get('build_finished_at')}, commit {row.get('git_commit')}, "
        f"engine {row.get('engine')}",
    )
else:
    written = dt.datetime.fromtimestamp(warehouse_path().stat().st_mtime, dt.UTC)
    build.metric(
        "Last build",
        "not published yet",
        border=True,
        help=f"no meta.publication in this warehouse; the file was last written {written:%d %b %Y %H:%M} UTC",
    )

freshness = queries.meta("landing_freshness")
reconciliation = queries.audit("audit_reconciliation")
rules = queries.audit("audit_quarantine_summary")

if freshness is not None and not freshness.empty:
    late = int(freshness["status"].isin(["warn", "error", "no_data"]).sum())
    fresh.metric(
        "Landing tables late",
        f"{late} of {len(freshness)}",
        border=True,
        delta="all fresh" if late == 0 else "check below",
        delta_color="green" if late == 0 else "red",
        delta_arrow="off",
    )
else:
    fresh.metric(
        "Landing freshness",
        "not published yet",
        border=True,
        help="published by `switchboard publish` (meta.landing_freshness)",
    )
if rules is not None:
    quarantine.metric(
        "Quarantined rows",
        f"{int(rules['rows'].sum()):,}",
        border=True,
        help="rows held back by a contract rule, per rule below",
    )
if reconciliation is not None:
    reconciliation = reconciliation.assign(
        status=[
            ("🟢 balanced" if read == staged + quarantined + superseded else "🔴 rows unaccounted for")
            for read, staged, quarantined, superseded in zip(
                reconciliation["rows_read"],
                reconciliation["rows_staged"],
                reconciliation["rows_quarantined"],
                reconciliation["rows_superseded"],
            )
        ]
    )
    off = int((reconciliation["status"] != "🟢 balanced").sum())
    recon.metric(
        "Reconciliation",
        "balanced" if off == 0 else f"{off} table(s) off",
        border=True,
        help="rows read = staged + quarantined + superseded, per landing table",
    )

st.subheader("Freshness per landing table")
if freshness is not None and not freshness.empty:
    shown = freshness.assign(status=freshness["status"].map(lambda s: STATUS_ICON.get(s, s)))
    st.dataframe(
        shown[
            [
                "status",
                "table_id",
                "cadence",
                "files",
                "rows",
                "max_extracted_at",
                "age_hours",
                "warn_after_hours",
                "error_after_hours",
            ]
        ],
        hide_index=True,
        column_config={"age_hours": st.column_config.NumberColumn("age (h)", format="%.1f")},
    )
else:
    ui.empty(
        "Not published yet: landing freshness is written by the publication step (meta.landing_freshness). "
        "Rows read per landing table are in the reconciliation below."
    )

left, right = st.columns(2)
with left:
    st.subheader("Quarantined rows per rule")
    if rules is None:
        ui.empty("The audit models are not built in this warehouse.")
    elif rules.empty:
        st.success("No row was quarantined.")
    else:
        by_rule = rules.assign(label=rules["source_table"] + " · " + rules["rule"])
        ui.chart(charts.ranked_bars(by_rule, "label", "rows", "Rows quarantined", ",.0f"), "quarantine_per_rule")
with right:
    st.subheader("Reconciliation")
    if reconciliation is None:
        ui.empty("The audit models are not built in this warehouse.")
    else:
        st.dataframe(
            reconciliation[
                ["status", "source_table", "rows_read", "rows_staged", "rows_quarantined", "rows_superseded"]
            ],
            hide_index=True,
        )
