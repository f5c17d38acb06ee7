"""Importers (issue 19): the hand-written vendor fixtures -> every landing row, the report's accounting
(read = written + skipped), idempotent re-imports, options, clear errors, and a 100 k stress export.

The fixtures (tests/fixtures/amazon_connect, tests/fixtures/genesys_cloud) follow the vendors' documented data
models; what each record is for is listed in the expected rows below. Runs in about 30-60 s (the stress
export dominates: generated and imported once per session).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from switchboard import contract, settings
from switchboard.importers import ImportFailed, synthetic
from switchboard.importers.amazon_connect import AmazonOptions
from switchboard.importers.amazon_connect import run as run_amazon
from switchboard.importers.genesys_cloud import GenesysOptions
from switchboard.importers.genesys_cloud import run as run_genesys

FIXTURES = settings.PROJECT_DIR / "tests" / "fixtures"
AMAZON = FIXTURES / "amazon_connect"
GENESYS = FIXTURES / "genesys_cloud"
BIN = Path(sys.executable).parent
DAY = "2026-03-10"
SEGMENT_COLUMNS = [c.name for c in contract.table("acd/contact_segments").columns]


def landing_rows(out: Path, table_id: str) -> list[dict]:
    """Every row of a landing table, timestamps as 'HH:MM:SS' on the fixture day (checked), sorted by key."""
    table = contract.table(table_id)
    files = sorted((out / table.system / table.name).glob("*.parquet"))
    if not files:
        return []
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        rel = con.read_parquet([str(f) for f in files])
        rows = [dict(zip(rel.columns, r, strict=True)) for r in rel.fetchall()]
    for row in rows:
        for col, value in row.items():
            if isinstance(value, dt.datetime):
                assert value.tzinfo is not None and value.date().isoformat() == DAY, (col, value)
                row[col] = value.strftime("%H:%M:%S")
    return sorted(rows, key=lambda r: tuple(str(r[k]) for k in table.key))


def segment(segment_id: str, **values) -> dict:
    """An expected contact_segments row: every contract column, null unless given."""
    row = dict.fromkeys(SEGMENT_COLUMNS)
    row.update(segment_id=segment_id, **values)
    assert set(row) == set(SEGMENT_COLUMNS), set(row) ^ set(SEGMENT_COLUMNS)
    return row


def accounting(report: dict, kind: str) -> tuple[int, int, dict[str, int]]:
    rec = report["records"][kind]
    skipped = {reason: s["count"] for reason, s in rec["skipped"].items()}
    assert rec["read"] == rec["written"] + sum(skipped.values()), rec
    assert rec["skipped_total"] == sum(skipped.values())
    return rec["read"], rec["written"], skipped


def amazon_inputs(tmp: Path) -> tuple[list[str], list[str]]:
    """The fixture files as delivered: the concatenated Firehose file gzip-compressed (both layouts, gzip)."""
    tmp.mkdir(parents=True, exist_ok=True)
    ndjson = shutil.copy(AMAZON / "contact_records_ndjson.json", tmp / "contact_records_ndjson.json")
    concatenated = tmp / "contact_records_firehose_concatenated.json.gz"
    concatenated.write_bytes(gzip.compress((AMAZON / "contact_records_firehose_concatenated.json").read_bytes()))
    events = shutil.copy(AMAZON / "agent_events.json", tmp / "agent_events.json")
    return [str(ndjson), str(concatenated)], [str(events)]


def amazon_options(ctr: list[str], events: list[str], out: Path, **kw) -> AmazonOptions:
    return AmazonOptions(
        contact_records=ctr,
        agent_events=events,
        out=out,
        customer_id_attribute="crm_customer_id",
        disposition_attribute="disposition",
        **kw,
    )


@pytest.fixture(scope="module")
def amazon(tmp_path_factory) -> tuple[Path, dict]:
    tmp = tmp_path_factory.mktemp("amazon")
    ctr, events = amazon_inputs(tmp / "export")
    report = run_amazon(amazon_options(ctr, events, tmp / "landing"))
    saved = json.loads((tmp / "landing" / "_import" / "report.json").read_text())
    assert saved["records"] == report.as_dict()["records"]
    return tmp / "landing", saved


@pytest.fixture(scope="module")
def genesys(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("genesys") / "landing"
    run_genesys(
        GenesysOptions(
            conversations=[
                str(GENESYS / "conversation_details_query_page.json"),
                str(GENESYS / "conversation_details_job.jsonl"),
            ],
            users=[str(GENESYS / "user_details_query_page.json")],
            out=out,
        )
    )
    return out, json.loads((out / "_import" / "report.json").read_text())


# Amazon Connect: 13 contact records read (8 lines of the NDJSON file, one malformed; 5 concatenated objects).
AMAZON_SEGMENTS = [
    # ...01: answered inbound call with a hold; delivered twice, the later LastUpdateTimestamp (14:20:00) adds
    # the ACW end and the disposition attribute and wins
    segment(
        "11111111-aaaa-4aaa-8aaa-000000000001",
        channel="voice",
        direction="inbound",
        queue_id="BillingQueue",
        agent_id="jdoe",
        customer_id="CUST-1001",
        customer_address="+12125550101",
        initiated_at="14:00:00",
        enqueued_at="14:00:30",
        connected_at="14:00:40",
        disconnected_at="14:05:40",
        acw_started_at="14:05:40",
        acw_ended_at="14:06:10",
        hold_seconds=20,
        hold_count=1,
        disconnect_reason="customer_disconnect",
        disposition_code="BILL_EXPLAIN",
        _extracted_at="14:20:00",
    ),
    # ...02 -> ...03: transfer chain; jdoe stays on until asmith answers (14:13:55 < 14:14:00): warm
    segment(
        "11111111-aaaa-4aaa-8aaa-000000000002",
        channel="voice",
        direction="inbound",
        queue_id="BillingQueue",
        agent_id="jdoe",
        customer_id="CUST-1002",
        customer_address="+12125550102",
        initiated_at="14:10:00",
        enqueued_at="14:10:20",
        connected_at="14:10:50",
        disconnected_at="14:14:00",
        acw_started_at="14:14:00",
        acw_ended_at="14:14:10",
        hold_seconds=0,
        hold_count=0,
        disconnect_reason="transferred",
        transfer_type="warm",
        disposition_code="CONNECTIVITY",
        _extracted_at="14:14:15",
    ),
    segment(
        "11111111-aaaa-4aaa-8aaa-000000000003",
        previous_segment_id="11111111-aaaa-4aaa-8aaa-000000000002",
        channel="voice",
        direction="inbound",
        queue_id="SupportQueue",
        agent_id="asmith",
        customer_id="CUST-1002",
        customer_address="+12125550102",
        initiated_at="14:13:40",
        enqueued_at="14:13:45",
        connected_at="14:13:55",
        disconnected_at="14:20:55",
        acw_started_at="14:20:55",
        acw_ended_at="14:21:25",
        hold_seconds=45,
        hold_count=2,
        disconnect_reason="customer_disconnect",
        disposition_code="CONNECTIVITY",
        _extracted_at="14:21:30",
    ),
    # ...04 -> ...05: queued callback (Amazon's own example): the inbound contact leaves the queue by the flow
    # with a NextContactId; the CALLBACK contact waits the 99 s delay in CallbackQueue, then an agent calls back
    segment(
        "11111111-aaaa-4aaa-8aaa-000000000004",
        channel="voice",
        direction="inbound",
        queue_id="SupportQueue",
        customer_id="CUST-1004",
        customer_address="+12125550104",
        initiated_at="14:30:00",
        enqueued_at="14:30:05",
        disconnected_at="14:32:05",
        disconnect_reason="transferred",
        transfer_type="blind",
        _extracted_at="14:32:06",
    ),
    segment(
        "11111111-aaaa-4aaa-8aaa-000000000005",
        previous_segment_id="11111111-aaaa-4aaa-8aaa-000000000004",
        channel="voice",
        direction="inbound",
        queue_id="CallbackQueue",
        agent_id="asmith",
        customer_id="CUST-1004",
        customer_address="+12125550104",
        initiated_at="14:32:05",
        enqueued_at="14:33:44",
        connected_at="14:34:30",
        disconnected_at="14:40:30",
        acw_started_at="14:40:30",
        acw_ended_at="14:41:00",
        hold_seconds=0,
        hold_count=0,
        disconnect_reason="customer_disconnect",
        disposition_code="CONNECTIVITY",
        _extracted_at="14:41:05",
    ),
    # ...06: abandon after 60 s in queue; ...07: short abandon (3 s)
    segment(
        "11111111-aaaa-4aaa-8aaa-000000000006",
        channel="voice",
        direction="inbound",
        queue_id="BillingQueue",
        customer_address="+12125550106",
        initiated_at="15:00:00",
        enqueued_at="15:00:10",
        disconnected_at="15:01:10",
        disconnect_reason="customer_disconnect",
        _extracted_at="15:01:12",
    ),
    segment(
        "11111111-aaaa-4aaa-8aaa-000000000007",
        channel="voice",
        direction="inbound",
        queue_id="BillingQueue",
        customer_address="+12125550107",
        initiated_at="15:05:00",
        enqueued_at="15:05:08",
        disconnected_at="15:05:11",
        disconnect_reason="customer_disconnect",
        _extracted_at="15:05:12",
    ),
    # ...08: chat (InitiationMethod API is the customer's StartChatContact: inbound), no customer endpoint
    segment(
        "11111111-aaaa-4aaa-8aaa-000000000008",
        channel="chat",
        direction="inbound",
        queue_id="ChatQueue",
        agent_id="mlee",
        customer_id="CUST-1008",
        initiated_at="15:10:00",
        enqueued_at="15:10:02",
        connected_at="15:10:32",
        disconnected_at="15:25:32",
        acw_started_at="15:25:32",
        acw_ended_at="15:26:02",
        hold_seconds=0,
        hold_count=0,
        disconnect_reason="agent_disconnect",
        disposition_code="ORDER_STATUS",
        _extracted_at="15:26:05",
    ),
    # ...09 MONITOR (skipped), ...10 never queued, ended by the flow: self-served; ...11 TASK (skipped)
    segment(
        "11111111-aaaa-4aaa-8aaa-000000000010",
        channel="voice",
        direction="inbound",
        customer_id="CUST-1010",
        customer_address="+12125550110",
        initiated_at="15:30:00",
        disconnected_at="15:32:00",
        disconnect_reason="self_served",
        _extracted_at="15:32:01",
    ),
]

# 11 agent events of jdoe: LOGIN, HEART_BEAT, CONNECTED, CONNECTED_ONHOLD (still on_contact), ENDED (acw),
# Available, the same event delivered twice, Break, "Personal time" (a custom status not in the map), LOGOUT, and
# a malformed line.
AMAZON_STATES = [
    ("13:55:00", "available", "Available"),
    ("14:00:40", "on_contact", None),
    ("14:05:40", "acw", None),
    ("14:06:10", "available", "Available"),
    ("14:45:00", "break", "Break"),
    ("15:00:00", "not_ready", "Personal time"),
    ("15:30:00", "logged_out", "Offline"),
]


def test_amazon_contact_segments_every_row(amazon) -> None:
    out, _ = amazon
    assert landing_rows(out, "acd/contact_segments") == AMAZON_SEGMENTS


def test_amazon_accounting(amazon) -> None:
    _, report = amazon
    assert accounting(report, "contact_records") == (
        13,
        9,
        {"duplicate_delivery": 1, "malformed_json": 1, "monitor_contact": 1, "unsupported_channel": 1},
    )
    assert accounting(report, "agent_events") == (
        11,
        7,
        {"duplicate_delivery": 1, "heartbeat": 1, "malformed_json": 1, "state_unchanged": 1},
    )
    assert report["rows_written"] == {"acd/contact_segments": 9, "acd/agent_state_changes": 7}
    examples = report["records"]["contact_records"]["skipped"]
    assert "11111111-aaaa-4aaa-8aaa-000000000009" in examples["monitor_contact"]["examples"][0]
    assert "contact_records_ndjson.json line 6" in examples["malformed_json"]["examples"][0]


def test_amazon_agent_states_every_row(amazon) -> None:
    out, report = amazon
    rows = landing_rows(out, "acd/agent_state_changes")
    assert [(r["state_started_at"], r["state"], r["reason_code"]) for r in rows] == AMAZON_STATES
    assert {r["agent_id"] for r in rows} == {"jdoe"}
    assert all(r["_extracted_at"] == r["state_started_at"] for r in rows)  # EventTimestamp
    assert report["unmapped_values"] == {"AgentStatus.Name (-> not_ready)": {"Personal time": 1}}


def test_amazon_report_entities_and_queue_draft(amazon) -> None:
    out, report = amazon
    assert [(q["queue_id"], q["channel"], q["segments"], q["in_seed"]) for q in report["queues_found"]] == [
        ("BillingQueue", "voice", 4, False),
        ("CallbackQueue", "voice", 1, False),
        ("ChatQueue", "chat", 1, False),
        ("SupportQueue", "voice", 2, False),
    ]
    assert [(a["agent_id"], a["segments"], a["state_changes"]) for a in report["agents_found"]] == [
        ("asmith", 2, 0),
        ("jdoe", 2, 7),
        ("mlee", 1, 0),
    ]
    assert report["needs"]["queues_seed"]["missing_queue_ids"] == [
        "BillingQueue",
        "CallbackQueue",
        "ChatQueue",
        "SupportQueue",
    ]
    assert report["needs"]["hr_employees"]["agent_ids"] == ["asmith", "jdoe", "mlee"]
    draft = (out / "_import" / "queues_seed_draft.csv").read_text().splitlines()
    seed_header = (settings.SEEDS_DIR / "queues.csv").read_text().splitlines()[0]
    assert draft[0] == seed_header
    assert draft[1:] == [
        "BillingQueue,BillingQueue,voice,TODO,TODO,20,5,false",
        "CallbackQueue,CallbackQueue,voice,TODO,TODO,20,5,false",
        "ChatQueue,ChatQueue,chat,TODO,TODO,60,10,false",
        "SupportQueue,SupportQueue,voice,TODO,TODO,20,5,false",
    ]


def test_amazon_reimport_is_idempotent(tmp_path) -> None:
    """The same files imported again: the same batch files, the same rows (nothing added, nothing lost)."""
    ctr, events = amazon_inputs(tmp_path / "export")
    landing = tmp_path / "landing"
    run_amazon(amazon_options(ctr, events, landing))
    first = {p.relative_to(landing): p.read_bytes() for p in landing.rglob("*.parquet")}
    run_amazon(amazon_options(ctr, events, landing))
    again = {p.relative_to(landing): p.read_bytes() for p in landing.rglob("*.parquet")}
    assert len(first) == 2 and again.keys() == first.keys()
    assert landing_rows(landing, "acd/contact_segments") == AMAZON_SEGMENTS
    assert [r["state"] for r in landing_rows(landing, "acd/agent_state_changes")] == [s for _, s, _ in AMAZON_STATES]


def test_amazon_later_export_dedups_to_the_same_segments(tmp_path) -> None:
    """Two deliveries imported separately (the old version of ...01 first, the update later) stage, after the
    warehouse's latest-_extracted_at-per-key dedup, exactly the segments of one import of both."""
    ctr, _ = amazon_inputs(tmp_path / "export")
    landing = tmp_path / "landing"
    run_amazon(amazon_options([ctr[0]], [], landing))
    run_amazon(amazon_options([ctr[1]], [], landing))
    files = sorted((landing / "acd" / "contact_segments").glob("*.parquet"))
    assert len(files) == 2
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        raw = con.execute(f"select count(*) from read_parquet({[str(f) for f in files]})").fetchone()[0]
        staged = con.execute(f"""
            select * exclude (rn) from (
                select *, row_number() over (partition by segment_id order by _extracted_at desc) as rn
                from read_parquet({[str(f) for f in files]}, filename = false)
            ) where rn = 1 order by segment_id
        """).fetchall()
    assert raw == 10  # ...01 in both batches
    once = tmp_path / "once"
    run_amazon(amazon_options(ctr, [], once))
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        single = con.execute(
            f"select * from read_parquet('{once}/acd/contact_segments/*.parquet') order by segment_id"
        ).fetchall()
    assert staged == single


