"""Tests of the synthetic contact-center generator (switchboard.generator).

The data sets are generated once per module (scale 0.1, a short period that spans both 2026 DST changes) and
checked independently of the generator's own code: schema per the contract, the consistency of agent states
with handled segments, links and references, time order, and every injected bad row.
"""

from __future__ import annotations

import csv
import filecmp
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from landing_fixtures import ARROW_TYPES
from switchboard.contract import RULES, TABLES
from switchboard.contract import table as contract_table
from switchboard.generator import GeneratorOptions, generate, resolve_start
from switchboard.settings import SEEDS_DIR

START = "2026-03-02"
DAYS = 35


def _gen(root: Path, name: str, **kw) -> Path:
    out = root / name
    opts = dict(out=str(out), seed=7, start=START, days=DAYS, scale=0.1, fmt="parquet", bad_rows=0.0)
    opts.update(kw)
    generate(GeneratorOptions(**opts))
    return out


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("gen")


@pytest.fixture(scope="module")
def clean(root) -> Path:
    return _gen(root, "clean")


@pytest.fixture(scope="module")
def bad(root) -> Path:
    return _gen(root, "bad", bad_rows=0.004)


@pytest.fixture(scope="module")
def bad_csv(root) -> Path:
    return _gen(root, "bad_csv", bad_rows=0.004, fmt="csv")


def _read(landing: Path, table_id: str, include_redelivery: bool = True) -> pd.DataFrame:
    t = contract_table(table_id)
    files = sorted((landing / t.system / t.name).glob("*.parquet"))
    if not include_redelivery:
        files = [f for f in files if "_redelivery" not in f.name]
    frames = [pq.read_table(f).to_pandas() for f in files]
    if not frames:
        return pd.DataFrame(columns=t.column_names)
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------- schema


def test_every_table_written_with_contract_columns_and_types(clean):
    for t in TABLES:
        files = sorted((clean / t.system / t.name).glob("*.parquet"))
        assert files, f"{t.id}: no files"
        expected = pa.schema([pa.field(c.name, ARROW_TYPES[c.type]) for c in t.columns])
        rows = 0
        for f in files:
            pf = pq.read_table(f)
            assert pf.schema.remove_metadata().equals(expected), (f, pf.schema)
            rows += pf.num_rows
        assert rows > 0, t.id
        for f in files:  # file naming convention
            assert f.name.startswith(f"{t.name}_2"), f


def test_csv_header_and_round_trip(root, clean):
    out = _gen(root, "csv", fmt="csv")
    for t in TABLES:
        files = sorted((out / t.system / t.name).glob("*.csv"))
        assert files, t.id
        for f in files:
            with f.open(encoding="utf-8") as fh:
                assert fh.readline().rstrip("\n").split(",") == t.column_names, f
    # the same seed in CSV holds the same values as in Parquet
    for tid in (
        "acd/contact_segments",
        "survey/contact_surveys",
        "hr/employees",
        "qa/evaluation_items",
        "finance/cost_ledger",
        "wfm/schedule_activities",
    ):
        t = contract_table(tid)
        schema = pa.schema(
            [pa.field(c.name, ARROW_TYPES[c.type] if c.type not in ("ts", "dec") else pa.string()) for c in t.columns]
        )
        parts = []
        for f in sorted((out / t.system / t.name).glob("*.csv")):
            tbl = pcsv.read_csv(
                f,
                convert_options=pcsv.ConvertOptions(
                    column_types=schema,
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=False,
                    true_values=["true"],
                    false_values=["false"],
                ),
            )
            parts.append(tbl.to_pandas())
        got = pd.concat(parts, ignore_index=True)
        want = _read(clean, tid)
        assert len(got) == len(want), tid
        for c in t.columns:
            g, w = got[c.name], want[c.name]
            if c.type == "ts":
                g = pd.to_datetime(g, format="%Y-%m-%dT%H:%M:%SZ", utc=True)
                assert ((g == w) | (g.isna() & w.isna())).all(), (tid, c.name)
            elif c.type == "dec":
                gv = pd.to_numeric(g)
                wv = w.map(lambda x: None if x is None else float(x)).astype(float)
                assert ((gv - wv).abs().fillna(0) < 1e-9).all() and (gv.isna() == wv.isna()).all(), (tid, c.name)
            else:
                assert ((g == w) | (g.isna() & w.isna())).all(), (tid, c.name)


