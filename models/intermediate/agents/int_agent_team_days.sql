{#- The team of every agent with a current schedule, as of each schedule date: the employee version from
    the latest extract at or before the end of that local date (local to the version's site), else, for
    dates before the first extract, the employee's earliest version. The team's site and line of
    business come from the team (stg_hr__teams). -#}
with

schedule_days as (

    select distinct
        agent_id,
        schedule_date
    from {{ ref('stg_wfm__schedule_activities') }}
    where is_current_publication

),

sites as (

    select
        site_id,
        time_zone
    from {{ ref('sites') }}

),

versions as (

    select
        employees.employee_id,
        employees.team_id,
        employees.valid_from,
        {{ sb_local_date('employees.valid_from', 'sites.time_zone') }} as valid_from_local_date,
        {{ sb_local_date('employees.valid_to', 'sites.time_zone') }} as valid_to_local_date,
        row_number() over (partition by employees.employee_id order by employees.valid_from) as version_number
    from {{ ref('stg_hr__employees') }} as employees
    left join sites on employees.site_id = sites.site_id

),

as_of_date as (

    select
        schedule_days.agent_id,
        schedule_days.schedule_date,
        versions.team_id
    from schedule_days
    inner join versions on schedule_days.agent_id = versions.employee_id
    where
        (
            versions.valid_from_local_date <= schedule_days.schedule_date
            and (
                versions.valid_to_local_date is null
                or versions.valid_to_local_date > schedule_days.schedule_date
            )
        )
        or (versions.version_number = 1 and versions.valid_from_local_date > schedule_days.schedule_date)

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
