"""Issue 16, timestamps outside a plausible window: quarantined, and the build stays green.

A small generated landing (no injected bad rows) in which three segments are moved in time, every timestamp of
the row by the same amount:
- one to 1900 (its `_extracted_at` left in 2026): before var landing_earliest_event_date -> `out_of_range`;
- one to 2099 together with its `_extracted_at` (the row-relative check cannot see it): after the build's clock +
  var landing_future_tolerance_hours -> `future_timestamp`;
- one to 2015 (with its `_extracted_at`): inside the window although before var calendar_start (2020), so it is
  staged and dim_date must hold its date.
Before the fix the 1900 segment was staged, three relationship tests to dim_date failed, kpi_operational and
kpi_experience were not built and kpi_compliance gained rows for the week of 1900-02-26. The surveys, cases and
evaluations of the quarantined segments stay in the landing: they are not orphans (the parent was received) and
must not break anything downstream.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from harness import BIN, Warehouse, run_checked, run_dbt
from switchboard import contract

GENERATE = ["--seed", "5", "--start", "2026-03-02", "--days", "10", "--scale", "0.05", "--bad-rows", "0"]
SEGMENTS = contract.table("acd/contact_segments")
TS_COLUMNS = [c.name for c in SEGMENTS.columns if c.type == "ts" and c.name != "_extracted_at"]
# what the test needs: the KPI tables, the facts whose initiated_local_date is tested against dim_date, the
# quarantine and the audit (cautious: tests of later models that merely read one of these are not selected)
SELECT = ["+kpi_compliance", "+kpi_operational", "+kpi_experience", "+fct_contacts", "+fct_contact_segments"]
SELECT += ["dim_date", "+data_quality"]


def _segment_files(landing: Path) -> list[Path]:
    return sorted((landing / "acd" / "contact_segments").glob("*.parquet"))


def _ids(landing: Path, table_id: str, column: str) -> set[str]:
    folder = landing / table_id
    return {v for f in folder.glob("*.parquet") for v in pq.read_table(f, columns=[column]).column(0).to_pylist()}


def _pick(landing: Path) -> tuple[str, str, str]:
    """Three first segments of a contact (no transfer) with a survey and a case; the first two also with an
    evaluation where the data has one, so the quarantined parents have children."""
    surveyed = _ids(landing, "survey/contact_surveys", "segment_id")
    cased = _ids(landing, "crm/case_segments", "segment_id")
    evaluated = _ids(landing, "qa/evaluations", "segment_id")
    firsts, transferred_from = [], set()
    for f in _segment_files(landing):
        t = pq.read_table(f, columns=["segment_id", "previous_segment_id", "queue_id"])
        for seg, prev, queue in zip(*(t.column(i).to_pylist() for i in range(3)), strict=True):
            transferred_from.add(prev)
            if prev is None and queue is not None:
                firsts.append(seg)
    candidates = [s for s in firsts if s not in transferred_from and s in surveyed and s in cased]
    candidates.sort(key=lambda s: (s not in evaluated, s))
    assert len(candidates) >= 3, "the generated landing has too few surveyed, cased single-segment contacts"
    return candidates[0], candidates[1], candidates[2]


def _move(landing: Path, segment_id: str, to: dt.datetime, with_extract: bool) -> int:
    """Shift every timestamp of the segment's rows (and `_extracted_at` when asked) so that initiated_at is `to`."""
    moved = 0
    for f in _segment_files(landing):
        t = pq.read_table(f)
        mask = pc.equal(t.column("segment_id"), segment_id).to_numpy(zero_copy_only=False)
        if not mask.any():
            continue
        row = int(mask.nonzero()[0][0])
        initiated = t.column("initiated_at")[row].as_py()
        shift = (to if initiated.tzinfo else to.replace(tzinfo=None)) - initiated
        for name in TS_COLUMNS + (["_extracted_at"] if with_extract else []):
            values = t.column(name).to_pylist()
            values = [v + shift if m and v is not None else v for v, m in zip(values, mask, strict=True)]
            t = t.set_column(t.schema.get_field_index(name), name, pa.array(values, t.schema.field(name).type))
        pq.write_table(t, f)
        moved += int(mask.sum())
    return moved


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Warehouse, dict[str, str]]:
    root = tmp_path_factory.mktemp("window")
    landing = root / "landing"
    run_checked([str(BIN / "switchboard"), "generate", "--out", str(landing), *GENERATE])
    old, future, early = _pick(landing)
    utc = dt.UTC
    assert _move(landing, old, dt.datetime(1900, 3, 1, 14, 0, tzinfo=utc), with_extract=False) >= 1
    assert _move(landing, future, dt.datetime(2099, 3, 2, 14, 0, tzinfo=utc), with_extract=True) >= 1
    assert _move(landing, early, dt.datetime(2015, 6, 3, 14, 0, tzinfo=utc), with_extract=True) >= 1
    db = root / "db" / "w.duckdb"
    db.parent.mkdir()
    # exit 0 or the test fails here with dbt's output: no model error, no failing data or unit test
    run_dbt(["build", "--select", *SELECT, "--indirect-selection", "cautious"], landing, db)
    return Warehouse(landing, db), {"old": old, "future": future, "early": early}


