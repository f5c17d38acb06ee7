{#- One row per contact (transfer chain): its queue, channel and site by the catalogue's rule, root facts,
    handle time of all legs, the last handled segment's reason, and the FCR fields (catalogue "FCR"). -#}
{%- set window_end = dbt.dateadd('hour', (var('fcr_window_days') | int) * 24, 'orders.last_disconnected_at') %}
with

segments as (

    select
        segment_id,
        contact_id,
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
        initiated_at,
        connected_at,
        disconnected_at,
        disposition_code,
        is_handled,
        is_self_served,
        is_blocked,
        is_transferred_out,
        handle_s,
        row_number() over (
            partition by contact_id order by position, initiated_at, segment_id
        ) as chain_order
    from {{ ref('int_contact_segments') }}

),

-- per contact: the totals, and the chain order of the segments the picks below take their values from
orders as (

    select
        contact_id,
        count(*) as segments,
        sum(case when is_transferred_out then 1 else 0 end) as transfers,
        count(distinct agent_id) as agents_touched,
        max(case when is_handled then 1 else 0 end) = 1 as is_handled,
        sum(handle_s) as handle_s,
        max(disconnected_at) as last_disconnected_at,
        min(case when queue_id is not null then chain_order end) as first_queued_order,
        min(case when site_id is not null then chain_order end) as first_sited_order,
        max(case when queue_id is not null then chain_order end) as last_queued_order,
        min(case when customer_id is not null then chain_order end) as first_customer_order
    from segments
    group by contact_id

),

-- one aggregation picks every value the catalogue takes from one segment of the chain (the root, the first
-- segment with a queue, with a site, with a customer, the last with a queue): one hash aggregation instead of a
-- window per pick, so the model spills instead of running out of memory at a real center's size (issue 14)
picks as (

    select
        segments.contact_id,
        max(case when segments.chain_order = 1 then segments.chain_status end) as chain_status,
        max(case when segments.chain_order = 1 then segments.channel end) as root_channel,
        max(case when segments.chain_order = 1 then segments.direction end) as direction,
        max(case when segments.chain_order = 1 then segments.queue_id end) as root_queue_id,
        max(case when segments.chain_order = 1 then segments.customer_address_hash end) as customer_address_hash,
        max(case when segments.chain_order = 1 then segments.initiated_at end) as initiated_at,
        max(case when segments.chain_order = 1 then segments.is_self_served end) as is_self_served,
        max(case when segments.chain_order = 1 then segments.is_blocked end) as is_blocked,
        max(case when segments.chain_order = orders.first_queued_order then segments.queue_id end) as first_queue_id,
        max(case when segments.chain_order = orders.first_queued_order then segments.channel end)
            as first_queued_channel,
        max(case when segments.chain_order = orders.first_queued_order then segments.site_id end)
            as first_queued_site_id,
        max(case when segments.chain_order = orders.first_queued_order then segments.time_zone end)
            as first_queued_time_zone,
        max(case when segments.chain_order = orders.first_sited_order then segments.site_id end) as first_site_id,
        max(case when segments.chain_order = orders.first_sited_order then segments.time_zone end)
            as first_sited_time_zone,
        max(case when segments.chain_order = orders.last_queued_order then segments.queue_id end) as last_queue_id,
        max(case when segments.chain_order = orders.first_customer_order then segments.customer_id end)
            as customer_id
    from segments
    inner join orders
        on segments.contact_id = orders.contact_id
    group by segments.contact_id

),

last_handled as (

    select
        contact_id,
        disposition_code
    from (
        select
            contact_id,
            disposition_code,
            row_number() over (
                partition by contact_id order by position desc, connected_at desc, segment_id desc
            ) as handled_order
        from segments
        where is_handled
    ) as handled
    where handled_order = 1

),

escalated as (

    select distinct segments.contact_id
    from {{ ref('stg_crm__case_segments') }} as case_segments
    inner join {{ ref('stg_crm__cases') }} as cases
        on case_segments.case_id = cases.case_id
    inner join segments
        on case_segments.segment_id = segments.segment_id
    where cases.escalated

),

data_end as (

    select max(initiated_at) as data_end_at
    from segments

),

reasons as (

    select
        disposition_code,
        contact_reason
    from {{ ref('disposition_codes') }}

),

contacts as (

    select
        picks.contact_id,
        picks.chain_status,
        orders.segments,
        orders.transfers,
        coalesce(picks.first_queue_id, picks.root_queue_id) as queue_id,
        coalesce(picks.first_queued_channel, picks.root_channel) as channel,
        picks.first_queue_id,
        picks.last_queue_id,
        -- a queue always has a site (seed queues), so this is the queue's site when the contact has a queue
        coalesce(picks.first_queued_site_id, picks.first_site_id) as site_id,
        coalesce(picks.first_queued_time_zone, picks.first_sited_time_zone) as time_zone,
        orders.agents_touched,
        picks.customer_id,
        picks.customer_address_hash,
        picks.direction,
        picks.initiated_at,
        orders.is_handled,
        picks.is_self_served,
        picks.is_blocked,
        orders.handle_s,
        orders.last_disconnected_at,
        last_handled.disposition_code,
        reasons.contact_reason,
        orders.transfers > 0 as is_transferred,
        escalated.contact_id is not null as has_escalated_case,
        {{ window_end }} as fcr_window_end_at,
        data_end.data_end_at
    from picks
    inner join orders
        on picks.contact_id = orders.contact_id
    left join last_handled
        on picks.contact_id = last_handled.contact_id
    left join reasons
        on last_handled.disposition_code = reasons.disposition_code
    left join escalated
        on picks.contact_id = escalated.contact_id
    cross join data_end

),

-- a repeat: any inbound contact of the same customer whose root initiated_at lies in (last disconnect, window end]
repeats as (

    select distinct contacts.contact_id
    from contacts
    inner join contacts as later
        on
            contacts.customer_id = later.customer_id
            and contacts.last_disconnected_at < later.initiated_at
            and contacts.fcr_window_end_at >= later.initiated_at
    where later.direction = 'inbound'

),

final as (

    select
        contacts.contact_id,
        contacts.chain_status,
        contacts.segments,
        contacts.transfers,
        contacts.queue_id,
        contacts.channel,
        contacts.first_queue_id,
        contacts.last_queue_id,
        contacts.site_id,
        contacts.time_zone,
        contacts.agents_touched,
        contacts.customer_id,
        contacts.customer_address_hash,
        contacts.direction,
        contacts.initiated_at,
        {{ sb_local_date_at('contacts.initiated_at', sb_zone_or_center('contacts.time_zone'), 'initiated_offsets') }}
            as initiated_local_date,
        contacts.is_handled,
        contacts.is_self_served,
        contacts.is_blocked,
        contacts.handle_s,
        contacts.last_disconnected_at,
        contacts.disposition_code,
        contacts.contact_reason,
        contacts.is_transferred,
        contacts.has_escalated_case,
        contacts.fcr_window_end_at,
        repeats.contact_id is not null as has_repeat,
        coalesce(
            contacts.chain_status = 'ok'
            and contacts.direction = 'inbound'
            and contacts.is_handled
            and contacts.customer_id is not null
            and contacts.fcr_window_end_at <= contacts.data_end_at,
            false
        ) as is_fcr_eligible
    from contacts
    left join repeats
        on contacts.contact_id = repeats.contact_id
    -- the local date through the offset table (a join, not a time-zone call per contact; macros/shims/time.sql)
    {{ sb_utc_offset_join('contacts.initiated_at', sb_zone_or_center('contacts.time_zone'), 'initiated_offsets') }}

)

select
    contact_id,
    chain_status,
    segments,
    transfers,
    queue_id,
    channel,
    first_queue_id,
    last_queue_id,
    site_id,
    time_zone,
    agents_touched,
    customer_id,
    customer_address_hash,
    direction,
    initiated_at,
    initiated_local_date,
    is_handled,
    is_self_served,
    is_blocked,
    handle_s,
    last_disconnected_at,
    disposition_code,
    contact_reason,
    is_transferred,
    has_escalated_case,
    fcr_window_end_at,
    has_repeat,
    is_fcr_eligible,
    (is_fcr_eligible and not is_transferred and not has_escalated_case and not has_repeat) as is_resolved_first_time
from final
