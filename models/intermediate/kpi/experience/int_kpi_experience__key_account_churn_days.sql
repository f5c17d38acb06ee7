{#- Daily input of kpi_experience (docs kpi_interface) for key-account churn, center scope only, from each
    customer's current version (the latest daily extract, so a churn recorded a day late still counts on its
    own date): key_account_churn = key accounts (segment key_account) whose churned_at falls on the local date
    (var center_time_zone: customers have no site); key_account_churn_service_share = those with churn_reason
    service / key accounts churned. -#}
{%- set center_zone = sb_literal(var('center_time_zone')) -%}
with

churned as (

    select
        {{ sb_local_date('churned_at', center_zone) }} as local_date,
        churn_reason
    from {{ ref('stg_crm__customers') }}
    where
        is_current
        and segment = 'key_account'
        and churned_at is not null

),

events as (

    select
        'key_account_churn' as kpi_name,
        local_date,
        cast(1 as double) as numerator,
        cast(null as double) as denominator
    from churned
    union all
    select
        'key_account_churn_service_share' as kpi_name,
        local_date,
        cast(case when churn_reason = 'service' then 1 else 0 end as double) as numerator,
        cast(1 as double) as denominator
    from churned

),

final as (

    select
        kpi_name,
        local_date,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        count(*) as sample_size
    from events
    group by kpi_name, local_date

)

select
    cast(kpi_name as {{ dbt.type_string() }}) as kpi_name,
    local_date,
    cast('center' as {{ dbt.type_string() }}) as scope_type,
    cast('all' as {{ dbt.type_string() }}) as scope_id,
    cast('all' as {{ dbt.type_string() }}) as breakdown_type,
    cast('all' as {{ dbt.type_string() }}) as breakdown_id,
    cast(numerator as double) as numerator,
    cast(denominator as double) as denominator,
    cast(sample_size as {{ dbt.type_bigint() }}) as sample_size,
    cast(null as {{ dbt.type_string() }}) as currency
from final
