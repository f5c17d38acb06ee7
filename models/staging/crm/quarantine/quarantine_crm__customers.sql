{#- Quarantined rows of crm/customers: original values, the rule broken and the extract time.
    PII text is salted-hashed here too, so the staging schema holds clear PII only in the base model. -#}
with

quarantined as (

    select * from {{ ref('base_crm__customers') }}
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
        customer_id,
        {{ sb_pii_hash('full_name') }} as full_name_hash,
        {{ sb_pii_hash('email') }} as email_hash,
        {{ sb_pii_hash('phone') }} as phone_hash,
        segment,
        created_at,
        churned_at,
        churn_reason,
        lifetime_revenue,
        currency
    from quarantined

)

select * from final
