{#- GENERATED from switchboard/contract.py by `switchboard contract` - do not edit by hand.
    Staged rows of qa/evaluations: typed, one row per key, enumerations cleaned (no logic beyond that; a table
    that needs some gets a hand-written stg_ model listed in switchboard/staging_files.py). -#}

{{ stage_clean_rows('qa', 'evaluations') }}