def test_amazon_options_status_map_and_task_channel(tmp_path) -> None:
    ctr, events = amazon_inputs(tmp_path / "export")
    status_map = tmp_path / "status_map.yml"
    status_map.write_text("Personal time: break\n")
    out = tmp_path / "landing"
    report = run_amazon(
        amazon_options(ctr, events, out, status_map=status_map, task_channel="email", queue_id_from="arn")
    )
    states = {r["state_started_at"]: r["state"] for r in landing_rows(out, "acd/agent_state_changes")}
    # "Personal time" is now a break too: no change after the 14:45 break, so no row (state_unchanged)
    assert states["14:45:00"] == "break" and "15:00:00" not in states and states["15:30:00"] == "logged_out"
    assert report.records["agent_events"].skipped["state_unchanged"]["count"] == 2
    assert report.unmapped == {}
    rows = {r["segment_id"][-2:]: r for r in landing_rows(out, "acd/contact_segments")}
    assert rows["11"]["channel"] == "email" and rows["11"]["direction"] == "inbound"
    assert rows["11"]["queue_id"] == "q-chat-0004" and rows["01"]["queue_id"] == "q-billing-0001"
    assert report.records["contact_records"].written == 10


def test_amazon_bad_status_map_is_refused(tmp_path) -> None:
    status_map = tmp_path / "status_map.yml"
    status_map.write_text("Break: on_a_beach\n")
    with pytest.raises(ImportFailed, match="on_a_beach"):
        run_amazon(amazon_options([str(AMAZON / "contact_records_ndjson.json")], [], tmp_path, status_map=status_map))


