"""Shared helpers of the serving and orchestration tests: a small generated landing and its environment."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import yaml

from switchboard import settings
from switchboard.contract import TABLES

BIN = Path(sys.executable).parent
# Small enough for a build in well under a minute; the generator's default start ends the data yesterday. Whether a
# sparse feed's freshness passes depends on the calendar (the monthly pulse is on the 15th; a day without cases has
# no case links), so the tests compare the freshness statuses with expected_freshness() at the same instant.
SMALL_GENERATE = ["--seed", "7", "--days", "21", "--scale", "0.05", "--bad-rows", "0.002"]
# The mart the concurrency readers query, and their answer: row count and a checksum over every column.
MART_QUERY = "select count(*), cast(sum(hash(t)) as varchar) from marts.fct_contact_segments as t"


def generate(out: Path, *extra: str) -> Path:
    """A generated landing at ``out`` (the small profile; ``extra`` overrides, e.g. another --days)."""
    args = list(SMALL_GENERATE)
    for i in range(0, len(extra), 2):
        if extra[i] in args:
            args[args.index(extra[i]) + 1] = extra[i + 1]
        else:
            args += [extra[i], extra[i + 1]]
    subprocess.run(
        [str(BIN / "switchboard"), "generate", "--out", str(out), *args], check=True, capture_output=True, text=True
    )
    return out


def site_env(root: Path, landing: Path) -> dict[str, str]:
    """Environment of a Switchboard installation under ``root``: its build file, served file, dbt paths."""
    return dict(
        os.environ,
        SWITCHBOARD_LANDING_DIR=str(landing),
        SWITCHBOARD_DB_PATH=str(root / "build" / "switchboard.duckdb"),
        SWITCHBOARD_SERVED_PATH=str(root / "served" / "switchboard.duckdb"),
        SWITCHBOARD_FAILURE_DIR=str(root / "orchestration" / "failures"),
        DBT_TARGET_PATH=str(root / "target"),
        DBT_LOG_PATH=str(root / "logs"),
        DBT_PROFILES_DIR=str(settings.PROJECT_DIR / "profiles"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )


def switchboard(args: list[str], env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [str(BIN / "switchboard"), *args],
        cwd=settings.PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"switchboard {' '.join(args)} failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}")
    return proc


def expected_freshness(landing: Path, at: dt.datetime) -> dict[str, str]:
    """The freshness status of every landing table at ``at`` (UTC), recomputed from the files with pandas: the
    latest ``_extracted_at`` of its rows against the dbt project's landing_freshness_* hours of its delivery
    cadence (on_change feeds: not_checked; a checked feed without rows: no_data)."""
    vars_ = yaml.safe_load((settings.PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
    at = pd.Timestamp(at).tz_localize(None) if pd.Timestamp(at).tzinfo is None else pd.Timestamp(at).tz_convert(None)
    out = {}
    for table in TABLES:
        folder = landing / table.system / table.name
        latest = None
        for f in sorted(folder.iterdir()) if folder.is_dir() else []:
            suffix = f.suffix.lower()
            if suffix == ".parquet":
                raw = pd.read_parquet(f, columns=["_extracted_at"])["_extracted_at"]
            elif suffix == ".csv":
                raw = pd.read_csv(f, usecols=["_extracted_at"], dtype=str)["_extracted_at"]
            else:
                continue
            stamps = pd.to_datetime(raw, utc=True, errors="coerce").dt.tz_convert(None).dropna()
            if len(stamps) and (latest is None or stamps.max() > latest):
                latest = stamps.max()
        if table.cadence == "on_change":
            out[table.id] = "not_checked"
            continue
        infix = "" if table.cadence == "daily" else f"{table.cadence}_"
        warn, error = (float(vars_[f"landing_freshness_{infix}{level}_hours"]) for level in ("warn", "error"))
        if latest is None:
            out[table.id] = "no_data"
            continue
        age = (at - latest).total_seconds() / 3600
        out[table.id] = "error" if age > error else "warn" if age > warn else "pass"
    return out
