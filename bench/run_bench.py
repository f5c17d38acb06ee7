"""`make bench`: time Switchboard end to end at ~100 k, ~1 M and ~10 M contact segments (issue 14's measures).

Per scale, each step runs as its own child process, timed as a whole, with the peak resident memory of its whole
process tree (the larger of ``os.wait4`` ``ru_maxrss``, the largest single process: dbt with DuckDB in it, and the
resident sets of the process and all its descendants summed, sampled every 0.5 s), its CPU seconds and the
machine's load average while it ran:

1. ``switchboard validate`` of the landing files;
2. the references, on the same landing: the single DuckDB scan (the physical limit) and pandas
   (bench/reference_kpis.py);
3. the full build into a fresh DuckDB file: ``dbt seed --full-refresh``, ``dbt run --full-refresh``,
   ``dbt test`` (optionally, --op: the operational path ``dbt run +kpi_operational`` on its own);
4. the daily increment: the landing as it stood the day before the increment day (``landing_as_of`` hard links
   into bench/work/<scale>/landing_inc), an initial build on it (seed, run --full-refresh; not a goal), then the
   increment day's files (and any later, partial day) plus the re-delivery files are added and ``dbt seed``,
   ``dbt run`` and ``dbt test`` (no --full-refresh) time what a daily scheduled run does; the increment's
   contents are reported (rows per table, re-deliveries, late QA and survey rows about earlier segments);
5. the marts after the increment compared with the full build's, exactly (bench/compare_marts.py).

dbt uses the ``duckdb_bench`` target (profiles/profiles.yml): DuckDB ``threads`` and ``memory_limit`` set
explicitly from SWITCHBOARD_DUCKDB_THREADS / SWITCHBOARD_DUCKDB_MEMORY_LIMIT (default 2 and 3GB here); the
DuckDB reference query uses the same values.

Landing data is generated once and cached under bench/data (outside the timed budget); databases, dbt
targets and logs go to bench/work. Results: bench/results.json and bench/results.md (the tables and the goals of
issue 14; the reason and next fix of a missed goal come from bench/results_notes.md, written by hand).

    .venv/bin/python bench/run_bench.py [--scales 100k,1m,10m] [--step-timeout S] [--deadline-utc HH:MM]
        [--results bench/results.json] [--markdown PATH] [--increment-day full|last|YYYY-MM-DD] [--op]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

BIN = Path(sys.executable).parent
DATA = HERE / "data"
WORK = HERE / "work"
START = "2026-01-05"
DAYS = 120
TILE_SCALE = 2.85  # ~1.0 M contact segments in 120 days per generator run
N_RUNS = 5  # generator runs (seeds 1..5) for the largest scale ...
N_TILES = 10  # ... merged into 10 tiles (each run twice, under different ids) = ~10 M segments
SCALES = {
    # name: how the landing is made
    "100k": {"scale": 0.285, "seed": 1},
    "1m": {"tile": 1},
    "10m": {"runs": N_RUNS, "tiles": N_TILES},
}


# ------------------------------------------------------------------------------------------- data


def generate(out: Path, seed: int, scale: float) -> None:
    """One generator run (cached: skipped when its manifest exists)."""
    if (out / "_generator" / "manifest.json").exists():
        return
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"  generating {out} (seed {seed}, scale {scale}, {DAYS} days)", flush=True)
    subprocess.run(
        [
            str(BIN / "switchboard"),
            "generate",
            "--out",
            str(tmp),
            "--seed",
            str(seed),
            "--start",
            START,
            "--days",
            str(DAYS),
            "--scale",
            str(scale),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tmp.rename(out)


def tile(k: int) -> Path:
    path = DATA / "tiles" / f"s{k}"
    generate(path, k, TILE_SCALE)
    return path


def landing_for(name: str, threads: int, memory_limit: str) -> Path:
    """The cached landing root of a scale, generated (and merged) when missing."""
    spec = SCALES[name]
    if "scale" in spec:
        path = DATA / name
        generate(path, spec["seed"], spec["scale"])
        return path
    if "tile" in spec:
        return tile(spec["tile"])
    path = DATA / name
    if not (path / "_generator" / "manifest.json").exists():
        from tiles import merge_tiles

        runs = [tile(k) for k in range(1, spec["runs"] + 1)]
        tiles = [runs[i % len(runs)] for i in range(spec["tiles"])]
        shutil.rmtree(path, ignore_errors=True)
        print(f"  merging {len(tiles)} generator runs into {path}", flush=True)
        merge_tiles(tiles, path, threads=threads, memory_limit=memory_limit)
    return path


def landing_stats(path: Path) -> dict:
    manifest = json.loads((path / "_generator" / "manifest.json").read_text())
    rows = manifest["rows_per_table"]
    size = sum(p.stat().st_size for p in path.rglob("*.parquet"))
    return {
        "segments": rows["acd/contact_segments"],
        "total_rows": sum(rows.values()),
        "files": sum(len(f) for f in manifest["rows_per_file"].values()),
        "landing_mib": round(size / 2**20, 1),
        "rows_per_table": rows,
    }


# ------------------------------------------------------------------------------------------- steps


STEP_TIMEOUT = [0.0]  # seconds; 0 = none (set by --step-timeout)
DEADLINE = [0.0]  # time.time() after which no step runs and running steps are stopped (--deadline-utc)
PARTIAL: list[dict] = []  # steps of the scale in progress, written to bench/work/<scale>/partial.json


PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def tree_rss_kib(root: int) -> int:
    """Resident memory (KiB) of a process and all its descendants now (/proc: parent links, statm).

    Summed over the processes of the tree, so concurrent children count together (shared pages are counted
    once per process: an upper bound, exact for a single process such as dbt with DuckDB inside it).
    """
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE_KIB
        except (OSError, IndexError, ValueError):
            pass
        todo.extend(children.get(pid, ()))
    return total


def run_step(name: str, cmd: list[str], env: dict, log: Path) -> dict:
    """Run ``cmd`` as a child process; wall seconds, peak RSS (MiB), CPU seconds and load during the run.

    Peak RSS is the larger of two measures of the whole process tree: ``ru_maxrss`` of ``os.wait4`` (exact, the
    largest single process among the child and its waited-for descendants: dbt with DuckDB in-process) and the
    sum of the resident sets of the child and every descendant, sampled every 0.5 s from /proc (concurrent
    children together). A step that exceeds --step-timeout is stopped (its process group) and recorded with
    ``timed_out``.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    if DEADLINE[0] and time.time() > DEADLINE[0] - 30:
        print(f"    {name:<22} skipped (deadline)", flush=True)
        return skipped_step("deadline")
    loads: list[float] = []
    tree_peak = [0]
    samples: list[tuple[float, int]] = []  # (epoch seconds, tree RSS KiB): which model was running at the peak
    done = threading.Event()
    timed_out = threading.Event()

    def sample(pid: int, t0: float) -> None:
        tick = 0
        while not done.wait(0.5):
            rss = tree_rss_kib(pid)
            samples.append((time.time(), rss))
            tree_peak[0] = max(tree_peak[0], rss)
            tick += 1
            if tick % 4:
                continue
            loads.append(os.getloadavg()[0])
            over = (STEP_TIMEOUT[0] and time.perf_counter() - t0 > STEP_TIMEOUT[0]) or (
                DEADLINE[0] and time.time() > DEADLINE[0]
            )
            if over and not timed_out.is_set():
                timed_out.set()
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, 2)  # SIGINT: dbt cancels its queries and still writes run_results.json

    load0 = os.getloadavg()[0]
    with log.open("w") as fh:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
        sampler = threading.Thread(target=sample, args=(proc.pid, t0), daemon=True)
        sampler.start()
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    loads = loads or [load0]
    res = {
        "seconds": round(wall, 2),
        "peak_rss_mib": round(max(ru.ru_maxrss, tree_peak[0]) / 1024),
        "peak_rss_single_mib": round(ru.ru_maxrss / 1024),
        "peak_rss_tree_sampled_mib": round(tree_peak[0] / 1024),
        "cpu_s": round(ru.ru_utime + ru.ru_stime, 1),
        "load_mean": round(sum(loads) / len(loads), 2),
        "load_max": round(max(loads), 2),
        "rc": proc.returncode,
        "log": str(log.relative_to(ROOT)),
    }
    if timed_out.is_set():
        res["timed_out"] = True
    by_model = peak_rss_by_model(log, samples)
    if by_model:
        res["peak_rss_by_model"] = by_model
    PARTIAL.append({"step": name, **res})
    (log.parent.parent / "partial.json").write_text(json.dumps(PARTIAL, indent=2) + "\n")
    flag = "" if proc.returncode == 0 else f"  (exit {proc.returncode}, see {res['log']})"
    print(
        f"    {name:<22} {wall:9.1f} s  peak {res['peak_rss_mib']:>6,} MiB  cpu {res['cpu_s']:>8.1f} s  "
        f"load {res['load_mean']:.1f}{flag}",
        flush=True,
    )
    if by_model:
        top = ", ".join(f"{m['node']} {m['peak_rss_mib']:,} MiB (+{m['rise_mib']:,})" for m in by_model[:3])
        print(f"      peak RSS while running: {top}", flush=True)
    return res


