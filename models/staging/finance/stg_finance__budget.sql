{#- GENERATED from switchboard/contract.py by `switchboard contract` - do not edit by hand.
    Staged rows of finance/budget: typed, enumerations cleaned, PII dropped, SCD2 validity for a full extract (no
    logic beyond that; a table that needs some gets a hand-written stg_ model listed in
    switchboard/staging_files.py). -#}

{{ stage_clean_rows('finance', 'budget') }}
