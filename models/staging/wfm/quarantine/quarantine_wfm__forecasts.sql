{#- Quarantined rows of wfm/forecasts: original values, the rule broken and the extract time.
    PII text is salted-hashed here too, so the staging schema holds clear PII only in the base model. -#}
with

quarantined as (

    select * from {{ ref('base_wfm__forecasts') }}
    where _status = 'quarantined'

),

final as (

    select
        _rule,
        _rule_column,
        _extracted_at,
        _source_file,
        _unparseable_column,
        _unparseable_value,
        queue_id,
        interval_start,
        forecast_contacts,
        forecast_aht_s,
        created_at
    from quarantined

)

select * from final
