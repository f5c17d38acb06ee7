{#- GENERATED from switchboard/contract.py by `switchboard contract` - do not edit by hand.
    Every raw row of finance/budget, exactly once, classified by the landing contract
    (macros/staging/stage_rows.sql): the only model that reads this landing table. Incremental by landing file on
    DuckDB (macros/staging/increments.sql). -#}

{{ config(
    materialized=staging_base_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['period_month', 'site_id', 'category'],
    on_schema_change='fail',
    pre_hook="{{ staging_reprocess_hook('finance', 'budget') }}",
    post_hook="{{ staging_record_processed('finance', 'budget') }}",
) }}

{{ stage_classified_rows('finance', 'budget') }}
