{#- Staged rows of crm/case_segments: one row per key (latest valid delivery), enumerations cleaned. -#}
with

staged as (

    select * from {{ ref('base_crm__case_segments') }}
    where _status = 'staged'

),

final as (

    select
        case_id,
        segment_id,
        _extracted_at,
        _source_file
    from staged

)

select * from final
