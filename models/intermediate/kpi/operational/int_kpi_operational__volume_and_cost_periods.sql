{#- Period-level KPI input rows (KPI interface period format) of the operational family, for KPIs that
    cannot be rolled up from days:
    - peak_to_average_ratio (day, week, month): peak interval offers ÷ mean offers over the period's
      intervals with an offer, per scope (numerator = peak, denominator = mean, sample = those intervals);
    - volume_change_rate (day, week, month): (offers − offers of the previous period of the same grain) /
      previous offers, for every period of the calendar between the first and last local date with an offer
      (weeks and months containing them); no row when the previous period had no offers;
    - the month-only money KPIs from int_finance_cost_kpi_months (operating_cost, budget_variance,
      budget_utilisation, cost_per_contact). -#}
with

scope_offers as (

    select
        scope_type,
        scope_id,
        local_date,
        offers
    from {{ ref('int_queue_interval_scope_offers') }}

),

scope_days as (

    select
        scope_type,
        scope_id,
        local_date,
        sum(offers) as offers
    from scope_offers
    group by scope_type, scope_id, local_date

),

date_bounds as (

    select
        min(local_date) as first_date,
        max(local_date) as last_date
    from scope_days

),

calendar_days as (

    select dates.date_day
    from {{ ref('int_calendar_dates') }} as dates
    inner join date_bounds
        on dates.date_day between date_bounds.first_date and date_bounds.last_date

),

day_periods as (

    select
        date_day,
        'day' as period_grain,
        date_day as period_start
    from calendar_days
    union all
    select
        date_day,
        'week' as period_grain,
        cast({{ dbt.date_trunc('week', 'date_day') }} as date) as period_start
    from calendar_days
    union all
    select
        date_day,
        'month' as period_grain,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as period_start
    from calendar_days

),

peak_to_average as (

    select
        'peak_to_average_ratio' as kpi_name,
        day_periods.period_grain,
        day_periods.period_start,
        scope_offers.scope_type,
        scope_offers.scope_id,
        cast(max(scope_offers.offers) as double) as numerator,
        cast(sum(scope_offers.offers) as double) / count(*) as denominator,
        count(*) as sample_size
    from scope_offers
    inner join day_periods on scope_offers.local_date = day_periods.date_day
    group by
        day_periods.period_grain,
        day_periods.period_start,
        scope_offers.scope_type,
        scope_offers.scope_id

),

scopes as (

    select distinct
        scope_type,
        scope_id
    from scope_days

),

period_offers as (

    select
        day_periods.period_grain,
        day_periods.period_start,
        scopes.scope_type,
        scopes.scope_id,
        coalesce(sum(scope_days.offers), 0) as offers
    from day_periods
    cross join scopes
    left join scope_days
        on
            day_periods.date_day = scope_days.local_date
            and scopes.scope_type = scope_days.scope_type
            and scopes.scope_id = scope_days.scope_id
    group by
        day_periods.period_grain,
        day_periods.period_start,
        scopes.scope_type,
        scopes.scope_id

),

volume_change as (

    select
        'volume_change_rate' as kpi_name,
        current_period.period_grain,
        current_period.period_start,
        current_period.scope_type,
        current_period.scope_id,
        cast(current_period.offers - previous_period.offers as double) as numerator,
        cast(previous_period.offers as double) as denominator,
        previous_period.offers as sample_size
    from period_offers as current_period
    inner join period_offers as previous_period
        on
            current_period.period_grain = previous_period.period_grain
            and current_period.scope_type = previous_period.scope_type
            and current_period.scope_id = previous_period.scope_id
            -- the previous period's start by grain: one equi-join key instead of an `or` of three (a residual
            -- filter over every pair of periods of a scope)
            and previous_period.period_start = case current_period.period_grain
                when 'day' then cast({{ dbt.dateadd('day', -1, 'current_period.period_start') }} as date)
                when 'week' then cast({{ dbt.dateadd('day', -7, 'current_period.period_start') }} as date)
                when 'month' then cast({{ dbt.dateadd('month', -1, 'current_period.period_start') }} as date)
            end
    where previous_period.offers > 0

),

{%- set as_is = {
    'breakdown_type': 'breakdown_type', 'breakdown_id': 'breakdown_id', 'value': 'value', 'currency': 'currency',
} %}

money as (

    {{ kpi_period_select(ref('int_finance_cost_kpi_months'), as_is) }}

),

unioned as (

    {{ kpi_period_select('peak_to_average') }}
    union all
    {{ kpi_period_select('volume_change') }}
    union all
    {{ kpi_period_select('money', as_is) }}

),

final as (

    {{ kpi_period_select('unioned', as_is, filter='sample_size > 0') }}

)

{{ kpi_input_select(grain='period') }}
