"""Import rate of `switchboard import amazon-connect` (issue 19): contact records per second, wall and CPU.

A synthetic Firehose delivery (gzip NDJSON, switchboard/importers/synthetic.py) of N contact records is
generated once and cached under bench/data/import; the import runs as a child process into bench/work/import,
timed with its CPU seconds and peak memory (``os.wait4``). Goal: 1 M records in under a minute on 2 cores.

    .venv/bin/python bench/import_bench.py [--records 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
GOAL_S_PER_MILLION = 60.0


def bench_import(records: int, work: Path, data: Path = HERE / "data" / "import") -> dict:
    """Generate (cached) and import `records` contact records; the rate and whether the goal is met."""
    from switchboard.importers import synthetic

    export = data / f"ctr_{records}.json.gz"
    if not export.exists():
        print(f"  generating {export} ({records:,} contact records)", flush=True)
        synthetic.write_contact_records(export.with_suffix(".tmp.gz"), records).rename(export)
    out = work / "landing"
    shutil.rmtree(out, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    with (work / "import.log").open("w") as log:
        proc = subprocess.Popen(
            [str(BIN / "switchboard"), "import", "amazon-connect", "--contact-records", str(export), "--out", str(out)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    report = json.loads((out / "_import" / "report.json").read_text()) if status == 0 else {}
    read = report.get("records", {}).get("contact_records", {}).get("read", 0)
    expected = synthetic.expected_counts(records)
    return {
        "records": records,
        "records_read": read,
        "rc": os.waitstatus_to_exitcode(status),
        "seconds": round(seconds, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mib": round(usage.ru_maxrss / 1024),
        "load_at_start": round(load, 2),
        "records_per_s": round(read / seconds) if seconds and read else None,
        "seconds_per_million": round(seconds * 1e6 / records, 1),
        "counts_reconciled": read == expected["read"]
        and report["records"]["contact_records"]["written"] == expected["written"],
        "goal": f"1 M contact records in under {GOAL_S_PER_MILLION:.0f} s",
        "goal_met": seconds * 1e6 / records < GOAL_S_PER_MILLION,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--work", type=Path, default=HERE / "work" / "import")
    args = ap.parse_args(argv)
    print(json.dumps(bench_import(args.records, args.work), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
