"""Shared helpers of the serving and orchestration tests: a small generated landing and its environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from switchboard import settings

BIN = Path(sys.executable).parent
# Small enough for a build in well under a minute, large enough that every feed delivers (the monthly pulse too)
# and every freshness check passes: the generator's default start ends the data yesterday.
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
