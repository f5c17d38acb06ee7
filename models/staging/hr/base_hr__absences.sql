{#- GENERATED from switchboard/contract.py by `switchboard contract` - do not edit by hand.
    Every raw row of hr/absences, exactly once, classified by the landing contract
    (macros/staging/stage_rows.sql): the only model that reads this landing table. Incremental by landing file on
    DuckDB (macros/staging/increments.sql). -#}

{{ config(
    materialized=staging_base_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['absence_id'],
    on_schema_change='fail',
    pre_hook="{{ staging_reprocess_hook('hr', 'absences') }}",
    post_hook="{{ staging_record_processed('hr', 'absences') }}",
) }}

{{ stage_classified_rows('hr', 'absences') }}
