"""Amazon Connect: contact records (CTR) and agent event streams -> acd/contact_segments, acd/agent_state_changes.

Field names, nesting and enumerations follow Amazon's "Data model for Amazon Connect contact records" and
"Agent event streams data model" pages (docs/importers.md has the full mapping tables). One contact record is
one segment: a transfer creates a new contact record whose PreviousContactId names the one it came from.
Records are delivered at least once and updated later: the latest LastUpdateTimestamp per ContactId is
kept (older deliveries in the same import are skipped as `duplicate_delivery`; across imports the warehouse
keeps the latest `_extracted_at`, which is LastUpdateTimestamp).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import yaml

from switchboard import contract
from switchboard.importers import ImportFailed, reader
from switchboard.importers.writer import ImportReport

STATUS_MAP_DEFAULT = Path(__file__).with_name("amazon_agent_status_map.yml")

CHANNELS = {"VOICE": "voice", "CHAT": "chat", "EMAIL": "email"}  # TASK: by option (--task-channel)
INBOUND_METHODS = ("INBOUND", "TRANSFER", "QUEUE_TRANSFER", "CALLBACK", "WEBRTC_API")
OUTBOUND_METHODS = ("OUTBOUND", "EXTERNAL_OUTBOUND", "AGENT_REPLY", "FLOW")
# API: a chat or task started by StartChatContact / StartTaskContact is the customer's (the vendor's page: "for
# chats, the initiation method is always API"); a voice or e-mail contact started by API is an outbound one
NOT_CONTACTS = {"MONITOR": "monitor_contact", "DISCONNECT": "disconnect_flow"}
DISCONNECT_REASONS = (
    "CUSTOMER_DISCONNECT",
    "AGENT_DISCONNECT",
    "THIRD_PARTY_DISCONNECT",
    "TELECOM_PROBLEM",
    "BARGED",
    "CONTACT_FLOW_DISCONNECT",
    "OTHER",
    "EXPIRED",
    "API",
)
EVENT_TYPES = ("LOGIN", "LOGOUT", "STATE_CHANGE", "HEART_BEAT")

CTR_STRUCTURE = {
    "AWSContactTraceRecordFormatVersion": "VARCHAR",
    "ContactId": "VARCHAR",
    "PreviousContactId": "VARCHAR",
    "NextContactId": "VARCHAR",
    "Channel": "VARCHAR",
    "InitiationMethod": "VARCHAR",
    "InitiationTimestamp": "VARCHAR",
    "DisconnectTimestamp": "VARCHAR",
    "LastUpdateTimestamp": "VARCHAR",
    "DisconnectReason": "VARCHAR",
    "TransferCompletedTimestamp": "VARCHAR",
    "CustomerEndpoint": {"Address": "VARCHAR"},
    "Queue": {"Name": "VARCHAR", "ARN": "VARCHAR", "EnqueueTimestamp": "VARCHAR"},
    "Agent": {
        "Username": "VARCHAR",
        "ARN": "VARCHAR",
        "ConnectedToAgentTimestamp": "VARCHAR",
        "AfterContactWorkStartTimestamp": "VARCHAR",
        "AfterContactWorkEndTimestamp": "VARCHAR",
        "CustomerHoldDuration": "BIGINT",
        "NumberOfHolds": "BIGINT",
    },
    "Attributes": "JSON",
}
EVENT_STRUCTURE = {
    "AgentARN": "VARCHAR",
    "EventId": "VARCHAR",
    "EventTimestamp": "VARCHAR",
    "EventType": "VARCHAR",
    "CurrentAgentSnapshot": {
        "AgentStatus": {"Name": "VARCHAR", "Type": "VARCHAR"},
        "Configuration": {"Username": "VARCHAR"},
        "Contacts": [{"ContactId": "VARCHAR", "State": "VARCHAR", "InitiationMethod": "VARCHAR"}],
    },
}


@dataclass
class AmazonOptions:
    """What the export does not standardise: where the CRM id and disposition live, custom status names,
    channels the contract lacks, and which id to keep for queues and agents."""

    contact_records: list[str]
    agent_events: list[str] = field(default_factory=list)
    out: Path = Path("data/landing")
    customer_id_attribute: str | None = None
    disposition_attribute: str | None = None
    status_map: Path | None = None
    task_channel: str = "skip"
    queue_id_from: str = "name"
    agent_id_from: str = "username"
    default_transfer_type: str = "blind"


def ts(expr: str) -> str:
    """An ISO-8601 text (Z or offset) as a naive UTC timestamp; null when it does not parse."""
    return f"cast(try_cast({expr} as timestamptz) as timestamp)"


def arn_tail(expr: str) -> str:
    return f"nullif(regexp_extract({expr}, '[^/]+$'), '')"


def attribute(name: str | None) -> str:
    if not name:
        return "cast(null as varchar)"
    return f"json_extract_string(r.Attributes, {reader.sql_text('$.' + json.dumps(name))})"


def load_status_map(path: Path | None) -> dict[str, str]:
    """Defaults merged with the user's YAML (name -> state), keys lower-cased; a state outside the contract stops."""
    merged: dict[str, str] = {}
    for source in [STATUS_MAP_DEFAULT] + ([path] if path else []):
        try:
            data = yaml.safe_load(Path(source).read_text()) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ImportFailed(f"--status-map {source}: cannot read it as YAML ({exc})") from exc
        if not isinstance(data, dict):
            raise ImportFailed(f"--status-map {source}: expected a mapping of status name -> state")
        for name, state in data.items():
            if state not in contract.AGENT_STATES or state in ("on_contact", "acw"):
                raise ImportFailed(
                    f"--status-map {source}: {name!r} -> {state!r} is not a state a status name "
                    f"can map to (one of {', '.join(s for s in contract.AGENT_STATES)}, "
                    "except on_contact and acw)"
                )
            merged[str(name).strip().lower()] = state
    return merged


