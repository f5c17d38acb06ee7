{#- One row per calendar date of the span of macro staging_calendar_span(): the vars calendar_start ..
    calendar_end widened to the plausible window of staged timestamps (vars landing_earliest_event_date,
    landing_planning_horizon_days; docs/decisions/landing-and-staging.md), so every staged event's date is in it
    (at most 100,000 days). -#}
{%- set span = staging_calendar_span() -%}
with day_numbers as (
    {{ sb_numbers(100000) }}
),

dates as (
    select cast({{ dbt.dateadd('day', 'n', "cast('" ~ span.start ~ "' as date)") }} as date) as date_day
    from day_numbers
    where
        {{ dbt.dateadd('day', 'n', "cast('" ~ span.start ~ "' as date)") }}
        <= cast('{{ span.end }}' as date)
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
