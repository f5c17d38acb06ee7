"""The two reference implementations `make bench` times against the warehouse, on the same landing files.

Both compute the core queue KPIs per queue and local day from ``acd/contact_segments`` alone, with the
definitions of the KPI catalogue (shared/spec/kpi-catalogue.md):

* offers, answered, abandoned, short abandons (by the day of ``enqueued_at`` in the queue's site time zone);
* service level = answered within the threshold / (answered + abandoned - short abandons);
* ASA = wait of answered offers / answered; abandonment rate = (abandoned - short) / (offers - short);
* handled segments and AHT = (talk + hold + ACW) / handled (by the day of ``connected_at``).

Re-delivered rows are deduplicated (per ``segment_id`` the latest ``_extracted_at`` wins), as staging does.

    python bench/reference_kpis.py duckdb LANDING OUT.parquet [--threads 2] [--memory-limit 4GB]
    python bench/reference_kpis.py pandas LANDING OUT.parquet

``duckdb`` is the physical limit: one hand-written query that scans the segment files once. ``pandas`` is
what an analyst would otherwise write: read the files into a DataFrame and group.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
OUT_COLUMNS = [
    "queue_id",
    "day",
    "offers",
    "answered",
    "abandoned",
    "short_abandons",
    "service_level",
    "average_speed_of_answer_s",
    "abandonment_rate",
    "handled",
    "average_handle_time_s",
]


def duckdb_kpis(landing: Path, out: Path, threads: int, memory_limit: str) -> int:
    """One query, one scan of the segment files; returns the rows written."""
    import duckdb

    con = duckdb.connect(config={"threads": threads, "memory_limit": memory_limit})
    con.execute("set TimeZone = 'UTC'")
    files = (landing / "acd" / "contact_segments").as_posix() + "/*.parquet"
    sql = f"""
    with q as (
        select q.queue_id, q.service_level_threshold_s as sl, q.short_abandon_threshold_s as sa, s.time_zone as tz
        from read_csv('{SEEDS / "queues.csv"}') q join read_csv('{SEEDS / "sites.csv"}') s using (site_id)
    ),
    seg as (  -- one scan; per segment the latest extract wins
        select segment_id, arg_max({{'queue_id': queue_id, 'enq': enqueued_at, 'con': connected_at,
                                    'dis': disconnected_at, 'acw_s': acw_started_at, 'acw_e': acw_ended_at,
                                    'reason': disconnect_reason}}, _extracted_at) as r
        from read_parquet('{files}')
        where queue_id is not null
        group by segment_id
    ),
    x as (  -- per segment: 15-minute UTC buckets (every real time-zone offset is a multiple of 15 minutes)
        select r.queue_id as queue_id, q.sl, q.sa,
               time_bucket(interval 15 minute, r.enq) as offer_bucket,
               time_bucket(interval 15 minute, r.con) as handle_bucket,
               r.enq is not null as offered,
               r.con is not null as answered,
               r.con is null and r.reason = 'customer_disconnect' as abandoned,
               epoch(coalesce(r.con, r.dis)) - epoch(r.enq) as wait,
               epoch(r.dis) - epoch(r.con) + coalesce(epoch(r.acw_e) - epoch(r.acw_s), 0) as handle_s
        from seg join q on q.queue_id = r.queue_id
    ),
    g as (  -- one aggregation, two grouping sets: offers by enqueue time, handle time by connect time
        select queue_id, offer_bucket, handle_bucket, grouping(offer_bucket) as by_handle,
               count(*) filter (where offered) as offers,
               count(*) filter (where offered and answered) as answered,
               count(*) filter (where offered and abandoned) as abandoned,
               count(*) filter (where offered and abandoned and wait <= sa) as short_abandons,
               count(*) filter (where offered and answered and wait <= sl) as sl_met,
               sum(wait) filter (where offered and answered) as wait_answered,
               count(*) filter (where answered) as handled,
               sum(handle_s) filter (where answered) as handle_s
        from x
        group by grouping sets ((queue_id, offer_bucket), (queue_id, handle_bucket))
    ),
    o as (  -- buckets to the local day of the queue's site
        select g.queue_id, cast(timezone(q.tz, offer_bucket) as date) as day, sum(offers) as offers,
               sum(answered) as answered, sum(abandoned) as abandoned, sum(short_abandons) as short_abandons,
               sum(sl_met) as sl_met, sum(wait_answered) as wait_answered
        from g join q using (queue_id)
        where by_handle = 0 and offer_bucket is not null and offers > 0
        group by 1, 2
    ),
    h as (
        select g.queue_id, cast(timezone(q.tz, handle_bucket) as date) as day, sum(handled) as handled,
               sum(handle_s) as handle_s
        from g join q using (queue_id)
        where by_handle = 1 and handle_bucket is not null and handled > 0
        group by 1, 2
    )
    select coalesce(o.queue_id, h.queue_id) as queue_id, coalesce(o.day, h.day) as day,
           coalesce(o.offers, 0) as offers, coalesce(o.answered, 0) as answered,
           coalesce(o.abandoned, 0) as abandoned, coalesce(o.short_abandons, 0) as short_abandons,
           o.sl_met / nullif(o.answered + o.abandoned - o.short_abandons, 0) as service_level,
           o.wait_answered / nullif(o.answered, 0) as average_speed_of_answer_s,
           (o.abandoned - o.short_abandons) / nullif(o.offers - o.short_abandons, 0) as abandonment_rate,
           coalesce(h.handled, 0) as handled,
           h.handle_s / nullif(h.handled, 0) as average_handle_time_s
    from o full outer join h on o.queue_id = h.queue_id and o.day = h.day
    order by 1, 2
    """
    con.execute(f"copy ({sql}) to '{out}' (format parquet)")
    return int(con.execute(f"select count(*) from read_parquet('{out}')").fetchone()[0])


def pandas_kpis(landing: Path, out: Path) -> int:
    """The same KPIs the way an analyst would write them in pandas; returns the rows written."""
    import numpy as np
    import pandas as pd

    cols = [
        "segment_id",
        "queue_id",
        "enqueued_at",
        "connected_at",
        "disconnected_at",
        "acw_started_at",
        "acw_ended_at",
        "disconnect_reason",
        "_extracted_at",
    ]
    df = pd.read_parquet(landing / "acd" / "contact_segments", columns=cols)
    df = df[df["queue_id"].notna()]
    df = df.sort_values("_extracted_at", kind="stable").drop_duplicates("segment_id", keep="last")
    queues = pd.read_csv(SEEDS / "queues.csv").merge(
        pd.read_csv(SEEDS / "sites.csv")[["site_id", "time_zone"]], on="site_id"
    )
    df = df.merge(
        queues[["queue_id", "service_level_threshold_s", "short_abandon_threshold_s", "time_zone"]], on="queue_id"
    )
    df["offer_day"] = pd.NaT
    df["handle_day"] = pd.NaT
    for tz, idx in df.groupby("time_zone").groups.items():
        df.loc[idx, "offer_day"] = df.loc[idx, "enqueued_at"].dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()
        df.loc[idx, "handle_day"] = df.loc[idx, "connected_at"].dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()
    df["answered"] = df["connected_at"].notna()
    end = df["connected_at"].where(df["answered"], df["disconnected_at"])
    df["wait"] = (end - df["enqueued_at"]).dt.total_seconds()
    df["abandoned"] = ~df["answered"] & (df["disconnect_reason"] == "customer_disconnect")
    df["short"] = df["abandoned"] & (df["wait"] <= df["short_abandon_threshold_s"])
    df["sl_met"] = df["answered"] & (df["wait"] <= df["service_level_threshold_s"])
    acw = (df["acw_ended_at"] - df["acw_started_at"]).dt.total_seconds().fillna(0)
    df["handle_s"] = (df["disconnected_at"] - df["connected_at"]).dt.total_seconds() + acw

    off = df[df["enqueued_at"].notna()].copy()
    off["wait_answered"] = off["wait"].where(off["answered"], 0.0)
    o = off.groupby(["queue_id", "offer_day"]).agg(
        offers=("segment_id", "size"),
        answered=("answered", "sum"),
        abandoned=("abandoned", "sum"),
        short_abandons=("short", "sum"),
        sl_met=("sl_met", "sum"),
        wait_answered=("wait_answered", "sum"),
    )
    o.index.names = ["queue_id", "day"]
    han = df[df["answered"]]
    h = han.groupby(["queue_id", "handle_day"]).agg(handled=("segment_id", "size"), handle_s=("handle_s", "sum"))
    h.index.names = ["queue_id", "day"]
    r = o.join(h, how="outer").reset_index()
    for c in ("offers", "answered", "abandoned", "short_abandons", "handled"):
        r[c] = r[c].fillna(0).astype("int64")
    r["service_level"] = r["sl_met"] / (r["answered"] + r["abandoned"] - r["short_abandons"]).replace(0, np.nan)
    r["average_speed_of_answer_s"] = r["wait_answered"] / r["answered"].replace(0, np.nan)
    r["abandonment_rate"] = (r["abandoned"] - r["short_abandons"]) / (r["offers"] - r["short_abandons"]).replace(
        0, np.nan
    )
    r["average_handle_time_s"] = r["handle_s"] / r["handled"].replace(0, np.nan)
    r["day"] = r["day"].dt.date
    r = r[OUT_COLUMNS].sort_values(["queue_id", "day"])
    r.to_parquet(out, index=False)
    return len(r)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("engine", choices=("duckdb", "pandas"))
    ap.add_argument("landing", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory-limit", default="4GB")
    args = ap.parse_args(argv)
    if args.engine == "duckdb":
        n = duckdb_kpis(args.landing, args.out, args.threads, args.memory_limit)
    else:
        n = pandas_kpis(args.landing, args.out)
    print(f"{args.engine}: {n} queue-day rows -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
