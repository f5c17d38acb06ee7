{#- Quarantined rows per landing table and rule, for a BI tool (only pairs that occur).
    The list of tables comes from the sources at run time; dbt needs the dependencies spelled out: -#}
-- depends_on: {{ ref('base_acd__contact_segments') }}
-- depends_on: {{ ref('base_acd__agent_state_changes') }}
-- depends_on: {{ ref('base_wfm__schedule_activities') }}
-- depends_on: {{ ref('base_wfm__forecasts') }}
-- depends_on: {{ ref('base_survey__contact_surveys') }}
-- depends_on: {{ ref('base_survey__employee_pulse') }}
-- depends_on: {{ ref('base_qa__evaluations') }}
-- depends_on: {{ ref('base_qa__evaluation_items') }}
-- depends_on: {{ ref('base_crm__customers') }}
-- depends_on: {{ ref('base_crm__cases') }}
-- depends_on: {{ ref('base_crm__case_segments') }}
-- depends_on: {{ ref('base_crm__next_best_actions') }}
-- depends_on: {{ ref('base_crm__follow_ups') }}
-- depends_on: {{ ref('base_hr__employees') }}
-- depends_on: {{ ref('base_hr__teams') }}
-- depends_on: {{ ref('base_hr__absences') }}
-- depends_on: {{ ref('base_finance__cost_ledger') }}
-- depends_on: {{ ref('base_finance__budget') }}
-- depends_on: {{ ref('base_ops__incidents') }}
-- depends_on: {{ ref('base_ops__plan_items') }}

{{ staging_audit_quarantine_summary() }}
