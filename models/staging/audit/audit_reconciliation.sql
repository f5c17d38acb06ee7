{#- Every raw row accounted for: per landing table rows read (counted on the landing relation itself)
    = staged + quarantined + superseded. The `reconciles` test fails the build otherwise.
    The list of tables comes from the sources at run time; dbt needs the dependencies spelled out: -#}
-- depends_on: {{ source('acd', 'contact_segments') }}
-- depends_on: {{ source('acd', 'agent_state_changes') }}
-- depends_on: {{ source('wfm', 'schedule_activities') }}
-- depends_on: {{ source('wfm', 'forecasts') }}
-- depends_on: {{ source('survey', 'contact_surveys') }}
-- depends_on: {{ source('survey', 'employee_pulse') }}
-- depends_on: {{ source('qa', 'evaluations') }}
-- depends_on: {{ source('qa', 'evaluation_items') }}
-- depends_on: {{ source('crm', 'customers') }}
-- depends_on: {{ source('crm', 'cases') }}
-- depends_on: {{ source('crm', 'case_segments') }}
-- depends_on: {{ source('crm', 'next_best_actions') }}
-- depends_on: {{ source('crm', 'follow_ups') }}
-- depends_on: {{ source('hr', 'employees') }}
-- depends_on: {{ source('hr', 'teams') }}
-- depends_on: {{ source('hr', 'absences') }}
-- depends_on: {{ source('finance', 'cost_ledger') }}
-- depends_on: {{ source('finance', 'budget') }}
-- depends_on: {{ source('ops', 'incidents') }}
-- depends_on: {{ source('ops', 'plan_items') }}
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

{{ staging_audit_reconciliation() }}
