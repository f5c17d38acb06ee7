{#- Offers per scope and interval, the input of the peak KPIs: for each scope (center, site, channel,
    queue) the offers of its queues in one UTC interval, grouped by the site-local date of each queue's
    interval, so a center or channel interval on local date D sums the queues whose local date is D
    (each site's own calendar). Only intervals with at least one offer. -#}
with

queue_intervals as (

    select
        queue_id,
        site_id,
        channel,
        interval_start,
        local_date,
        offers
    from {{ ref('int_queue_intervals') }}
    where offers > 0

),

scoped as (

    select
        'center' as scope_type,
        'all' as scope_id,
        local_date,
        interval_start,
        sum(offers) as offers
    from queue_intervals
    group by local_date, interval_start
    union all
    select
        'site' as scope_type,
        site_id as scope_id,
        local_date,
        interval_start,
        sum(offers) as offers
    from queue_intervals
    group by site_id, local_date, interval_start
    union all
    select
        'channel' as scope_type,
        channel as scope_id,
        local_date,
        interval_start,
        sum(offers) as offers
    from queue_intervals
    group by channel, local_date, interval_start
    union all
    select
        'queue' as scope_type,
        queue_id as scope_id,
        local_date,
        interval_start,
        sum(offers) as offers
    from queue_intervals
    group by queue_id, local_date, interval_start

),

final as (

    select
        cast(scope_type as {{ dbt.type_string() }}) as scope_type,
        cast(scope_id as {{ dbt.type_string() }}) as scope_id,
        local_date,
        interval_start,
        offers
    from scoped

)

select
    scope_type,
    scope_id,
    local_date,
    interval_start,
    offers
from final
