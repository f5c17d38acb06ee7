{#- Erlang C per Erlang queue (voice, chat) and interval with traffic A > 0: for every candidate agent
    count N > A the Poisson pmf and cdf in log space (ln k! from int_erlang_log_factorials, so large
    traffic never overflows), Erlang B = pmf(N) / cdf(N), P_wait = C = N·B / (N − A(1 − B)),
    SL(T) = 1 − C·e^(−(N − A)·T / AHT), ASA = C·AHT / (N − A). required_agents = the fewest N with
    SL ≥ the interval's target. Candidates stop at A + 10·√A + 50 (far past any practical target) and at
    var erlang_max_agents; an interval that reaches its target with neither gets required_agents null.
    The published p_wait, service level and ASA (at required_agents, and the service level one agent
    fewer) are rounded to 6 decimals. -#}
with

traffic as (

    select
        queue_id,
        interval_start,
        traffic_erlangs,
        aht_s,
        service_level_threshold_s,
        service_level_target
    from {{ ref('int_queue_interval_traffic') }}
    where
        is_erlang_queue
        and traffic_erlangs > 0
        and aht_s > 0

),

log_factorials as (

    select
        k,
        log_factorial
    from {{ ref('int_erlang_log_factorials') }}

),

poisson as (

    select
        traffic.queue_id,
        traffic.interval_start,
        traffic.traffic_erlangs,
        traffic.aht_s,
        traffic.service_level_threshold_s,
        traffic.service_level_target,
        log_factorials.k,
        exp(
            log_factorials.k * ln(traffic.traffic_erlangs) - traffic.traffic_erlangs - log_factorials.log_factorial
        ) as pmf
    from traffic
    inner join log_factorials
        on log_factorials.k <= traffic.traffic_erlangs + 10 * sqrt(traffic.traffic_erlangs) + 50

),

cumulative as (

    select
        queue_id,
        interval_start,
        traffic_erlangs,
        aht_s,
        service_level_threshold_s,
        service_level_target,
        k,
        pmf,
        sum(pmf) over (
            partition by queue_id, interval_start
            order by k
            rows between unbounded preceding and current row
        ) as cdf
    from poisson

),

erlang_b as (

    select
        queue_id,
        interval_start,
        traffic_erlangs,
        aht_s,
        service_level_threshold_s,
        service_level_target,
        k as agents,
        pmf / nullif(cdf, 0) as blocking
    from cumulative
    where k > traffic_erlangs

),

erlang_c as (

    select
        queue_id,
        interval_start,
        traffic_erlangs,
        aht_s,
        service_level_threshold_s,
        service_level_target,
        agents,
        agents * blocking / nullif(agents - traffic_erlangs * (1 - blocking), 0) as p_wait
    from erlang_b

),

curve as (

    select
        queue_id,
        interval_start,
        service_level_target,
        agents,
        p_wait,
        1 - p_wait * exp(-(agents - traffic_erlangs) * service_level_threshold_s / aht_s) as service_level,
        p_wait * aht_s / nullif(agents - traffic_erlangs, 0) as asa_s
    from erlang_c

),

required as (

    select
        queue_id,
        interval_start,
        min(agents) as required_agents
    from curve
    where service_level >= service_level_target
    group by queue_id, interval_start

),

final as (

    select
        traffic.queue_id,
        traffic.interval_start,
        required.required_agents,
        round(at_required.p_wait, 6) as erlang_p_wait,
        round(at_required.service_level, 6) as erlang_service_level,
        round(at_required.asa_s, 6) as erlang_asa_s,
        round(one_fewer.service_level, 6) as erlang_service_level_one_fewer
    from traffic
    left join required
        on
            traffic.queue_id = required.queue_id
            and traffic.interval_start = required.interval_start
    left join curve as at_required
        on
            required.queue_id = at_required.queue_id
            and required.interval_start = at_required.interval_start
            and required.required_agents = at_required.agents
    left join curve as one_fewer
        on
            required.queue_id = one_fewer.queue_id
            and required.interval_start = one_fewer.interval_start
            and required.required_agents - 1 = one_fewer.agents

)

select
    queue_id,
    interval_start,
    required_agents,
    erlang_p_wait,
    erlang_service_level,
    erlang_asa_s,
    erlang_service_level_one_fewer
from final
