{#- Every raw row of crm/case_segments, exactly once, classified by the landing contract:
    _rule (first broken rule) and _status (quarantined / superseded / staged).
    The only model that reads this landing table (see macros/staging/stage_rows.sql). -#}
-- orphan-check parents (dbt cannot read the contract meta at parse time):
-- depends_on: {{ source('acd', 'contact_segments') }}
-- depends_on: {{ source('crm', 'cases') }}

{{ stage_classified_rows('crm', 'case_segments') }}
