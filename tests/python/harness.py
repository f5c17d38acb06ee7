"""How the Python tests run the project's commands: one `run_checked`, one `run_dbt`, one `Warehouse` reader.

Tests build their own small warehouses (the shared one in conftest.py, the staging and landing tests' own) and run
concurrently under pytest-xdist, so every dbt call gets its own target and log paths next to its database, and a
failing command fails the test with the tail of its output instead of a bare exit code.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from switchboard import settings

BIN = Path(sys.executable).parent
# the `make test` data set: the generator's small profile, fixed seed and start (covers both DST changes)
TEST_GENERATE = ["--seed", "7", "--start", "2026-01-05", "--days", "120", "--scale", "0.1", "--bad-rows", "0.002"]


def run_checked(cmd: list[str], env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run a command in the project folder; with `check`, a non-zero exit fails the test with its output."""
    proc = subprocess.run(cmd, cwd=settings.PROJECT_DIR, env=env, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}")
    return proc


def dbt_env(landing: Path, db: Path) -> dict[str, str]:
    return dict(
        os.environ,
        SWITCHBOARD_LANDING_DIR=str(landing),
        SWITCHBOARD_DB_PATH=str(db),
        DBT_PROFILES_DIR=str(settings.PROJECT_DIR / "profiles"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )


def run_dbt(args: list[str], landing: Path, db: Path, check: bool = True) -> subprocess.CompletedProcess:
    """dbt with its own target and log paths next to the database (tests run concurrently)."""
    return run_checked(
        [str(BIN / "dbt"), *args, "--target-path", str(db.parent / "target"), "--log-path", str(db.parent / "logs")],
        dbt_env(landing, db),
        check=check,
    )


@dataclass(frozen=True)
class Warehouse:
    """A landing zone and the DuckDB file (part of) the project was built into, read only."""

    landing: Path
    db: Path

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.sql(sql).fetchall()

    def frame(self, sql: str) -> pd.DataFrame:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.sql(sql).df()
