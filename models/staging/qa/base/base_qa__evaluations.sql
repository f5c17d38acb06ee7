{#- Every raw row of qa/evaluations, exactly once, classified by the landing contract:
    _rule (first broken rule) and _status (quarantined / superseded / staged).
    The only model that reads this landing table (see macros/staging/stage_rows.sql). -#}
-- orphan-check parents (dbt cannot read the contract meta at parse time):
-- depends_on: {{ source('acd', 'contact_segments') }}

{{ stage_classified_rows('qa', 'evaluations') }}
