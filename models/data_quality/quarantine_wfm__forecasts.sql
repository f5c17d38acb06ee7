{#- GENERATED from switchboard/contract.py by `switchboard contract` - do not edit by hand.
    Quarantined rows of wfm/forecasts: the rule broken, the extract time and the original values, PII hashed
    (macros/staging/stage_rows.sql). -#}

{{ quarantine_rows('wfm', 'forecasts') }}
