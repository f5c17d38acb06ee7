"""`make bench`: time Switchboard end to end at ~100 k, ~1 M and ~10 M contact segments.

Per scale, each step runs as its own child process, timed as a whole, with its peak resident memory
(``os.wait4`` rusage ``ru_maxrss``: the largest resident set of the process and its waited-for children),
its CPU seconds and the machine's load average while it ran:

1. ``switchboard validate`` of the landing files;
2. ``dbt seed`` into a fresh DuckDB file (reference data; reported, not a goal);
3. ``dbt run`` of every model, then ``dbt test`` (the full build, models and tests separately);
4. the operational path ``dbt run --select +kpi_operational`` into a second DuckDB file (a copy of the seeded one);
5. the physical limit: one hand-written DuckDB query scanning the segment files once (bench/reference_kpis.py);
6. the analyst's alternative: the same KPIs in pandas (bench/reference_kpis.py).

dbt uses the ``duckdb_bench`` target (profiles/profiles.yml): DuckDB ``threads`` and ``memory_limit`` set
explicitly from SWITCHBOARD_DUCKDB_THREADS / SWITCHBOARD_DUCKDB_MEMORY_LIMIT (default 2 and 3GB here); the
DuckDB reference query uses the same values.

Landing data is generated once and cached under bench/data (outside the timed budget); databases, dbt
targets and logs go to bench/work. Results: bench/results.json and bench/results.md (the table).

    .venv/bin/python bench/run_bench.py [--scales 100k,1m,10m] [--skip-op] [--threads 2] [--memory-limit 3GB]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
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


def run_step(name: str, cmd: list[str], env: dict, log: Path) -> dict:
    """Run ``cmd`` as a child process; wall seconds, peak RSS (MiB), CPU seconds and load during the run.

    A step that exceeds --step-timeout is stopped (its process group) and recorded with ``timed_out``.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    if DEADLINE[0] and time.time() > DEADLINE[0] - 30:
        print(f"    {name:<14} skipped (deadline)", flush=True)
        return {
            "seconds": 0.0,
            "peak_rss_mib": 0,
            "cpu_s": 0.0,
            "load_mean": 0.0,
            "load_max": 0.0,
            "rc": -1,
            "skipped": True,
            "log": "",
        }
    loads: list[float] = []
    done = threading.Event()
    timed_out = threading.Event()

    def sample(pid: int, t0: float) -> None:
        while not done.wait(2.0):
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
        "peak_rss_mib": round(ru.ru_maxrss / 1024),
        "cpu_s": round(ru.ru_utime + ru.ru_stime, 1),
        "load_mean": round(sum(loads) / len(loads), 2),
        "load_max": round(max(loads), 2),
        "rc": proc.returncode,
        "log": str(log.relative_to(ROOT)),
    }
    if timed_out.is_set():
        res["timed_out"] = True
    PARTIAL.append({"step": name, **res})
    (log.parent.parent / "partial.json").write_text(json.dumps(PARTIAL, indent=2) + "\n")
    flag = "" if proc.returncode == 0 else f"  (exit {proc.returncode}, see {res['log']})"
    print(
        f"    {name:<14} {wall:9.1f} s  peak {res['peak_rss_mib']:>6,} MiB  cpu {res['cpu_s']:>8.1f} s  "
        f"load {res['load_mean']:.1f}{flag}",
        flush=True,
    )
    return res


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


