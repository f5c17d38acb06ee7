{#- Staged rows of qa/evaluations: one row per key (latest valid delivery), enumerations cleaned. -#}
with

staged as (

    select * from {{ ref('base_qa__evaluations') }}
    where _status = 'staged'

),

final as (

    select
        evaluation_id,
        segment_id,
        agent_id,
        evaluator_id,
        evaluated_at,
        scorecard_version,
        _extracted_at,
        _source_file
    from staged

)

select * from final
