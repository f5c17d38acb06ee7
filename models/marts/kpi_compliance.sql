{#-
    kpi_compliance: the governed compliance KPI table, weekly and monthly only. Daily inputs of every compliance
    part (already expanded to center, site, team and agent; plans to center and site) are rolled up to ISO week
    and month, evaluations_per_agent comes per period, and the shared publisher adds definitions, targets,
    reliability and the baseline (var compliance_baseline_periods: first 8 complete weeks / 3 complete months
    of the row's scope and breakdown, macros/kpi/kpi_baseline.sql; the data's date range = first to last
    local_date of the daily inputs). The site of an agent is its current site (dim_agents), as in kpi_team.
-#}
{#- (`is mapping`: the linter's templater renders vars as text) -#}
{%- set baseline_periods = var('compliance_baseline_periods') -%}

{{ kpi_table(
    daily_parts=[
        'int_kpi_compliance__quality_days', 'int_kpi_compliance__follow_up_days', 'int_kpi_compliance__plan_days',
    ],
    period_parts=['int_kpi_compliance__evaluation_periods'],
    grains=['week', 'month'],
    scope_sites=kpi_scope_sites(['team', 'agent']),
    baseline=baseline_periods if baseline_periods is mapping else none,
) }}
