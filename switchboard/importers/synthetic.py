"""A synthetic Amazon Connect contact-record export of any size, for the stress test and `make bench`.

Written by DuckDB from `range(n)` (no Python loop per record) as a Firehose delivery: gzip NDJSON, every
record with the documented CTR fields and nesting. The mix is fixed by `i % 100` so the expected counts are
known without reading the file back (`expected_counts`):

- 0-2: MONITOR (skipped `monitor_contact`); 3-4: TASK (skipped `unsupported_channel`);
- 5-14: abandoned voice (enqueued, never connected, CUSTOMER_DISCONNECT);
- 15-19: chat (InitiationMethod API, inbound), answered; 20-99: answered inbound voice;
- every 20th record is delivered twice, the second copy with a later LastUpdateTimestamp (`duplicate_delivery`).
"""

from __future__ import annotations

from pathlib import Path

from switchboard.importers.reader import connect, sql_text

ARN = "arn:aws:connect:us-east-1:123456789012:instance/aaaaaaaa-bbbb-cccc-dddd-111111111111"


def expected_counts(n: int) -> dict[str, int]:
    """Records read / written / skipped per reason for `write_contact_records(n)`."""
    kinds = [i % 100 for i in range(n)]
    monitor = sum(1 for k in kinds if k <= 2)
    task = sum(1 for k in kinds if 3 <= k <= 4)
    abandoned = sum(1 for k in kinds if 5 <= k <= 14)
    duplicates = len(range(0, n, 20))
    updated = sum(1 for i in range(0, n, 20) if i % 100 > 4)  # re-delivered and written (not MONITOR or TASK)
    return {
        "read": n + duplicates,
        "written": n - monitor - task,
        "monitor_contact": monitor,
        "unsupported_channel": task,
        "duplicate_delivery": duplicates,
        "abandoned": abandoned,
        "updated": updated,
    }


def write_contact_records(path: Path, n: int, start: str = "2026-03-02 08:00:00") -> Path:
    """Write `n` contact records (plus the re-deliveries) to `path` (.json.gz)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = connect()
    con.execute(f"""
        create temp table base as
        select i, i % 100 as kind, timestamp {sql_text(start)} + to_seconds(i * 3) as t0,
            'c0ffee00-0000-4000-8000-' || lpad(cast(i as varchar), 12, '0') as contact_id,
            'agent' || lpad(cast(i % 250 as varchar), 3, '0') as agent,
            ['BillingQueue', 'SupportQueue', 'SalesQueue'][i % 3 + 1] as queue
        from range({int(n)}) as r(i)
    """)
    iso = "strftime({}, '%Y-%m-%dT%H:%M:%SZ')"
    t = {
        k: iso.format(f"t0 + interval {s} second")
        for k, s in {"init": 0, "enq": 20, "conn": 45, "disc": 345, "acw": 375, "upd": 380, "upd2": 900}.items()
    }
    con.execute(f"""
        create temp table records as
        with shaped as (
            select i, kind, t0, contact_id, queue, agent,
                case when kind between 15 and 19 then 'CHAT' when kind between 3 and 4 then 'TASK' else 'VOICE' end
                    as channel,
                case when kind between 0 and 2 then 'MONITOR' when kind between 3 and 4 or kind between 15 and 19
                     then 'API' else 'INBOUND' end as method,
                kind between 5 and 14 as abandoned
            from base
        )
        select i, 1 as copy,
            '123456789012' as AWSAccountId, '2017-03-10' as AWSContactTraceRecordFormatVersion,
            case when abandoned then null else {{
                'ARN': '{ARN}/agent/' || agent, 'AfterContactWorkDuration': 30,
                'AfterContactWorkEndTimestamp': {t["acw"]}, 'AfterContactWorkStartTimestamp': {t["disc"]},
                'AgentInteractionDuration': 300, 'ConnectedToAgentTimestamp': {t["conn"]},
                'CustomerHoldDuration': 15, 'LongestHoldDuration': 15, 'NumberOfHolds': 1,
                'HierarchyGroups': {{'Level1': {{'ARN': '{ARN}/agent-group/g1', 'GroupName': 'Site'}}}},
                'RoutingProfile': {{'ARN': '{ARN}/routing-profile/rp1', 'Name': 'Default'}}, 'Username': agent
            }} end as Agent,
            case when abandoned then 0 else 1 end as AgentConnectionAttempts,
            {{'crm_customer_id': 'CUST-' || cast(i % 50000 as varchar), 'disposition': 'BILL_EXPLAIN'}} as Attributes,
            channel as Channel,
            {t["init"]} as ConnectedToSystemTimestamp,
            contact_id as ContactId,
            {{'Address': '+1212' || lpad(cast(i % 10000000 as varchar), 7, '0'), 'Type': 'TELEPHONE_NUMBER'}}
                as CustomerEndpoint,
            case when abandoned then 'CUSTOMER_DISCONNECT' else 'AGENT_DISCONNECT' end as DisconnectReason,
            case when abandoned then {iso.format("t0 + interval 80 second")} else {t["disc"]} end
                as DisconnectTimestamp,
            null::varchar as InitialContactId,
            method as InitiationMethod,
            {t["init"]} as InitiationTimestamp,
            '{ARN}' as InstanceARN,
            {t["upd"]} as LastUpdateTimestamp,
            [{{'Type': case when channel = 'CHAT' then 'CHAT' else 'AUDIO' end}}] as MediaStreams,
            null::varchar as NextContactId, null::varchar as PreviousContactId,
            {{'ARN': '{ARN}/queue/' || lower(queue), 'DequeueTimestamp': {t["conn"]}, 'Duration': 25,
              'EnqueueTimestamp': {t["enq"]}, 'Name': queue}} as Queue,
            {{'DeletionReason': null::varchar, 'Location': 'connect-recordings/' || contact_id || '.wav',
              'Status': 'AVAILABLE', 'Type': 'AUDIO'}} as Recording,
            {{'Address': '+18005550100', 'Type': 'TELEPHONE_NUMBER'}} as SystemEndpoint,
            null::varchar as TransferCompletedTimestamp
        from shaped
    """)
    # the re-deliveries: every 20th record again, updated later
    con.execute(f"""
        insert into records by name
        select records.* replace (2 as copy, {t["upd2"]} as LastUpdateTimestamp)
        from records join base using (i) where i % 20 = 0
    """)
    con.execute(f"""
        copy (select * exclude (i, copy) from records order by i, copy)
        to {sql_text(str(path))} (format json, compression gzip)
    """)
    return path
