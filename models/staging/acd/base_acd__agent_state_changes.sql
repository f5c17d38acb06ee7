{#- GENERATED from switchboard/contract.py by `switchboard contract` - do not edit by hand.
    Every raw row of acd/agent_state_changes, exactly once, classified by the landing contract
    (macros/staging/stage_rows.sql): the only model that reads this landing table. Incremental by landing file on
    DuckDB (macros/staging/increments.sql). -#}

{{ config(
    materialized=staging_base_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['agent_id', 'state_started_at'],
    on_schema_change='fail',
    pre_hook="{{ staging_reprocess_hook('acd', 'agent_state_changes') }}",
    post_hook="{{ staging_record_processed('acd', 'agent_state_changes') }}",
) }}

{{ stage_classified_rows('acd', 'agent_state_changes') }}
