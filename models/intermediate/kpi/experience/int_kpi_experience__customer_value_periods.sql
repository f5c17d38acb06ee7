{#- Period rows of kpi_experience (docs kpi_interface, period format) for customer_lifetime_value, per day, ISO week
    and month, center scope only, breakdown all and customer_segment. A period's customers are those with an
    inbound contact (any chain status; the contact's customer = the first customer_id along its chain) whose root
    initiated_at falls on a local date of the period (each site's calendar). Each is taken as of the period end:
    the customer version from the latest daily extract at or before the end of the period's last day (var
    center_time_zone: customers have no site); it counts when that version exists and the customer is active then
    (churned_at null or after the last day). numerator = Σ lifetime_revenue converted to var reporting_currency at
    the seed fx_rates rate of period_start's month, denominator = sample_size = customers, value = the mean. A
    customer with no rate for the month is left out. Computed per period: a mean over distinct customers does not
    roll up from days. -#}
{%- set center_zone = sb_literal(var('center_time_zone')) -%}
{%- set reporting = sb_literal(var('reporting_currency')) -%}
with

calendar as (

    select
        date_day,
        week_start,
        month_start
    from {{ ref('int_calendar_dates') }}

),

periods as (

    select
        'day' as period_grain,
        date_day as period_start,
        date_day as period_end
    from calendar
    union all
    select
        'week' as period_grain,
        week_start as period_start,
        max(date_day) as period_end
    from calendar
    group by week_start
    union all
    select
        'month' as period_grain,
        month_start as period_start,
        max(date_day) as period_end
    from calendar
    group by month_start

),

contacts as (

    select distinct
        contacts.customer_id,
        calendar.date_day,
        calendar.week_start,
        calendar.month_start
    from {{ ref('int_contacts') }} as contacts
    inner join calendar
        on contacts.initiated_local_date = calendar.date_day
    where contacts.direction = 'inbound' and contacts.customer_id is not null

),

contact_periods as (

    select
        'day' as period_grain,
        date_day as period_start,
        customer_id
    from contacts
    union all
    select
        'week' as period_grain,
        week_start as period_start,
        customer_id
    from contacts
    union all
    select
        'month' as period_grain,
        month_start as period_start,
        customer_id
    from contacts

),

period_customers as (

    select distinct
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        contact_periods.customer_id
    from contact_periods
    inner join periods
        on
            contact_periods.period_grain = periods.period_grain
            and contact_periods.period_start = periods.period_start

),

versions as (

    select
        customer_id,
        segment,
        lifetime_revenue,
        currency,
        {{ sb_local_date('valid_from', center_zone) }} as valid_from_date,
        case when valid_to is not null then {{ sb_local_date('valid_to', center_zone) }} end as valid_to_date,
        case when churned_at is not null then {{ sb_local_date('churned_at', center_zone) }} end as churned_date
    from {{ ref('stg_crm__customers') }}

),

-- the version as of the end of the period's last day: extracted on or before it, superseded only after it
as_of as (

    select
        period_customers.period_grain,
        period_customers.period_start,
        period_customers.customer_id,
        versions.segment,
        cast(versions.lifetime_revenue as double) * rates.rate_to_reporting as lifetime_revenue_reporting
    from period_customers
    inner join versions
        on
            period_customers.customer_id = versions.customer_id
            and period_customers.period_end >= versions.valid_from_date
            and period_customers.period_end < coalesce(versions.valid_to_date, {{ sb_open_end_date() }})
    {{ kpi_fx_rate_join('inner', 'versions.currency', 'period_customers.period_start') }}
    where versions.churned_date is null or versions.churned_date > period_customers.period_end

),

breakdowns as (

    select
        period_grain,
        period_start,
        'all' as breakdown_type,
        'all' as breakdown_id,
        lifetime_revenue_reporting
    from as_of
    union all
    select
        period_grain,
        period_start,
        'customer_segment' as breakdown_type,
        coalesce(segment, 'unknown') as breakdown_id,
        lifetime_revenue_reporting
    from as_of

),

lifetime_values as (

    select
        period_grain,
        period_start,
        breakdown_type,
        breakdown_id,
        {{ kpi_exact_sum('lifetime_revenue_reporting') }} as numerator,  -- exact: the same on every build
        count(*) as denominator
    from breakdowns
    where lifetime_revenue_reporting is not null
    group by period_grain, period_start, breakdown_type, breakdown_id

),

final as (

    {{ kpi_period_select('lifetime_values', {
        'kpi_name': "'customer_lifetime_value'",
        'period_start': 'cast(period_start as date)',
        'scope_type': "'center'",
        'scope_id': "'all'",
        'breakdown_type': 'breakdown_type',
        'breakdown_id': 'breakdown_id',
        'numerator': 'cast(numerator as double)',
        'denominator': 'cast(denominator as double)',
        'sample_size': 'denominator',
        'currency': reporting,
    }) }}

)

{{ kpi_input_select(grain='period') }}
