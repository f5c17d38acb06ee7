{#- rpt_qa_agents_under_min_sample: per ISO week and month, every agent who handled segments in the period but got
    fewer QA evaluations than the minimum sample (vars qa_min_evaluations_per_week and
    qa_min_evaluations_per_month in dbt_project.yml), with
    handled segments, evaluations (dated by the evaluated segment, counted for the evaluated agent) and how many
    are missing. Site and team: the agent's on the period's last day with a handled segment (segment site, team
    as of that date). -#}
{%- set minimums = {
    'week': var('qa_min_evaluations_per_week') | int,
    'month': var('qa_min_evaluations_per_month') | int,
} %}
with

handled_days as (

    select
        segments.agent_id,
        segments.connected_local_date as local_date,
        max(segments.site_id) as site_id,
        max(history.team_id) as team_id,
        count(*) as handled_segments
    from {{ ref('int_contact_segments') }} as segments
    {{ agent_as_of('left', 'segments.agent_id', 'segments.connected_local_date') }}
    where segments.is_handled and segments.agent_id is not null
    group by segments.agent_id, segments.connected_local_date

),

evaluation_days as (

    select
        agent_id,
        local_date,
        count(*) as evaluations
    from {{ ref('int_quality_evaluations') }}
    where agent_id is not null
    group by agent_id, local_date

),

{%- set grains = ['week', 'month'] %}

handled_periods as (

    {%- for grain in grains %}
        select
            '{{ grain }}' as period_grain,
            cast({{ dbt.date_trunc(grain, 'local_date') }} as date) as period_start,
            agent_id,
            local_date,
            site_id,
            team_id,
            handled_segments,
            row_number() over (
                partition by agent_id, {{ dbt.date_trunc(grain, 'local_date') }}
                order by local_date desc
            ) as day_rank
        from handled_days
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

evaluation_periods as (

    {%- for grain in grains %}
        select
            '{{ grain }}' as period_grain,
            cast({{ dbt.date_trunc(grain, 'local_date') }} as date) as period_start,
            agent_id,
            sum(evaluations) as evaluations
        from evaluation_days
        group by agent_id, cast({{ dbt.date_trunc(grain, 'local_date') }} as date)
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

agent_periods as (

    select
        period_grain,
        period_start,
        agent_id,
        max(case when day_rank = 1 then site_id end) as site_id,
        max(case when day_rank = 1 then team_id end) as team_id,
        sum(handled_segments) as handled_segments
    from handled_periods
    group by period_grain, period_start, agent_id

),

measured as (

    select
        agent_periods.period_grain,
        agent_periods.period_start,
        agent_periods.agent_id,
        agent_periods.site_id,
        agent_periods.team_id,
        agent_periods.handled_segments,
        coalesce(evaluation_periods.evaluations, 0) as evaluations,
        case
            {%- for grain in grains %}
                when agent_periods.period_grain = '{{ grain }}' then {{ minimums[grain] }}
            {%- endfor %}
        end as min_evaluations
    from agent_periods
    left join evaluation_periods
        on
            agent_periods.period_grain = evaluation_periods.period_grain
            and agent_periods.period_start = evaluation_periods.period_start
            and agent_periods.agent_id = evaluation_periods.agent_id

),

final as (

    select
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        period_start,
        cast(agent_id as {{ dbt.type_string() }}) as agent_id,
        cast(site_id as {{ dbt.type_string() }}) as site_id,
        cast(team_id as {{ dbt.type_string() }}) as team_id,
        cast(handled_segments as {{ dbt.type_bigint() }}) as handled_segments,
        cast(evaluations as {{ dbt.type_bigint() }}) as evaluations,
        cast(min_evaluations as {{ dbt.type_bigint() }}) as min_evaluations,
        cast(min_evaluations - evaluations as {{ dbt.type_bigint() }}) as evaluations_missing
    from measured
    where evaluations < min_evaluations

)

select
    period_grain,
    period_start,
    agent_id,
    site_id,
    team_id,
    handled_segments,
    evaluations,
    min_evaluations,
    evaluations_missing
from final
