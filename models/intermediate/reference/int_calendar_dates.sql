{#- One row per calendar date between the vars calendar_start and calendar_end (at most 100,000 days). -#}
with day_numbers as (
    {{ sb_numbers(100000) }}
),

dates as (
    select cast({{ dbt.dateadd('day', 'n', "cast('" ~ var('calendar_start') ~ "' as date)") }} as date) as date_day
    from day_numbers
    where
        {{ dbt.dateadd('day', 'n', "cast('" ~ var('calendar_start') ~ "' as date)") }}
        <= cast('{{ var("calendar_end") }}' as date)
),

final as (
    select
        date_day,
        cast({{ dbt.date_trunc('week', 'date_day') }} as date) as week_start,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
        cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start,
        extract(year from date_day) as calendar_year,
        extract(month from date_day) as calendar_month,
        {{ sb_iso_day_of_week('date_day') }} as iso_day_of_week,
        {{ sb_iso_day_of_week('date_day') }} >= 6 as is_weekend
    from dates
)

select
    date_day,
    week_start,
    month_start,
    quarter_start,
    calendar_year,
    calendar_month,
    iso_day_of_week,
    is_weekend
from final
