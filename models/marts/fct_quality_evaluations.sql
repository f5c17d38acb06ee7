{#- fct_quality_evaluations: one row per QA evaluation of a staged segment, for analysts (int_quality_evaluations):
    dated by the evaluated segment, with its site, queue and channel, the evaluated agent's team as of that date,
    item counts and the quality score. -#}
with

evaluations as (

    select
        evaluation_id,
        segment_id,
        agent_id,
        evaluator_id,
        evaluated_at,
        scorecard_version,
        segment_dated_at,
        local_date,
        site_id,
        team_id,
        queue_id,
        channel,
        items,
        evaluated_items,
        passed_items,
        compliance_items,
        compliance_items_passed,
        process_items,
        process_items_passed,
        critical_items,
        critical_items_failed,
        has_critical_failure,
        quality_score
    from {{ ref('int_quality_evaluations') }}

),

final as (

    select
        evaluation_id,
        segment_id,
        agent_id,
        evaluator_id,
        evaluated_at,
        scorecard_version,
        segment_dated_at,
        local_date,
        site_id,
        team_id,
        queue_id,
        channel,
        items,
        evaluated_items,
        passed_items,
        compliance_items,
        compliance_items_passed,
        process_items,
        process_items_passed,
        critical_items,
        critical_items_failed,
        has_critical_failure,
        quality_score
    from evaluations

)

select
    evaluation_id,
    segment_id,
    agent_id,
    evaluator_id,
    evaluated_at,
    scorecard_version,
    segment_dated_at,
    local_date,
    site_id,
    team_id,
    queue_id,
    channel,
    items,
    evaluated_items,
    passed_items,
    compliance_items,
    compliance_items_passed,
    process_items,
    process_items_passed,
    critical_items,
    critical_items_failed,
    has_critical_failure,
    quality_score
from final
