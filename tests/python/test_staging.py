"""Staging acceptance on generated data with every kind of bad row injected.

One data set per module (``switchboard generate --bad-rows``), built twice:
- ``full``: the landing zone as generated, ``dbt build --select +staging +data_quality`` (seeds, models, data and
  unit tests);
- ``no_redelivery``: the same files without the ``*_redelivery.*`` batches, models only.
Checks: every injected row is quarantined under its rule and nothing else is (multiset of (file, rule, key)
against ``_generator/bad_rows.csv``), every raw row is accounted for, a re-delivery changes no staged count,
and no PII column of the sources appears past the base models.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from harness import BIN, TEST_GENERATE, Warehouse, run_checked, run_dbt
from switchboard import contract, settings

Key = tuple[str, str, str, str]  # (table id, file, rule, key text)


class Built(Warehouse):
    """A landing zone and the DuckDB file staging was built into."""

    def reconciliation(self) -> dict[str, tuple[int, int, int, int]]:
        rows = self.query(
            "select source_table, rows_read, rows_staged, rows_quarantined, rows_superseded "
            "from data_quality.audit_reconciliation"
        )
        return {r[0]: tuple(r[1:]) for r in rows}


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> dict[str, Built]:
    root = tmp_path_factory.mktemp("staging")
    landing = root / "landing"
    run_checked([str(BIN / "switchboard"), "generate", "--out", str(landing), *TEST_GENERATE])
    (root / "full").mkdir()
    # cautious: tests of later layers that merely compare with a staging model are not selected
    run_dbt(
        ["build", "--select", "+staging", "+data_quality", "--indirect-selection", "cautious"],
        landing,
        root / "full" / "db.duckdb",
    )

    trimmed = root / "landing_no_redelivery"
    shutil.copytree(landing, trimmed, ignore=shutil.ignore_patterns("*_redelivery.*"))
    (root / "no_redelivery").mkdir()
    run_dbt(
        [
            "build",
            "--select",
            "+staging",
            "+data_quality",
            "--indirect-selection",
            "cautious",
            "--exclude-resource-type",
            "test",
            "unit_test",
        ],
        trimmed,
        root / "no_redelivery" / "db.duckdb",
    )
    return {
        "full": Built(landing, root / "full" / "db.duckdb"),
        "no_redelivery": Built(trimmed, root / "no_redelivery" / "db.duckdb"),
    }


def key_text(value) -> str:
    """A key part as the generator writes it: empty for null, timestamps as YYYY-MM-DDTHH:MM:SSZ."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def injected(landing: Path) -> collections.Counter[Key]:
    with (landing / "_generator" / "bad_rows.csv").open(newline="", encoding="utf-8") as f:
        return collections.Counter(
            (f"{r['system']}/{r['table']}", r["file"], r["rule"], r["key"]) for r in csv.DictReader(f)
        )


def quarantined(built: Built) -> collections.Counter[Key]:
    out: collections.Counter[Key] = collections.Counter()
    for t in contract.TABLES:
        rows = built.query(f"select _source_file, _rule, {', '.join(t.key)} from data_quality.quarantine_{t.relation}")
        for file, rule, *key in rows:
            out[(t.id, file, rule, "|".join(key_text(v) for v in key))] += 1
    return out


def describe(counter: collections.Counter[Key], limit: int = 10) -> str:
    return "\n".join(f"  {k} x{n}" for k, n in list(counter.items())[:limit])


def test_every_injected_row_quarantined_under_its_rule_and_nothing_else(data):
    expected = injected(data["full"].landing)
    actual = quarantined(data["full"])
    assert sum(expected.values()) > 0, "the generator injected no bad rows"
    assert {k[2] for k in expected} == set(contract.RULES), "not every rule was injected"
    missing, extra = expected - actual, actual - expected
    assert not missing, f"{sum(missing.values())} injected rows not quarantined under their rule:\n{describe(missing)}"
    assert not extra, f"{sum(extra.values())} rows quarantined that were not injected:\n{describe(extra)}"


def test_quarantine_summary_counts_per_table_and_rule(data):
    expected = collections.Counter()
    for (table, _, rule, _), n in injected(data["full"].landing).items():
        expected[(table, rule)] += n
    rows = data["full"].query("select source_table, rule, rows from data_quality.audit_quarantine_summary")
    assert {(t, r): n for t, r, n in rows} == dict(expected)


def test_every_raw_row_accounted_for(data):
    recon = data["full"].reconciliation()
    assert set(recon) == {t.id for t in contract.TABLES}
    manifest = json.loads((data["full"].landing / "_generator" / "manifest.json").read_text())
    for table, (read, staged, quarantined_, superseded) in recon.items():
        assert read == staged + quarantined_ + superseded, table
        assert read == manifest["rows_per_table"][table], f"{table}: rows read differ from rows written"


def test_redelivery_changes_no_staged_count(data):
    redelivered = sorted(p.name for p in data["full"].landing.rglob("*_redelivery.*"))
    assert redelivered, "the generator wrote no re-delivery batch"
    full, trimmed = data["full"].reconciliation(), data["no_redelivery"].reconciliation()
    assert {t: v[1] for t, v in full.items()} == {t: v[1] for t, v in trimmed.items()}
    assert {t: v[2] for t, v in full.items()} == {t: v[2] for t, v in trimmed.items()}
    # the re-delivered rows are there, and superseded
    assert sum(v[3] for v in full.values()) > sum(v[3] for v in trimmed.values())


def pii_columns(target: Path) -> set[str]:
    manifest = json.loads((target / "manifest.json").read_text())
    names = {
        col["name"]
        for src in manifest["sources"].values()
        for col in src["columns"].values()
        if "pii" in col.get("tags", []) or "pii" in col.get("config", {}).get("tags", [])
    }
    assert names == {c.name for t in contract.TABLES for c in t.columns if c.pii}
    return names


def test_no_pii_column_past_the_base_models(data):
    built = data["full"]
    pii = pii_columns(built.db.parent / "target")
    rows = built.query(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema not in ('landing', 'information_schema', 'pg_catalog')"
    )
    checked = {(s, t) for s, t, _ in rows if not (s == "staging" and t.startswith("base_"))}
    assert ("staging", "stg_acd__contact_segments") in checked and (
        "data_quality",
        "quarantine_hr__employees",
    ) in checked
    leaks = sorted((s, t, c) for s, t, c in rows if (s, t) in checked and c.lower() in pii)
    assert not leaks, f"PII columns downstream of the base models: {leaks}"


def test_customer_address_only_as_salted_hash(data):
    built = data["full"]
    pairs = built.query(
        "select base.customer_address, stg.customer_address_hash "
        "from staging.base_acd__contact_segments as base "
        "inner join staging.stg_acd__contact_segments as stg on base.segment_id = stg.segment_id "
        "where base._status = 'staged' and base.customer_address is not null"
    )
    assert pairs
    salt = settings.pii_salt()
    for clear, hashed in pairs[:200]:
        assert hashed == hashlib.sha256(f"{salt}|{clear.strip().lower()}".encode()).hexdigest()
    clear_values = {c for c, _ in pairs}
    assert not clear_values & {h for _, h in pairs}


def test_hourly_cost_only_in_groups_of_five(data):
    rows = data["full"].query("select min(headcount), count(*) from staging.stg_hr__labour_cost_rates")
    assert rows[0][1] > 0 and rows[0][0] >= 5