DBT_NODE_LINE = re.compile(r"^(\d\d:\d\d:\d\d)\s+\d+ of \d+ (START|OK created|ERROR creating) sql \S+ model (\S+)")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def peak_rss_by_model(log: Path, samples: list[tuple[float, int]], n: int = 8) -> list[dict]:
    """The models of a dbt log with the largest process-tree RSS sampled while each ran (start to end line), and
    how much the RSS rose during each (``rise_mib``).

    dbt logs wall-clock times of day (the machine's local time) to the second; a model's window is widened by one
    second at each end, so the peak of a short model may also be a neighbour's. Empty for other logs.
    """
    if not samples or not log.exists():
        return []
    day = datetime.fromtimestamp(samples[0][0]).date()
    previous = None
    starts: dict[str, float] = {}
    windows: list[tuple[str, float, float]] = []
    for raw in log.read_text(errors="replace").splitlines():
        m = DBT_NODE_LINE.match(ANSI.sub("", raw).strip())
        if not m:
            continue
        clock = datetime.combine(day, datetime.strptime(m.group(1), "%H:%M:%S").time())
        if previous is not None and clock < previous:  # past midnight
            day += timedelta(days=1)
            clock += timedelta(days=1)
        previous = clock
        if m.group(2) == "START":
            starts[m.group(3)] = clock.timestamp()
        elif m.group(3) in starts:
            windows.append((m.group(3), starts.pop(m.group(3)), clock.timestamp()))
    peaks = []
    for node, start, end in windows:
        inside = [rss for t, rss in samples if start - 1 <= t <= end + 1]
        before = [rss for t, rss in samples if t < start - 1]
        if inside:
            peaks.append(
                {
                    "node": node,
                    "peak_rss_mib": round(max(inside) / 1024),
                    "rise_mib": round((max(inside) - (before[-1] if before else 0)) / 1024),
                    "seconds": round(end - start),
                    "start": start,
                }
            )
    # DuckDB keeps its buffers up to memory_limit, so the RSS stays near its high-water mark once reached: among
    # models at the same peak, the first (the one that drove it there, see rise_mib) comes first
    top = sorted(peaks, key=lambda p: (-p["peak_rss_mib"], p["start"]))[:n]
    return [{k: v for k, v in p.items() if k != "start"} for p in top]


def skipped_step(reason: str) -> dict:
    return {
        "seconds": 0.0,
        "peak_rss_mib": 0,
        "cpu_s": 0.0,
        "load_mean": 0.0,
        "load_max": 0.0,
        "rc": -1,
        "skipped": True,
        "skip_reason": reason,
        "log": "",
    }


def ok(step: dict | None) -> bool:
    """A step that ran to the end and succeeded."""
    return bool(step) and step["rc"] == 0 and not step.get("timed_out") and not step.get("skipped")


def dbt(args: list[str], target_path: Path, log_path: Path) -> list[str]:
    return [
        str(BIN / "dbt"),
        *args,
        "--target",
        "duckdb_bench",
        "--target-path",
        str(target_path),
        "--log-path",
        str(log_path),
    ]


def top_models_from_log(log: Path, n: int = 8) -> list[dict]:
    """The slowest finished nodes from a dbt console log (when a stopped run left no run_results.json)."""
    import re

    if not log.exists():
        return []
    pat = re.compile(r"OK created \S+ \S+ model (\S+) .*\[.*? in ([0-9.]+)s\]")
    found = [
        (m.group(1), float(m.group(2))) for m in map(pat.search, log.read_text(errors="replace").splitlines()) if m
    ]
    total = sum(t for _, t in found) or 1
    found.sort(key=lambda x: -x[1])
    return [
        {"node": name, "seconds": round(t, 1), "share": round(t / total, 3), "status": "success (from log)"}
        for name, t in found[:n]
    ]


def unfinished_from_log(log: Path) -> list[dict]:
    """Models a stopped dbt invocation had started but not finished, with how long they had been running."""
    import re

    if not log.exists():
        return []
    stamp = re.compile(r"(\d\d):(\d\d):(\d\d)")
    started: dict[str, int] = {}
    last = 0
    for line in log.read_text(errors="replace").splitlines():
        line = re.sub(r"\x1b\[[0-9;]*m", "", line)
        m = stamp.search(line)
        if not m:
            continue
        t = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
        last = max(last, t)
        s = re.search(r"START sql \S+ model (\S+)", line)
        if s:
            started[s.group(1)] = t
        f = re.search(r"(?:OK created|ERROR creating|CANCEL|SKIP relation) .*?model (\S+)", line)
        if f:
            started.pop(f.group(1), None)
    mtime = datetime.fromtimestamp(log.stat().st_mtime, UTC)
    last = max(last, mtime.hour * 3600 + mtime.minute * 60 + mtime.second)  # the log's last write
    return [{"node": k, "running_s": last - t} for k, t in sorted(started.items(), key=lambda x: x[1])]


def top_models(target: Path, n: int = 8, log: Path | None = None) -> list[dict]:
    """The slowest nodes of a dbt invocation (target/run_results.json, else the console log)."""
    path = target / "run_results.json"
    if not path.exists():
        return top_models_from_log(log, n) if log else []
    res = json.loads(path.read_text())["results"]
    res.sort(key=lambda r: -r.get("execution_time", 0))
    total = sum(r.get("execution_time", 0) for r in res) or 1
    return [
        {
            "node": r["unique_id"].split(".", 2)[-1],
            "seconds": round(r["execution_time"], 1),
            "share": round(r["execution_time"] / total, 3),
            "status": r["status"],
        }
        for r in res[:n]
    ]


