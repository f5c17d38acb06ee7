{#- The employee history (SCD2 versions of the daily HR extract) with the local-date range each version
    answers "as of date D" for: as_of_from_date <= D < as_of_to_date. A version counts from the date of the
    extract that delivered it; the first version of an employee also covers every earlier date (the history
    starts with the first extract); versions delivered on the same date as a later one cover no date. -#}
with

versions as (

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
        row_number() over (partition by employee_id order by valid_from) as version_number
    from {{ ref('stg_hr__employees') }}

),

final as (

    select
        employee_id,
        job_role,
        team_id,
        supervisor_id,
        site_id,
        employment_type,
        cast(fte as double) as fte,
        hire_date,
        termination_date,
        termination_type,
        proficiency_level,
        valid_from,
        valid_to,
        is_current,
        case
            when version_number = 1 then cast('1900-01-01' as date)
            else cast(valid_from as date)
        end as as_of_from_date,
        coalesce(cast(valid_to as date), cast('9999-12-31' as date)) as as_of_to_date
    from versions

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
