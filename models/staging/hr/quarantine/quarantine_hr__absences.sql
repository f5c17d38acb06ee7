{#- Quarantined rows of hr/absences: original values, the rule broken and the extract time.
    PII text is salted-hashed here too, so the staging schema holds clear PII only in the base model. -#}
with

quarantined as (

    select * from {{ ref('base_hr__absences') }}
    where _status = 'quarantined'

),

final as (

    select
        _rule,
        _rule_column,
        _extracted_at,
        _source_file,
        _unparseable_column,
        _unparseable_value,
        absence_id,
        employee_id,
        absence_date,
        hours,
        absence_type,
        is_planned,
        is_authorised
    from quarantined

)

select * from final