def test_determinism_byte_identical(root):
    a = _gen(root, "det_a", days=8, bad_rows=0.01)
    # the second run in another process with another string-hash seed: no dependence on set order
    b = root / "det_b"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "switchboard.cli",
            "generate",
            "--out",
            str(b),
            "--seed",
            "7",
            "--start",
            START,
            "--days",
            "8",
            "--scale",
            "0.1",
            "--bad-rows",
            "0.01",
        ],
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
        stdout=subprocess.DEVNULL,
    )
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    _, mismatch, errors = filecmp.cmpfiles(a, b, [str(p) for p in files_a], shallow=False)
    assert not mismatch and not errors


def test_default_start_ends_yesterday():
    s = resolve_start(GeneratorOptions(out="x", days=10))
    assert s + timedelta(days=9) == datetime.now(UTC).date() - timedelta(days=1)


# ---------------------------------------------------------------- simulation consistency


@pytest.fixture(scope="module")
def segs(clean) -> pd.DataFrame:
    return _read(clean, "acd/contact_segments", include_redelivery=False)


@pytest.fixture(scope="module")
def states(clean) -> pd.DataFrame:
    st = _read(clean, "acd/agent_state_changes", include_redelivery=False)
    st = st.sort_values(["agent_id", "state_started_at"]).reset_index(drop=True)
    st["next_at"] = st.groupby("agent_id")["state_started_at"].shift(-1)
    return st


def test_keys_unique(clean):
    for t in TABLES:
        df = _read(clean, t.id, include_redelivery=False)
        cols = list(t.key) + (["_extracted_at"] if t.kind in ("versioned", "full_extract") else [])
        assert not df.duplicated(cols).any(), t.id
        assert not df[list(t.key)].isna().any().any(), t.id


def test_agent_on_contact_and_acw_exactly_match_handled_segments(segs, states):
    handled = segs[segs["connected_at"].notna() & segs["agent_id"].notna()]
    m = handled.merge(
        states, left_on=["agent_id", "connected_at"], right_on=["agent_id", "state_started_at"], how="left"
    )
    assert (m["state"] == "on_contact").all()
    # the on_contact state ends exactly at the disconnect
    ended = m[m["next_at"].notna()]
    assert (ended["next_at"] == ended["disconnected_at"]).all()
    assert m["next_at"].isna().sum() <= states["agent_id"].nunique()
    wrap = handled[handled["acw_started_at"].notna()]
    w = wrap.merge(
        states, left_on=["agent_id", "acw_started_at"], right_on=["agent_id", "state_started_at"], how="left"
    )
    assert (w["state"] == "acw").all()
    w = w[w["next_at"].notna()]
    assert (w["next_at"] == w["acw_ended_at"]).all()
    # every on_contact state belongs to a handled segment
    oc = states[states["state"] == "on_contact"]
    keys = set(zip(handled["agent_id"], handled["connected_at"]))
    assert all(k in keys for k in zip(oc["agent_id"], oc["state_started_at"]))
    # outbound dials start with outbound_dialing
    ob = segs[(segs["direction"] == "outbound") & segs["agent_id"].notna()]
    o = ob.merge(states, left_on=["agent_id", "initiated_at"], right_on=["agent_id", "state_started_at"])
    assert len(o) == len(ob) and (o["state"] == "outbound_dialing").all()


def test_one_contact_at_a_time(segs):
    work = segs[segs["agent_id"].notna()].copy()
    work["begin"] = work["connected_at"].fillna(work["initiated_at"])
    work["end"] = work["acw_ended_at"].fillna(work["disconnected_at"])
    work = work.sort_values(["agent_id", "begin"])
    prev_end = work.groupby("agent_id")["end"].shift(1)
    assert ((prev_end.isna()) | (work["begin"] >= prev_end)).all()


