{#- Quarantined rows of hr/employees: original values, the rule broken and the extract time.
    PII text is salted-hashed here too, so the staging schema holds clear PII only in the base model. hourly_cost is dropped (PII). -#}
with

quarantined as (

    select * from {{ ref('base_hr__employees') }}
    where _status = 'quarantined'

),

final as (

    select
        _rule,
        _rule_column,
        _extracted_at,
        _source_file,
        _unparseable_column,
        case when _unparseable_column in ('hourly_cost') then '<pii>' else _unparseable_value end as _unparseable_value,
        employee_id,
        {{ sb_pii_hash('full_name') }} as full_name_hash,
        {{ sb_pii_hash('email') }} as email_hash,
        job_role,
        team_id,
        supervisor_id,
        site_id,
        employment_type,
        fte,
        hire_date,
        termination_date,
        termination_type,
        proficiency_level
    from quarantined

)

select * from final
