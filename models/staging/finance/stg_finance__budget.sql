{#- Staged rows of finance/budget: the current state (latest valid version) of each key, enumerations cleaned. -#}
with

staged as (

    select * from {{ ref('base_finance__budget') }}
    where _status = 'staged'

),

final as (

    select
        period_month,
        site_id,
        {{ sb_clean_enum('category') }} as category,
        currency,
        amount,
        _extracted_at,
        _source_file
    from staged

)

select * from final
