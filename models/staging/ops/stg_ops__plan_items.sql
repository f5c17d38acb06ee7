{#- Staged rows of ops/plan_items: the current state (latest valid version) of each key, enumerations cleaned. -#}
with

staged as (

    select * from {{ ref('base_ops__plan_items') }}
    where _status = 'staged'

),

final as (

    select
        item_id,
        period_month,
        site_id,
        {{ sb_clean_enum('plan_type') }} as plan_type,
        target_qty,
        completed_qty,
        due_date,
        completed_date,
        _extracted_at,
        _source_file
    from staged

)

select * from final
