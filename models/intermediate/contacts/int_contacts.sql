{#- One row per contact (transfer chain): its queue, channel and site by the catalogue's rule, root facts,
    handle time of all legs, the last handled segment's reason, and the FCR fields (catalogue "FCR"). -#}
{%- set window_end = dbt.dateadd('hour', (var('fcr_window_days') | int) * 24, 'totals.last_disconnected_at') %}
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

roots as (

    select
        contact_id,
        chain_status,
        channel,
        direction,
        queue_id,
        customer_address_hash,
        initiated_at,
        is_self_served,
        is_blocked
    from segments
    where chain_order = 1

),

first_queued as (

    select
        contact_id,
        queue_id,
        channel,
        site_id,
        time_zone
    from (
        select
            contact_id,
            queue_id,
            channel,
            site_id,
            time_zone,
            row_number() over (partition by contact_id order by chain_order) as queued_order
        from segments
        where queue_id is not null
    ) as queued
    where queued_order = 1

),

first_sited as (

    select
        contact_id,
        site_id,
        time_zone
    from (
        select
            contact_id,
            site_id,
            time_zone,
            row_number() over (partition by contact_id order by chain_order) as sited_order
        from segments
        where site_id is not null
    ) as sited
    where sited_order = 1

),

last_queued as (

    select
        contact_id,
        queue_id
    from (
        select
            contact_id,
            queue_id,
            row_number() over (partition by contact_id order by chain_order desc) as queued_order
        from segments
        where queue_id is not null
    ) as queued
    where queued_order = 1

),

first_customer as (

    select
        contact_id,
        customer_id
    from (
        select
            contact_id,
            customer_id,
            row_number() over (partition by contact_id order by chain_order) as customer_order
        from segments
        where customer_id is not null
    ) as identified_segments
    where customer_order = 1

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

totals as (

    select
        contact_id,
        count(*) as segments,
        sum(case when is_transferred_out then 1 else 0 end) as transfers,
        count(distinct agent_id) as agents_touched,
        max(case when is_handled then 1 else 0 end) = 1 as is_handled,
        sum(handle_s) as handle_s,
        max(disconnected_at) as last_disconnected_at
    from segments
    group by contact_id

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
        roots.contact_id,
        roots.chain_status,
        totals.segments,
        totals.transfers,
        coalesce(first_queued.queue_id, roots.queue_id) as queue_id,
        coalesce(first_queued.channel, roots.channel) as channel,
        first_queued.queue_id as first_queue_id,
        last_queued.queue_id as last_queue_id,
        -- a queue always has a site (seed queues), so this is the queue's site when the contact has a queue
        coalesce(first_queued.site_id, first_sited.site_id) as site_id,
        coalesce(first_queued.time_zone, first_sited.time_zone) as time_zone,
        totals.agents_touched,
        first_customer.customer_id,
        roots.customer_address_hash,
        roots.direction,
        roots.initiated_at,
        totals.is_handled,
        roots.is_self_served,
        roots.is_blocked,
        totals.handle_s,
        totals.last_disconnected_at,
        last_handled.disposition_code,
        reasons.contact_reason,
        totals.transfers > 0 as is_transferred,
        escalated.contact_id is not null as has_escalated_case,
        {{ window_end }} as fcr_window_end_at,
        data_end.data_end_at
    from roots
    inner join totals
        on roots.contact_id = totals.contact_id
    left join first_queued
        on roots.contact_id = first_queued.contact_id
    left join first_sited
        on roots.contact_id = first_sited.contact_id
    left join last_queued
        on roots.contact_id = last_queued.contact_id
    left join first_customer
        on roots.contact_id = first_customer.contact_id
    left join last_handled
        on roots.contact_id = last_handled.contact_id
    left join reasons
        on last_handled.disposition_code = reasons.disposition_code
    left join escalated
        on roots.contact_id = escalated.contact_id
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
