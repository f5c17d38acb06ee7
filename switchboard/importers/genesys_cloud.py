"""Genesys Cloud: analytics conversation details and user details -> acd/contact_segments, acd/agent_state_changes.

Field names and enumerations follow the Platform API models (AnalyticsConversation, AnalyticsParticipant,
AnalyticsSession, AnalyticsConversationSegment, AnalyticsUserDetail with AnalyticsUserPresenceRecord and
AnalyticsRoutingStatusRecord). Nesting, as the models define it: conversation -> participants[] ->
sessions[] -> segments[] (segments belong to a session, not to the participant).

A conversation becomes one contract segment per queue-and-agent leg: each agent session that reached an
`interact` segment is a leg (segment_id = conversationId:sessionId; an agent's callback session and the voice
session it dials are one leg), joined to the acd (queue) session whose wait ended while that agent was being
alerted; an acd session no agent answered is a leg of its own (abandoned, timed out or moved on); a
conversation with neither is one self-served leg (segment_id = conversationId). Legs are linked in time order
by previous_segment_id. Timestamps come from segment boundaries, never from metrics (so no unit question).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from switchboard.importers import reader
from switchboard.importers.amazon_connect import ts
from switchboard.importers.writer import ImportReport

MEDIA = {"voice": "voice", "callback": "voice", "chat": "chat", "email": "email"}  # message: --message-channel
# disconnectType of the leg's last segment -> (disconnect_reason, transfer_type); '' = the --default-transfer-type
AGENT_DISCONNECT = {
    "transfer": ("transferred", ""),
    "forwardTransfer": ("transferred", ""),
    "noAnswerTransfer": ("transferred", ""),
    "notAvailableTransfer": ("transferred", ""),
    "consultTransfer": ("transferred", "warm"),
    "conferenceTransfer": ("transferred", "conference"),
    "client": ("agent_disconnect", None),
    "endpoint": ("agent_disconnect", None),
    "peer": ("customer_disconnect", None),
    "timeout": ("queue_timeout", None),
    "error": ("system_error", None),
    "system": ("system_error", None),
    "transportFailure": ("system_error", None),
}
# an acd (queue) session nobody answered: the customer leaving shows as the peer (or the customer's endpoint)
QUEUE_DISCONNECT = {
    **AGENT_DISCONNECT,
    "client": ("customer_disconnect", None),
    "endpoint": ("customer_disconnect", None),
}
ROUTING = {
    "INTERACTING": "on_contact",
    "COMMUNICATING": "on_contact",
    "IDLE": "available",
    "NOT_RESPONDING": "not_ready",
}
PRESENCE = {
    "BREAK": "break",
    "MEAL": "lunch",
    "MEETING": "meeting",
    "TRAINING": "training",
    "AWAY": "not_ready",
    "BUSY": "not_ready",
    "OFFLINE": "logged_out",
    "AVAILABLE": "not_ready",
    "IDLE": "not_ready",
    "ON_QUEUE": "available",
}
MATCH_TOLERANCE_S = 2  # an acd wait ends within this of the agent's alert (or answer when there is no alert)

SEGMENT = {
    "segmentStart": "VARCHAR",
    "segmentEnd": "VARCHAR",
    "segmentType": "VARCHAR",
    "queueId": "VARCHAR",
    "disconnectType": "VARCHAR",
    "wrapUpCode": "VARCHAR",
}
SESSION = {
    "sessionId": "VARCHAR",
    "mediaType": "VARCHAR",
    "direction": "VARCHAR",
    "ani": "VARCHAR",
    "dnis": "VARCHAR",
    "addressFrom": "VARCHAR",
    "remote": "VARCHAR",
    "messageType": "VARCHAR",
    "outboundCampaignId": "VARCHAR",
    "monitoredParticipantId": "VARCHAR",
    "coachedParticipantId": "VARCHAR",
    "bargedParticipantId": "VARCHAR",
    "segments": [SEGMENT],
}
CONVERSATION = {
    "conversationId": "VARCHAR",
    "conversationStart": "VARCHAR",
    "conversationEnd": "VARCHAR",
    "participants": [{"participantId": "VARCHAR", "purpose": "VARCHAR", "userId": "VARCHAR", "sessions": [SESSION]}],
}
USER = {
    "userId": "VARCHAR",
    "primaryPresence": [{"startTime": "VARCHAR", "endTime": "VARCHAR", "systemPresence": "VARCHAR"}],
    "routingStatus": [{"startTime": "VARCHAR", "endTime": "VARCHAR", "routingStatus": "VARCHAR"}],
}


@dataclass
class GenesysOptions:
    conversations: list[str]
    users: list[str] = field(default_factory=list)
    out: Path = Path("data/landing")
    message_channel: str = "by_type"
    default_transfer_type: str = "blind"


def case_map(expr: str, mapping: dict[str, str], default: str = "null") -> str:
    whens = " ".join(f"when {reader.sql_text(k)} then {reader.sql_text(v)}" for k, v in mapping.items())
    return f"case {expr} {whens} else {default} end"


def disconnect_case(expr: str, mapping: dict, part: int, default_transfer: str) -> str:
    values = {k: (v[part] if v[part] != "" else default_transfer) for k, v in mapping.items() if v[part] is not None}
    return case_map(expr, values)


def run(opts: GenesysOptions) -> ImportReport:
    conv_files = reader.expand_paths(opts.conversations, "--conversations")
    user_files = reader.expand_paths(opts.users, "--users") if opts.users else []
    report, batch = ImportReport.begin("genesys-cloud", opts, {"conversations": conv_files, "users": user_files})
    con = reader.connect()
    _conversations(con, opts, conv_files, report)
    report.add_batch(con, "acd/contact_segments", "gc_segments", batch)
    if user_files:
        _users(con, user_files, report)
        report.add_batch(con, "acd/agent_state_changes", "gc_states", batch)
    report.find_entities(con, "gc_segments", "gc_states" if user_files else None)
    report.save()
    return report


def _records(con: duckdb.DuckDBPyConnection, values: str, list_key: str, structure: dict, target: str) -> None:
    """Records from pages (`{list_key: [...]}`) or bare objects, as structs of `structure` (one row each)."""
    fields = ", ".join(f"{k} := r.{k}" for k in structure)
    con.execute(f"""
        create or replace temp table {target} as
        select file, line, part, generate_subscripts(r.{list_key}, 1) as item, unnest(r.{list_key}) as r
        from {values} where r.{list_key} is not null
        union all
        select file, line, part, 0 as item, struct_pack({fields}) as r
        from {values} where r.{list_key} is null
    """)


def page(structure: dict, list_key: str) -> dict:
    """The structure of a value that is either a page of records (`list_key`) or one record."""
    return {**structure, list_key: [structure]}


def _conversations(
    con: duckdb.DuckDBPyConnection, opts: GenesysOptions, files: list[Path], report: ImportReport
) -> None:
    values = reader.read_records(con, files, "gc_values", page(CONVERSATION, "conversations"))
    reader.require_shape(
        con,
        values,
        ["conversations", "conversationId"],
        "a Genesys Cloud conversation-details export (query or job pages)",
    )
    _records(con, "gc_values", "conversations", CONVERSATION, "gc_conv_raw")
    message = (
        "case when lower(s.messageType) = 'sms' then 'sms' else 'social' end"
        if opts.message_channel == "by_type"
        else reader.sql_text(opts.message_channel)
    )
    con.execute(f"""
        create or replace temp table gc_segs as
        with conv as (
            select file, line, part, item, r.conversationId as conversation_id, r.participants from gc_conv_raw
        ),
        parts as (
            select file, line, part, item, conversation_id, unnest(participants) as p from conv
        ),
        sessions as (
            select file, line, part, item, conversation_id, lower(p.purpose) as purpose, p.userId as user_id,
                p.participantId as participant_id, unnest(p.sessions) as s
            from parts
        ),
        flat as (
            select file, line, part, item, conversation_id, purpose, user_id, participant_id,
                s.sessionId as session_id, lower(s.mediaType) as media_type, lower(s.direction) as direction,
                case when lower(s.direction) = 'outbound' then coalesce(s.dnis, s.remote, s.addressFrom)
                     else coalesce(s.ani, s.addressFrom, s.remote) end as address,
                s.outboundCampaignId as campaign_id,
                coalesce(s.monitoredParticipantId, s.coachedParticipantId, s.bargedParticipantId) is not null
                    as is_supervision,
                case when lower(s.mediaType) = 'message' then {message}
                     else {case_map("lower(s.mediaType)", MEDIA)} end as channel,
                unnest(s.segments) as g
            from sessions
        )
        select file, line, part, item, conversation_id, purpose, user_id, participant_id, session_id, media_type,
            direction, address, campaign_id, is_supervision, channel,
            g.segmentType as segment_type, {ts("g.segmentStart")} as seg_start, {ts("g.segmentEnd")} as seg_end,
            g.queueId as queue_id, g.disconnectType as disconnect_type, g.wrapUpCode as wrap_up_code
        from flat
    """)
    con.execute(f"""
        create or replace temp table gc_conv as
        with last_seen as (
            select file, line, part, item, max(greatest(seg_start, coalesce(seg_end, seg_start))) as last_seen_at,
                count(*) filter (where purpose in ('customer', 'external')) as customer_segments
            from gc_segs group by all
        )
        select c.file, c.line, c.part, c.item, c.r.conversationId as conversation_id,
            {ts("c.r.conversationStart")} as started_at, {ts("c.r.conversationEnd")} as ended_at,
            greatest(coalesce(l.last_seen_at, {ts("c.r.conversationStart")}),
                     coalesce({ts("c.r.conversationEnd")}, {ts("c.r.conversationStart")})) as last_seen_at,
            coalesce(l.customer_segments, 0) as customer_segments
        from gc_conv_raw as c
        left join last_seen as l using (file, line, part, item)
    """)
    # sessions as legs: agent sessions with an interact segment (an agent's callback + voice sessions are one leg)
    con.execute("""
        create or replace temp table gc_agent_legs as
        with agent_segs as (
            select *,
                first_value(case when media_type = 'callback' then session_id end ignore nulls) over (
                    partition by file, line, part, item, participant_id order by seg_start
                    rows between unbounded preceding and unbounded following) as callback_session
            from gc_segs where purpose = 'agent' and user_id is not null and not is_supervision
        )
        select file, line, part, item, conversation_id, user_id,
            coalesce(callback_session, session_id) as leg_session,
            bool_or(media_type = 'callback') as has_callback,
            mode(channel) filter (where media_type <> 'callback') as media_channel,
            max(campaign_id) as campaign_id,
            min(seg_start) filter (where segment_type = 'alert') as alerted_at,
            min(seg_start) filter (where segment_type = 'interact') as connected_at,
            max(seg_end) filter (where segment_type in ('interact', 'hold')) as disconnected_at,
            arg_max(disconnect_type, seg_end) filter (where segment_type in ('interact', 'hold')) as disconnect_type,
            min(seg_start) filter (where segment_type = 'wrapup') as acw_started_at,
            max(seg_end) filter (where segment_type = 'wrapup') as acw_ended_at,
            coalesce(sum(round(epoch(seg_end) - epoch(seg_start))) filter (where segment_type = 'hold'), 0)
                as hold_seconds,
            count(*) filter (where segment_type = 'hold') as hold_count,
            coalesce(max(wrap_up_code) filter (where segment_type = 'wrapup'), max(wrap_up_code)) as wrap_up_code,
            max(queue_id) as agent_queue_id
        from agent_segs
        group by all
        having count(*) filter (where segment_type = 'interact') > 0
    """)
    con.execute("""
        create or replace temp table gc_acd_legs as
        select file, line, part, item, conversation_id, session_id, max(channel) as channel,
            max(campaign_id) as campaign_id,
            max(queue_id) as queue_id, min(seg_start) as enqueued_at, max(seg_end) as dequeued_at,
            arg_max(disconnect_type, seg_end) as disconnect_type
        from gc_segs where purpose = 'acd'
        group by all
    """)
    con.execute(f"""
        create or replace temp table gc_matched as
        with candidates as (
            select a.file, a.line, a.part, a.item, a.leg_session, q.session_id as acd_session,
                row_number() over (partition by a.file, a.line, a.part, a.item, a.leg_session
                                   order by q.dequeued_at desc) as agent_pick
            from gc_agent_legs as a
            inner join gc_acd_legs as q
                on a.file = q.file and a.line = q.line and a.part = q.part and a.item = q.item
                and (a.agent_queue_id is null or a.agent_queue_id = q.queue_id)
                and q.dequeued_at >= coalesce(a.alerted_at, a.connected_at) - interval {MATCH_TOLERANCE_S} second
                and q.dequeued_at <= a.connected_at + interval {MATCH_TOLERANCE_S} second
        ),
        picked as (
            select *, row_number() over (partition by file, line, part, item, acd_session
                                         order by leg_session) as acd_pick
            from candidates where agent_pick = 1
        )
        select file, line, part, item, leg_session, acd_session from picked where acd_pick = 1
    """)
    agent_reason = disconnect_case("a.disconnect_type", AGENT_DISCONNECT, 0, "")
    agent_transfer = disconnect_case("a.disconnect_type", AGENT_DISCONNECT, 1, opts.default_transfer_type)
    queue_reason = disconnect_case("q.disconnect_type", QUEUE_DISCONNECT, 0, "")
    queue_transfer = disconnect_case("q.disconnect_type", QUEUE_DISCONNECT, 1, opts.default_transfer_type)
    con.execute(f"""
        create or replace temp table gc_legs as
        with customer as (
            select file, line, part, item, arg_min(direction, seg_start) as direction,
                arg_min(address, seg_start) as address, arg_min(channel, seg_start) as channel,
                max(campaign_id) as campaign_id
            from gc_segs where purpose in ('customer', 'external') group by all
        ),
        agent_legs as (
            select a.file, a.line, a.part, a.item, a.conversation_id, a.leg_session as session_id,
                case when a.has_callback then 'voice' else coalesce(a.media_channel, q.channel) end as channel,
                coalesce(q.queue_id, a.agent_queue_id) as queue_id, a.user_id as agent_id,
                coalesce(q.enqueued_at, a.alerted_at, a.connected_at) as leg_start,
                q.enqueued_at, a.connected_at, a.disconnected_at, a.acw_started_at, a.acw_ended_at,
                cast(a.hold_seconds as bigint) as hold_seconds, a.hold_count,
                {agent_reason} as disconnect_reason,
                {agent_transfer} as transfer_type,
                a.disconnect_type as vendor_disconnect,
                a.wrap_up_code as disposition_code, coalesce(a.campaign_id, q.campaign_id) as campaign_id
            from gc_agent_legs as a
            left join gc_matched as m
                on a.file = m.file and a.line = m.line and a.part = m.part and a.item = m.item
                and a.leg_session = m.leg_session
            left join gc_acd_legs as q
                on m.file = q.file and m.line = q.line and m.part = q.part and m.item = q.item
                and m.acd_session = q.session_id
        ),
        queue_legs as (
            select q.file, q.line, q.part, q.item, q.conversation_id, q.session_id, q.channel, q.queue_id,
                null as agent_id, q.enqueued_at as leg_start, q.enqueued_at, null as connected_at,
                q.dequeued_at as disconnected_at, null as acw_started_at, null as acw_ended_at,
                null as hold_seconds, null as hold_count,
                {queue_reason} as disconnect_reason,
                {queue_transfer} as transfer_type,
                q.disconnect_type as vendor_disconnect, null as disposition_code, q.campaign_id
            from gc_acd_legs as q
            anti join gc_matched as m
                on q.file = m.file and q.line = m.line and q.part = m.part and q.item = m.item
                and q.session_id = m.acd_session
        ),
        legs as (
            select * from agent_legs union all select * from queue_legs
        ),
        self_served as (
            select c.file, c.line, c.part, c.item, c.conversation_id, null as session_id, cu.channel,
                null as queue_id, null as agent_id, c.started_at as leg_start, null as enqueued_at,
                null as connected_at, coalesce(c.ended_at, c.last_seen_at) as disconnected_at,
                null as acw_started_at, null as acw_ended_at, null as hold_seconds, null as hold_count,
                case when cu.direction = 'inbound' then 'self_served' end as disconnect_reason,
                null as transfer_type, null as vendor_disconnect, null as disposition_code, cu.campaign_id
            from gc_conv as c
            inner join customer as cu using (file, line, part, item)
            anti join legs as l using (file, line, part, item)
        ),
        all_legs as (
            select * from legs union all select * from self_served
        )
        select l.*, cu.direction as customer_direction, cu.address,
            row_number() over (partition by l.file, l.line, l.part, l.item order by l.leg_start, l.session_id)
                as leg_order
        from all_legs as l
        left join customer as cu using (file, line, part, item)
    """)
    con.execute(f"""
        create or replace temp table gc_classified as
        with legs as (
            select file, line, part, item, count(*) as legs, count(*) filter (where channel is not null) as mapped
            from gc_legs group by all
        ),
        ranked as (
            select c.*, coalesce(l.legs, 0) as legs, coalesce(l.mapped, 0) as mapped,
                row_number() over (partition by c.conversation_id
                                   order by c.last_seen_at desc nulls last, c.file desc, c.line desc,
                                            c.part desc, c.item desc) as delivery_rank
            from gc_conv as c left join legs as l using (file, line, part, item)
        )
        select *,
            case
                when conversation_id is null or started_at is null then 'missing_required_field'
                when customer_segments = 0 then 'internal_conversation'
                when mapped = 0 then 'unsupported_channel'
                when delivery_rank > 1 then 'duplicate_delivery'
            end as skip_reason,
            {reader.example_sql("conversation_id", "item")} as example
        from ranked
    """)
    report.count_records(con, "conversations", "gc_classified", values.malformed, values.malformed_examples)
    report.add_unmapped(
        con,
        "mediaType",
        """
        select media_type, count(*) from gc_segs where channel is null group by 1""",
    )
    report.add_unmapped(
        con,
        "disconnectType",
        """
        select vendor_disconnect, count(*) from gc_legs
        where disconnect_reason is null and vendor_disconnect is not null group by 1""",
    )
    supervised = con.execute("select count(distinct session_id) from gc_segs where is_supervision").fetchone()[0]
    if supervised:
        report.notes.append(f"{supervised} monitoring / coaching / barge sessions are not contacts: ignored")
    con.execute("""
        create or replace temp table gc_segments as
        with kept as (
            select l.* from gc_legs as l
            inner join gc_classified as c using (file, line, part, item)
            where c.skip_reason is null and l.channel is not null
        ),
        ids as (
            select kept.*, c.started_at, c.last_seen_at,
                kept.conversation_id || coalesce(':' || kept.session_id, '') as segment_id
            from kept inner join gc_conv as c using (file, line, part, item)
        )
        select
            segment_id,
            lag(segment_id) over (partition by file, line, part, item order by leg_order) as previous_segment_id,
            channel,
            coalesce(customer_direction, 'inbound') as direction,
            queue_id,
            agent_id,
            cast(null as varchar) as customer_id,
            address as customer_address,
            case when leg_order = 1 then least(started_at, leg_start) else leg_start end as initiated_at,
            enqueued_at,
            connected_at,
            disconnected_at,
            acw_started_at,
            acw_ended_at,
            hold_seconds,
            hold_count,
            disconnect_reason,
            case when disconnect_reason = 'transferred' then transfer_type end as transfer_type,
            disposition_code,
            campaign_id,
            cast(null as varchar) as campaign_result,
            last_seen_at as _extracted_at
        from ids
    """)


def _users(con: duckdb.DuckDBPyConnection, files: list[Path], report: ImportReport) -> None:
    values = reader.read_records(con, files, "gu_values", page(USER, "userDetails"))
    reader.require_shape(con, values, ["userDetails", "userId"], "a Genesys Cloud user-details export")
    _records(con, "gu_values", "userDetails", USER, "gu_raw")
    con.execute(f"""
        create or replace temp table gu_records as
        with presence as (
            select file, line, part, item, r.userId as user_id, unnest(r.primaryPresence) as x from gu_raw
        ),
        routing as (
            select file, line, part, item, r.userId as user_id, unnest(r.routingStatus) as x from gu_raw
        )
        select file, line, part, item, user_id, 'presence' as kind, {ts("x.startTime")} as starts_at,
            {ts("x.endTime")} as ends_at, upper(x.systemPresence) as value
        from presence
        union all
        select file, line, part, item, user_id, 'routing', {ts("x.startTime")}, {ts("x.endTime")},
            upper(x.routingStatus)
        from routing
    """)
    con.execute(f"""
        create or replace temp table gu_classified as
        with counted as (
            select file, line, part, item, count(*) as records from gu_records group by all
        )
        select g.file, g.line, g.part, g.item, g.r.userId as user_id,
            case
                when g.r.userId is null then 'missing_required_field'
                when coalesce(c.records, 0) = 0 then 'no_status_records'
            end as skip_reason,
            {reader.example_sql("g.r.userId", "g.item")} as example
        from gu_raw as g
        left join counted as c using (file, line, part, item)
    """)
    report.count_records(con, "user_details", "gu_classified", values.malformed, values.malformed_examples)
    # wrap-up from the conversations imported in the same run: acw while a wrapup segment lasts
    con.execute("""
        create or replace temp table gu_acw as
        select user_id, seg_start as starts_at, seg_end as ends_at
        from gc_segs where purpose = 'agent' and segment_type = 'wrapup' and user_id is not null
            and seg_start is not null
    """)
    routing = case_map("r.value", ROUTING)
    presence = case_map("p.value", PRESENCE)
    con.execute(f"""
        create or replace temp table gc_states as
        with records as (
            select distinct user_id, kind, starts_at, ends_at, value from gu_records
            where user_id is not null and starts_at is not null
        ),
        users as (
            select user_id, max(greatest(starts_at, coalesce(ends_at, starts_at))) as last_seen_at
            from records group by 1
        ),
        acw as (
            select a.user_id, a.starts_at, a.ends_at from gu_acw as a semi join users using (user_id)
        ),
        instants as (
            select user_id, starts_at as instant_at from records
            union select user_id, ends_at from records where ends_at is not null
            union select user_id, starts_at from acw
            union select user_id, ends_at from acw where ends_at is not null
        ),
        derived as (
            select i.user_id, i.instant_at,
                bool_or(w.user_id is not null) as in_acw,
                max(r.value) as routing_status, max(p.value) as presence,
                max({routing}) as routing_state, max({presence}) as presence_state
            from instants as i
            left join records as r
                on r.user_id = i.user_id and r.kind = 'routing' and r.starts_at <= i.instant_at
                and (r.ends_at is null or i.instant_at < r.ends_at)
            left join records as p
                on p.user_id = i.user_id and p.kind = 'presence' and p.starts_at <= i.instant_at
                and (p.ends_at is null or i.instant_at < p.ends_at)
            left join acw as w
                on w.user_id = i.user_id and w.starts_at <= i.instant_at
                and (w.ends_at is null or i.instant_at < w.ends_at)
            group by all
        ),
        stated as (
            select user_id, instant_at, routing_status, presence,
                case
                    when presence_state = 'logged_out' and routing_state is null then 'logged_out'
                    when in_acw then 'acw'
                    when routing_state is not null then routing_state
                    when presence_state is not null then presence_state
                end as state
            from derived
        ),
        changes as (
            select *, lag(state) over (partition by user_id order by instant_at) as previous_state from stated
            where state is not null
        )
        select c.user_id as agent_id, c.instant_at as state_started_at, c.state,
            coalesce(c.presence, c.routing_status) as reason_code, u.last_seen_at as _extracted_at
        from changes as c inner join users as u using (user_id)
        where c.previous_state is distinct from c.state
    """)
    report.add_unmapped(
        con,
        "routingStatus",
        f"""
        select value, count(*) from gu_records where kind = 'routing' and value is not null
            and value not in ({", ".join(reader.sql_text(k) for k in ROUTING)}, 'OFF_QUEUE') group by 1""",
    )
    report.add_unmapped(
        con,
        "systemPresence",
        f"""
        select value, count(*) from gu_records where kind = 'presence' and value is not null
            and value not in ({", ".join(reader.sql_text(k) for k in PRESENCE)}) group by 1""",
    )
    if not con.execute("select count(*) from gu_acw").fetchone()[0]:
        report.notes.append("no wrapup segments in the conversations of this run: agent states have no acw")
