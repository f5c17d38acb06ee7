{#- One row per staged segment: its transfer chain, queue/agent site and time zone, queue-offer outcomes,
    waits and handle-time parts, and the local dates and intervals the KPIs are dated by (catalogue
    Conventions; local dates through the offset table int_utc_offsets, issue 14). -#}
with

segments as (

    select
        segment_id,
        previous_segment_id,
        channel,
        direction,
        queue_id,
        agent_id,
        customer_id,
        customer_address_hash,
        initiated_at,
        enqueued_at,
        connected_at,
        disconnected_at,
        acw_started_at,
        acw_ended_at,
        hold_seconds,
        disconnect_reason,
        transfer_type,
        disposition_code,
        campaign_id,
        campaign_result
    from {{ ref('stg_acd__contact_segments') }}

),

chains as (

    select
        segment_id,
        contact_id,
        position,
        chain_status
    from {{ ref('int_segment_chains') }}

),

queues as (

    select
        queue_id,
        site_id,
        line_of_business,
        service_level_threshold_s,
        short_abandon_threshold_s
    from {{ ref('queues') }}

),

sites as (

    select
        site_id,
        time_zone
    from {{ ref('sites') }}

),

-- the agent's site as of initiated_at (int_agent_history: the HR version valid then; the earliest version
-- before the first extract)
agent_sites as (

    select
        segments.segment_id,
        max(agent_versions.site_id) as agent_site_id
    from segments
    {{ agent_as_of('left', 'segments.agent_id', 'segments.initiated_at', grain='at', alias='agent_versions') }}
    where segments.agent_id is not null
    group by segments.segment_id

),

placed as (

    select
        segments.segment_id,
        segments.previous_segment_id,
        segments.channel,
        segments.direction,
        segments.queue_id,
        segments.agent_id,
        segments.customer_id,
        segments.customer_address_hash,
        coalesce(queues.site_id, agent_sites.agent_site_id) as site_id,
        queues.line_of_business,
        queues.service_level_threshold_s,
        queues.short_abandon_threshold_s,
        segments.initiated_at,
        segments.enqueued_at,
        segments.connected_at,
        segments.disconnected_at,
        segments.acw_started_at,
        segments.acw_ended_at,
        segments.hold_seconds,
        segments.disconnect_reason,
        segments.transfer_type,
        segments.disposition_code,
        segments.campaign_id,
        segments.campaign_result
    from segments
    left join queues
        on segments.queue_id = queues.queue_id
    left join agent_sites
        on segments.segment_id = agent_sites.segment_id

),

measured as (

    select
        placed.segment_id,
        placed.previous_segment_id,
        placed.channel,
        placed.direction,
        placed.queue_id,
        placed.agent_id,
        placed.customer_id,
        placed.customer_address_hash,
        placed.site_id,
        sites.time_zone,
        {{ sb_zone_or_center('sites.time_zone') }} as dating_time_zone,
        placed.line_of_business,
        placed.service_level_threshold_s,
        placed.short_abandon_threshold_s,
        placed.initiated_at,
        placed.enqueued_at,
        placed.connected_at,
        placed.disconnected_at,
        placed.acw_started_at,
        placed.acw_ended_at,
        placed.disconnect_reason,
        placed.transfer_type,
        placed.disposition_code,
        placed.campaign_id,
        placed.campaign_result,
        placed.enqueued_at is not null as is_offer,
        placed.connected_at is not null as is_handled,
        placed.enqueued_at is not null and placed.connected_at is not null as is_answered,
        placed.enqueued_at is not null
        and placed.connected_at is null
        and coalesce(placed.disconnect_reason = 'customer_disconnect', false) as is_abandoned,
        coalesce(placed.disconnect_reason = 'blocked', false) as is_blocked,
        coalesce(placed.disconnect_reason = 'self_served', false) as is_self_served,
        (
            coalesce(placed.disconnect_reason = 'transferred', false)
            or placed.transfer_type is not null
        ) as is_transferred_out,
        case
            when placed.enqueued_at is not null and placed.connected_at is not null
                then {{ sb_seconds_between('placed.enqueued_at', 'placed.connected_at') }}
            when placed.enqueued_at is not null
                then {{ sb_seconds_between('placed.enqueued_at', 'placed.disconnected_at') }}
        end as wait_s,
        case
            when placed.connected_at is not null
                then cast(coalesce(placed.hold_seconds, 0) as double)
        end as hold_s,
        case
            when
                placed.connected_at is not null
                and placed.acw_started_at is not null
                and placed.acw_ended_at is not null
                then {{ sb_seconds_between('placed.acw_started_at', 'placed.acw_ended_at') }}
            when placed.connected_at is not null then 0.0
        end as acw_s,
        case
            when placed.connected_at is not null
                then {{ sb_seconds_between('placed.connected_at', 'placed.disconnected_at') }}
        end as connected_s
    from placed
    left join sites
        on placed.site_id = sites.site_id

),

