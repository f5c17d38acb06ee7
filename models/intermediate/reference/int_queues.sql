with queues as (
    select
        queue_id,
        queue_name,
        channel,
        line_of_business,
        site_id,
        service_level_threshold_s,
        short_abandon_threshold_s,
        is_outbound
    from {{ ref('queues') }}
),

sites as (
    select
        site_id,
        site_name,
        time_zone
    from {{ ref('sites') }}
),

final as (
    select
        queues.queue_id,
        queues.queue_name,
        queues.channel,
        queues.line_of_business,
        queues.site_id,
        sites.site_name,
        sites.time_zone,
        queues.service_level_threshold_s,
        queues.short_abandon_threshold_s,
        queues.is_outbound,
        queues.channel in ('voice', 'chat') and not queues.is_outbound as is_erlang_queue
    from queues
    left join sites on queues.site_id = sites.site_id
)

select
    queue_id,
    queue_name,
    channel,
    line_of_business,
    site_id,
    site_name,
    time_zone,
    service_level_threshold_s,
    short_abandon_threshold_s,
    is_outbound,
    is_erlang_queue
from final
