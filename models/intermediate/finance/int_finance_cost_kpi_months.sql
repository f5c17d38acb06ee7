{#- Month rows (KPI interface period format, period_grain month) of the money KPIs, site and center scope:
    operating_cost (breakdown all, cost_behaviour, cost_category), budget_variance and budget_utilisation
    (breakdown all, cost_category: the budget has no cost behaviour) and cost_per_contact (operating cost /
    handled contacts of chains with status ok, dated by initiated_local_date, of the site-month; the center
    counts every handled contact). Site rows are in the site's currency, center rows in var
    reporting_currency (fx_rates of the period month). -#}
with

amounts as (

    select
        amount_type,
        period_month,
        site_id,
        category,
        cost_behaviour,
        site_currency,
        reporting_currency,
        entries,
        amount_site_currency,
        amount_reporting_currency
    from {{ ref('int_finance_cost_months') }}

),

scoped_amounts as (

    select
        amount_type,
        period_month,
        'site' as scope_type,
        site_id as scope_id,
        category,
        cost_behaviour,
        site_currency as currency,
        entries,
        amount_site_currency as amount
    from amounts
    union all
    select
        amount_type,
        period_month,
        'center' as scope_type,
        'all' as scope_id,
        category,
        cost_behaviour,
        reporting_currency as currency,
        entries,
        amount_reporting_currency as amount
    from amounts

),

breakdowns as (

    select
        amount_type,
        period_month,
        scope_type,
        scope_id,
        'all' as breakdown_type,
        'all' as breakdown_id,
        currency,
        entries,
        amount
    from scoped_amounts
    union all
    select
        amount_type,
        period_month,
        scope_type,
        scope_id,
        'cost_category' as breakdown_type,
        category as breakdown_id,
        currency,
        entries,
        amount
    from scoped_amounts
    union all
    select
        amount_type,
        period_month,
        scope_type,
        scope_id,
        'cost_behaviour' as breakdown_type,
        cost_behaviour as breakdown_id,
        currency,
        entries,
        amount
    from scoped_amounts
    where amount_type = 'cost'

),

totals as (

    select
        period_month,
        scope_type,
        scope_id,
        breakdown_type,
        breakdown_id,
        max(currency) as currency,
        sum(case when amount_type = 'cost' then entries else 0 end) as cost_entries,
        -- exact sums (macros/kpi/kpi_period_rollup.sql): the same amounts on every build
        {{ kpi_exact_sum("case when amount_type = 'cost' then amount else 0 end") }} as cost_amount,
        sum(case when amount_type = 'budget' then entries else 0 end) as budget_entries,
        {{ kpi_exact_sum("case when amount_type = 'budget' then amount else 0 end") }} as budget_amount
    from breakdowns
    group by period_month, scope_type, scope_id, breakdown_type, breakdown_id

),

contacts as (

    select
        contacts.site_id,
        cast({{ dbt.date_trunc('month', 'contacts.initiated_local_date') }} as date) as period_month
    from {{ ref('int_contacts') }} as contacts
    where
        contacts.is_handled
        and contacts.chain_status = 'ok'

),

handled_contacts as (

    select
        period_month,
        'site' as scope_type,
        site_id as scope_id,
        count(*) as contacts_handled
    from contacts
    where site_id is not null
    group by period_month, site_id
    union all
    select
        period_month,
        'center' as scope_type,
        'all' as scope_id,
        count(*) as contacts_handled
    from contacts
    group by period_month

),

kpis as (

    select
        'operating_cost' as kpi_name,
        period_month,
        scope_type,
        scope_id,
        breakdown_type,
        breakdown_id,
        cost_amount as numerator,
        cast(null as double) as denominator,
        cost_amount as value,  -- noqa: RF04
        cost_entries as sample_size,
        currency
    from totals
    where cost_entries > 0
    union all
    select
        'budget_variance' as kpi_name,
        period_month,
        scope_type,
        scope_id,
        breakdown_type,
        breakdown_id,
        cost_amount - budget_amount as numerator,
        cast(null as double) as denominator,
        cost_amount - budget_amount as value,  -- noqa: RF04
        cost_entries + budget_entries as sample_size,
        currency
    from totals
    where breakdown_type != 'cost_behaviour'
    union all
    select
        'budget_utilisation' as kpi_name,
        period_month,
        scope_type,
        scope_id,
        breakdown_type,
        breakdown_id,
        cost_amount as numerator,
        budget_amount as denominator,
        cost_amount / nullif(budget_amount, 0) as value,  -- noqa: RF04
        budget_entries as sample_size,
        currency
    from totals
    where
        breakdown_type != 'cost_behaviour'
        and budget_amount != 0
    union all
    select
        'cost_per_contact' as kpi_name,
        totals.period_month,
        totals.scope_type,
        totals.scope_id,
        totals.breakdown_type,
        totals.breakdown_id,
        totals.cost_amount as numerator,
        cast(handled_contacts.contacts_handled as double) as denominator,
        totals.cost_amount / handled_contacts.contacts_handled as value,  -- noqa: RF04
        handled_contacts.contacts_handled as sample_size,
        totals.currency
    from totals
    inner join handled_contacts
        on
            totals.period_month = handled_contacts.period_month
            and totals.scope_type = handled_contacts.scope_type
            and totals.scope_id = handled_contacts.scope_id
    where
        totals.breakdown_type = 'all'
        and totals.cost_entries > 0
        and handled_contacts.contacts_handled > 0

),

final as (

    select
        kpi_name,
        cast('month' as {{ dbt.type_string() }}) as period_grain,
        period_month as period_start,
        scope_type,
        scope_id,
        breakdown_type,
        breakdown_id,
        numerator,
        denominator,
        value,  -- noqa: RF04
        sample_size,
        currency
    from kpis
    where sample_size > 0

)

{{ kpi_input_select(grain='period') }}
