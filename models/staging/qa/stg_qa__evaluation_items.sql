{#- Staged rows of qa/evaluation_items: one row per key (latest valid delivery), enumerations cleaned. -#}
with

staged as (

    select * from {{ ref('base_qa__evaluation_items') }}
    where _status = 'staged'

),

final as (

    select
        evaluation_id,
        item_id,
        {{ sb_clean_enum('section') }} as section,
        weight,
        score,
        max_score,
        is_compliance_item,
        is_critical,
        passed,
        _extracted_at,
        _source_file
    from staged

)

select * from final
