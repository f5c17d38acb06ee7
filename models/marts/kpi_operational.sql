{#-
    kpi_operational: the governed operational KPI table. Daily inputs of every operational part (already
    expanded to center, site, channel and queue; the handle-time, contacts-handled and FCR KPIs also to team and
    agent) are rolled up to day, ISO week and month by each KPI's aggregation, period-level KPIs are added, and
    the shared publisher adds definitions, targets and reliability (macros/kpi/kpi_table.sql). Targets below
    site resolve through kpi_scope_sites (a queue's, a team's or an agent's current site).
-#}
{{ kpi_table(
    daily_parts=[
        'int_kpi_operational__contact_days',
        'int_kpi_operational__queue_days',
        'int_kpi_operational__interval_days',
        'int_kpi_operational__downtime_days',
    ],
    period_parts=['int_kpi_operational__volume_and_cost_periods'],
    grains=['day', 'week', 'month'],
    scope_sites=kpi_scope_sites(['queue', 'team', 'agent']),
) }}
