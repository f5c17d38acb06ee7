{#- The forecast in force for each queue and interval: of all versions, the latest created strictly
    before the interval starts (versions created at or after the start are ignored). An interval whose
    versions were all created later has no forecast. -#}
with

forecasts as (

    select
        queue_id,
        interval_start,
        created_at,
        forecast_contacts,
        forecast_aht_s
    from {{ ref('stg_wfm__forecasts') }}
    where created_at < interval_start

),

ranked as (

    select
        queue_id,
        interval_start,
        created_at,
        forecast_contacts,
        forecast_aht_s,
        row_number() over (partition by queue_id, interval_start order by created_at desc) as version_rank
    from forecasts

),

final as (

    select
        queue_id,
        interval_start,
        created_at as forecast_created_at,
        cast(forecast_contacts as double) as forecast_contacts,
        cast(forecast_aht_s as double) as forecast_aht_s
    from ranked
    where version_rank = 1

)

select
    queue_id,
    interval_start,
    forecast_created_at,
    forecast_contacts,
    forecast_aht_s
from final
