{#- Staged rows of crm/cases: the current state (latest valid version) of each key, enumerations cleaned. -#}
with

staged as (

    select * from {{ ref('base_crm__cases') }}
    where _status = 'staged'

),

final as (

    select
        case_id,
        customer_id,
        opened_at,
        closed_at,
        reason_code,
        is_complaint,
        {{ sb_clean_enum('complaint_category') }} as complaint_category,
        escalated,
        resolution_satisfied,
        {{ sb_clean_enum('status') }} as status,
        _extracted_at,
        _source_file
    from staged

)

select * from final
