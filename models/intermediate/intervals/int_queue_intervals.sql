{#- Queue intervals for analysts: one row per queue and interval (var interval_minutes, UTC start, with
    the site-local start and date) that had an offer, a handled segment or a forecast. Offers and their
    outcomes by enqueued_at, handled segments and handle time by connected_at, the forecast in force
    (latest version created before the interval starts), and Erlang C staffing for voice and chat
    queues: 0 required agents without offers. -#}
with

traffic as (

    select
        {{ queue_interval_measures(derived=true) }}
    from {{ ref('int_queue_interval_traffic') }}

),

erlang as (

    select
        queue_id,
        interval_start,
        required_agents,
        erlang_p_wait,
        erlang_service_level,
        erlang_asa_s
    from {{ ref('int_queue_interval_erlang') }}

),

final as (

    select
        {{ queue_interval_measures('traffic.') }},
        case when traffic.is_erlang_queue then traffic.aht_s end as erlang_aht_s,
        case when traffic.is_erlang_queue then traffic.aht_source end as erlang_aht_source,
        case when traffic.is_erlang_queue then traffic.traffic_erlangs end as traffic_erlangs,
        case
            when not traffic.is_erlang_queue then null
            when traffic.offers = 0 then 0
            else erlang.required_agents
        end as required_agents,
        erlang.erlang_p_wait,
        erlang.erlang_service_level,
        erlang.erlang_asa_s,
        case when traffic.is_erlang_queue then traffic.service_level_target end as service_level_target
    from traffic
    left join erlang
        on
            traffic.queue_id = erlang.queue_id
            and traffic.interval_start = erlang.interval_start

)

select
    {{ queue_interval_measures() }},
    erlang_aht_s,
    erlang_aht_source,
    traffic_erlangs,
    required_agents,
    erlang_p_wait,
    erlang_service_level,
    erlang_asa_s,
    service_level_target
from final
