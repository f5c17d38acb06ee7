{#- Quarantined rows of acd/agent_state_changes: original values, the rule broken and the extract time.
    PII text is salted-hashed here too, so the staging schema holds clear PII only in the base model. -#}
with

quarantined as (

    select * from {{ ref('base_acd__agent_state_changes') }}
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
        state_started_at,
        state,
        reason_code
    from quarantined

)

select * from final
