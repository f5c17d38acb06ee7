{#-
    kpi_experience: the governed experience KPI table. Daily inputs of every experience part (surveys, complaint
    cases, contact-reason mix, next-best actions and key-account churn; already expanded to center, site, channel
    and queue) are rolled up to day, ISO week and month by each KPI's aggregation, customer lifetime value (a mean
    over distinct customers as of the period end) is added per period, and the shared publisher adds
    definitions, targets and reliability (macros/kpi/kpi_table.sql).
-#}
{{ kpi_table(
    daily_parts=[
        'int_kpi_experience__survey_days',
        'int_kpi_experience__complaint_days',
        'int_kpi_experience__contact_reason_days',
        'int_kpi_experience__next_best_action_days',
        'int_kpi_experience__key_account_churn_days',
    ],
    period_parts=['int_kpi_experience__customer_value_periods'],
    grains=['day', 'week', 'month'],
    scope_sites=kpi_scope_sites(['queue']),
) }}
