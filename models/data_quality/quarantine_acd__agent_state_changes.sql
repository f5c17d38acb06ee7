{#- GENERATED from switchboard/contract.py by `switchboard contract` - do not edit by hand.
    Quarantined rows of acd/agent_state_changes: the rule broken, the extract time and the original values, PII
    hashed (macros/staging/stage_rows.sql). -#}

{{ quarantine_rows('acd', 'agent_state_changes') }}
