"""Build a very large landing zone by merging several generator runs ("tiles") into one bigger center.

The generator keeps a whole run in memory (about 4 GB per million contact segments), so ~10 million
segments cannot be generated in one process on a 24 GB machine. Instead, ``switchboard generate`` runs
several times with the same dates and scale but different seeds (each run a complete, consistent center),
and this module merges the runs file by file into one landing root, as if one center had N times the agents
and the customers on the same sites and queues (a run may be given more than once: each tile gets its own
ids, so its rows are new rows with the same statistics):

* every generated identifier (segments, agents, teams, customers, cases, surveys, ...) of tile k > 1 gets the
  suffix ``_t<k>`` so that keys stay unique and references stay inside their tile; seed identifiers
  (queues, sites, disposition codes, scorecard items) are kept;
* the daily batch files of the same name are concatenated (tile order), so the merged landing has the
  generator's layout: one file per table and UTC day, plus the re-delivery;
* the two tables keyed without a generated id are aggregated: WFM forecasts (per queue, interval and
  version: contacts summed, AHT averaged) and budgets (per month, site and category: amounts summed).

The merged root gets a ``_generator/manifest.json`` with the rows per table and the tiles it came from.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from switchboard.contract import TABLES

# generated identifiers per table (seed identifiers such as queue_id and site_id are not listed)
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "acd/contact_segments": ("segment_id", "previous_segment_id", "agent_id", "customer_id", "customer_address"),
    "acd/agent_state_changes": ("agent_id",),
    "wfm/schedule_activities": ("agent_id",),
    "survey/contact_surveys": ("response_id", "segment_id"),
    "survey/employee_pulse": ("response_id", "team_id"),
    "qa/evaluations": ("evaluation_id", "segment_id", "agent_id", "evaluator_id"),
    "qa/evaluation_items": ("evaluation_id",),
    "crm/customers": ("customer_id",),
    "crm/cases": ("case_id", "customer_id"),
    "crm/case_segments": ("case_id", "segment_id"),
    "crm/next_best_actions": ("offer_id", "segment_id", "agent_id"),
    "crm/follow_ups": ("follow_up_id", "case_id", "customer_id", "owner_agent_id"),
    "hr/employees": ("employee_id", "team_id", "supervisor_id"),
    "hr/teams": ("team_id", "team_lead_id"),
    "hr/absences": ("absence_id", "employee_id"),
    "finance/cost_ledger": ("entry_id",),
    "ops/incidents": ("incident_id",),
    "ops/plan_items": ("item_id",),
}
# tables whose key holds no generated id: rows of the same key are aggregated across tiles
AGGREGATED: dict[str, tuple[tuple[str, ...], str]] = {
    "wfm/forecasts": (
        ("queue_id", "interval_start", "created_at", "_extracted_at"),
        "cast(sum(forecast_contacts) as decimal(18,4)) as forecast_contacts, "
        "cast(round(avg(forecast_aht_s), 4) as decimal(18,4)) as forecast_aht_s",
    ),
    "finance/budget": (
        ("period_month", "site_id", "category", "currency", "_extracted_at"),
        "cast(sum(amount) as decimal(18,4)) as amount",
    ),
}


def _select_tile(table_id: str, columns: list[str], k: int, path: Path) -> str:
    """SELECT of one tile's file with its generated ids suffixed (tile 1 keeps its ids)."""
    ids = ID_COLUMNS.get(table_id, ())
    exprs = [f"{c} || '_t{k}' as {c}" if (c in ids and k > 1) else c for c in columns]
    return f"select {', '.join(exprs)}, {k} as __tile from read_parquet('{path}')"


def merge_file(
    con: duckdb.DuckDBPyConnection, table_id: str, columns: list[str], rel: str, tiles: list[Path], out: Path
) -> int:
    """Merge the file ``rel`` of every tile into ``out / rel``; return the rows written."""
    parts = [_select_tile(table_id, columns, k, t / rel) for k, t in enumerate(tiles, start=1) if (t / rel).exists()]
    union = " union all ".join(parts)
    if table_id in AGGREGATED:
        keys, aggs = AGGREGATED[table_id]
        inner = f"select {', '.join(keys)}, {aggs} from ({union}) group by all"
        query = f"select {', '.join(columns)} from ({inner}) order by {', '.join(keys)}"
    else:
        # tile by tile, each tile's rows in its file order
        query = f"select {', '.join(columns)} from ({union}) order by __tile"
    target = out / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    con.execute(f"copy ({query}) to '{tmp}' (format parquet, compression zstd, row_group_size 262144)")
    tmp.rename(target)
    return int(con.execute(f"select count(*) from read_parquet('{target}')").fetchone()[0])


def merge_tiles(tiles: list[Path], out: Path, threads: int = 2, memory_limit: str = "4GB") -> dict:
    """Merge the generator outputs ``tiles`` (Parquet, same dates and scale) into the landing root ``out``."""
    con = duckdb.connect(config={"threads": threads, "memory_limit": memory_limit, "preserve_insertion_order": True})
    rows: dict[str, int] = {}
    files: dict[str, dict[str, int]] = {}
    for t in TABLES:
        columns = list(t.column_names)
        rels = sorted(
            {p.relative_to(tile).as_posix() for tile in tiles for p in (tile / t.system / t.name).glob("*.parquet")}
        )
        files[t.id] = {}
        for rel in rels:
            files[t.id][rel] = merge_file(con, t.id, columns, rel, tiles, out)
        rows[t.id] = sum(files[t.id].values())
    manifests = [json.loads((t / "_generator" / "manifest.json").read_text()) for t in tiles]
    manifest = {
        "merged_from": [{"path": str(t), "options": m["options"]} for t, m in zip(tiles, manifests)],
        "start_date": manifests[0]["start_date"],
        "end_date": manifests[0]["end_date"],
        "horizon_utc": max(m["horizon_utc"] for m in manifests),
        "rows_per_table": rows,
        "rows_per_file": files,
        "bad_rows": 0,
    }
    (out / "_generator").mkdir(parents=True, exist_ok=True)
    (out / "_generator" / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest
