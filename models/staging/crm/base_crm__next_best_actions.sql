{#- GENERATED from switchboard/contract.py by `switchboard contract` - do not edit by hand.
    Every raw row of crm/next_best_actions, exactly once, classified by the landing contract
    (macros/staging/stage_rows.sql): the only model that reads this landing table. Incremental by landing file on
    DuckDB (macros/staging/increments.sql). -#}

{{ config(
    materialized=staging_base_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['offer_id'],
    on_schema_change='fail',
    pre_hook="{{ staging_reprocess_hook('crm', 'next_best_actions') }}",
    post_hook="{{ staging_record_processed('crm', 'next_best_actions') }}",
) }}

{{ stage_classified_rows('crm', 'next_best_actions') }}