def test_transfer_links_resolve_and_chains(segs):
    by_id = segs.set_index("segment_id")
    child = segs[segs["previous_segment_id"].notna()]
    assert child["previous_segment_id"].isin(by_id.index).all()
    parent = by_id.loc[child["previous_segment_id"]]
    assert (parent["disconnect_reason"].to_numpy() == "transferred").all()
    assert parent["transfer_type"].isin(["blind", "warm", "conference"]).all()
    assert (child["initiated_at"].to_numpy() == parent["disconnected_at"].to_numpy()).all()
    assert (child["queue_id"].to_numpy() != parent["queue_id"].to_numpy()).all()
    transferred = segs[segs["disconnect_reason"] == "transferred"]
    assert transferred["transfer_type"].notna().all()
    assert segs.loc[segs["disconnect_reason"] != "transferred", "transfer_type"].isna().all()
    # chain length: follow links from each segment to its root
    prev = dict(zip(segs["segment_id"], segs["previous_segment_id"]))
    longest = 0
    for s in child["segment_id"]:
        n, cur = 1, s
        while prev.get(cur) is not None:
            cur, n = prev[cur], n + 1
        longest = max(longest, n)
    assert longest >= 4


def test_segment_outcomes(segs):
    blocked = segs[segs["disconnect_reason"] == "blocked"]
    assert len(blocked) and blocked["enqueued_at"].isna().all() and blocked["agent_id"].isna().all()
    ss = segs[segs["disconnect_reason"] == "self_served"]
    assert len(ss) and ss["enqueued_at"].isna().all() and ss["connected_at"].isna().all()
    ab = segs[(segs["disconnect_reason"] == "customer_disconnect") & segs["connected_at"].isna()]
    assert len(ab) and ab["enqueued_at"].notna().all()
    assert (segs["disconnect_reason"] == "queue_timeout").any()
    assert (segs["disconnect_reason"] == "system_error").any()
    assert segs["customer_id"].isna().any() and segs["customer_id"].notna().any()
    assert segs["customer_address"].notna().all()
    handled = segs[segs["connected_at"].notna() & (segs["direction"] == "inbound")]
    assert handled["disposition_code"].notna().all()
    ob = segs[segs["direction"] == "outbound"]
    campaign = ob[ob["queue_id"].notna()]
    assert len(campaign) and campaign["campaign_id"].notna().all() and campaign["campaign_result"].notna().all()
    callbacks = ob[ob["queue_id"].isna()]  # agent-dialled call-backs
    assert len(callbacks) and callbacks["campaign_id"].isna().all() and callbacks["agent_id"].notna().all()


def test_references_and_seed_ids(clean, segs):
    queues = pd.read_csv(SEEDS_DIR / "queues.csv")
    disp = pd.read_csv(SEEDS_DIR / "disposition_codes.csv")
    assert segs["queue_id"].dropna().isin(queues["queue_id"]).all()
    assert segs["disposition_code"].dropna().isin(disp["disposition_code"]).all()
    ids = set(segs["segment_id"])
    for tid in ("survey/contact_surveys", "qa/evaluations", "crm/next_best_actions", "crm/case_segments"):
        df = _read(clean, tid)
        assert len(df) and df["segment_id"].isin(ids).all(), tid
    ev = _read(clean, "qa/evaluations")
    assert _read(clean, "qa/evaluation_items")["evaluation_id"].isin(ev["evaluation_id"]).all()
    cases = _read(clean, "crm/cases")
    assert _read(clean, "crm/case_segments")["case_id"].isin(cases["case_id"]).all()
    assert _read(clean, "wfm/forecasts")["queue_id"].isin(queues["queue_id"]).all()
    # teams match their site and line of business; agents sit in a team of their site
    teams = _read(clean, "hr/teams").drop_duplicates("team_id", keep="last")
    for _, t in teams.iterrows():
        assert t["team_id"].startswith(f"T_{t['site_id'].upper()}_{t['line_of_business'].upper()}_")
    emp = _read(clean, "hr/employees")
    agents = emp[emp["job_role"] == "agent"].merge(teams, on="team_id", suffixes=("", "_team"))
    assert (agents["site_id"] == agents["site_id_team"]).all()
    assert set(emp["job_role"]) == {"agent", "team_lead", "qa_analyst", "manager"}
    assert emp["termination_type"].dropna().isin(["voluntary", "involuntary"]).all()


