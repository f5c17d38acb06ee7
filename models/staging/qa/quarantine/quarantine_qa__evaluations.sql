{#- Quarantined rows of qa/evaluations: original values, the rule broken and the extract time.
    PII text is salted-hashed here too, so the staging schema holds clear PII only in the base model. -#}
with

quarantined as (

    select * from {{ ref('base_qa__evaluations') }}
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
        evaluation_id,
        segment_id,
        agent_id,
        evaluator_id,
        evaluated_at,
        scorecard_version
    from quarantined

)

select * from final
