{#- The only way hourly_cost (PII) leaves staging: per site and month, aggregates over the employees
    on the payroll at the month's last employee extract, published only for groups of at least
    var('pii_min_group_size') (5) people. Built from the SCD2 versions of base_hr__employees. -#}
with

versions as (

    select
        employee_id,
        site_id,
        fte,
        hire_date,
        termination_date,
        hourly_cost,
        _extracted_at as valid_from,
        lead(_extracted_at) over (partition by employee_id order by _extracted_at) as valid_to
    from {{ ref('base_hr__employees') }}
    where _status = 'staged'

),

extracts as (

    select distinct _extracted_at
    from {{ ref('base_hr__employees') }}
    where _status <> 'quarantined'

),

month_ends as (

    select
        cast({{ dbt.date_trunc('month', '_extracted_at') }} as date) as period_month,
        max(_extracted_at) as as_of
    from extracts
    group by cast({{ dbt.date_trunc('month', '_extracted_at') }} as date)

),

on_payroll as (

    select
        month_ends.period_month,
        versions.employee_id,
        versions.site_id,
        versions.fte,
        versions.hourly_cost
    from month_ends
    inner join versions
        on
            month_ends.as_of >= versions.valid_from
            and (versions.valid_to is null or month_ends.as_of < versions.valid_to)
    where
        versions.hourly_cost is not null
        and versions.hire_date <= cast(month_ends.as_of as date)
        and (versions.termination_date is null or versions.termination_date >= month_ends.period_month)

),

aggregated as (

    select
        period_month,
        site_id,
        count(distinct employee_id) as headcount,
        cast(sum(fte) as decimal(18, 4)) as fte_total,
        cast(avg(hourly_cost) as decimal(18, 4)) as avg_hourly_cost,
        cast(sum(hourly_cost * fte) / nullif(sum(fte), 0) as decimal(18, 4)) as fte_weighted_hourly_cost
    from on_payroll
    group by period_month, site_id

),

final as (

    select
        period_month,
        site_id,
        headcount,
        fte_total,
        avg_hourly_cost,
        fte_weighted_hourly_cost
    from aggregated
    where headcount >= {{ var('pii_min_group_size') }}

)

select * from final
