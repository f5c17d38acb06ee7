{#- Every raw row of crm/case_segments, exactly once, classified by the landing contract:
    _rule (first broken rule) and _status (quarantined / superseded / staged).
    The only model that reads this landing table (see macros/staging/stage_rows.sql). -#}

{{ stage_classified_rows('crm', 'case_segments') }}
