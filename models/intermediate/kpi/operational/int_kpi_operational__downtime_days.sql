{#- Daily KPI input rows (the KPI interface's daily format) of the operations side of the operational
    family: technical_time_lost_s (agent seconds in state technical_issue, capped at var max_state_hours;
    site and center scope) and incident_minutes (ops incidents; an all-site incident once per site and
    once at center). Channel and queue scopes do not apply. Money KPIs are month-only and come as period
    rows in int_kpi_operational__volume_and_cost_periods. -#}
with

technical_states as (

    select
        site_id,
        local_date,
        duration_s
    from {{ ref('int_agent_technical_issue_states') }}

),

technical_site as (

    select
        'technical_time_lost_s' as kpi_name,
        local_date,
        'site' as scope_type,
        site_id as scope_id,
        cast(sum(duration_s) as double) as numerator,
        count(*) as sample_size
    from technical_states
    where site_id is not null
    group by local_date, site_id

),

technical_center as (

    select
        'technical_time_lost_s' as kpi_name,
        local_date,
        'center' as scope_type,
        'all' as scope_id,
        cast(sum(duration_s) as double) as numerator,
        count(*) as sample_size
    from technical_states
    group by local_date

),

incidents as (

    select
        'incident_minutes' as kpi_name,
        local_date,
        scope_type,
        scope_id,
        cast(sum(incident_minutes) as double) as numerator,
        count(*) as sample_size
    from {{ ref('int_incident_site_days') }}
    group by local_date, scope_type, scope_id

),

{%- set count_columns = {
    'breakdown_type': "'all'",
    'breakdown_id': "'all'",
    'denominator': 'cast(null as double)',
    'currency': 'cast(null as ' ~ dbt.type_string() ~ ')',
} %}

final as (

    {{ kpi_scoped_rows('technical_site', columns=count_columns) }}
    union all
    {{ kpi_scoped_rows('technical_center', columns=count_columns) }}
    union all
    {{ kpi_scoped_rows('incidents', columns=count_columns) }}

)

{{ kpi_input_select() }}