def bench_scale(name: str, landing: Path, threads: int, memory_limit: str, skip_op: bool) -> dict:
    work = WORK / name
    PARTIAL.clear()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    stats = landing_stats(landing)
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    print(
        f"\n== {name}: {stats['segments']:,} segments, {stats['total_rows']:,} rows, {stats['files']:,} files, "
        f"{stats['landing_mib']:,} MiB ({landing})",
        flush=True,
    )
    db, db_op = work / "sb.duckdb", work / "sb_op.duckdb"
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
    steps["dbt_seed"] = run_step("dbt seed", dbt(["seed"], work / "target_seed", logs), env, logs / "dbt_seed.log")
    if not skip_op:  # the operational path gets its own database, seeded the same way
        shutil.copyfile(db, db_op)
    if not skip_op:
        steps["dbt_run_operational"] = run_step(
            "dbt run +op",
            dbt(["run", "--select", "+kpi_operational"], work / "target_op", logs),
            env_op,
            logs / "dbt_run_operational.log",
        )
        db_op.unlink(missing_ok=True)
        shutil.rmtree(work / "sb_op.duckdb.tmp", ignore_errors=True)
    steps["dbt_run"] = run_step("dbt run", dbt(["run"], work / "target_run", logs), env, logs / "dbt_run.log")
    steps["dbt_test"] = run_step("dbt test", dbt(["test"], work / "target_test", logs), env, logs / "dbt_test.log")
    out = {
        "name": name,
        "started_utc": started,
        "finished_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "landing": os.path.relpath(landing, ROOT),
        **stats,
        "steps": steps,
        "top_models_run": top_models(work / "target_run", log=logs / "dbt_run.log"),
        "top_tests": top_models(work / "target_test", 5),
    }
    if not skip_op:
        out["top_models_operational"] = top_models(work / "target_op", 5, log=logs / "dbt_run_operational.log")
    for key, logname in (("dbt_run", "dbt_run.log"), ("dbt_run_operational", "dbt_run_operational.log")):
        if steps.get(key, {}).get("timed_out"):
            out[f"unfinished_models_{key}"] = unfinished_from_log(logs / logname)
    if scan_out.exists() and pandas_out.exists():
        out["references_agree"] = compare_references(scan_out, pandas_out)
    if scan_out.exists() and db.exists():
        out["warehouse_vs_reference"] = compare_warehouse(db, scan_out)
    s = {k: v["seconds"] for k, v in steps.items()}

    def ratio(a: float, b: float, digits: int) -> float | None:
        return round(a / b, digits) if a > 0 and b > 0 else None

    out["ratios"] = {
        "run_over_scan": ratio(s["dbt_run"], s["duckdb_scan"], 1),
        "build_over_scan": ratio(s["dbt_seed"] + s["dbt_run"] + s["dbt_test"], s["duckdb_scan"], 1),
        "pandas_over_run": ratio(s["pandas"], s["dbt_run"], 2),
    }
    if "dbt_run_operational" in s:
        out["ratios"]["pandas_over_operational"] = ratio(s["pandas"], s["dbt_run_operational"], 2)
        out["ratios"]["operational_over_scan"] = ratio(s["dbt_run_operational"], s["duckdb_scan"], 1)
    out["incomplete_steps"] = [k for k, v in steps.items() if v.get("timed_out") or v.get("skipped")]
    db.unlink(missing_ok=True)
    shutil.rmtree(work / "sb.duckdb.tmp", ignore_errors=True)
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
        out[f"{a['name']}->{b['name']}"] = g
    return out


def goals(scales: list[dict], grow: dict) -> list[dict]:
    """The issue's goals, evaluated on the largest scale (and the growth into it).

    A step stopped at the time limit gives a lower bound (value ``>= x``): the goal is missed if the bound
    already breaks it, else it is unknown (``met`` None).
    """
    big = scales[-1]
    s = big["steps"]

    def stopped(key: str) -> bool:
        return bool(s.get(key, {}).get("timed_out"))

    def judge(value: float | None, ok: bool, lower_bound: bool) -> tuple[str, bool | None]:
        if value is None:
            return "–", None
        text = f">= {value}" if lower_bound else f"{value}"
        return text, (False if lower_bound and not ok else (ok if not lower_bound else None))

    out = []
    r = big["ratios"].get("run_over_scan")
    v, met = judge(r, r is not None and r <= 10, stopped("dbt_run"))
    if r is None and stopped("dbt_run_operational"):  # the full run includes every model of the op path
        r = big["ratios"].get("operational_over_scan")
        v, met = judge(r, r is not None and r <= 10, True)
        v += " (the stopped operational path, a subset of the run)"
    out.append({"goal": f"dbt run within 10x the single scan ({big['name']})", "value": v, "met": met})
    if "dbt_run_operational" in s:
        op, pd_ = s["dbt_run_operational"]["seconds"], s["pandas"]["seconds"]
        v, met = judge(big["ratios"].get("pandas_over_operational"), op < pd_, stopped("dbt_run_operational"))
        if stopped("dbt_run_operational") and op >= pd_:
            v, met = f"<= {big['ratios'].get('pandas_over_operational')}", False
        out.append(
            {
                "goal": f"operational path faster than pandas ({big['name']}; value = pandas / op path)",
                "value": v,
                "met": met,
            }
        )
    if grow:
        span = list(grow)[-1]
        last = grow[span]
        keys = [k for k in ("dbt_run", "dbt_test") if k in last] or [k for k in ("dbt_run_operational",) if k in last]
        if keys:
            worst = max(last[k] for k in keys)
            bound = bool(set(last.get("lower_bounds", [])) & set(keys)) or "dbt_test" not in last
            v, met = judge(worst, worst <= 8, bound)
            out.append({"goal": f"<= 8x time per 10x data ({', '.join(keys)}, {span})", "value": v, "met": met})
    peak = max(
        st["peak_rss_mib"]
        for sc in scales
        for k, st in sc["steps"].items()
        if k in ("validate", "dbt_seed", "dbt_run", "dbt_test", "dbt_run_operational")
    )
    bounded = any(st.get("timed_out") for sc in scales for st in sc["steps"].values())
    out.append(
        {
            "goal": "peak memory <= 4 GB (validate and dbt steps, all scales; MiB)",
            "value": f"{'>= ' if bounded else ''}{peak:,}",
            "met": False if peak > 4096 else (None if bounded else True),
        }
    )
    return out


