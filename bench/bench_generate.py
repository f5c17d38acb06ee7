"""Benchmark of the synthetic contact-center generator (not a test).

Runs ``switchboard generate`` at a large scale (default: scale 3.5, 120 days, which writes more than a
million contact segments) in a subprocess and reports wall time, rows per second and the peak resident
memory of the child process. Prints a table and writes ``bench/results_generate.json``.

    .venv/bin/python bench/bench_generate.py [--scale 3.5] [--days 120] [--format parquet] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(scale: float, days: int, fmt: str, out: Path, seed: int) -> dict:
    """Generate once in a child process; return timings, row counts and peak memory."""
    exe = Path(sys.executable).with_name("switchboard")
    cmd = [
        str(exe) if exe.exists() else sys.executable,
        *([] if exe.exists() else ["-m", "switchboard.cli"]),
        "generate",
        "--out",
        str(out),
        "--seed",
        str(seed),
        "--start",
        "2026-01-05",
        "--days",
        str(days),
        "--scale",
        str(scale),
        "--format",
        fmt,
    ]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    manifest = json.loads((out / "_generator" / "manifest.json").read_text())
    rows = manifest["rows_per_table"]
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {
        "scale": scale,
        "days": days,
        "format": fmt,
        "seed": seed,
        "wall_s": round(wall, 2),
        "segments": rows["acd/contact_segments"],
        "total_rows": sum(rows.values()),
        "segments_per_s": round(rows["acd/contact_segments"] / wall),
        "rows_per_s": round(sum(rows.values()) / wall),
        "peak_rss_mib": round(peak_kib / 1024),
        "output_mib": round(size / 2**20, 1),
        "rows_per_table": rows,
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {platform.system()}",
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=3.5)
    ap.add_argument("--days", type=int, default=120)
    ap.add_argument("--format", default="parquet", choices=("parquet", "csv"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=None, help="landing root to write (default: a temporary directory)")
    ap.add_argument("--results", default=str(HERE / "results_generate.json"))
    args = ap.parse_args()
    tmp = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="sb_bench_"))
    try:
        res = run(args.scale, args.days, args.format, tmp, args.seed)
    finally:
        if not args.out:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'metric':<18} {'value':>14}")
    for k in (
        "scale",
        "days",
        "format",
        "wall_s",
        "segments",
        "total_rows",
        "segments_per_s",
        "rows_per_s",
        "peak_rss_mib",
        "output_mib",
    ):
        v = res[k]
        print(f"{k:<18} {v:>14,}" if isinstance(v, (int, float)) and not isinstance(v, bool) else f"{k:<18} {v:>14}")
    if res["segments"] < 1_000_000:
        print("note: fewer than 1 million segments; raise --scale", file=sys.stderr)
    Path(args.results).write_text(json.dumps(res, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
