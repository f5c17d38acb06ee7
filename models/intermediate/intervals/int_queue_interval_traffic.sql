{#- Per queue and interval (UTC start; site-local start and date): queue offers and their outcomes by
    the offer's enqueued_at interval, handled segments and handle time by the segment's connected_at
    interval, the forecast in force, and the Erlang inputs: AHT (the interval's own average handle
    time, else the forecast's, else the queue's trailing var erlang_trailing_aht_weeks weeks), traffic
    A = offers / interval seconds × AHT, and the service-level target (kpi_targets service_level:
    queue, else site, else center, valid on the local date; else var erlang_service_level_target).
    Intervals: those with an offer, a handled segment or a forecast. Segments of broken and cyclic
    chains count (queue and handle-time KPIs include them). -#}
with

segments as (

    select
        queue_id,
        is_offer,
        is_answered,
        is_handled,
        is_abandoned,
        is_short_abandon,
        wait_s,
        handle_s,
        service_level_threshold_s,
        enqueued_interval_start,
        connected_interval_start
    from {{ ref('int_contact_segments') }}
    where queue_id is not null

),

queues as (

    select
        queue_id,
        channel,
        line_of_business,
        site_id,
        time_zone,
        service_level_threshold_s,
        is_erlang_queue
    from {{ ref('int_queues') }}

),

offers as (

    select
        queue_id,
        enqueued_interval_start as interval_start,
        count(*) as offers,
        sum(case when is_answered then 1 else 0 end) as answered,
        sum(case when is_abandoned then 1 else 0 end) as abandoned,
        sum(case when is_short_abandon then 1 else 0 end) as short_abandons,
        sum(case when is_answered and wait_s <= service_level_threshold_s then 1 else 0 end)
            as answered_within_threshold,
        sum(wait_s) as sum_wait_s,
        sum(case when is_answered then wait_s else 0 end) as sum_answered_wait_s
    from segments
    where is_offer
    group by queue_id, enqueued_interval_start

),

handled as (

    select
        queue_id,
        connected_interval_start as interval_start,
        count(*) as handled_segments,
        sum(handle_s) as sum_handle_s
    from segments
    where is_handled
    group by queue_id, connected_interval_start

),

forecasts as (

    select
        queue_id,
        interval_start,
        forecast_contacts,
        forecast_aht_s
    from {{ ref('int_queue_interval_forecasts') }}

),

interval_keys as (

    select
        queue_id,
        interval_start
    from offers
    union
    select
        queue_id,
        interval_start
    from handled
    union
    select
        queue_id,
        interval_start
    from forecasts

),

combined as (

    select
        interval_keys.queue_id,
        interval_keys.interval_start,
        queues.site_id,
        queues.time_zone,
        queues.channel,
        queues.line_of_business,
        queues.is_erlang_queue,
        queues.service_level_threshold_s,
        coalesce(offers.offers, 0) as offers,
        coalesce(offers.answered, 0) as answered,
        coalesce(offers.abandoned, 0) as abandoned,
        coalesce(offers.short_abandons, 0) as short_abandons,
        coalesce(offers.answered_within_threshold, 0) as answered_within_threshold,
        coalesce(offers.sum_wait_s, 0) as sum_wait_s,
        coalesce(offers.sum_answered_wait_s, 0) as sum_answered_wait_s,
        coalesce(handled.handled_segments, 0) as handled_segments,
        coalesce(handled.sum_handle_s, 0) as sum_handle_s,
        forecasts.forecast_contacts,
        forecasts.forecast_aht_s
    from interval_keys
    inner join queues on interval_keys.queue_id = queues.queue_id
    left join offers
        on
            interval_keys.queue_id = offers.queue_id
            and interval_keys.interval_start = offers.interval_start
    left join handled
        on
            interval_keys.queue_id = handled.queue_id
            and interval_keys.interval_start = handled.interval_start
    left join forecasts
        on
            interval_keys.queue_id = forecasts.queue_id
            and interval_keys.interval_start = forecasts.interval_start

),

needs_trailing_aht as (

    select
        queue_id,
        interval_start
    from combined
    where
        offers > 0
        and handled_segments = 0
        and coalesce(forecast_aht_s, 0) <= 0

),

trailing_aht as (

    select
        needs_trailing_aht.queue_id,
        needs_trailing_aht.interval_start,
        cast(sum(handled.sum_handle_s) as double)
        / nullif(sum(handled.handled_segments), 0) as trailing_aht_s
    from needs_trailing_aht
    inner join handled
        on
            needs_trailing_aht.queue_id = handled.queue_id
            and needs_trailing_aht.interval_start > handled.interval_start
            and handled.interval_start >= {{ dbt.dateadd(
                'day', -7 * (var('erlang_trailing_aht_weeks') | int), 'needs_trailing_aht.interval_start') }}
    group by needs_trailing_aht.queue_id, needs_trailing_aht.interval_start

),

localized as (

    select
        {{ queue_interval_measures('combined.', local=false) }},
        trailing_aht.trailing_aht_s,
        -- through the offset table (a join, not two time-zone calls per interval; macros/shims/time.sql): the
        -- local start in the queue's zone (null without one), the local date in it or var center_time_zone
        case
            when combined.time_zone is not null
                then {{ sb_to_local_at('combined.interval_start', 'combined.time_zone', 'interval_offsets') }}
        end as local_interval_start,
        {{ sb_local_date_at('combined.interval_start', sb_zone_or_center('combined.time_zone'), 'interval_offsets') }}
            as local_date
    from combined
    left join trailing_aht
        on
            combined.queue_id = trailing_aht.queue_id
            and combined.interval_start = trailing_aht.interval_start
    {{ sb_utc_offset_join('combined.interval_start', sb_zone_or_center('combined.time_zone'), 'interval_offsets') }}

),

-- a center target applies whatever its scope_id (the seed's `all`): one id for the equi-join below
targets as (

    select
        scope_type,
        case when scope_type = 'center' then 'all' else scope_id end as scope_id,
        target_value,
        valid_from,
        valid_to
    from {{ ref('kpi_targets') }}
    where kpi_name = 'service_level'

),

-- the scopes an interval takes its target from, in order of precedence: its queue, its site, the center (one
-- equi-join on (scope_type, scope_id) instead of an `or` join, which is a nested loop)
interval_scopes as (

    select
        queue_id,
        interval_start,
        local_date,
        'queue' as scope_type,
        queue_id as scope_id,
        1 as scope_rank
    from localized
    union all
    select
        queue_id,
        interval_start,
        local_date,
        'site' as scope_type,
        site_id as scope_id,
        2 as scope_rank
    from localized
    where site_id is not null
    union all
    select
        queue_id,
        interval_start,
        local_date,
        'center' as scope_type,
        'all' as scope_id,
        3 as scope_rank
    from localized

),

resolved_targets as (

    select
        interval_scopes.queue_id,
        interval_scopes.interval_start,
        targets.target_value,
        row_number() over (
            partition by interval_scopes.queue_id, interval_scopes.interval_start
            order by interval_scopes.scope_rank
        ) as target_rank
    from interval_scopes
    inner join targets
        on
            interval_scopes.scope_type = targets.scope_type
            and interval_scopes.scope_id = targets.scope_id
            and interval_scopes.local_date >= targets.valid_from
            and interval_scopes.local_date <= coalesce(targets.valid_to, {{ sb_open_end_date() }})

),

with_aht as (

    select
        {{ queue_interval_measures('localized.') }},
        case
            when localized.handled_segments > 0
                then cast(localized.sum_handle_s as double) / localized.handled_segments
            when localized.forecast_aht_s > 0 then localized.forecast_aht_s
            else localized.trailing_aht_s
        end as aht_s,
        case
            when localized.handled_segments > 0 then 'interval'
            when localized.forecast_aht_s > 0 then 'forecast'
            when localized.trailing_aht_s is not null then 'trailing'
        end as aht_source,
        coalesce(resolved_targets.target_value, {{ var('erlang_service_level_target') }}) as service_level_target
    from localized
    left join resolved_targets
        on
            localized.queue_id = resolved_targets.queue_id
            and localized.interval_start = resolved_targets.interval_start
            and resolved_targets.target_rank = 1

),

final as (

    select
        {{ queue_interval_measures() }},
        aht_s,
        aht_source,
        cast(offers as double) / {{ sb_interval_seconds() }} * aht_s as traffic_erlangs,
        service_level_target
    from with_aht

)

select
    {{ queue_interval_measures(derived=true) }}
from final
