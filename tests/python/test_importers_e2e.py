"""End to end (issue 19): vendor export -> `switchboard import` -> `switchboard validate` -> dbt -> kpi_operational.

Both fixtures are imported into one landing zone (every other contract table is absent: an empty table) and
built once by dbt into a temporary copy of the project whose `queues` seed is the importers' own queue drafts
with the TODOs filled in: the Amazon Connect queues at site nyc, the Genesys Cloud queues at site krk, so each
vendor's day row is its site's row (2026-03-10 is the same local date at both sites). The project's own seeds
are never changed. Expected values are computed by hand from the fixture records below. About 1.5 minutes
(dbt seed + dbt run of +kpi_operational; nearly 3 on a loaded machine).
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import duckdb
import pytest

from harness import dbt_env, run_checked
from switchboard import settings

FIXTURES = settings.PROJECT_DIR / "tests" / "fixtures"
BIN = Path(sys.executable).parent
PROJECT_PARTS = ("dbt_project.yml", "models", "macros", "seeds", "analyses")
SITE = {"amazon-connect": "nyc", "genesys-cloud": "krk"}
LINE_OF_BUSINESS = {"BillingQueue": "billing", "b1111111-1111-4111-8111-111111111111": "billing"}

# Hand-computed from the fixture records (every timestamp on 2026-03-10 UTC; thresholds of the drafts: voice
# SL 20 s / short abandon 5 s, chat 60 s / 10 s; service level excludes short abandons, abandonment rate
# leaves them out of the denominator: the project's defaults).
#
# Amazon Connect, offers = contact records with a Queue.EnqueueTimestamp (wait = enqueue -> connected):
#   ...01 answered, wait 10 s (SL met), handle 14:00:40-14:05:40 + ACW 30 s = 330 s
#   ...02 answered, wait 30 s, handle 190 + 10 = 200 s, transferred (NextContactId ...03)
#   ...03 answered, wait 10 s (met), handle 420 + 30 = 450 s
#   ...04 not answered, left the queue for a callback (transferred, not an abandon)
#   ...05 callback answered, wait 14:33:44-14:34:30 = 46 s, handle 360 + 30 = 390 s
#   ...06 abandoned after 60 s; ...07 short abandon (3 s)
#   ...08 chat answered, wait 30 s (met, 60 s threshold), handle 900 + 30 = 930 s
#   ...10 self-served, never queued (not an offer)
#   offers 8, answered 5; service level = met 3 / (answered 5 + abandoned-not-short 1) = 0.5
#   abandonment = 1 / (8 offers - 1 short abandon) = 1/7; ASA = (10+30+10+46+30)/5 = 25.2 s
#   AHT = (330+200+450+390+930)/5 = 460 s; transfer rate = 1 transferred (...02) / 5 handled = 0.2
# Genesys Cloud, offers = legs through an acd session (wait = acd segment start -> agent's first interact):
#   conv 1 answered, wait 16:00:20-16:00:38 = 18 s (met), handle 322 + 45 = 367 s
#   conv 2 Ana, wait 35 s, handle 195 + 20 = 215 s, consult transfer; Ben, wait 25 s, handle 395 + 30 = 425 s
#   conv 3 voice wait ends in a callback (transferred, not an abandon); Ben's callback leg waits
#     16:32:05-16:33:44 = 99 s, handle 376 + 30 = 406 s
#   conv 4 abandoned after 60 s; conv 5 short abandon (3 s)
#   conv 6 chat, wait 30 s (met), handle 900 + 30 = 930 s; conv 7 self-served (not an offer)
#   offers 8, answered 5; service level = 2 / (5 + 1) = 1/3; abandonment = 1/7
#   ASA = (18+35+25+99+30)/5 = 41.4 s; AHT = (367+215+425+406+930)/5 = 468.6 s; transfer rate = 1/5
EXPECTED = {
    "nyc": {
        "contacts_offered": 8,
        "offers_answered": 5,
        "service_level": 0.5,
        "abandonment_rate": 1 / 7,
        "average_speed_of_answer_s": 25.2,
        "average_handle_time_s": 460.0,
        "transfer_rate": 0.2,
    },
    "krk": {
        "contacts_offered": 8,
        "offers_answered": 5,
        "service_level": 1 / 3,
        "abandonment_rate": 1 / 7,
        "average_speed_of_answer_s": 41.4,
        "average_handle_time_s": 468.6,
        "transfer_rate": 0.2,
    },
}


def switchboard(*args: str) -> str:
    return run_checked([str(BIN / "switchboard"), *args]).stdout


def filled_draft(landing: Path, vendor: str) -> list[dict]:
    """The importer's ready-to-edit queue seed draft, edited as a user would: site and line of business."""
    with (landing / "_import" / "queues_seed_draft.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        assert row["site_id"] == "TODO" and row["line_of_business"] == "TODO"
        row["site_id"] = SITE[vendor]
        row["line_of_business"] = LINE_OF_BUSINESS.get(row["queue_id"], "tech_support")
    return rows


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("importers_e2e")
    landing = tmp / "landing"
    amazon = FIXTURES / "amazon_connect"
    switchboard(
        "import",
        "amazon-connect",
        "--contact-records",
        str(amazon / "contact_records_ndjson.json"),
        str(amazon / "contact_records_firehose_concatenated.json"),
        "--agent-events",
        str(amazon / "agent_events.json"),
        "--out",
        str(landing),
        "--customer-id-attribute",
        "crm_customer_id",
        "--disposition-attribute",
        "disposition",
    )
    queues = filled_draft(landing, "amazon-connect")
    genesys = FIXTURES / "genesys_cloud"
    switchboard(
        "import",
        "genesys-cloud",
        "--conversations",
        str(genesys / "conversation_details_query_page.json"),
        str(genesys / "conversation_details_job.jsonl"),
        "--users",
        str(genesys / "user_details_query_page.json"),
        "--out",
        str(landing),
    )
    queues += filled_draft(landing, "genesys-cloud")
    assert "landing validation passed" in switchboard(
        "validate", "--landing", str(landing), "--docs-dir", str(tmp / "data_docs")
    )
    project = tmp / "project"
    project.mkdir()
    for part in PROJECT_PARTS:
        src = settings.PROJECT_DIR / part
        if src.is_dir():
            shutil.copytree(src, project / part)
        elif src.exists():
            shutil.copy(src, project / part)
    (project / "tests").mkdir()
    with (project / "seeds" / "queues.csv").open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(queues[0]))
        w.writeheader()
        w.writerows(queues)
    db = tmp / "db" / "warehouse.duckdb"
    db.parent.mkdir()
    for args in (["seed"], ["run", "--select", "+kpi_operational"]):
        run_checked(
            [
                str(BIN / "dbt"),
                *args,
                "--project-dir",
                str(project),
                "--target-path",
                str(tmp / "target"),
                "--log-path",
                str(tmp / "logs"),
                "--threads",
                "1",
            ],
            dbt_env(landing, db),
        )
    return db


