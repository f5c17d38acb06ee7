{#- Quarantined rows of crm/follow_ups: original values, the rule broken and the extract time.
    PII text is salted-hashed here too, so the staging schema holds clear PII only in the base model. -#}
with

quarantined as (

    select * from {{ ref('base_crm__follow_ups') }}
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
        follow_up_id,
        follow_up_type,
        case_id,
        customer_id,
        owner_agent_id,
        created_at,
        due_at,
        completed_at
    from quarantined

)

select * from final
