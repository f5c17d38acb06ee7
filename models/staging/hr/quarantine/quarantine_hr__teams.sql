{#- Quarantined rows of hr/teams: original values, the rule broken and the extract time.
    PII text is salted-hashed here too, so the staging schema holds clear PII only in the base model. -#}
with

quarantined as (

    select * from {{ ref('base_hr__teams') }}
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
        team_id,
        team_name,
        site_id,
        line_of_business,
        team_lead_id
    from quarantined

)

select * from final
