{#- Quarantined rows of survey/employee_pulse: original values, the rule broken and the extract time.
    PII text is salted-hashed here too, so the staging schema holds clear PII only in the base model. -#}
with

quarantined as (

    select * from {{ ref('base_survey__employee_pulse') }}
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
        response_id,
        team_id,
        survey_date,
        esat_score,
        enps_score,
        collaboration_score
    from quarantined

)

select * from final
