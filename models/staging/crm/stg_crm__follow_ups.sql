{#- Staged rows of crm/follow_ups: the current state (latest valid version) of each key, enumerations cleaned. -#}
with

staged as (

    select * from {{ ref('base_crm__follow_ups') }}
    where _status = 'staged'

),

final as (

    select
        follow_up_id,
        {{ sb_clean_enum('follow_up_type') }} as follow_up_type,
        case_id,
        customer_id,
        owner_agent_id,
        created_at,
        due_at,
        completed_at,
        _extracted_at,
        _source_file
    from staged

)

select * from final
