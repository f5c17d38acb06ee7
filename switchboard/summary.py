"""``switchboard summary``: a short printed summary of what the served warehouse holds.

It reads the served file (switchboard/serving.py: the last complete, published build; never the file dbt is
writing, so it works during a build) and prints whatever exists: the publication, the KPI tables (latest complete
period per family: ``is_complete``, the period lies wholly inside the data's range; a partial last day, week or
month is never shown as "latest"), and the data-health audit (rows read, staged, quarantined, superseded).
Sections for tables that are not there are skipped.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from switchboard.serving import connect_served

KPI_TABLES = ("kpi_operational", "kpi_experience", "kpi_team", "kpi_compliance")


def _exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables "
        "where table_catalog = current_database() and table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(row and row[0])


def _table(rows: list[tuple], headers: list[str]) -> str:
    cells = [headers] + [
        ["" if v is None else (f"{v:,.4g}" if isinstance(v, float) else str(v)) for v in r] for r in rows
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


HEADLINE_DAY_KPIS = (
    ("service_level", "service level", "pct"),
    ("average_speed_of_answer_s", "ASA", "s"),
    ("abandonment_rate", "abandoned", "pct"),
    ("average_handle_time_s", "AHT", "s"),
)


def _fmt(value, kind: str) -> str:
    if value is None:
        return "-"
    return f"{value:.1%}" if kind == "pct" else f"{value:,.0f} s" if kind == "s" else f"{value:,.2f}"


def operational_headlines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Per site: the latest complete day's queue KPIs, the latest complete day whose FCR is observable, the latest
    complete month's cost per contact (complete = ``is_complete`` of the KPI row)."""
    if not _exists(con, "marts", "kpi_operational"):
        return []
    site_rows = con.execute(
        "select scope_id, kpi_name, period_grain, period_start, value, currency from marts.kpi_operational "
        "where scope_type = 'site' and breakdown_type = 'all' and is_complete"
    ).fetchall()
    sites = sorted({r[0] for r in site_rows})
    lines = []
    for site in sites:
        rows = [r for r in site_rows if r[0] == site]
        days = [r[3] for r in rows if r[2] == "day" and r[1] in {k for k, _, _ in HEADLINE_DAY_KPIS}]
        if not days:
            continue
        last_day = max(days)
        values = {r[1]: r[4] for r in rows if r[2] == "day" and r[3] == last_day}
        parts = [f"{label} {_fmt(values.get(k), kind)}" for k, label, kind in HEADLINE_DAY_KPIS]
        fcr = [r for r in rows if r[1] == "first_contact_resolution" and r[2] == "day"]
        if fcr:
            latest = max(fcr, key=lambda r: r[3])
            parts.append(f"FCR {_fmt(latest[4], 'pct')} (on {latest[3]}, the latest day already observable)")
        months = [r for r in rows if r[1] == "cost_per_contact" and r[2] == "month"]
        if months:
            latest = max(months, key=lambda r: r[3])
            parts.append(f"cost per contact {latest[4]:,.2f} {latest[5]} ({latest[3]:%B %Y})")
        lines.append(f"  {site} on {last_day}: " + ", ".join(parts))
    return ["\nOperational headlines per site (latest complete day)\n" + "\n".join(lines)] if lines else []


MONTHLY_HEADLINES = {
    "kpi_experience": (
        "Experience",
        (
            ("csat", "CSAT", "pct"),
            ("nps", "NPS", "num"),
            ("survey_response_rate", "response rate", "pct"),
            ("complaints_per_1000_contacts", "complaints per 1,000 contacts", "num"),
        ),
    ),
    "kpi_compliance": (
        "Compliance",
        (
            ("compliance_item_pass_rate", "item pass rate", "pct"),
            ("critical_error_rate", "critical errors", "pct"),
            ("qa_coverage", "QA coverage", "pct"),
            ("feedback_timeliness_rate", "feedback on time", "pct"),
        ),
    ),
}


