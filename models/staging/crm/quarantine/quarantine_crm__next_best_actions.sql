{#- Quarantined rows of crm/next_best_actions: original values, the rule broken and the extract time.
    PII text is salted-hashed here too, so the staging schema holds clear PII only in the base model. -#}
with

quarantined as (

    select * from {{ ref('base_crm__next_best_actions') }}
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
        offer_id,
        segment_id,
        agent_id,
        action_type,
        presented_at,
        accepted,
        accepted_value
    from quarantined

)

select * from final