final as (

    select
        measured.segment_id,
        chains.contact_id,
        measured.previous_segment_id,
        chains.position,
        chains.chain_status,
        measured.channel,
        measured.direction,
        measured.queue_id,
        measured.agent_id,
        measured.customer_id,
        measured.customer_address_hash,
        measured.site_id,
        measured.time_zone,
        measured.line_of_business,
        measured.initiated_at,
        measured.enqueued_at,
        measured.connected_at,
        measured.disconnected_at,
        measured.acw_started_at,
        measured.acw_ended_at,
        measured.disconnect_reason,
        measured.transfer_type,
        measured.disposition_code,
        measured.campaign_id,
        measured.campaign_result,
        measured.is_offer,
        measured.is_answered,
        measured.is_handled,
        measured.is_abandoned,
        measured.is_abandoned and measured.wait_s <= measured.short_abandon_threshold_s as is_short_abandon,
        measured.is_blocked,
        measured.is_self_served,
        measured.wait_s,
        measured.service_level_threshold_s,
        measured.short_abandon_threshold_s,
        measured.connected_s - measured.hold_s as talk_s,
        measured.hold_s,
        measured.acw_s,
        measured.connected_s + measured.acw_s as handle_s,
        measured.is_transferred_out,
        {{ sb_local_date_at('measured.initiated_at', 'measured.dating_time_zone', 'initiated_offsets') }}
            as initiated_local_date,
        {{ sb_local_date_at('measured.enqueued_at', 'measured.dating_time_zone', 'enqueued_offsets') }}
            as enqueued_local_date,
        {{ sb_local_date_at('measured.connected_at', 'measured.dating_time_zone', 'connected_offsets') }}
            as connected_local_date,
        {{ sb_interval_start('measured.enqueued_at') }} as enqueued_interval_start,
        {{ sb_interval_start('measured.connected_at') }} as connected_interval_start
    from measured
    inner join chains
        on measured.segment_id = chains.segment_id
    -- local dates through int_utc_offsets (macros/shims/time.sql), in the site's zone or var center_time_zone
    {{ sb_utc_offset_join('measured.initiated_at', 'measured.dating_time_zone', 'initiated_offsets') }}
    {{ sb_utc_offset_join('measured.enqueued_at', 'measured.dating_time_zone', 'enqueued_offsets') }}
    {{ sb_utc_offset_join('measured.connected_at', 'measured.dating_time_zone', 'connected_offsets') }}

)

select
    segment_id,
    contact_id,
    previous_segment_id,
    position,
    chain_status,
    channel,
    direction,
    queue_id,
    agent_id,
    customer_id,
    customer_address_hash,
    site_id,
    time_zone,
    line_of_business,
    initiated_at,
    enqueued_at,
    connected_at,
    disconnected_at,
    acw_started_at,
    acw_ended_at,
    disconnect_reason,
    transfer_type,
    disposition_code,
    campaign_id,
    campaign_result,
    is_offer,
    is_answered,
    is_handled,
    is_abandoned,
    is_short_abandon,
    is_blocked,
    is_self_served,
    wait_s,
    service_level_threshold_s,
    short_abandon_threshold_s,
    talk_s,
    hold_s,
    acw_s,
    handle_s,
    is_transferred_out,
    initiated_local_date,
    enqueued_local_date,
    connected_local_date,
    enqueued_interval_start,
    connected_interval_start
from final
