{#- Quarantined rows of finance/cost_ledger: original values, the rule broken and the extract time.
    PII text is salted-hashed here too, so the staging schema holds clear PII only in the base model. -#}
with

quarantined as (

    select * from {{ ref('base_finance__cost_ledger') }}
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
        entry_id,
        posting_date,
        period_month,
        site_id,
        category,
        cost_behaviour,
        amount,
        currency
    from quarantined

)

select * from final