def run(opts: AmazonOptions) -> ImportReport:
    if opts.task_channel != "skip" and opts.task_channel not in contract.CHANNELS:
        raise ImportFailed(f"--task-channel must be skip or one of {', '.join(contract.CHANNELS)}")
    status_map = load_status_map(opts.status_map)
    ctr_files = reader.expand_paths(opts.contact_records, "--contact-records")
    event_files = reader.expand_paths(opts.agent_events, "--agent-events") if opts.agent_events else []
    report, batch = ImportReport.begin(
        "amazon-connect", opts, {"contact_records": ctr_files, "agent_events": event_files}
    )
    con = reader.connect()
    _contact_records(con, opts, ctr_files, report)
    if event_files:
        _agent_events(con, opts, event_files, status_map, report)
    report.add_batch(con, "acd/contact_segments", "ctr_segments", batch)
    if event_files:
        report.add_batch(con, "acd/agent_state_changes", "agent_states", batch)
    report.find_entities(con, "ctr_segments", "agent_states" if event_files else None)
    report.save()
    return report


def _contact_records(
    con: duckdb.DuckDBPyConnection, opts: AmazonOptions, files: list[Path], report: ImportReport
) -> None:
    values = reader.read_records(con, files, "ctr_values", CTR_STRUCTURE)
    reader.require_shape(
        con, values, ["ContactId", "AWSContactTraceRecordFormatVersion"], "an Amazon Connect contact record export"
    )
    task = "null" if opts.task_channel == "skip" else reader.sql_text(opts.task_channel)
    queue_id = "r.Queue.Name" if opts.queue_id_from == "name" else arn_tail("r.Queue.ARN")
    agent_id = "r.Agent.Username" if opts.agent_id_from == "username" else arn_tail("r.Agent.ARN")
    channels = " ".join(f"when '{k}' then '{v}'" for k, v in CHANNELS.items())
    con.execute(f"""
        create or replace temp table ctr as
        with parsed as (
            select file, line, part, r from ctr_values
        )
        select
            file, line, part,
            r.ContactId as contact_id,
            r.PreviousContactId as previous_contact_id,
            r.NextContactId as next_contact_id,
            upper(r.Channel) as vendor_channel,
            upper(r.InitiationMethod) as method,
            upper(r.DisconnectReason) as vendor_reason,
            case upper(r.Channel) {channels} when 'TASK' then {task} end as channel,
            coalesce({queue_id}, {arn_tail("r.Queue.ARN")}) as queue_id,
            coalesce({agent_id}, {arn_tail("r.Agent.ARN")}) as agent_id,
            {attribute(opts.customer_id_attribute)} as customer_id,
            r.CustomerEndpoint.Address as customer_address,
            {ts("r.InitiationTimestamp")} as initiated_at,
            {ts("r.Queue.EnqueueTimestamp")} as enqueued_at,
            {ts("r.Agent.ConnectedToAgentTimestamp")} as connected_at,
            {ts("r.DisconnectTimestamp")} as disconnected_at,
            {ts("r.Agent.AfterContactWorkStartTimestamp")} as acw_started_at,
            {ts("r.Agent.AfterContactWorkEndTimestamp")} as acw_ended_at,
            r.Agent.CustomerHoldDuration as hold_seconds,
            r.Agent.NumberOfHolds as hold_count,
            {ts("r.TransferCompletedTimestamp")} as transfer_completed_at,
            {attribute(opts.disposition_attribute)} as disposition_code,
            {ts("r.LastUpdateTimestamp")} as last_updated_at
        from parsed
    """)
    # every record once, with the first reason it is not written (null: written)
    known_methods = ", ".join(f"'{m}'" for m in INBOUND_METHODS + OUTBOUND_METHODS + ("API",) + tuple(NOT_CONTACTS))
    con.execute(f"""
        create or replace temp table ctr_classified as
        with ranked as (
            select *,
                row_number() over (
                    partition by contact_id order by last_updated_at desc nulls last, file desc, line desc, part desc
                ) as delivery_rank
            from ctr
        )
        select *,
            case
                when contact_id is null or initiated_at is null or method is null or vendor_channel is null
                    then 'missing_required_field'
                when delivery_rank > 1 then 'duplicate_delivery'
                when method = 'MONITOR' then 'monitor_contact'
                when method = 'DISCONNECT' then 'disconnect_flow'
                when method not in ({known_methods}) then 'unknown_initiation_method'
                when vendor_channel = 'TASK' and channel is null then 'unsupported_channel'
                when channel is null then 'unknown_channel'
            end as skip_reason,
            {reader.example_sql("contact_id")} as example
        from ranked
    """)
    report.count_records(con, "contact_records", "ctr_classified", values.malformed, values.malformed_examples)
    report.add_unmapped(
        con,
        "Channel",
        """
        select vendor_channel, count(*) from ctr_classified where skip_reason = 'unknown_channel' group by 1""",
    )
    report.add_unmapped(
        con,
        "InitiationMethod",
        """
        select method, count(*) from ctr_classified where skip_reason = 'unknown_initiation_method' group by 1""",
    )
    reasons = ", ".join(f"'{r}'" for r in DISCONNECT_REASONS)
    report.add_unmapped(
        con,
        "DisconnectReason",
        f"""
        select vendor_reason, count(*) from ctr_classified
        where skip_reason is null and vendor_reason is not null and vendor_reason not in ({reasons}) group by 1""",
    )
    inbound = ", ".join(f"'{m}'" for m in INBOUND_METHODS)
    con.execute(f"""
        create or replace temp table ctr_segments as
        with kept as (
            select * from ctr_classified where skip_reason is null
        ),
        -- a transfer: the record names a next contact, or the call was transferred out of Amazon Connect
        links as (
            select contact_id, next_contact_id as next_id from kept where next_contact_id is not null
            union
            select previous_contact_id, contact_id from kept where previous_contact_id is not null
        ),
        nexts as (
            select links.contact_id, min(later.connected_at) as next_connected_at
            from links inner join kept as later on later.contact_id = links.next_id
            group by links.contact_id
        ),
        reasoned as (
            select kept.*,
                kept.next_contact_id is not null or kept.transfer_completed_at is not null as is_transfer,
                nexts.next_connected_at
            from kept left join nexts on kept.contact_id = nexts.contact_id
        )
        select
            contact_id as segment_id,
            previous_contact_id as previous_segment_id,
            channel,
            case
                when method in ({inbound}) then 'inbound'
                when method = 'API' and vendor_channel in ('CHAT', 'TASK') then 'inbound'
                else 'outbound'
            end as direction,
            queue_id,
            case when connected_at is not null then agent_id end as agent_id,
            customer_id,
            customer_address,
            initiated_at,
            enqueued_at,
            connected_at,
            disconnected_at,
            acw_started_at,
            acw_ended_at,
            coalesce(hold_seconds, case when connected_at is not null then 0 end) as hold_seconds,
            coalesce(hold_count, case when connected_at is not null then 0 end) as hold_count,
            case
                when is_transfer then 'transferred'
                when vendor_reason = 'EXPIRED' then 'queue_timeout'
                when vendor_reason = 'TELECOM_PROBLEM' then 'system_error'
                when connected_at is null and enqueued_at is null
                    and coalesce(vendor_reason, 'CONTACT_FLOW_DISCONNECT') = 'CONTACT_FLOW_DISCONNECT'
                    then 'self_served'
                when connected_at is null and enqueued_at is not null and vendor_reason = 'CONTACT_FLOW_DISCONNECT'
                    then 'queue_timeout'
                when vendor_reason in ('CUSTOMER_DISCONNECT', 'THIRD_PARTY_DISCONNECT') then 'customer_disconnect'
                when connected_at is not null then 'agent_disconnect'
            end as disconnect_reason,
            case
                when not is_transfer then null
                when connected_at is not null and next_connected_at < disconnected_at then 'warm'
                else {reader.sql_text(opts.default_transfer_type)}
            end as transfer_type,
            case when connected_at is not null then disposition_code end as disposition_code,
            cast(null as varchar) as campaign_id,
            cast(null as varchar) as campaign_result,
            coalesce(last_updated_at, disconnected_at, initiated_at) as _extracted_at
        from reasoned
    """)
    unreasoned = con.execute("select count(*) from ctr_segments where disconnect_reason is null").fetchone()[0]
    if unreasoned:
        report.notes.append(
            f"{unreasoned:,} segments have no disconnect_reason (never connected, enqueued, "
            "DisconnectReason OTHER/API/absent): not counted as abandoned"
        )


