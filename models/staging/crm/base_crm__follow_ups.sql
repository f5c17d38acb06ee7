{#- GENERATED from switchboard/contract.py by `switchboard contract` - do not edit by hand.
    Every raw row of crm/follow_ups, exactly once, classified by the landing contract
    (macros/staging/stage_rows.sql): the only model that reads this landing table. Incremental by landing file on
    DuckDB (macros/staging/increments.sql). -#}

{{ config(
    materialized=staging_base_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['follow_up_id'],
    on_schema_change='fail',
    pre_hook="{{ staging_reprocess_hook('crm', 'follow_ups') }}",
    post_hook="{{ staging_record_processed('crm', 'follow_ups') }}",
) }}

{{ stage_classified_rows('crm', 'follow_ups') }}
