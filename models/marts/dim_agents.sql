{#- The employee history (SCD2, one row per version of the daily HR extract) without PII or pay: team,
    supervisor, site and proficiency as of any date (as_of_from_date <= D < as_of_to_date). All job roles
    (agents, team leads, QA analysts, managers): agent_id = employee_id. -#}
with

history as (

    select
        employee_id,
        job_role,
        team_id,
        supervisor_id,
        site_id,
        employment_type,
        fte,
        hire_date,
        termination_date,
        termination_type,
        proficiency_level,
        valid_from,
        valid_to,
        is_current,
        as_of_from_date,
        as_of_to_date
    from {{ ref('int_agent_history') }}

),

final as (

    select
        employee_id,
        job_role,
        team_id,
        supervisor_id,
        site_id,
        employment_type,
        fte,
        hire_date,
        termination_date,
        termination_type,
        proficiency_level,
        valid_from,
        valid_to,
        is_current,
        as_of_from_date,
        as_of_to_date
    from history

)

select
    employee_id,
    job_role,
    team_id,
    supervisor_id,
    site_id,
    employment_type,
    fte,
    hire_date,
    termination_date,
    termination_type,
    proficiency_level,
    valid_from,
    valid_to,
    is_current,
    as_of_from_date,
    as_of_to_date
from final
