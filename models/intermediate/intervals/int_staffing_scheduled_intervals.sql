{#- Agents scheduled open per site x line of business x interval: every `open` activity of the current
    publication of the schedule, attributed to the agent's team as of the schedule date (team's site and
    line of business), split into the intervals it overlaps; scheduled_agents = Σ open seconds
    overlapping the interval / interval seconds (so half an interval open counts 0.5 agents).
    Activities are split over at most var max_activity_hours, the same bound as the team family's schedule
    split, whose data test team_conserves_seconds fails when an activity is longer. -#}
with

open_activities as (

    select
        activities.agent_id,
        activities.schedule_date,
        activities.starts_at,
        activities.ends_at,
        team_days.site_id,
        team_days.line_of_business
    from {{ ref('stg_wfm__schedule_activities') }} as activities
    inner join {{ ref('int_agent_team_days') }} as team_days
        on
            activities.agent_id = team_days.agent_id
            and activities.schedule_date = team_days.schedule_date
    where
        activities.is_current_publication
        and activities.activity = 'open'
        and activities.ends_at > activities.starts_at
        and team_days.site_id is not null

),

interval_offsets as (

    {{ sb_numbers((var('max_activity_hours') | int) * 60 // (sb_interval_minutes() | int)) }}

),

activity_intervals as (

    select
        open_activities.agent_id,
        open_activities.site_id,
        open_activities.line_of_business,
        open_activities.starts_at,
        open_activities.ends_at,
        {{ dbt.dateadd('minute', 'interval_offsets.n * ' ~ sb_interval_minutes(),
            sb_interval_start('open_activities.starts_at')) }} as interval_start
    from open_activities
    inner join interval_offsets
        on
            {{ dbt.dateadd('minute', 'interval_offsets.n * ' ~ sb_interval_minutes(),
                sb_interval_start('open_activities.starts_at')) }} < open_activities.ends_at

),

activity_overlaps as (

    select
        site_id,
        line_of_business,
        interval_start,
        agent_id,
        {{ dbt.datediff(
            'greatest(starts_at, interval_start)',
            'least(ends_at, ' ~ dbt.dateadd('minute', sb_interval_minutes(), 'interval_start') ~ ')',
            'second'
        ) }} as open_seconds
    from activity_intervals
    where interval_start < ends_at

),

final as (

    select
        site_id,
        line_of_business,
        interval_start,
        count(distinct agent_id) as agents_with_open_time,
        sum(open_seconds) as open_seconds,
        cast(sum(open_seconds) as double) / {{ sb_interval_seconds() }} as scheduled_agents
    from activity_overlaps
    where open_seconds > 0
    group by site_id, line_of_business, interval_start

)

select
    site_id,
    line_of_business,
    interval_start,
    agents_with_open_time,
    open_seconds,
    scheduled_agents
from final
