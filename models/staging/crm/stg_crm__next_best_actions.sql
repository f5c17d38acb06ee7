{#- Staged rows of crm/next_best_actions: one row per key (latest valid delivery), enumerations cleaned. -#}
with

staged as (

    select * from {{ ref('base_crm__next_best_actions') }}
    where _status = 'staged'

),

final as (

    select
        offer_id,
        segment_id,
        agent_id,
        {{ sb_clean_enum('action_type') }} as action_type,
        presented_at,
        accepted,
        accepted_value,
        _extracted_at,
        _source_file
    from staged

)

select * from final
