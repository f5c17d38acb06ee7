"""Shared fixtures: one generated test data set and one warehouse built from it, per test session.

`warehouse` generates the `make test` profile (seed 7, 2026-01-05, 120 days, scale 0.1, bad rows 0.002) and runs
`dbt seed` + `dbt run` once; with pytest-xdist the workers share it through a file lock, so the KPI comparison
modules (which recompute KPIs independently from the landing files) do not each pay for a build. The helpers the
tests share are modules beside this file: harness.py (commands), recompute.py (KPI recomputation),
landing_reader.py and landing_fixtures.py (landing files).
"""

from __future__ import annotations

import fcntl
import os

import pytest

from harness import BIN, TEST_GENERATE, Warehouse, run_checked, run_dbt
from recompute import build_contacts, load_segments


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


@pytest.fixture(scope="module")
def recomputed(warehouse: Warehouse):
    """(segments, contacts) of the test data set recomputed in pandas from the landing files, for the operational
    and experience modules; one copy per module, so no module sees another's changes to the frames."""
    seg = load_segments(warehouse.landing)
    contacts = build_contacts(seg, warehouse.landing)
    return seg, contacts
