{#-
    kpi_team: the governed team KPI table. Daily inputs of every team part (already expanded to center,
    site, team and agent) are rolled up to day, ISO week and month by each KPI's aggregation, period-level
    KPIs (engagement, published only for groups of at least 5 responses) are added, and the shared publisher
    adds definitions, targets and reliability (macros/kpi/kpi_table.sql). The site of an agent is its
    current site (dim_agents).
-#}
{{ kpi_table(
    daily_parts=['int_kpi_team__agent_time_days', 'int_kpi_team__people_days'],
    period_parts=['int_kpi_team__engagement_periods'],
    grains=['day', 'week', 'month'],
    scope_sites=kpi_scope_sites(['team', 'agent']),
) }}
