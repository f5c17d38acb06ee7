{#- The one "agent as of" model: the employee history (SCD2 versions of the daily HR extract) with the ranges
    each version answers for, so no model recomputes them. Every range is half-open and the first version of an
    employee also covers everything earlier (the history starts with the first extract):
    - as of an instant T: as_of_from_at <= T < as_of_to_at (the version valid at T);
    - as of a date D: as_of_from_date <= D < as_of_to_date, dated by the extract (the date of valid_from);
      versions delivered on the same date as a later one cover no date; this is what dim_agents publishes;
    - as of a local date D of the version's site: as_of_from_local_date <= D < as_of_to_local_date (the
      version from the latest extract at or before the end of D, local to the site; var center_time_zone
      without a site). -#}
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

sites as (

    select
        site_id,
        time_zone
    from {{ ref('sites') }}

),

final as (

    select
        versions.employee_id,
        versions.job_role,
        versions.team_id,
        versions.supervisor_id,
        versions.site_id,
        versions.employment_type,
        cast(versions.fte as double) as fte,
        versions.hire_date,
        versions.termination_date,
        versions.termination_type,
        versions.proficiency_level,
        versions.valid_from,
        versions.valid_to,
        versions.is_current,
        case
            when versions.version_number = 1 then cast('1900-01-01' as timestamp)
            else versions.valid_from
        end as as_of_from_at,
        coalesce(versions.valid_to, cast('9999-12-31' as timestamp)) as as_of_to_at,
        case
            when versions.version_number = 1 then cast('1900-01-01' as date)
            else cast(versions.valid_from as date)
        end as as_of_from_date,
        coalesce(cast(versions.valid_to as date), cast('9999-12-31' as date)) as as_of_to_date,
        case
            when versions.version_number = 1 then cast('1900-01-01' as date)
            else {{ sb_local_date('versions.valid_from', 'sites.time_zone') }}
        end as as_of_from_local_date,
        coalesce(
            {{ sb_local_date('versions.valid_to', 'sites.time_zone') }}, cast('9999-12-31' as date)
        ) as as_of_to_local_date
    from versions
    left join sites on versions.site_id = sites.site_id

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
    as_of_from_at,
    as_of_to_at,
    as_of_from_date,
    as_of_to_date,
    as_of_from_local_date,
    as_of_to_local_date
from final
