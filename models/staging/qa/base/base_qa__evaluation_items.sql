{#- Every raw row of qa/evaluation_items, exactly once, classified by the landing contract:
    _rule (first broken rule) and _status (quarantined / superseded / staged).
    The only model that reads this landing table (see macros/staging/stage_rows.sql). -#}
-- orphan-check parents (dbt cannot read the contract meta at parse time):
-- depends_on: {{ source('qa', 'evaluations') }}

{{ stage_classified_rows('qa', 'evaluation_items') }}
