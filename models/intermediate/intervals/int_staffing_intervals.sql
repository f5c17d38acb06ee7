{#- Staffing per site x line of business x interval: required agents (Σ Erlang C required agents of the
    site's voice and chat queues of that line of business), agents scheduled open (pro-rated to the
    interval), and the gap. A row exists where a queue of the cell had an offer or a forecast, or an agent
    of it was scheduled open. -#}
with

required as (

    select
        site_id,
        line_of_business,
        interval_start,
        sum(offers) as offers,
        sum(required_agents) as required_agents,
        count(required_agents) as queues_with_required_agents,
        count(*) as queue_intervals
    from {{ ref('int_queue_intervals') }}
    where is_erlang_queue
    group by site_id, line_of_business, interval_start

),

scheduled as (

    select
        site_id,
        line_of_business,
        interval_start,
        scheduled_agents
    from {{ ref('int_staffing_scheduled_intervals') }}

),

cells as (

    select
        site_id,
        line_of_business,
        interval_start
    from required
    union
    select
        site_id,
        line_of_business,
        interval_start
    from scheduled

),

sites as (

    select
        site_id,
        time_zone
    from {{ ref('sites') }}

),

final as (

    select
        cells.site_id,
        cells.line_of_business,
        cells.interval_start,
        -- through the offset table (a join, not two time-zone calls per interval; macros/shims/time.sql): the
        -- local start in the site's zone (null without one), the local date in it or var center_time_zone
        case
            when sites.time_zone is not null
                then {{ sb_to_local_at('cells.interval_start', 'sites.time_zone', 'interval_offsets') }}
        end as local_interval_start,
        {{ sb_local_date_at('cells.interval_start', sb_zone_or_center('sites.time_zone'), 'interval_offsets') }}
            as local_date,
        coalesce(required.offers, 0) as offers,
        case
            when coalesce(required.offers, 0) = 0 then 0
            when required.queues_with_required_agents = required.queue_intervals then required.required_agents
        end as required_agents,
        coalesce(scheduled.scheduled_agents, 0) as scheduled_agents,
        coalesce(scheduled.scheduled_agents, 0)
        - case
            when coalesce(required.offers, 0) = 0 then 0
            when required.queues_with_required_agents = required.queue_intervals then required.required_agents
        end as staffing_gap
    from cells
    inner join sites on cells.site_id = sites.site_id
    left join required
        on
            cells.site_id = required.site_id
            and cells.line_of_business = required.line_of_business
            and cells.interval_start = required.interval_start
    left join scheduled
        on
            cells.site_id = scheduled.site_id
            and cells.line_of_business = scheduled.line_of_business
            and cells.interval_start = scheduled.interval_start
    {{ sb_utc_offset_join('cells.interval_start', sb_zone_or_center('sites.time_zone'), 'interval_offsets') }}

)

select
    site_id,
    line_of_business,
    interval_start,
    local_interval_start,
    local_date,
    offers,
    required_agents,
    scheduled_agents,
    staffing_gap
from final