def _agent_events(
    con: duckdb.DuckDBPyConnection,
    opts: AmazonOptions,
    files: list[Path],
    status_map: dict[str, str],
    report: ImportReport,
) -> None:
    values = reader.read_records(con, files, "event_values", EVENT_STRUCTURE)
    reader.require_shape(con, values, ["EventType", "CurrentAgentSnapshot"], "an Amazon Connect agent event stream")
    con.execute("create or replace temp table status_map (name varchar, state varchar)")
    con.executemany("insert into status_map values (?, ?)", list(status_map.items()))
    agent_id = (
        "r.CurrentAgentSnapshot.Configuration.Username" if opts.agent_id_from == "username" else arn_tail("r.AgentARN")
    )
    event_types = ", ".join(f"'{e}'" for e in EVENT_TYPES)
    con.execute(f"""
        create or replace temp table events as
        with parsed as (
            select file, line, part, r from event_values
        ),
        flat as (
            select
                file, line, part,
                r.EventId as event_id,
                upper(r.EventType) as event_type,
                coalesce({agent_id}, {arn_tail("r.AgentARN")}) as agent_id,
                {ts("r.EventTimestamp")} as event_at,
                r.CurrentAgentSnapshot.AgentStatus.Name as status_name,
                upper(r.CurrentAgentSnapshot.AgentStatus.Type) as status_type,
                coalesce(r.CurrentAgentSnapshot.Contacts, []) as contacts
            from parsed
        )
        select flat.*,
            case
                when event_type = 'LOGOUT' then 'logged_out'
                when len(list_filter(contacts, c -> upper(c.State) in ('CONNECTED', 'CONNECTED_ONHOLD'))) > 0
                    then 'on_contact'
                when len(list_filter(contacts, c -> upper(c.State) = 'ENDED')) > 0 then 'acw'
                when len(list_filter(contacts, c -> upper(c.State) in ('CONNECTING', 'INCOMING')
                    and upper(c.InitiationMethod) = 'OUTBOUND')) > 0 then 'outbound_dialing'
                when status_type = 'ROUTABLE' then 'available'
                when status_type = 'OFFLINE' then 'logged_out'
                else coalesce(status_map.state, 'not_ready')
            end as state,
            status_map.state is null and status_type not in ('ROUTABLE', 'OFFLINE') as status_unmapped
        from flat
        left join status_map on lower(trim(flat.status_name)) = status_map.name
    """)
    con.execute(f"""
        create or replace temp table events_classified as
        with base as (
            select *,
                case
                    when agent_id is null or event_at is null or event_type is null then 'missing_required_field'
                    when event_type not in ({event_types}) then 'unknown_event_type'
                    when row_number() over (
                        partition by coalesce(event_id, file || coalesce(line, 0) || part) order by file, line, part)
                        > 1 then 'duplicate_delivery'
                    when event_type = 'HEART_BEAT' then 'heartbeat'
                end as first_reason,
                {reader.example_sql("event_id")} as example
            from events
        ),
        sequenced as (
            select *,
                lag(state) over (partition by agent_id order by event_at, file, line, part) as previous_state,
                row_number() over (partition by agent_id, event_at order by file desc, line desc, part desc)
                    as same_instant_rank
            from base where first_reason is null
        )
        select base.*,
            coalesce(base.first_reason,
                case
                    when sequenced.same_instant_rank > 1 then 'superseded_same_instant'
                    when sequenced.state = sequenced.previous_state then 'state_unchanged'
                end) as skip_reason,
            base.example
        from base
        left join sequenced on base.file = sequenced.file and base.line = sequenced.line and base.part = sequenced.part
    """)
    report.count_records(con, "agent_events", "events_classified", values.malformed, values.malformed_examples)
    report.add_unmapped(
        con,
        "AgentStatus.Name (-> not_ready)",
        """
        select status_name, count(*) from events_classified
        where skip_reason is null and status_unmapped and state = 'not_ready' group by 1""",
    )
    report.add_unmapped(
        con,
        "EventType",
        """
        select event_type, count(*) from events_classified where skip_reason = 'unknown_event_type' group by 1""",
    )
    con.execute("""
        create or replace temp table agent_states as
        select agent_id, event_at as state_started_at, state,
            case when state not in ('on_contact', 'acw', 'outbound_dialing') then status_name end as reason_code,
            event_at as _extracted_at
        from events_classified where skip_reason is null
    """)