def _typed_violations(row: dict, t, parents: dict[str, set]) -> set[str]:
    """Independent check of one row (typed values; ``_unparseable`` lists cells that did not parse)."""
    out: set[str] = set()
    if any(row.get(k) is None for k in t.key) and not any(k in row["_unparseable"] for k in t.key):
        out.add("null_key")
    if row["_unparseable"]:
        out.add("unparseable_value")
    for c in t.columns:
        v = row.get(c.name)
        if v is None:
            continue
        if c.enum and v not in c.enum:
            out.add("unknown_value")
        if (c.min is not None and float(v) < c.min) or (c.max is not None and float(v) > c.max):
            out.add("out_of_range")
    for early, late in t.time_order:
        if row.get(early) is not None and row.get(late) is not None and row[late] < row[early]:
            out.add("time_order")
    ext = row.get("_extracted_at")
    for c in t.future_checked:
        if ext is not None and row.get(c) is not None and row[c] > ext:
            out.add("future_timestamp")
    for col, parent in t.references:
        v = row.get(col)
        if v is not None and v not in parents[parent]:
            out.add("orphan_reference")
    return out


def _parse_cell(text: str, typ: str):
    if text == "":
        return None
    if typ == "str":
        return text
    if typ == "int":
        return int(text)
    if typ == "dec":
        return float(text)
    if typ == "bool":
        if text not in ("true", "false"):
            raise ValueError(text)
        return text == "true"
    if typ == "ts":
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return date.fromisoformat(text)