def compare_references(a: Path, b: Path) -> dict:
    """Do the DuckDB and pandas references agree (same queue-days, counts equal, rates within 1e-9)?"""
    import pandas as pd

    x, y = pd.read_parquet(a), pd.read_parquet(b)
    m = x.merge(y, on=["queue_id", "day"], how="outer", suffixes=("_d", "_p"), indicator=True)
    diff = {}
    for c in (
        "offers",
        "answered",
        "abandoned",
        "short_abandons",
        "handled",
        "service_level",
        "average_speed_of_answer_s",
        "abandonment_rate",
        "average_handle_time_s",
    ):
        d = (m[f"{c}_d"] - m[f"{c}_p"]).abs().max()
        diff[c] = 0.0 if d != d else float(d)  # NaN when all null
    return {
        "queue_days": len(x),
        "unmatched": int((m["_merge"] != "both").sum()),
        "agree": bool((m["_merge"] == "both").all() and max(diff.values()) < 1e-6),
        "max_abs_diff": diff,
    }


def compare_warehouse(db: Path, ref: Path) -> dict:
    """Offers and answered offers per queue and day: reference query vs marts.kpi_operational."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(f"""
            with w as (
                select scope_id as queue_id, cast(period_start as date) as day,
                       max(case when kpi_name = 'contacts_offered' then value end) as offers,
                       max(case when kpi_name = 'offers_answered' then value end) as answered
                from marts.kpi_operational
                where period_grain = 'day' and scope_type = 'queue' and breakdown_type = 'all'
                  and kpi_name in ('contacts_offered', 'offers_answered')
                group by 1, 2
            ), r as (select * from read_parquet('{ref}') where offers > 0)
            select count(*) as queue_days,
                   count(*) filter (where w.offers is distinct from r.offers) as offers_differ,
                   count(*) filter (where coalesce(w.answered, 0) <> r.answered) as answered_differ
            from r left join w using (queue_id, day)
        """).fetchone()
    except duckdb.Error as exc:  # a failed build leaves no mart: report, don't fail the benchmark
        return {"error": str(exc).splitlines()[0]}
    finally:
        con.close()
    return {"queue_days": row[0], "offers_differ": row[1], "answered_differ": row[2]}


# ------------------------------------------------------------------------------------------- daily increment


def increment_days(landing: Path, choice: str) -> dict:
    """The day the increment adds and the delivery day before it (the state the initial build sees).

    ``choice``: ``full`` (default) = the last delivery day with at least half the median day's contact
    segments (the generator's last delivery day is a tail of a few hours up to its horizon, which is added with
    it); ``last`` = the last delivery day; or a date (YYYY-MM-DD). Every file delivered after the previous day
    is added, plus the re-deliveries.
    """
    from switchboard.landing_days import file_day, landing_days

    days = landing_days(landing)
    manifest = json.loads((landing / "_generator" / "manifest.json").read_text())
    per_day: dict[date, int] = {}
    for rel, n in manifest["rows_per_file"].get("acd/contact_segments", {}).items():
        parsed = file_day(Path(rel).name)
        if parsed and parsed[1] == "":
            per_day[parsed[0]] = per_day.get(parsed[0], 0) + n
    if choice == "last":
        day, rule = days[-1], "the last delivery day"
    elif choice == "full":
        counts = sorted(per_day.values())
        median = counts[len(counts) // 2] if counts else 0
        day = max((d for d, n in per_day.items() if n >= median / 2), default=days[-1])
        rule = f"the last delivery day with at least half the median day's contact segments ({median:,})"
    else:
        day, rule = date.fromisoformat(choice), "given (--increment-day)"
    if day not in days or days.index(day) == 0:
        raise SystemExit(f"increment day {day} is not a delivery day after the first of {landing}")
    prev = days[days.index(day) - 1]
    later = [d.isoformat() for d in days if d > day]
    return {
        "previous_day": prev.isoformat(),
        "increment_day": day.isoformat(),
        "later_days_added": later,
        "last_delivery_day": days[-1].isoformat(),
        "rule": rule,
        "segments_on_increment_day": per_day.get(day, 0),
    }


def _reader(paths: list[Path]) -> str:
    lst = "[" + ", ".join(f"'{p}'" for p in paths) + "]"
    if all(p.suffix.lower() == ".parquet" for p in paths):
        return f"read_parquet({lst}, filename = true, union_by_name = true)"
    return f"read_csv({lst}, filename = true, union_by_name = true, all_varchar = true)"


def increment_contents(landing: Path, inc: dict, added: list[str], memory_limit: str) -> dict:
    """What the increment's files hold: rows per table, the re-deliveries, and the late rows.

    Late rows: QA evaluations and contact surveys delivered in the increment about segments delivered on an
    earlier day (already in the warehouse before the increment), with the largest lag in days.
    """
    import duckdb

    from switchboard.landing_days import file_day

    manifest = json.loads((landing / "_generator" / "manifest.json").read_text())
    rows_of = {Path(rel).as_posix(): n for files in manifest["rows_per_file"].values() for rel, n in files.items()}
    per_table: dict[str, dict] = {}
    redeliveries = []
    for rel in added:
        table = rel.rsplit("/", 1)[0]
        t = per_table.setdefault(table, {"files": 0, "rows": 0})
        t["files"] += 1
        t["rows"] += rows_of.get(rel, 0)
        parsed = file_day(Path(rel).name)
        if parsed and parsed[1] == "_redelivery":
            redeliveries.append({"file": rel, "of_day": parsed[0].isoformat(), "rows": rows_of.get(rel, 0)})
    prev = date.fromisoformat(inc["previous_day"])
    seg_files = [
        p
        for p in sorted((landing / "acd" / "contact_segments").glob("*"))
        if (fd := file_day(p.name)) and fd[0] <= prev and fd[1] != "_redelivery"
    ]
    late: dict[str, dict] = {}
    con = duckdb.connect(config={"memory_limit": memory_limit, "threads": 1})
    try:
        for table in ("qa/evaluations", "survey/contact_surveys"):
            new = [
                landing / rel
                for rel in added
                if rel.startswith(table + "/") and (fd := file_day(Path(rel).name)) and fd[1] != "_redelivery"
            ]
            if not new or not seg_files:
                late[table] = {"rows": 0, "about_earlier_segments": 0, "max_lag_days": None}
                continue
            n, n_late, lag = con.execute(f"""
                with prev_segments as (
                    select segment_id,
                           min(strptime(regexp_extract(filename, '_(\\d{{8}})', 1), '%Y%m%d')::date) as delivered
                    from {_reader(seg_files)} group by 1
                ), new_rows as (
                    select segment_id,
                           strptime(regexp_extract(filename, '_(\\d{{8}})', 1), '%Y%m%d')::date as delivered
                    from {_reader(new)}
                )
                select count(*), count(p.segment_id), max(n.delivered - p.delivered)
                from new_rows as n left join prev_segments as p using (segment_id)
            """).fetchone()
            late[table] = {"rows": n, "about_earlier_segments": n_late, "max_lag_days": lag}
    finally:
        con.close()
    return {"tables": per_table, "redeliveries": redeliveries, "late_rows": late}


def describe_increment(inc: dict) -> str:
    """One sentence on what the increment holds (printed and in results.md)."""
    c = inc.get("contents", {})
    late = c.get("late_rows", {})
    parts = [
        f"{t} {v['about_earlier_segments']:,} of {v['rows']:,} rows about segments delivered on earlier days"
        + (f" (up to {v['max_lag_days']} days earlier)" if v["about_earlier_segments"] else "")
        for t, v in late.items()
        if v["rows"]
    ]
    red = c.get("redeliveries", [])
    later = inc.get("later_days_added") or []
    return (
        f"initial build on the landing as of {inc['previous_day']}; the increment adds the files of "
        f"{inc['increment_day']} ({inc['rule']}; {inc.get('segments_on_increment_day', 0):,} segments)"
        + (f" and of {', '.join(later)} (the generator's last, partial delivery day)" if later else "")
        + f": {inc.get('files_added', 0)} files, {sum(v['rows'] for v in c.get('tables', {}).values()):,} rows"
        + (
            f", with {len(red)} re-delivery files ("
            + ", ".join(f"{r['file'].rsplit('/', 1)[-1]} {r['rows']:,} rows" for r in red)
            + ")"
            if red
            else ", no re-delivery"
        )
        + ". Late rows, naturally in the day's files: "
        + ("; ".join(parts) if parts else "none found")
        + "."
    )


def bench_scale(
    name: str, landing: Path, threads: int, memory_limit: str, op: bool, increment_day: str | None, marts_compare: bool
) -> dict:
    """Every step of one scale (``increment_day`` None: no daily increment)."""
    work = WORK / name
    PARTIAL.clear()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    stats = landing_stats(landing)
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    print(
        f"\n== {name}: {stats['segments']:,} segments, {stats['total_rows']:,} rows, {stats['files']:,} files, "
        f"{stats['landing_mib']:,} MiB ({landing})",
        flush=True,
    )
    db, db_op, db_inc = work / "sb.duckdb", work / "sb_op.duckdb", work / "sb_inc.duckdb"
    landing_inc = work / "landing_inc"
    base = dict(
        os.environ,
        DBT_PROFILES_DIR=str(ROOT / "profiles"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        SWITCHBOARD_LANDING_DIR=str(landing),
        SWITCHBOARD_DUCKDB_THREADS=str(threads),
        SWITCHBOARD_DUCKDB_MEMORY_LIMIT=memory_limit,
    )
    env = dict(base, SWITCHBOARD_DB_PATH=str(db))
    env_op = dict(base, SWITCHBOARD_DB_PATH=str(db_op))
    env_inc = dict(base, SWITCHBOARD_DB_PATH=str(db_inc), SWITCHBOARD_LANDING_DIR=str(landing_inc))
    logs = work / "logs"
    steps: dict[str, dict] = {}
    steps["validate"] = run_step(
        "validate",
        [str(BIN / "switchboard"), "validate", "--landing", str(landing), "--docs-dir", str(work / "data_docs")],
        env,
        logs / "validate.log",
    )
    ref = HERE / "reference_kpis.py"
    scan_out, pandas_out = work / "kpis_duckdb.parquet", work / "kpis_pandas.parquet"
    steps["duckdb_scan"] = run_step(
        "duckdb scan",
        [
            sys.executable,
            str(ref),
            "duckdb",
            str(landing),
            str(scan_out),
            "--threads",
            str(threads),
            "--memory-limit",
            memory_limit,
        ],
        env,
        logs / "duckdb_scan.log",
    )
    steps["pandas"] = run_step(
        "pandas", [sys.executable, str(ref), "pandas", str(landing), str(pandas_out)], env, logs / "pandas.log"
    )
    # the full build: seed + run + test into a fresh file (--full-refresh: incremental models rebuilt from scratch)
    steps["dbt_seed"] = run_step(
        "dbt seed", dbt(["seed", "--full-refresh"], work / "target_seed", logs), env, logs / "dbt_seed.log"
    )
    if op and db.exists():  # the operational path gets its own database, seeded the same way
        shutil.copyfile(db, db_op)
        steps["dbt_run_operational"] = run_step(
            "dbt run +op",
            dbt(["run", "--full-refresh", "--select", "+kpi_operational"], work / "target_op", logs),
            env_op,
            logs / "dbt_run_operational.log",
        )
        db_op.unlink(missing_ok=True)
        shutil.rmtree(work / "sb_op.duckdb.tmp", ignore_errors=True)
    steps["dbt_run"] = run_step(
        "dbt run", dbt(["run", "--full-refresh"], work / "target_run", logs), env, logs / "dbt_run.log"
    )
    if steps["dbt_run"].get("timed_out"):  # testing a half-built warehouse measures nothing
        steps["dbt_test"] = skipped_step("the run was stopped")
    else:
        steps["dbt_test"] = run_step("dbt test", dbt(["test"], work / "target_test", logs), env, logs / "dbt_test.log")

    # the daily increment: an initial build on the landing as it stood the day before, then one new day
    from switchboard.landing_days import landing_as_of

    inc = increment_days(landing, increment_day or "full")
    shutil.rmtree(landing_inc, ignore_errors=True)
    landing_as_of(landing, landing_inc, date.fromisoformat(inc["previous_day"]))
    inc_keys = ("inc_initial_seed", "inc_initial_run", "inc_seed", "inc_run", "inc_test")
    if increment_day is None:
        for k in inc_keys:
            steps[k] = skipped_step("--no-increment")
    elif not (ok(steps["dbt_seed"]) and ok(steps["dbt_run"])):
        reason = "the full build's seed or run did not finish, so its initial build would not either"
        for k in inc_keys:
            steps[k] = skipped_step(reason)
        print(f"    increment skipped: {reason}", flush=True)
    else:
        print(f"    increment: initial build on the landing as of {inc['previous_day']}", flush=True)
        steps["inc_initial_seed"] = run_step(
            "initial (D-1) dbt seed",
            dbt(["seed", "--full-refresh"], work / "target_inc_initial_seed", logs),
            env_inc,
            logs / "inc_initial_seed.log",
        )
        steps["inc_initial_run"] = run_step(
            "initial (D-1) dbt run",
            dbt(["run", "--full-refresh"], work / "target_inc_initial_run", logs),
            env_inc,
            logs / "inc_initial_run.log",
        )
        last = date.fromisoformat(inc["last_delivery_day"])
        added = landing_as_of(landing, landing_inc, last, redelivery=True)
        inc["files_added"] = len(added)
        inc["contents"] = increment_contents(landing, inc, added, memory_limit)
        print("    " + describe_increment(inc), flush=True)
        if ok(steps["inc_initial_seed"]) and ok(steps["inc_initial_run"]):
            steps["inc_seed"] = run_step(
                "increment dbt seed", dbt(["seed"], work / "target_inc_seed", logs), env_inc, logs / "inc_seed.log"
            )
            steps["inc_run"] = run_step(
                "increment dbt run", dbt(["run"], work / "target_inc_run", logs), env_inc, logs / "inc_run.log"
            )
            steps["inc_test"] = run_step(
                "increment dbt test", dbt(["test"], work / "target_inc_test", logs), env_inc, logs / "inc_test.log"
            )
        else:
            for k in inc_keys[2:]:
                steps[k] = skipped_step("the initial build did not finish")
    if marts_compare and ok(steps["dbt_run"]) and ok(steps.get("inc_run")):
        steps["marts_compare"] = run_step(
            "marts: increment = full",
            [
                sys.executable,
                str(HERE / "compare_marts.py"),
                str(db_inc),
                str(db),
                str(work / "marts_compare.json"),
                "--threads",
                str(threads),
                "--memory-limit",
                memory_limit,
            ],
            env,
            logs / "marts_compare.log",
        )
    out = {
        "name": name,
        "started_utc": started,
        "finished_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "load_at_start": load_at_start,
        "load_at_end": [round(x, 2) for x in os.getloadavg()],
        "landing": os.path.relpath(landing, ROOT),
        **stats,
        "steps": steps,
        "increment": inc,
        "top_models_run": top_models(work / "target_run", log=logs / "dbt_run.log"),
        "top_tests": top_models(work / "target_test", 5),
        "top_models_increment_run": top_models(work / "target_inc_run", 5, log=logs / "inc_run.log"),
        "top_tests_increment": top_models(work / "target_inc_test", 5),
    }
    if (work / "marts_compare.json").exists():
        mc = json.loads((work / "marts_compare.json").read_text())
        out["increment_vs_full_marts"] = {k: mc[k] for k in ("identical", "tables_compared", "tables_different")}
    if op:
        out["top_models_operational"] = top_models(work / "target_op", 5, log=logs / "dbt_run_operational.log")
    for key, logname in LOGS_OF_RUNS.items():
        if steps.get(key, {}).get("timed_out"):
            out[f"unfinished_models_{key}"] = unfinished_from_log(logs / logname)
    if scan_out.exists() and pandas_out.exists():
        out["references_agree"] = compare_references(scan_out, pandas_out)
    if scan_out.exists() and db.exists():
        out["warehouse_vs_reference"] = compare_warehouse(db, scan_out)
    out["ratios"] = ratios(steps)
    out["incomplete_steps"] = [k for k, v in steps.items() if v.get("timed_out") or v.get("skipped")]
    for f in (db, db_inc):
        f.unlink(missing_ok=True)
        shutil.rmtree(f.with_name(f.name + ".tmp"), ignore_errors=True)
    shutil.rmtree(landing_inc, ignore_errors=True)
    return out


LOGS_OF_RUNS = {
    "dbt_run": "dbt_run.log",
    "dbt_run_operational": "dbt_run_operational.log",
    "inc_initial_run": "inc_initial_run.log",
    "inc_run": "inc_run.log",
}
FULL_BUILD = ("dbt_seed", "dbt_run", "dbt_test")
INCREMENT = ("inc_seed", "inc_run", "inc_test")


def ratios(steps: dict) -> dict:
    s = {k: v["seconds"] for k, v in steps.items() if not v.get("skipped")}

    def ratio(keys_a: tuple, keys_b: tuple, digits: int) -> float | None:
        if not all(k in s for k in keys_a + keys_b):
            return None
        a, b = sum(s[k] for k in keys_a), sum(s[k] for k in keys_b)
        return round(a / b, digits) if a > 0 and b > 0 else None

    out = {
        "run_over_scan": ratio(("dbt_run",), ("duckdb_scan",), 1),
        "build_over_scan": ratio(FULL_BUILD, ("duckdb_scan",), 1),
        "pandas_over_run": ratio(("pandas",), ("dbt_run",), 2),
        "increment_over_build": ratio(INCREMENT, FULL_BUILD, 4),
        "increment_run_over_run": ratio(("inc_run",), ("dbt_run",), 4),
        "increment_test_over_test": ratio(("inc_test",), ("dbt_test",), 4),
    }
    if "dbt_run_operational" in s:
        out["pandas_over_operational"] = ratio(("pandas",), ("dbt_run_operational",), 2)
        out["operational_over_scan"] = ratio(("dbt_run_operational",), ("duckdb_scan",), 1)
    return out


# ------------------------------------------------------------------------------------------- report


def machine_info() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    import duckdb
    import pandas

    ver = subprocess.run([str(BIN / "dbt"), "--version"], capture_output=True, text=True).stdout
    core = next((ln.split(":")[-1].strip() for ln in ver.splitlines() if "installed" in ln), "")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": mem_gib,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "dbt_core": core,
        "load_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def growth(scales: list[dict], field: str = "seconds") -> dict:
    """Growth per 10x data between consecutive scales: (t2/t1) ** (1 / log10(rows2/rows1)).

    ``field`` = "seconds" (wall time) or "cpu_s" (CPU seconds: less sensitive to other load on the machine).
    """
    out = {}
    for a, b in zip(scales, scales[1:]):
        k = math.log10(b["segments"] / a["segments"])
        g = {}
        for step in a["steps"]:
            sa, sb = a["steps"][step], b["steps"].get(step, {})
            va, vb = sa.get(field) or 0, sb.get(field) or 0
            if va > 0 and vb > 0 and not sb.get("skipped") and not sa.get("timed_out"):
                g[step] = round((vb / va) ** (1 / k), 2)
                if sb.get("timed_out"):
                    g.setdefault("lower_bounds", []).append(step)
        if all(x in g for x in FULL_BUILD):  # the full build (seed + run + test) as a whole
            va, vb = (sum(sc["steps"][x].get(field) or 0 for x in FULL_BUILD) for sc in (a, b))
            g["full_build"] = round((vb / va) ** (1 / k), 2)
            if set(FULL_BUILD) & set(g.get("lower_bounds", [])):
                g["lower_bounds"].append("full_build")
        out[f"{a['name']}->{b['name']}"] = g
    return out


GOAL_RSS_MIB = 4096  # "4 GB" read as 4 GiB (the stricter 4·10⁹ bytes would be 3,815 MiB)
GOAL_INCREMENT = 0.05
GOAL_RUN_OVER_SCAN = 40
GOAL_GROWTH = 10


def _load(sc: dict, keys: tuple) -> float | None:
    """The mean 1-minute load average while the given steps ran (weighted by their wall time)."""
    st = [sc["steps"][k] for k in keys if k in sc["steps"] and not sc["steps"][k].get("skipped")]
    total = sum(x["seconds"] for x in st)
    return round(sum(x["load_mean"] * x["seconds"] for x in st) / total, 2) if total else None


def _state(sc: dict, keys: tuple) -> str:
    """'ok' when every step finished and succeeded, else 'skipped', 'stopped' or 'failed' (first found)."""
    st = [sc["steps"].get(k) or {"skipped": True} for k in keys]
    if any(x.get("timed_out") for x in st):
        return "stopped"  # a lower bound of the time (steps after it may have been skipped)
    if any(x.get("skipped") for x in st):
        return "skipped"
    if any(x["rc"] != 0 for x in st):
        return "failed"
    return "ok"


def _failed(sc: dict, keys: tuple) -> str:
    """The steps that exited non-zero, for a goal's note."""
    bad = [f"{k} exit {sc['steps'][k]['rc']}" for k in keys if k in sc["steps"] and sc["steps"][k]["rc"] not in (0, -1)]
    return ", ".join(bad)


