{#- Quarantined rows of wfm/schedule_activities: original values, the rule broken and the extract time.
    PII text is salted-hashed here too, so the staging schema holds clear PII only in the base model. -#}
with

quarantined as (

    select * from {{ ref('base_wfm__schedule_activities') }}
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
        agent_id,
        schedule_date,
        activity,
        starts_at,
        ends_at,
        published_at
    from quarantined

)

select * from final
