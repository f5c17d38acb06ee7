{#- GENERATED from switchboard/contract.py by `switchboard contract` - do not edit by hand.
    Every raw row of qa/evaluation_items, exactly once, classified by the landing contract
    (macros/staging/stage_rows.sql): the only model that reads this landing table. Incremental by landing file on
    DuckDB (macros/staging/increments.sql). -#}

{{ config(
    materialized=staging_base_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['evaluation_id', 'item_id'],
    on_schema_change='fail',
    pre_hook="{{ staging_reprocess_hook('qa', 'evaluation_items') }}",
    post_hook="{{ staging_record_processed('qa', 'evaluation_items') }}",
) }}

{{ stage_classified_rows('qa', 'evaluation_items') }}
