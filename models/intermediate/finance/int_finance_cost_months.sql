{#- Cost ledger and budget per site x month x category (x cost behaviour for the ledger), in the site's
    currency and in the reporting currency (var reporting_currency), converted with seed fx_rates of the
    period month: amount × rate(entry currency) for the reporting currency, and additionally
    ÷ rate(site currency) for the site currency when an entry is not already in it. `amount_type` says
    whether a row is ledger cost or budget. -#}
with

sites as (

    select
        site_id,
        currency as site_currency
    from {{ ref('sites') }}

),

rates as (

    select
        currency,
        period_month,
        rate_to_reporting
    from {{ ref('fx_rates') }}

),

ledger as (

    select
        'cost' as amount_type,
        cast({{ dbt.date_trunc('month', 'period_month') }} as date) as period_month,
        site_id,
        category,
        cost_behaviour,
        currency,
        cast(amount as double) as amount
    from {{ ref('stg_finance__cost_ledger') }}

),

budget as (

    select
        'budget' as amount_type,
        cast({{ dbt.date_trunc('month', 'period_month') }} as date) as period_month,
        site_id,
        category,
        cast(null as {{ dbt.type_string() }}) as cost_behaviour,
        currency,
        cast(amount as double) as amount
    from {{ ref('stg_finance__budget') }}

),

entries as (

    select
        amount_type,
        period_month,
        site_id,
        category,
        cost_behaviour,
        currency,
        amount
    from ledger
    union all
    select
        amount_type,
        period_month,
        site_id,
        category,
        cost_behaviour,
        currency,
        amount
    from budget

),

converted as (

    select
        entries.amount_type,
        entries.period_month,
        entries.site_id,
        entries.category,
        entries.cost_behaviour,
        sites.site_currency,
        case
            when entries.currency = sites.site_currency then entries.amount
            else entries.amount * entry_rates.rate_to_reporting / nullif(site_rates.rate_to_reporting, 0)
        end as amount_site_currency,
        entries.amount * entry_rates.rate_to_reporting as amount_reporting_currency
    from entries
    inner join sites on entries.site_id = sites.site_id
    left join rates as entry_rates
        on
            entries.currency = entry_rates.currency
            and entries.period_month = entry_rates.period_month
    left join rates as site_rates
        on
            sites.site_currency = site_rates.currency
            and entries.period_month = site_rates.period_month

),

final as (

    select
        amount_type,
        period_month,
        site_id,
        category,
        cost_behaviour,
        site_currency,
        count(*) as entries,
        -- exact sums (macros/kpi/kpi_period_rollup.sql): the same amounts on every build
        {{ kpi_exact_sum('amount_site_currency') }} as amount_site_currency,
        {{ kpi_exact_sum('amount_reporting_currency') }} as amount_reporting_currency
    from converted
    group by amount_type, period_month, site_id, category, cost_behaviour, site_currency

)

select
    amount_type,
    period_month,
    site_id,
    category,
    cost_behaviour,
    site_currency,
    entries,
    amount_site_currency,
    amount_reporting_currency,
    {{ sb_literal(var('reporting_currency')) }} as reporting_currency
from final
