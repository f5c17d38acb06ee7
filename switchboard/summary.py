"""``switchboard summary``: a short printed summary of what the warehouse holds.

It reads the DuckDB file read-only and prints whatever exists: the KPI tables
(latest period per family), and the data-health audit (rows read, staged,
quarantined, superseded). Sections for models that are not built are skipped,
so the summary works at every stage of the project.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

KPI_TABLES = ("kpi_operational", "kpi_experience", "kpi_team", "kpi_compliance")


def _exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(row and row[0])


def _table(rows: list[tuple], headers: list[str]) -> str:
    cells = [headers] + [["" if v is None else (f"{v:,.4g}" if isinstance(v, float) else str(v)) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def kpi_family_overview(con: duckdb.DuckDBPyConnection) -> list[str]:
    out = []
    for name in KPI_TABLES:
        if not _exists(con, "marts", name):
            continue
        rows = con.execute(
            f"select kpi_name, count(*) as kpi_rows, max(period_start) as latest_period "
            f"from marts.{name} group by kpi_name order by kpi_name"
        ).fetchall()
        out.append(f"\n{name}: {len(rows)} KPIs\n" + _table(rows, ["kpi_name", "rows", "latest period"]))
    return out


def data_health(con: duckdb.DuckDBPyConnection) -> list[str]:
    out = []
    if _exists(con, "staging", "audit_reconciliation"):
        rows = con.execute(
            "select source_table, rows_read, rows_staged, rows_quarantined, rows_superseded "
            "from staging.audit_reconciliation order by source_table"
        ).fetchall()
        out.append("\nLanding reconciliation (rows read = staged + quarantined + superseded)\n"
                   + _table(rows, ["table", "read", "staged", "quarantined", "superseded"]))
    if _exists(con, "staging", "audit_quarantine_summary"):
        rows = con.execute(
            "select source_table, rule, rows from staging.audit_quarantine_summary order by source_table, rule"
        ).fetchall()
        if rows:
            out.append("\nQuarantined rows by rule\n" + _table(rows, ["table", "rule", "rows"]))
    return out


def summarise(db_path: str | Path) -> str:
    path = Path(db_path)
    if not path.exists():
        raise SystemExit(f"no warehouse at {path}: run `make demo` (or dbt build) first")
    with duckdb.connect(str(path), read_only=True) as con:
        sections = kpi_family_overview(con) + data_health(con)
    if not sections:
        return f"{path}: no marts or audit models built yet"
    return f"Switchboard summary of {path}" + "\n".join(sections)