def _secs(sc: dict, keys: tuple) -> float:
    return sum(sc["steps"][k]["seconds"] for k in keys)


def goals(scales: list[dict]) -> list[dict]:
    """The acceptance goals of issue 14, each at the scale it names: value, met (True, False or None = unknown).

    A step stopped at the time limit gives a bound: the goal is missed if the bound already breaks it, else
    it is unknown. A failed step (non-zero exit) misses a goal about a build that finishes.
    """
    by = {sc["name"]: sc for sc in scales}
    out = []

    def add(goal: str, scale: str, value: str, met: bool | None, load: float | None, note: str = "") -> None:
        out.append({"goal": goal, "scale": scale, "value": value, "met": met, "load_mean": load, "note": note})

    # 1. the full build at 10 M finishes with peak RSS <= 4 GB
    g = "full build (dbt seed + run + test) at 10 M finishes with peak RSS ≤ 4 GB"
    g += f" ({GOAL_RSS_MIB:,} MiB, whole process tree)"
    sc = by.get("10m")
    if not sc:
        add(g, "10m", "not measured", None, None)
    else:
        ran = [sc["steps"][k] for k in FULL_BUILD if k in sc["steps"] and not sc["steps"][k].get("skipped")]
        peak = max((x["peak_rss_mib"] for x in ran), default=0)
        state = _state(sc, FULL_BUILD)
        if state == "ok":
            add(g, "10m", f"{peak:,} MiB", peak <= GOAL_RSS_MIB, _load(sc, FULL_BUILD))
        elif state == "failed":
            add(g, "10m", f"{peak:,} MiB", False, _load(sc, FULL_BUILD), _failed(sc, FULL_BUILD))
        else:
            add(g, "10m", f"≥ {peak:,} MiB", False if peak > GOAL_RSS_MIB else None, _load(sc, FULL_BUILD), state)
    # 2. the daily increment at 10 M <= 5 % of the full build
    g = f"daily increment (dbt seed + run + test) at 10 M ≤ {GOAL_INCREMENT:.0%} of the full build"
    sc = by.get("10m")
    if not sc:
        add(g, "10m", "not measured", None, None)
    else:
        full, inc = _state(sc, FULL_BUILD), _state(sc, INCREMENT)
        load = _load(sc, FULL_BUILD + INCREMENT)
        if inc == "skipped" or full == "skipped":
            add(g, "10m", "–", None, load, "increment not run")
        else:
            r = _secs(sc, INCREMENT) / _secs(sc, FULL_BUILD)
            text = f"{r:.1%} ({_secs(sc, INCREMENT):,.1f} s of {_secs(sc, FULL_BUILD):,.1f} s)"
            if inc == "failed":
                add(g, "10m", text, False, load, _failed(sc, INCREMENT))
            elif inc == "stopped":  # the increment's time is a lower bound
                add(g, "10m", "≥ " + text, False if r > GOAL_INCREMENT else None, load, "increment stopped")
            elif full == "stopped":  # the full build's time is a lower bound: the ratio an upper bound
                add(g, "10m", "≤ " + text, True if r <= GOAL_INCREMENT else None, load, "full build stopped")
            else:
                add(g, "10m", text, r <= GOAL_INCREMENT, load, _failed(sc, FULL_BUILD))
    # 3. the full dbt run at 1 M <= 40x the single scan
    g = f"full `dbt run` at 1 M ≤ {GOAL_RUN_OVER_SCAN}× the single scan"
    sc = by.get("1m")
    if not sc or "dbt_run" not in sc["steps"]:
        add(g, "1m", "not measured", None, None)
    else:
        run, scan = sc["steps"]["dbt_run"], sc["steps"]["duckdb_scan"]
        load = _load(sc, ("dbt_run", "duckdb_scan"))
        if run.get("skipped") or not ok(scan):
            add(g, "1m", "–", None, load, "run or scan missing")
        else:
            r = run["seconds"] / scan["seconds"]
            text = f"{r:.1f}× ({run['seconds']:,.1f} s / {scan['seconds']:,.1f} s)"
            if run.get("timed_out"):
                add(g, "1m", "≥ " + text, False if r > GOAL_RUN_OVER_SCAN else None, load, "run stopped")
            elif run["rc"] != 0:
                add(g, "1m", text, False, load, "run failed")
            else:
                add(g, "1m", text, r <= GOAL_RUN_OVER_SCAN, load)
    # 4. time growth 1 M -> 10 M <= 10x (the full build's wall time)
    g = f"time growth 1 M → 10 M ≤ {GOAL_GROWTH}× (full build seed + run + test, wall)"
    a, b = by.get("1m"), by.get("10m")
    if not a or not b:
        add(g, "1m→10m", "not measured", None, None)
    else:
        sa, sb = _state(a, FULL_BUILD), _state(b, FULL_BUILD)
        load = _load(b, FULL_BUILD)
        # dbt test runs every test even when one fails, so its time counts; a failed seed or run's time does not
        sa, sb = ("ok" if st == "failed" and not _failed(sc, FULL_BUILD[:2]) else st for st, sc in ((sa, a), (sb, b)))
        if sa != "ok" or sb not in ("ok", "stopped"):
            add(g, "1m→10m", "–", None, load, f"full build 1m {sa}, 10m {sb}")
        else:
            r = _secs(b, FULL_BUILD) / _secs(a, FULL_BUILD)
            rows = b["segments"] / a["segments"]
            text = f"{r:.2f}× ({_secs(a, FULL_BUILD):,.1f} s → {_secs(b, FULL_BUILD):,.1f} s; {rows:.2f}× segments)"
            note = ", ".join(x for x in (_failed(a, FULL_BUILD), _failed(b, FULL_BUILD)) if x)
            if sb == "stopped":
                add(g, "1m→10m", "≥ " + text, False if r > GOAL_GROWTH else None, load, "10m build stopped")
            else:
                add(g, "1m→10m", text, r <= GOAL_GROWTH, load, note)
    return out