def test_out_of_window_segments_quarantined_under_their_rule(built):
    warehouse, seg = built
    rows = warehouse.query(
        "select segment_id, _rule, _rule_column from data_quality.quarantine_acd__contact_segments "
        f"where segment_id in ('{seg['old']}', '{seg['future']}', '{seg['early']}') order by _rule"
    )
    assert sorted(rows) == sorted(
        [(seg["old"], "out_of_range", "initiated_at"), (seg["future"], "future_timestamp", "initiated_at")]
    )
    # nothing else was quarantined (the landing has no injected bad rows); the summary shows the two
    summary = warehouse.query("select source_table, rule, rows from data_quality.audit_quarantine_summary")
    assert sorted(summary) == [
        ("acd/contact_segments", "future_timestamp", 1),
        ("acd/contact_segments", "out_of_range", 1),
    ]


def test_every_raw_row_accounted_for(built):
    warehouse, _ = built
    manifest = json.loads((warehouse.landing / "_generator" / "manifest.json").read_text())
    recon = warehouse.query(
        "select source_table, rows_read, rows_staged, rows_quarantined, rows_superseded "
        "from data_quality.audit_reconciliation"
    )
    assert {r[0] for r in recon} == {t.id for t in contract.TABLES}
    for table, read, staged, quarantined, superseded in recon:
        assert read == staged + quarantined + superseded, table
        assert read == manifest["rows_per_table"][table], table
    segments = {r[0]: r[1:] for r in recon}["acd/contact_segments"]
    assert segments[2] == 2


def test_children_of_a_quarantined_segment_are_staged_not_orphans(built):
    warehouse, seg = built
    for table in ("stg_survey__contact_surveys", "stg_crm__case_segments"):
        n = warehouse.query(
            f"select count(*) from staging.{table} where segment_id in ('{seg['old']}', '{seg['future']}')"
        )
        assert n[0][0] >= 2, table  # each picked segment has a survey and a case


def test_kpi_tables_built_with_no_period_outside_the_window(built):
    warehouse, _ = built
    for table in ("kpi_operational", "kpi_experience", "kpi_compliance"):
        first, last, rows = warehouse.query(
            f"select min(period_start), max(period_start), count(*) from marts.{table}"
        )[0]
        assert rows > 0, table
        assert first >= dt.date(2015, 6, 1) and last <= dt.date(2026, 3, 31), (table, first, last)
    weeks = warehouse.query("select distinct period_start from marts.kpi_compliance where period_start < '2000-01-01'")
    assert weeks == []


def test_a_staged_event_before_calendar_start_is_in_dim_date(built):
    """var calendar_start is 2020-01-01; the 2015 segment is inside the window, staged, and its date is a dim_date
    date (the relationship tests of fct_contacts and fct_contact_segments passed in the build)."""
    warehouse, seg = built
    rows = warehouse.query(
        "select contacts.initiated_local_date, dates.date_day from marts.fct_contacts as contacts "
        "left join marts.dim_date as dates on contacts.initiated_local_date = dates.date_day "
        "where contacts.contact_id = "
        f"(select contact_id from marts.fct_contact_segments where segment_id = '{seg['early']}')"
    )
    assert len(rows) == 1 and rows[0][0] == rows[0][1] == dt.date(2015, 6, 3), rows
    first, last = warehouse.query("select min(date_day), max(date_day) from marts.dim_date")[0]
    assert first <= dt.date(1999, 12, 31) and last >= dt.date(2030, 12, 31)
