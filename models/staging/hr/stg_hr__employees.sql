{#- History of hr/employees (full extract) as SCD2: one row per version, a new version only where
    a column other than _extracted_at changed; valid_from = the version's extract, valid_to = the
    next version's extract (null for the current one). PII dropped. -#}
with

versions as (

    select * from {{ ref('base_hr__employees') }}
    where _status = 'staged'

),

final as (

    select
        employee_id,
        {{ sb_clean_enum('job_role') }} as job_role,
        team_id,
        supervisor_id,
        site_id,
        {{ sb_clean_enum('employment_type') }} as employment_type,
        fte,
        hire_date,
        termination_date,
        {{ sb_clean_enum('termination_type') }} as termination_type,
        proficiency_level,
        _extracted_at,
        _source_file,
        _extracted_at as valid_from,
        lead(_extracted_at) over (partition by employee_id order by _extracted_at) as valid_to,
        lead(_extracted_at) over (partition by employee_id order by _extracted_at) is null as is_current
    from versions

)

select * from final