def evidence(goal: dict, scales: list[dict]) -> str:
    """What the run measured that bears on a missed or unknown goal (the raw material for its reason)."""
    by = {sc["name"]: sc for sc in scales}
    sc = by.get(goal["scale"]) or by.get("10m")
    if not sc:
        return "the scale was not run"
    steps = sc["steps"]

    def models(key: str, n: int = 5) -> str:
        top = sc.get(key) or []
        return ", ".join(f"{t['node']} {t['seconds']} s ({t['share']:.0%})" for t in top[:n]) or "–"

    if goal["goal"].startswith("full build"):
        ran = {k: steps[k] for k in FULL_BUILD if k in steps and not steps[k].get("skipped")}
        if not ran:
            return "no step of the full build ran"
        k = max(ran, key=lambda k: ran[k]["peak_rss_mib"])
        x = ran[k]
        how = (
            f" (largest single process {x['peak_rss_single_mib']:,} MiB, sampled tree "
            f"{x['peak_rss_tree_sampled_mib']:,} MiB)"
            if "peak_rss_tree_sampled_mib" in x
            else ""
        )
        stop = "≥ " if x.get("timed_out") else ""
        by_model = ", ".join(
            f"{m['node']} {m['peak_rss_mib']:,} MiB (+{m.get('rise_mib', 0):,})"
            for m in x.get("peak_rss_by_model", [])[:5]
        )
        while_running = f"; highest RSS sampled while a model ran: {by_model}" if by_model else ""
        slowest = models("top_models_run")
        return f"peak in {k}: {stop}{x['peak_rss_mib']:,} MiB{how}{while_running}; slowest models of the run: {slowest}"
    if goal["goal"].startswith("daily increment"):
        parts = []
        for f, i in zip(FULL_BUILD, INCREMENT):
            if i in steps and f in steps and not steps[i].get("skipped"):
                parts.append(f"{f.split('_')[1]} {steps[i]['seconds']:,.1f} s of {steps[f]['seconds']:,.1f} s")
        return (
            ("increment vs full: " + "; ".join(parts) if parts else "the increment did not run")
            + "; slowest models of the increment's run: "
            + models("top_models_increment_run")
            + "; slowest tests: "
            + models("top_tests_increment")
        )
    if goal["goal"].startswith("full `dbt run`"):
        return "slowest models of the full run: " + models("top_models_run")
    if goal["goal"].startswith("time growth"):
        a, b = by.get("1m"), by.get("10m")
        if not a or not b:
            return "1m and 10m are not both in the results"

        def secs(x: dict) -> str:
            if x.get("skipped"):
                return "skipped"
            return f"{'≥ ' if x.get('timed_out') else ''}{x['seconds']:,.1f} s"

        return "per step, 1m → 10m: " + ", ".join(
            f"{k} {secs(a['steps'][k])} → {secs(b['steps'][k])}"
            for k in FULL_BUILD
            if k in a["steps"] and k in b["steps"]
        )
    return ""


