{#- Quarantined rows of crm/cases: original values, the rule broken and the extract time.
    PII text is salted-hashed here too, so the staging schema holds clear PII only in the base model. -#}
with

quarantined as (

    select * from {{ ref('base_crm__cases') }}
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
        case_id,
        customer_id,
        opened_at,
        closed_at,
        reason_code,
        is_complaint,
        complaint_category,
        escalated,
        resolution_satisfied,
        status
    from quarantined

)

select * from final
