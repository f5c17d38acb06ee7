{#- GENERATED from switchboard/contract.py by `switchboard contract` - do not edit by hand.
    Every raw row of wfm/schedule_activities, exactly once, classified by the landing contract
    (macros/staging/stage_rows.sql): the only model that reads this landing table. Incremental by landing file on
    DuckDB (macros/staging/increments.sql). -#}

{{ config(
    materialized=staging_base_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['agent_id', 'schedule_date', 'published_at', 'starts_at'],
    on_schema_change='fail',
    pre_hook="{{ staging_reprocess_hook('wfm', 'schedule_activities') }}",
    post_hook="{{ staging_record_processed('wfm', 'schedule_activities') }}",
) }}

{{ stage_classified_rows('wfm', 'schedule_activities') }}