def test_every_imported_row_is_staged(built) -> None:
    with duckdb.connect(str(built), read_only=True) as con:
        segments = dict(
            con.sql("select _status, count(*) from staging.base_acd__contact_segments group by 1").fetchall()
        )
        states = dict(
            con.sql("select _status, count(*) from staging.base_acd__agent_state_changes group by 1").fetchall()
        )
        chains = dict(
            con.sql("select chain_status, count(*) from intermediate.int_segment_chains group by 1").fetchall()
        )
    assert segments == {"staged": 9 + 9}  # none quarantined, none superseded
    assert states == {"staged": 7 + 10}
    assert chains == {"ok": 18}  # both transfer chains and both callbacks link up


@pytest.mark.parametrize("site", ["nyc", "krk"])
def test_kpi_operational_day_rows_match_the_hand_computed_values(built, site) -> None:
    names = list(EXPECTED[site])
    with duckdb.connect(str(built), read_only=True) as con:
        rows = dict(
            con.execute(
                f"""
            select kpi_name, value from marts.kpi_operational
            where period_grain = 'day' and period_start = date '2026-03-10' and scope_type = 'site'
                and scope_id = ? and breakdown_type = 'all' and kpi_name in ({", ".join("?" for _ in names)})
        """,
                [site, *names],
            ).fetchall()
        )
    assert rows.keys() == EXPECTED[site].keys()
    for name, value in EXPECTED[site].items():
        assert rows[name] == pytest.approx(value, abs=1e-9), name
