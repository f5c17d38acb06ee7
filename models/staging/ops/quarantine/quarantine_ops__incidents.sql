{#- Quarantined rows of ops/incidents: original values, the rule broken and the extract time.
    PII text is salted-hashed here too, so the staging schema holds clear PII only in the base model. -#}
with

quarantined as (

    select * from {{ ref('base_ops__incidents') }}
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
        incident_id,
        system,
        site_id,
        started_at,
        resolved_at,
        severity,
        agents_affected
    from quarantined

)

select * from final
