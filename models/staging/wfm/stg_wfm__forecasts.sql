{#- Staged rows of wfm/forecasts: one row per key (latest valid delivery), enumerations cleaned. -#}
with

staged as (

    select * from {{ ref('base_wfm__forecasts') }}
    where _status = 'staged'

),

final as (

    select
        queue_id,
        interval_start,
        forecast_contacts,
        forecast_aht_s,
        created_at,
        _extracted_at,
        _source_file
    from staged

)

select * from final
