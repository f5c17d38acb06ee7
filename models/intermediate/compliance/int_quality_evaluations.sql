{#- One row per staged QA evaluation whose evaluated segment is staged: dated by that segment (its connected,
    else initiated, local date in its site's time zone), placed at the segment's site and queue, the evaluated
    agent's team as of that date (int_agent_history), and its items summed: evaluated (passed not null)
    and passed items overall, compliance items and process-section items, critical failures and the quality
    score (Σ weight × score / max_score ÷ Σ weight × 100, 0 when a critical item failed; as kpi_team). -#}
with

evaluations as (

    select
        evaluation_id,
        segment_id,
        agent_id,
        evaluator_id,
        evaluated_at,
        scorecard_version
    from {{ ref('stg_qa__evaluations') }}

),

items as (

    select
        evaluation_id,
        count(*) as items,
        sum(case when passed is not null then 1 else 0 end) as evaluated_items,
        sum(case when passed then 1 else 0 end) as passed_items,
        sum(case when is_compliance_item and passed is not null then 1 else 0 end) as compliance_items,
        sum(case when is_compliance_item and passed then 1 else 0 end) as compliance_items_passed,
        sum(case when section = 'process' and passed is not null then 1 else 0 end) as process_items,
        sum(case when section = 'process' and passed then 1 else 0 end) as process_items_passed,
        sum(case when is_critical and passed is not null then 1 else 0 end) as critical_items,
        sum(case when is_critical and not passed then 1 else 0 end) as critical_items_failed,
        sum(cast(weight as double) * cast(score as double) / nullif(cast(max_score as double), 0))
            as weighted_score,
        sum(cast(weight as double)) as total_weight
    from {{ ref('stg_qa__evaluation_items') }}
    group by evaluation_id

),

segments as (

    select
        segment_id,
        queue_id,
        channel,
        site_id,
        connected_at,
        initiated_at,
        coalesce(connected_local_date, initiated_local_date) as local_date
    from {{ ref('int_contact_segments') }}

),

dated as (

    select
        evaluations.evaluation_id,
        evaluations.segment_id,
        evaluations.agent_id,
        evaluations.evaluator_id,
        evaluations.evaluated_at,
        evaluations.scorecard_version,
        segments.local_date,
        coalesce(segments.connected_at, segments.initiated_at) as segment_dated_at,
        segments.site_id,
        segments.queue_id,
        segments.channel
    from evaluations
    inner join segments
        on evaluations.segment_id = segments.segment_id

),

final as (

    select
        dated.evaluation_id,
        dated.segment_id,
        dated.agent_id,
        dated.evaluator_id,
        dated.evaluated_at,
        dated.scorecard_version,
        dated.segment_dated_at,
        dated.local_date,
        dated.site_id,
        history.team_id,
        dated.queue_id,
        dated.channel,
        cast(coalesce(items.items, 0) as {{ dbt.type_bigint() }}) as items,
        cast(coalesce(items.evaluated_items, 0) as {{ dbt.type_bigint() }}) as evaluated_items,
        cast(coalesce(items.passed_items, 0) as {{ dbt.type_bigint() }}) as passed_items,
        cast(coalesce(items.compliance_items, 0) as {{ dbt.type_bigint() }}) as compliance_items,
        cast(coalesce(items.compliance_items_passed, 0) as {{ dbt.type_bigint() }}) as compliance_items_passed,
        cast(coalesce(items.process_items, 0) as {{ dbt.type_bigint() }}) as process_items,
        cast(coalesce(items.process_items_passed, 0) as {{ dbt.type_bigint() }}) as process_items_passed,
        cast(coalesce(items.critical_items, 0) as {{ dbt.type_bigint() }}) as critical_items,
        cast(coalesce(items.critical_items_failed, 0) as {{ dbt.type_bigint() }}) as critical_items_failed,
        coalesce(items.critical_items_failed, 0) > 0 as has_critical_failure,
        case
            when items.critical_items_failed > 0 then 0.0
            else 100.0 * items.weighted_score / nullif(items.total_weight, 0)
        end as quality_score
    from dated
    left join items
        on dated.evaluation_id = items.evaluation_id
    {{ agent_as_of('left', 'dated.agent_id', 'dated.local_date') }}

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