def test_cli_wrong_export_and_missing_path_are_clear_errors(tmp_path) -> None:
    """A Genesys page given as Amazon contact records, and a path that does not exist: exit 2, one line naming
    the file and what was expected, no traceback, no landing file."""
    page = str(GENESYS / "conversation_details_query_page.json")
    for args, needle in (
        (["amazon-connect", "--contact-records", page], "not an Amazon Connect contact record export"),
        (["amazon-connect", "--contact-records", str(tmp_path / "nope.json")], "does not exist"),
        (["genesys-cloud", "--conversations", str(AMAZON / "agent_events.json")], "conversation-details"),
    ):
        proc = subprocess.run(
            [str(BIN / "switchboard"), "import", *args, "--out", str(tmp_path / "out")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 2, proc.stderr
        assert needle in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert not (tmp_path / "out" / "acd").exists()


def test_cli_prints_the_summary(tmp_path) -> None:
    ctr, events = amazon_inputs(tmp_path / "export")
    proc = subprocess.run(
        [
            str(BIN / "switchboard"),
            "import",
            "amazon-connect",
            "--contact-records",
            *ctr,
            "--agent-events",
            *events,
            "--out",
            str(tmp_path / "landing"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "contact_records: read 13 = written 9 + skipped 4" in proc.stdout
    assert "queues_seed_draft.csv" in proc.stdout


# Genesys Cloud: 10 conversations read (3 in the pretty-printed query page, 7 lines of the job file).
C = "9d1e000{}-0000-4000-8000-00000000000{}"
BILLING, SUPPORT, CHAT = (
    "b1111111-1111-4111-8111-111111111111",
    "c2222222-2222-4222-8222-222222222222",
    "d3333333-3333-4333-8333-333333333333",
)
ANA, BEN, CLEO = (f"a0000000-0000-4000-8000-00000000000{x}" for x in "abc")


def leg(n: int, session: str | None, **values) -> dict:
    sid = C.format(n, n) + (f":s000000{n}-0000-4000-8000-00000000{session}" if session else "")
    return segment(sid, channel=values.pop("channel", "voice"), direction="inbound", **values)


GENESYS_SEGMENTS = [
    # 1: answered with a hold and wrap-up (the job file's complete version beats the page's in-progress copy);
    # a supervisor's monitoring session is not a leg
    leg(
        1,
        "b001",
        queue_id=BILLING,
        agent_id=ANA,
        customer_address="tel:+12125550201",
        initiated_at="16:00:00",
        enqueued_at="16:00:20",
        connected_at="16:00:38",
        disconnected_at="16:06:00",
        acw_started_at="16:06:00",
        acw_ended_at="16:06:45",
        hold_seconds=30,
        hold_count=1,
        disconnect_reason="customer_disconnect",
        disposition_code="BILL_EXPLAIN",
        _extracted_at="16:06:45",
    ),
    # 2: consult transfer through the support queue: two legs, warm
    leg(
        2,
        "b001",
        queue_id=BILLING,
        agent_id=ANA,
        customer_address="tel:+12125550202",
        initiated_at="16:10:00",
        enqueued_at="16:10:10",
        connected_at="16:10:45",
        disconnected_at="16:14:00",
        acw_started_at="16:14:00",
        acw_ended_at="16:14:20",
        hold_seconds=0,
        hold_count=0,
        disconnect_reason="transferred",
        transfer_type="warm",
        disposition_code="CONNECTIVITY",
        _extracted_at="16:20:30",
    ),
    leg(
        2,
        "b002",
        previous_segment_id=C.format(2, 2) + ":s0000002-0000-4000-8000-00000000b001",
        queue_id=SUPPORT,
        agent_id=BEN,
        customer_address="tel:+12125550202",
        initiated_at="16:13:00",
        enqueued_at="16:13:00",
        connected_at="16:13:25",
        disconnected_at="16:20:00",
        acw_started_at="16:20:00",
        acw_ended_at="16:20:30",
        hold_seconds=0,
        hold_count=0,
        disconnect_reason="customer_disconnect",
        disposition_code="CONNECTIVITY",
        _extracted_at="16:20:30",
    ),
    # 3: queued callback: the voice wait ends by transfer to a callback; Ben's callback and the call he dials
    # are one leg through the queue's callback session
    leg(
        3,
        "a001",
        queue_id=SUPPORT,
        customer_address="tel:+12125550203",
        initiated_at="16:30:00",
        enqueued_at="16:30:05",
        disconnected_at="16:32:05",
        disconnect_reason="transferred",
        transfer_type="blind",
        _extracted_at="16:40:30",
    ),
    leg(
        3,
        "b001",
        previous_segment_id=C.format(3, 3) + ":s0000003-0000-4000-8000-00000000a001",
        queue_id=SUPPORT,
        agent_id=BEN,
        customer_address="tel:+12125550203",
        initiated_at="16:32:05",
        enqueued_at="16:32:05",
        connected_at="16:33:44",
        disconnected_at="16:40:00",
        acw_started_at="16:40:00",
        acw_ended_at="16:40:30",
        hold_seconds=0,
        hold_count=0,
        disconnect_reason="customer_disconnect",
        disposition_code="CONNECTIVITY",
        _extracted_at="16:40:30",
    ),
    # 4: abandon after 60 s; 5: short abandon (3 s)
    leg(
        4,
        "a001",
        queue_id=BILLING,
        customer_address="tel:+12125550204",
        initiated_at="17:00:00",
        enqueued_at="17:00:10",
        disconnected_at="17:01:10",
        disconnect_reason="customer_disconnect",
        _extracted_at="17:01:10",
    ),
    leg(
        5,
        "a001",
        queue_id=BILLING,
        customer_address="tel:+12125550205",
        initiated_at="17:05:00",
        enqueued_at="17:05:08",
        disconnected_at="17:05:11",
        disconnect_reason="customer_disconnect",
        _extracted_at="17:05:11",
    ),
    # 6: chat, the agent closes it
    leg(
        6,
        "b001",
        channel="chat",
        queue_id=CHAT,
        agent_id=CLEO,
        customer_address="Pat Customer",
        initiated_at="17:10:00",
        enqueued_at="17:10:02",
        connected_at="17:10:32",
        disconnected_at="17:25:32",
        acw_started_at="17:25:32",
        acw_ended_at="17:26:02",
        hold_seconds=0,
        hold_count=0,
        disconnect_reason="agent_disconnect",
        disposition_code="ORDER_STATUS",
        _extracted_at="17:26:02",
    ),
    # 7: self-served in the IVR (no acd, no agent); 8 malformed; 9 agent-to-agent call (internal, skipped)
    leg(
        7,
        None,
        customer_address="tel:+12125550207",
        initiated_at="17:30:00",
        disconnected_at="17:32:00",
        disconnect_reason="self_served",
        _extracted_at="17:32:00",
    ),
]

GENESYS_STATES = [  # Ana: routing status, presence when off queue, acw from her wrap-up segments
    ("15:55:00", "not_ready"),
    ("15:58:00", "available"),
    ("16:00:35", "on_contact"),
    ("16:06:00", "acw"),
    ("16:06:45", "available"),
    ("16:10:40", "on_contact"),
    ("16:14:00", "acw"),
    ("16:14:20", "available"),
    ("16:45:00", "break"),
    ("17:00:00", "logged_out"),
]


def test_genesys_contact_segments_every_row(genesys) -> None:
    out, _ = genesys
    assert landing_rows(out, "acd/contact_segments") == sorted(GENESYS_SEGMENTS, key=lambda r: r["segment_id"])


def test_genesys_agent_states_every_row(genesys) -> None:
    out, _ = genesys
    rows = landing_rows(out, "acd/agent_state_changes")
    assert [(r["state_started_at"], r["state"]) for r in rows] == GENESYS_STATES
    assert {r["agent_id"] for r in rows} == {ANA}
    assert {r["_extracted_at"] for r in rows} == {"17:00:00"}  # her latest record boundary


def test_genesys_accounting(genesys) -> None:
    _, report = genesys
    assert accounting(report, "conversations") == (
        10,
        7,
        {"duplicate_delivery": 1, "internal_conversation": 1, "malformed_json": 1},
    )
    assert accounting(report, "user_details") == (2, 1, {"no_status_records": 1})
    assert report["rows_written"] == {"acd/contact_segments": 9, "acd/agent_state_changes": 10}
    assert [q["queue_id"] for q in report["queues_found"]] == [BILLING, SUPPORT, CHAT]
    assert any("monitoring" in n for n in report["notes"])


@pytest.fixture(scope="module")
def stress(tmp_path_factory) -> tuple[Path, dict, int]:
    n = 100_000
    tmp = tmp_path_factory.mktemp("stress")
    export = synthetic.write_contact_records(tmp / "export" / "ctr.json.gz", n)
    run_amazon(AmazonOptions(contact_records=[str(export)], out=tmp / "landing"))
    return tmp / "landing", json.loads((tmp / "landing" / "_import" / "report.json").read_text()), n


def test_stress_export_round_trips(stress) -> None:
    out, report, n = stress
    expected = synthetic.expected_counts(n)
    read, written, skipped = accounting(report, "contact_records")
    assert (read, written) == (expected["read"], expected["written"])
    assert skipped == {k: expected[k] for k in ("duplicate_delivery", "monitor_contact", "unsupported_channel")}
    with duckdb.connect() as con:
        rows, ids, abandoned, updated = con.execute(f"""
            select count(*), count(distinct segment_id),
                count(*) filter (where connected_at is null and disconnect_reason = 'customer_disconnect'),
                count(*) filter (where epoch(_extracted_at) - epoch(initiated_at) = 900)
            from read_parquet('{out}/acd/contact_segments/*.parquet')
        """).fetchone()
    assert rows == ids == written == report["rows_written"]["acd/contact_segments"]
    assert abandoned == expected["abandoned"]
    assert updated == expected["updated"]  # the re-delivered records keep their later version
