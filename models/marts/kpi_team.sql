{#-
    kpi_team: the governed team KPI table. Daily inputs of every team part (already expanded to center,
    site, team and agent) are rolled up to day, ISO week and month by each KPI's aggregation, period-level
    KPIs (engagement, published only for groups of at least 5 responses) are added, and the shared publisher
    adds definitions, targets and reliability (macros/kpi/kpi_table.sql). The site of an agent is its
    current site (dim_agents).
-#}
{%- set team_and_agent_sites -%}
(
    select
        'team' as scope_type,
        team_id as scope_id,
        site_id
    from {{ ref('stg_hr__teams') }}
    union all
    select
        'agent' as scope_type,
        employee_id as scope_id,
        site_id
    from {{ ref('dim_agents') }}
    where is_current
)
{%- endset -%}

{{ kpi_table(
    daily_parts=['int_kpi_team__agent_time_days', 'int_kpi_team__people_days'],
    period_parts=['int_kpi_team__engagement_periods'],
    grains=['day', 'week', 'month'],
    scope_sites=team_and_agent_sites,
) }}
