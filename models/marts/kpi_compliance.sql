{#-
    kpi_compliance: the governed compliance KPI table, weekly and monthly only. Daily inputs of every compliance
    part (already expanded to center, site, team and agent; plans to center and site) are rolled up to ISO week
    and month, evaluations_per_agent comes per period, and the shared publisher adds definitions, targets,
    reliability and the baseline (var compliance_baseline_periods: first 8 complete weeks / 3 complete months
    of the row's scope and breakdown, macros/kpi/kpi_baseline.sql; the data's date range = first to last
    local_date of the daily inputs). The site of an agent is its current site (dim_agents), as in kpi_team.
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

{#- (`is mapping`: the linter's templater renders vars as text) -#}
{%- set baseline_periods = var('compliance_baseline_periods') -%}

{{ kpi_table(
    daily_parts=[
        'int_kpi_compliance__quality_days', 'int_kpi_compliance__follow_up_days', 'int_kpi_compliance__plan_days',
    ],
    period_parts=['int_kpi_compliance__evaluation_periods'],
    grains=['week', 'month'],
    scope_sites=team_and_agent_sites,
    baseline=baseline_periods if baseline_periods is mapping else none,
) }}
