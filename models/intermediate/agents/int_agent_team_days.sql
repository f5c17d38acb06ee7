{#- The team of every agent with a current schedule, as of each schedule date: the employee version from
    the latest extract at or before the end of that local date (local to the version's site), else, for
    dates before the first extract, the employee's earliest version (int_agent_history, as of a local date).
    The team's site and line of business come from the team (stg_hr__teams). -#}
with

schedule_days as (

    select distinct
        agent_id,
        schedule_date
    from {{ ref('stg_wfm__schedule_activities') }}
    where is_current_publication

),

as_of_date as (

    select
        schedule_days.agent_id,
        schedule_days.schedule_date,
        agent_versions.team_id
    from schedule_days
    {{ agent_as_of(
        'inner', 'schedule_days.agent_id', 'schedule_days.schedule_date', grain='local_date', alias='agent_versions',
    ) }}

),

deduplicated as (

    select
        agent_id,
        schedule_date,
        max(team_id) as team_id
    from as_of_date
    group by agent_id, schedule_date

),

final as (

    select
        deduplicated.agent_id,
        deduplicated.schedule_date,
        deduplicated.team_id,
        teams.site_id,
        teams.line_of_business
    from deduplicated
    left join {{ ref('stg_hr__teams') }} as teams on deduplicated.team_id = teams.team_id

)

select
    agent_id,
    schedule_date,
    team_id,
    site_id,
    line_of_business
from final
