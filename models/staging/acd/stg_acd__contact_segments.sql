{#- Staged rows of acd/contact_segments: one row per segment_id (latest valid delivery), enumerations
    cleaned, customer_address only as a salted hash, plus the site of the segment's queue and the
    local time and date of initiated_at in that site's time zone (DST-correct). Segments without a
    queue (agent-dialled outbound) get their site from the agent downstream. -#}
with

staged as (

    select * from {{ ref('base_acd__contact_segments') }}
    where _status = 'staged'

),

queues as (

    select
        queue_id,
        site_id
    from {{ ref('queues') }}

),

sites as (

    select
        site_id,
        time_zone
    from {{ ref('sites') }}

),

final as (

    select
        staged.segment_id,
        staged.previous_segment_id,
        {{ sb_clean_enum('staged.channel') }} as channel,
        {{ sb_clean_enum('staged.direction') }} as direction,
        staged.queue_id,
        queues.site_id,
        staged.agent_id,
        staged.customer_id,
        {{ sb_pii_hash('staged.customer_address') }} as customer_address_hash,
        staged.initiated_at,
        {{ sb_to_local('staged.initiated_at', 'sites.time_zone') }} as initiated_local_at,
        cast({{ sb_to_local('staged.initiated_at', 'sites.time_zone') }} as date) as initiated_local_date,
        staged.enqueued_at,
        staged.connected_at,
        staged.disconnected_at,
        staged.acw_started_at,
        staged.acw_ended_at,
        staged.hold_seconds,
        staged.hold_count,
        {{ sb_clean_enum('staged.disconnect_reason') }} as disconnect_reason,
        {{ sb_clean_enum('staged.transfer_type') }} as transfer_type,
        staged.disposition_code,
        staged.campaign_id,
        {{ sb_clean_enum('staged.campaign_result') }} as campaign_result,
        staged._extracted_at,
        staged._source_file
    from staged
    left join queues
        on staged.queue_id = queues.queue_id
    left join sites
        on queues.site_id = sites.site_id

)

select * from final
