"""Shared fixtures: one generated test data set and one warehouse built from it, per test session.

`warehouse` generates the `make test` profile (seed 7, 2026-01-05, 120 days, scale 0.1, bad rows 0.002) and runs
`dbt seed` + `dbt run` once; with pytest-xdist the workers share it through a file lock, so the KPI comparison
modules (which recompute KPIs independently from the landing files) do not each pay for a build.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from switchboard import settings

BIN = Path(sys.executable).parent
TEST_GENERATE = ["--seed", "7", "--start", "2026-01-05", "--days", "120", "--scale", "0.1", "--bad-rows", "0.002"]


def run_checked(cmd: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, cwd=settings.PROJECT_DIR, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}")
    return proc


def dbt_env(landing: Path, db: Path) -> dict[str, str]:
    return dict(os.environ, SWITCHBOARD_LANDING_DIR=str(landing), SWITCHBOARD_DB_PATH=str(db),
                DBT_PROFILES_DIR=str(settings.PROJECT_DIR / "profiles"), DBT_SEND_ANONYMOUS_USAGE_STATS="false")


def run_dbt(args: list[str], landing: Path, db: Path) -> subprocess.CompletedProcess:
    """dbt with its own target and log paths next to the database (tests run concurrently)."""
    return run_checked([str(BIN / "dbt"), *args, "--target-path", str(db.parent / "target"),
                        "--log-path", str(db.parent / "logs")], dbt_env(landing, db))


@dataclass(frozen=True)
class Warehouse:
    """A landing zone and the DuckDB file the whole project was built into."""

    landing: Path
    db: Path

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.sql(sql).fetchall()

    def frame(self, sql: str):
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.sql(sql).df()


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Warehouse:
    # Per test run: under xdist every worker's base temp sits in the run's own folder, so the parent is shared
    # by the workers of this run only; without xdist the base temp is itself the run's folder.
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared_warehouse"
    root.mkdir(exist_ok=True)
    landing, db, done = root / "landing", root / "db" / "warehouse.duckdb", root / "built.ok"
    with open(root / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            run_checked([str(BIN / "switchboard"), "generate", "--out", str(landing), *TEST_GENERATE])
            db.parent.mkdir(exist_ok=True)
            run_dbt(["seed"], landing, db)
            run_dbt(["run"], landing, db)
            done.touch()
    return Warehouse(landing, db)
