{#- Quarantined rows of qa/evaluation_items: original values, the rule broken and the extract time.
    PII text is salted-hashed here too, so the staging schema holds clear PII only in the base model. -#}
with

quarantined as (

    select * from {{ ref('base_qa__evaluation_items') }}
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
        evaluation_id,
        item_id,
        section,
        weight,
        score,
        max_score,
        is_compliance_item,
        is_critical,
        passed
    from quarantined

)

select * from final
