{#- Staged rows of finance/cost_ledger: one row per key (latest valid delivery), enumerations cleaned. -#}
with

staged as (

    select * from {{ ref('base_finance__cost_ledger') }}
    where _status = 'staged'

),

final as (

    select
        entry_id,
        posting_date,
        period_month,
        site_id,
        {{ sb_clean_enum('category') }} as category,
        {{ sb_clean_enum('cost_behaviour') }} as cost_behaviour,
        amount,
        currency,
        _extracted_at,
        _source_file
    from staged

)

select * from final
