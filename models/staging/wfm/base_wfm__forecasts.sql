{#- GENERATED from switchboard/contract.py by `switchboard contract` - do not edit by hand.
    Every raw row of wfm/forecasts, exactly once, classified by the landing contract
    (macros/staging/stage_rows.sql): the only model that reads this landing table. -#}

{{ stage_classified_rows('wfm', 'forecasts') }}
