{#- Staged rows of acd/agent_state_changes: one row per key (latest valid delivery), enumerations cleaned. -#}
with

staged as (

    select * from {{ ref('base_acd__agent_state_changes') }}
    where _status = 'staged'

),

final as (

    select
        agent_id,
        state_started_at,
        {{ sb_clean_enum('state') }} as state,
        reason_code,
        _extracted_at,
        _source_file
    from staged

)

select * from final