def table(results: dict) -> str:
    """The results as a Markdown table."""
    cols = [
        ("validate", "validate"),
        ("dbt_seed", "dbt seed"),
        ("dbt_run", "dbt run"),
        ("dbt_test", "dbt test"),
        ("dbt_run_operational", "run +kpi_operational"),
        ("duckdb_scan", "single scan"),
        ("pandas", "pandas"),
    ]
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
        "| scale | dbt run ÷ single scan | (seed+run+test) ÷ scan | pandas ÷ dbt run | pandas ÷ run +kpi_operational |",
        "|---|---:|---:|---:|---:|",
    ]
    for sc in results["scales"]:
        r = sc["ratios"]

        def cell(key: str, r: dict = r, sc: dict = sc) -> str:
            step = {
                "run_over_scan": "dbt_run",
                "build_over_scan": "dbt_test",
                "pandas_over_run": "dbt_run",
                "pandas_over_operational": "dbt_run_operational",
            }[key]
            val = r.get(key)
            if val is None:
                return "–"
            steps_ = [
                sc["steps"].get(x, {}) for x in ((step,) if key != "build_over_scan" else ("dbt_run", "dbt_test"))
            ]
            partial = any(x.get("timed_out") or x.get("skipped") for x in steps_)
            return (("≤ " if key.startswith("pandas") else "≥ ") + str(val)) if partial else str(val)

        lines.append(
            f"| {sc['name']} | {cell('run_over_scan')} | {cell('build_over_scan')} | "
            f"{cell('pandas_over_run')} | {cell('pandas_over_operational')} |"
        )
    if results["growth"]:
        steps = [k for k, _ in cols if any(k in g for g in results["growth"].values())]  # noqa: F841
        lines += [
            "",
            "| time growth per 10× data | " + " | ".join(dict(cols)[k] for k in steps) + " |",
            "|---|" + "---:|" * len(steps),
        ]
        for label, grow in (("wall", results["growth"]), ("CPU", results.get("growth_cpu", {}))):
            for span, g in grow.items():
                lb = set(g.get("lower_bounds", []))
                lines.append(
                    f"| {span} ({label}) | "
                    + " | ".join(("–" if k not in g else f"{'≥ ' if k in lb else ''}{g[k]}×") for k in steps)
                    + " |"
                )
    lines += ["", "| goal | value | met |", "|---|---:|---|"]
    for g in results["goals"]:
        met = "unknown (step stopped)" if g["met"] is None else ("yes" if g["met"] else "**no**")
        lines.append(f"| {g['goal']} | {g['value']} | {met} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="100k,1m,10m", help="comma-separated subset of " + ",".join(SCALES))
    ap.add_argument("--threads", type=int, default=int(os.environ.get("SWITCHBOARD_DUCKDB_THREADS", "2")))
    ap.add_argument("--memory-limit", default=os.environ.get("SWITCHBOARD_DUCKDB_MEMORY_LIMIT", "3GB"))
    ap.add_argument("--skip-op", action="store_true", help="do not time the operational path separately")
    ap.add_argument("--step-timeout", type=float, default=0, help="stop a step after this many seconds (0: never)")
    ap.add_argument(
        "--deadline-utc",
        default=None,
        help="HH:MM (UTC, today): stop the running step then and skip the rest (results are written)",
    )
    ap.add_argument("--data-only", action="store_true", help="generate the cached landing data and stop")
    ap.add_argument("--results", default=str(HERE / "results.json"))
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
            for key, logname in (("dbt_run", "dbt_run.log"), ("dbt_run_operational", "dbt_run_operational.log")):
                if sc["steps"].get(key, {}).get("timed_out"):
                    sc[f"unfinished_models_{key}"] = unfinished_from_log(WORK / n / "logs" / logname)
                    sc[f"top_models_{'run' if key == 'dbt_run' else 'operational'}"] = top_models_from_log(
                        WORK / n / "logs" / logname
                    )
            scales.append(sc)
            continue
        scales.append(bench_scale(n, landings[n], args.threads, args.memory_limit, args.skip_op))
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
    results["goals"] = goals(scales, results["growth"])
    md = table(results)
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
    Path(args.results).with_suffix(".md").write_text(header + "\n\n" + md + "\n")
    print("\n" + header + "\n\n" + md)
    for sc in scales:
        print(
            f"\nslowest models of dbt run at {sc['name']}: "
            + ", ".join(f"{t['node']} {t['seconds']} s" for t in sc["top_models_run"][:5])
        )
    print(f"\nresults: {args.results}")
    failed = [f"{sc['name']}/{k}" for sc in scales for k, st in sc["steps"].items() if st["rc"] != 0]
    if failed:
        print("steps that failed: " + ", ".join(failed), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
