{#- Quarantined rows of ops/plan_items: original values, the rule broken and the extract time.
    PII text is salted-hashed here too, so the staging schema holds clear PII only in the base model. -#}
with

quarantined as (

    select * from {{ ref('base_ops__plan_items') }}
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
        item_id,
        period_month,
        site_id,
        plan_type,
        target_qty,
        completed_qty,
        due_date,
        completed_date
    from quarantined

)

select * from final