STEP_LABELS = [
    ("validate", "validate"),
    ("duckdb_scan", "single scan"),
    ("pandas", "pandas"),
    ("dbt_seed", "full build: dbt seed"),
    ("dbt_run", "full build: dbt run --full-refresh"),
    ("dbt_test", "full build: dbt test"),
    ("dbt_run_operational", "run +kpi_operational"),
    ("inc_initial_seed", "initial build (day before): dbt seed"),
    ("inc_initial_run", "initial build (day before): dbt run"),
    ("inc_seed", "increment: dbt seed"),
    ("inc_run", "increment: dbt run"),
    ("inc_test", "increment: dbt test"),
    ("marts_compare", "marts: increment vs full build"),
]


def table(results: dict, notes: str = "") -> str:
    """The results as Markdown: steps, ratios, increments, growth, the goals and where a goal is missed."""
    cols = STEP_LABELS
    lines = [
        "| scale | segments | rows | step | seconds | peak RSS MiB | CPU s | load |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    for sc in results["scales"]:
        first = True
        for key, label in cols:
            st = sc["steps"].get(key)
            if not st:
                continue
            lead = f"| {sc['name']} | {sc['segments']:,} | {sc['total_rows']:,} " if first else "| | | "
            fail = (
                " (stopped, unfinished)"
                if st.get("timed_out")
                else " (skipped)"
                if st.get("skipped")
                else ("" if st["rc"] == 0 else f" (exit {st['rc']})")
            )
            cpu = "–" if st.get("cpu_s") is None else f"{st['cpu_s']:,.0f}"
            load = "–" if st.get("load_mean") is None else f"{st['load_mean']:.1f}"
            peak = f"{'≥ ' if st.get('timed_out') else ''}{st['peak_rss_mib']:,}"
            secs = f"{'≥ ' if st.get('timed_out') else ''}{st['seconds']:,.1f}"
            if st.get("skipped"):
                cpu = load = peak = secs = "–"
            lines.append(f"{lead}| {label}{fail} | {secs} | {peak} | {cpu} | {load} |")
            first = False
    lines += [
        "",
        "Peak RSS: the whole process tree of the step (the larger of `ru_maxrss`, exact for the largest single "
        "process — dbt with DuckDB in it —, and the resident sets of all its processes summed, sampled every 0.5 s).",
        "",
        "| scale | dbt run ÷ single scan | full build ÷ single scan | full build peak RSS MiB "
        "| increment ÷ full build | increment run ÷ full run | pandas ÷ dbt run |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for sc in results["scales"]:
        r = sc["ratios"]

        def cell(key: str, keys: tuple, pct: bool = False, r: dict = r, sc: dict = sc) -> str:
            val = r.get(key)
            if val is None:
                return "–"
            text = f"{val:.1%}" if pct else str(val)
            st = [sc["steps"].get(k, {}) for k in keys]
            return ("≈ " + text) if any(x.get("timed_out") or x.get("rc") for x in st) else text

        full = [sc["steps"][k] for k in FULL_BUILD if k in sc["steps"] and not sc["steps"][k].get("skipped")]
        peak = max((x["peak_rss_mib"] for x in full), default=0)
        bound = any(x.get("timed_out") for x in full)
        lines.append(
            f"| {sc['name']} | {cell('run_over_scan', ('dbt_run',))} "
            f"| {cell('build_over_scan', FULL_BUILD)} | {'≥ ' if bound else ''}{peak:,} "
            f"| {cell('increment_over_build', FULL_BUILD + INCREMENT, True)} "
            f"| {cell('increment_run_over_run', ('dbt_run', 'inc_run'), True)} "
            f"| {cell('pandas_over_run', ('dbt_run',))} |"
        )
    lines.append("")
    lines.append(
        "Full build = `dbt seed --full-refresh` + `dbt run --full-refresh` + `dbt test` into a fresh DuckDB file. "
        "Daily increment = what a daily scheduled run does after the previous day's build: `dbt seed` + `dbt run` "
        "+ `dbt test` (no `--full-refresh`), timed step by step like the full build, so the ratio compares the "
        "same three invocations (seeds and tests included). ≈: a step was stopped or failed."
    )
    for sc in results["scales"]:
        inc = sc.get("increment")
        if inc and inc.get("contents"):
            mc = sc.get("increment_vs_full_marts")
            same = (
                ""
                if not mc
                else (
                    f" Marts after the increment vs the full build: {mc['tables_compared']} tables, "
                    + ("identical (exact)." if mc["identical"] else f"DIFFERENT: {', '.join(mc['tables_different'])}.")
                )
            )
            lines += ["", f"Increment at {sc['name']}: {describe_increment(inc)}{same}"]
    if results["growth"]:
        keys = [k for k, _ in cols if any(k in g for g in results["growth"].values())]
        if any("full_build" in g for g in results["growth"].values()):
            keys.append("full_build")
        label = dict(cols, full_build="full build")
        lines += [
            "",
            "| time growth per 10× data | " + " | ".join(label[k] for k in keys) + " |",
            "|---|" + "---:|" * len(keys),
        ]
        for name, grow in (("wall", results["growth"]), ("CPU", results.get("growth_cpu", {}))):
            for span, g in grow.items():
                lb = set(g.get("lower_bounds", []))
                lines.append(
                    f"| {span} ({name}) | "
                    + " | ".join(("–" if k not in g else f"{'≥ ' if k in lb else ''}{g[k]}×") for k in keys)
                    + " |"
                )
    lines += [
        "",
        "## Goals (issue 14)",
        "",
        "| goal | scale | value | met | load during the steps |",
        "|---|---|---:|---|---:|",
    ]
    for g in results["goals"]:
        met = "unknown" if g["met"] is None else ("met" if g["met"] else "**not met**")
        if g.get("note"):
            met += f" ({g['note']})"
        load = "–" if g.get("load_mean") is None else f"{g['load_mean']:.1f}"
        lines.append(f"| {g['goal']} | {g['scale']} | {g['value']} | {met} | {load} |")
    m = results["machine"]
    per_scale = "; ".join(
        f"{sc['name']} {sc['load_at_start']} at its start, {sc['load_at_end']} at its end"
        for sc in results["scales"]
        if "load_at_start" in sc
    )
    lines += [
        "",
        "Machine load (1-, 5-, 15-minute load averages; 2 cores): "
        + (per_scale or f"{m.get('load_at_start')} at the start, {m.get('load_at_end')} at the end")
        + ". Each step's mean load is in the first table, each goal's in the goals table.",
        "",
        "## Where a goal is missed: the measured reason and the next fix",
        "",
    ]
    missed = [g for g in results["goals"] if g["met"] is not True]
    if not missed:
        lines.append("Every goal is met.")
    for g in missed:
        state = "not met" if g["met"] is False else "unknown"
        lines.append(f"- **{g['goal']}** ({state}): measured — {evidence(g, results['scales'])}.")
    lines += [
        "",
        notes.strip()
        or "_Reason and next fix per goal: to be written after the run in bench/results_notes.md, which is "
        "included here verbatim whenever this file is written (`run_bench.py --from-work` rewrites it without "
        "running anything)._",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="100k,1m,10m", help="comma-separated subset of " + ",".join(SCALES))
    ap.add_argument("--threads", type=int, default=int(os.environ.get("SWITCHBOARD_DUCKDB_THREADS", "2")))
    ap.add_argument("--memory-limit", default=os.environ.get("SWITCHBOARD_DUCKDB_MEMORY_LIMIT", "3GB"))
    ap.add_argument(
        "--op", action="store_true", help="also time the operational path (dbt run +kpi_operational) on its own"
    )
    ap.add_argument("--skip-op", action="store_true", help=argparse.SUPPRESS)  # the default now; kept for old calls
    ap.add_argument(
        "--increment-day",
        default="full",
        help="the day the daily increment adds: 'full' (the last full delivery day, default), 'last' or YYYY-MM-DD",
    )
    ap.add_argument("--no-increment", action="store_true", help="time the full build only (no daily increment)")
    ap.add_argument(
        "--no-marts-compare",
        action="store_true",
        help="do not compare the marts after the increment with the full build's (exact, bench/compare_marts.py)",
    )
    ap.add_argument("--step-timeout", type=float, default=0, help="stop a step after this many seconds (0: never)")
    ap.add_argument(
        "--deadline-utc",
        default=None,
        help="HH:MM (UTC, today): stop the running step then and skip the rest (results are written)",
    )
    ap.add_argument("--data-only", action="store_true", help="generate the cached landing data and stop")
    ap.add_argument("--results", default=str(HERE / "results.json"))
    ap.add_argument("--markdown", help="the Markdown table (default: --results with the suffix .md)")
    ap.add_argument(
        "--notes",
        default=str(HERE / "results_notes.md"),
        help="the reason and next fix of each missed goal (written by hand), included in the Markdown when present",
    )
    ap.add_argument(
        "--from-work",
        action="store_true",
        help="run nothing: rebuild the results from bench/work/<scale>/scale.json of earlier runs",
    )
    ap.add_argument(
        "--append", action="store_true", help="keep the other scales already in the results file (re-run only --scales)"
    )
    ap.add_argument("--landing", type=Path, help="bench this landing root only (named 'custom'; for trying out)")
    ap.add_argument(
        "--import-records",
        type=int,
        default=1_000_000,
        help="contact records of the importer benchmark (bench/import_bench.py); 0: skip it",
    )
    args = ap.parse_args(argv)
    names = [n.strip() for n in args.scales.split(",") if n.strip()]
    for n in names:
        if n not in SCALES:
            ap.error(f"unknown scale {n!r}")
    t_data = time.perf_counter()
    if args.from_work:
        landings = {}
    elif args.landing:
        names = ["custom"]
        landings = {"custom": args.landing.resolve()}
    else:
        landings = {n: landing_for(n, args.threads, args.memory_limit) for n in names}
    t_data = time.perf_counter() - t_data
    if args.data_only:
        print(f"landing data ready ({t_data:.0f} s)")
        return 0
    results: dict = {
        "started_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine_info(),
        "duckdb_settings": {
            "threads": args.threads,
            "memory_limit": args.memory_limit,
            "dbt_threads": 1,
            "dbt_target": "duckdb_bench",
            "increment_day": args.increment_day,
        },
        "data": {
            "generator": f"switchboard generate --start {START} --days {DAYS}",
            "100k": "one run at scale 0.285 (seed 1)",
            "1m": f"one run at scale {TILE_SCALE} (seed 1)",
            "10m": f"{N_RUNS} runs at scale {TILE_SCALE} (seeds 1..{N_RUNS}) merged by "
            f"bench/tiles.py into {N_TILES} tiles (each run twice, under different ids)",
            "prepare_s_this_run": round(t_data, 1),
        },
    }
    STEP_TIMEOUT[0] = args.step_timeout
    if args.deadline_utc:
        hh, mm = (int(x) for x in args.deadline_utc.split(":"))
        now = datetime.now(UTC)
        DEADLINE[0] = now.replace(hour=hh, minute=mm, second=0, microsecond=0).timestamp()
    t0 = time.perf_counter()
    scales = []
    for n in names:
        if args.from_work:
            sc = json.loads((WORK / n / "scale.json").read_text())
            tops = {"dbt_run": "top_models_run", "dbt_run_operational": "top_models_operational"}
            tops["inc_run"] = "top_models_increment_run"
            for key, logname in LOGS_OF_RUNS.items():
                if sc["steps"].get(key, {}).get("timed_out"):
                    sc[f"unfinished_models_{key}"] = unfinished_from_log(WORK / n / "logs" / logname)
                    if key in tops:
                        sc[tops[key]] = top_models_from_log(WORK / n / "logs" / logname)
            scales.append(sc)
            continue
        scales.append(
            bench_scale(
                n,
                landings[n],
                args.threads,
                args.memory_limit,
                args.op,
                None if args.no_increment else args.increment_day,
                not args.no_marts_compare,
            )
        )
        (WORK / n / "scale.json").write_text(json.dumps(scales[-1], indent=2) + "\n")
    if args.import_records and not args.from_work:  # issue 19: the rate of switchboard import amazon-connect
        from import_bench import bench_import

        results["import_amazon_connect"] = bench_import(args.import_records, WORK / "import")
        print(f"\nimport rate: {results['import_amazon_connect']}", flush=True)
    if args.from_work:
        results["started_utc"] = min(sc["started_utc"] for sc in scales)
        results["note"] = "rebuilt from the per-scale runs (see each scale's started_utc)"
    results["total_s"] = (
        round(time.perf_counter() - t0, 1)
        if not args.from_work
        else round(sum(st["seconds"] for sc in scales for st in sc["steps"].values()), 1)
    )
    results["within_30_min"] = results["total_s"] <= 1800
    results["machine"]["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    if args.append and Path(args.results).exists():
        old = json.loads(Path(args.results).read_text())
        kept = [sc for sc in old.get("scales", []) if sc["name"] not in names]
        order = list(SCALES) + ["custom"]
        scales = sorted(kept + scales, key=lambda sc: order.index(sc["name"]))
        results["earlier_runs"] = {sc["name"]: old.get("started_utc") for sc in kept}
    results["scales"] = scales
    results["growth"] = growth(scales)
    results["growth_cpu"] = growth(scales, "cpu_s")
    results["goals"] = goals(scales)
    notes = Path(args.notes).read_text() if args.notes and Path(args.notes).exists() else ""
    md = table(results, notes)
    Path(args.results).write_text(json.dumps(results, indent=2) + "\n")
    m = results["machine"]
    header = (
        f"Run {results['started_utc']} on {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['os']}; "
        f"DuckDB {m['duckdb']} threads={args.threads} memory_limit={args.memory_limit}; "
        + (
            f"load average {m['load_at_start'][0]} at start, {m['load_at_end'][0]} at end; "
            if not args.from_work
            else "scales run separately (load average of each step in the table); "
        )
        + f"total {results['total_s'] / 60:.1f} min of timed steps."
    )
    md_path = Path(args.markdown) if args.markdown else Path(args.results).with_suffix(".md")
    md_path.write_text(header + "\n\n" + md + "\n")
    print("\n" + header + "\n\n" + md)
    for sc in scales:
        print(
            f"\nslowest models of dbt run at {sc['name']}: "
            + ", ".join(f"{t['node']} {t['seconds']} s" for t in sc["top_models_run"][:5])
        )
        if sc.get("top_models_increment_run"):
            print(
                f"slowest models of the increment's dbt run at {sc['name']}: "
                + ", ".join(f"{t['node']} {t['seconds']} s" for t in sc["top_models_increment_run"][:5])
            )
    print(f"\nresults: {args.results}, {md_path}")
    failed = [
        f"{sc['name']}/{k}" for sc in scales for k, st in sc["steps"].items() if st["rc"] != 0 and not st.get("skipped")
    ]
    if failed:
        print("steps that failed: " + ", ".join(failed), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