def _rows_of(path: Path, t) -> list[dict]:
    """Rows of one landing file as typed dicts (CSV parsed cell by cell)."""
    rows = []
    if path.suffix == ".parquet":
        for r in pq.read_table(path).to_pylist():
            r = {k: (float(v) if hasattr(v, "as_tuple") else v) for k, v in r.items()}
            r["_unparseable"] = []
            rows.append(r)
        return rows
    types = {c.name: c.type for c in t.columns}
    with path.open(newline="", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            r = {"_unparseable": []}
            for k, text in rec.items():
                try:
                    r[k] = _parse_cell(text, types[k])
                except ValueError:
                    r[k] = None
                    r["_unparseable"].append(k)
            rows.append(r)
    return rows


def _key_text(row: dict, t) -> str:
    parts = []
    for k in t.key:
        v = row.get(k)
        typ = t.column(k).type
        if v is None:
            parts.append("")
        elif typ == "ts":
            parts.append(v.strftime("%Y-%m-%dT%H:%M:%SZ"))
        elif typ == "date":
            parts.append(v.isoformat())
        else:
            parts.append(str(v))
    return "|".join(parts)


def _check_landing(landing: Path, expect_bad: bool) -> None:
    queues = set(pd.read_csv(SEEDS_DIR / "queues.csv")["queue_id"])
    all_rows: dict[str, list[tuple[str, int, dict]]] = {}
    for t in TABLES:
        lst = []
        for f in sorted((landing / t.system / t.name).iterdir()):
            for i, r in enumerate(_rows_of(f, t)):
                lst.append((f.relative_to(landing).as_posix(), i + 1, r))
        all_rows[t.id] = lst
    parents = {"seed:queues": queues}
    for tid, key in (
        ("acd/contact_segments", "segment_id"),
        ("qa/evaluations", "evaluation_id"),
        ("crm/cases", "case_id"),
    ):
        parents[tid] = {r[key] for _, _, r in all_rows[tid] if r.get(key) is not None}
    recorded: dict[tuple[str, int], dict] = {}
    bad_file = landing / "_generator" / "bad_rows.csv"
    with bad_file.open(newline="", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            recorded[(rec["file"], int(rec["row"]))] = rec
    if not expect_bad:
        assert not recorded
    seen_rules: dict[str, set] = {}
    for t in TABLES:
        for f, i, r in all_rows[t.id]:
            v = _typed_violations(r, t, parents)
            rec = recorded.pop((f, i), None)
            if rec is None:
                assert not v, (f, i, v, r)
                continue
            assert v == {rec["rule"]}, (f, i, v, rec)
            assert rec["system"] == t.system and rec["table"] == t.name
            assert rec["key"] == _key_text(r, t), (f, i, rec["key"], _key_text(r, t))
            seen_rules.setdefault(t.id, set()).add(rec["rule"])
    assert not recorded, list(recorded)[:5]
    if expect_bad:
        for t in TABLES:
            applicable = {"null_key", "unparseable_value"}
            if any(c.enum for c in t.columns):
                applicable.add("unknown_value")
            if any(c.min is not None or c.max is not None for c in t.columns):
                applicable.add("out_of_range")
            if t.time_order:
                applicable.add("time_order")
            if t.future_checked:
                applicable.add("future_timestamp")
            if t.references:
                applicable.add("orphan_reference")
            assert seen_rules.get(t.id, set()) == applicable, (t.id, seen_rules.get(t.id), applicable)


def test_clean_data_breaks_no_rule(clean):
    _check_landing(clean, expect_bad=False)


def test_bad_rows_each_break_exactly_their_rule(bad):
    _check_landing(bad, expect_bad=True)
    assert list((bad / "acd" / "contact_segments").glob("*_bad.csv"))


def test_bad_rows_csv_format(bad_csv):
    _check_landing(bad_csv, expect_bad=True)
    assert not list(bad_csv.rglob("*_bad.csv"))


def test_redelivery_repeats_rows_exactly(clean):
    for tid in ("acd/contact_segments", "acd/agent_state_changes"):
        t = contract_table(tid)
        red = sorted((clean / t.system / t.name).glob("*_redelivery.parquet"))
        assert len(red) == 1, tid
        orig = clean / t.system / t.name / red[0].name.replace("_redelivery", "")
        a = pq.read_table(red[0]).to_pandas()
        b = pq.read_table(orig).to_pandas()
        assert 0 < len(a) < len(b)
        merged = a.merge(b, how="left", indicator=True)
        assert (merged["_merge"] == "both").all()


def test_versions_and_batches(clean):
    cases = _read(clean, "crm/cases")
    assert cases["case_id"].duplicated().any()  # versioned: several versions of some cases
    assert set(cases["status"]) >= {"open", "closed"}
    assert cases["is_complaint"].any() and cases["escalated"].any()
    surveys = _read(clean, "survey/contact_surveys")
    last = surveys.sort_values("_extracted_at").drop_duplicates("response_id", keep="last")
    rate = last["responded_at"].notna().mean()
    assert 0.15 < rate < 0.5
    resp = last[last["responded_at"].notna()]
    assert resp["csat_score"].between(1, 5).all()
    assert (resp["comment"].isna() == resp["sentiment_score"].isna()).all()
    emp = _read(clean, "hr/employees")
    assert emp["_extracted_at"].nunique() == DAYS + 1  # a full extract every day (and the day before)
    ledger = _read(clean, "finance/cost_ledger")
    assert (ledger["amount"].map(float) < 0).any()
    fc = _read(clean, "wfm/forecasts")
    assert fc.groupby(["queue_id", "interval_start"])["created_at"].nunique().max() >= 3
    manifest = json.loads((clean / "_generator" / "manifest.json").read_text())
    assert manifest["start_date"] == START
    assert manifest["rows_per_table"]["acd/contact_segments"] > 1000


def test_bad_row_rules_listed_in_contract_order():
    assert RULES[0] == "null_key" and len(RULES) == 7


def test_options_are_validated(tmp_path):
    for bad_opts in (dict(days=0), dict(scale=0), dict(fmt="xlsx"), dict(bad_rows=0.5), dict(bad_rows=-1)):
        with pytest.raises(ValueError):
            generate(GeneratorOptions(out=str(tmp_path / "x"), **bad_opts))


def test_official_test_data_set(root):
    """The test data set command: 120 days from 2026-01-05 (both DST changes) at scale 0.1."""
    out = _gen(root, "official", start="2026-01-05", days=120, bad_rows=0.002)
    manifest = json.loads((out / "_generator" / "manifest.json").read_text())
    assert all(n > 0 for n in manifest["rows_per_table"].values()), manifest["rows_per_table"]
    assert manifest["end_date"] == "2026-05-04"
    emp = _read(out, "hr/employees")
    agents = emp.loc[emp["job_role"] == "agent", "employee_id"].nunique()
    assert agents >= 8
    teams = _read(out, "hr/teams")
    assert set(teams["site_id"]) == set(pd.read_csv(SEEDS_DIR / "sites.csv")["site_id"])