def monthly_headlines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Per site, the latest complete month (``is_complete``) of the experience and compliance headline KPIs (with
    the baseline where the family has one)."""
    out = []
    for table, (title, kpis) in MONTHLY_HEADLINES.items():
        if not _exists(con, "marts", table):
            continue
        names = [k for k, _, _ in kpis]
        complete = con.execute(
            f"select scope_id, kpi_name, period_start, value, baseline_value from marts.{table} "
            f"where scope_type = 'site' and breakdown_type = 'all' and period_grain = 'month' and is_complete "
            f"and kpi_name in ({', '.join('?' for _ in names)})",
            names,
        ).fetchall()
        lines = []
        for site in sorted({r[0] for r in complete}):
            month = max(r[2] for r in complete if r[0] == site)
            values = {r[1]: (r[3], r[4]) for r in complete if r[0] == site and r[2] == month}
            parts = []
            for kpi, label, kind in kpis:
                value, baseline = values.get(kpi, (None, None))
                text = f"{label} {_fmt(value, kind)}"
                if baseline is not None:
                    text += f" (baseline {_fmt(baseline, kind)})"
                parts.append(text)
            lines.append(f"  {site} in {month:%B %Y}: " + ", ".join(parts))
        if lines:
            out.append(f"\n{title} headlines per site (latest complete month)\n" + "\n".join(lines))
    return out


def kpi_family_overview(con: duckdb.DuckDBPyConnection) -> list[str]:
    out = []
    for name in KPI_TABLES:
        if not _exists(con, "marts", name):
            continue
        rows = con.execute(
            f"select kpi_name, count(*) as kpi_rows, max(period_start) as latest_period, "
            f"max(period_start) filter (where is_complete) as latest_complete "
            f"from marts.{name} group by kpi_name order by kpi_name"
        ).fetchall()
        out.append(
            f"\n{name}: {len(rows)} KPIs\n"
            + _table(rows, ["kpi_name", "rows", "latest period", "latest complete period"])
        )
    return out


def data_health(con: duckdb.DuckDBPyConnection) -> list[str]:
    out = []
    if _exists(con, "data_quality", "audit_reconciliation"):
        rows = con.execute(
            "select source_table, rows_read, rows_staged, rows_quarantined, rows_superseded "
            "from data_quality.audit_reconciliation order by source_table"
        ).fetchall()
        out.append(
            "\nLanding reconciliation (rows read = staged + quarantined + superseded)\n"
            + _table(rows, ["table", "read", "staged", "quarantined", "superseded"])
        )
    if _exists(con, "data_quality", "audit_quarantine_summary"):
        rows = con.execute(
            "select source_table, rule, rows from data_quality.audit_quarantine_summary order by source_table, rule"
        ).fetchall()
        if rows:
            out.append("\nQuarantined rows by rule\n" + _table(rows, ["table", "rule", "rows"]))
    return out


def publication(con: duckdb.DuckDBPyConnection) -> list[str]:
    """When the served warehouse was published, from which build, and how fresh its landing feeds were."""
    if not _exists(con, "meta", "publication"):
        return []
    published, finished, commit, engine = con.execute(
        "select published_at, build_finished_at, git_commit, engine from meta.publication"
    ).fetchone()
    line = f"\nPublished {published:%Y-%m-%d %H:%M} UTC from a {engine} build"
    if finished is not None:
        line += f" finished {finished:%Y-%m-%d %H:%M} UTC"
    if commit:
        line += f" (commit {commit[:10]})"
    stale = con.execute(
        "select status, count(*) from meta.landing_freshness where status in ('warn', 'error', 'no_data') "
        "group by status order by status"
    ).fetchall()
    if stale:
        line += "\n  landing freshness: " + ", ".join(f"{n} table(s) {status}" for status, n in stale)
    return [line]


def summarise(served: str | Path | None = None) -> str:
    """The summary of the served file (default: ``serving.served_path()``); ``ServingError`` when none is."""
    with connect_served(Path(served) if served else None) as con:
        path = con.execute("select path from duckdb_databases() where database_name = 'served'").fetchone()[0]
        sections = (
            publication(con)
            + operational_headlines(con)
            + monthly_headlines(con)
            + kpi_family_overview(con)
            + data_health(con)
        )
    if not sections:
        return f"{path}: no marts or audit tables published"
    return f"Switchboard summary of {path}" + "\n".join(sections)
