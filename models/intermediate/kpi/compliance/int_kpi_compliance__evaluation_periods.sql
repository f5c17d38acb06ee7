{#- Period-level KPI input rows (aggregation none) of evaluations_per_agent: per ISO week and month, evaluations
    (int_quality_evaluations, dated by the evaluated segment) / distinct agents who handled a segment in the period
    (by connected local date), for the center, each site (the segment's), team (the agent's as of the date) and
    agent. Distinct agents do not add up across days or periods, so this KPI is computed per period, not rolled
    up from days. sample_size = those agents. -#}
with

events as (

    select
        agent_id,
        local_date,
        site_id,
        team_id,
        1 as is_evaluation
    from {{ ref('int_quality_evaluations') }}
    union all
    select
        segments.agent_id,
        segments.connected_local_date as local_date,
        segments.site_id,
        history.team_id,
        0 as is_evaluation
    from {{ ref('int_contact_segments') }} as segments
    {{ agent_as_of('left', 'segments.agent_id', 'segments.connected_local_date') }}
    where segments.is_handled and segments.agent_id is not null

),

scoped as (

    select
        'center' as scope_type,
        'all' as scope_id,
        agent_id,
        local_date,
        is_evaluation
    from events
    union all
    select
        'site' as scope_type,
        site_id as scope_id,
        agent_id,
        local_date,
        is_evaluation
    from events
    where site_id is not null
    union all
    select
        'team' as scope_type,
        team_id as scope_id,
        agent_id,
        local_date,
        is_evaluation
    from events
    where team_id is not null
    union all
    select
        'agent' as scope_type,
        agent_id as scope_id,
        agent_id,
        local_date,
        is_evaluation
    from events
    where agent_id is not null

),

periods as (

    {%- for grain in ['week', 'month'] %}
        select
            'evaluations_per_agent' as kpi_name,
            '{{ grain }}' as period_grain,
            cast({{ dbt.date_trunc(grain, 'local_date') }} as date) as period_start,
            scope_type,
            cast(scope_id as {{ dbt.type_string() }}) as scope_id,
            sum(is_evaluation) as evaluations,
            count(distinct case when is_evaluation = 0 then agent_id end) as agents
        from scoped
        group by
            cast({{ dbt.date_trunc(grain, 'local_date') }} as date),
            scope_type,
            scope_id
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    {{ kpi_period_select('periods', {
        'numerator': 'cast(evaluations as double)',
        'denominator': 'cast(agents as double)',
        'sample_size': 'cast(agents as ' ~ dbt.type_bigint() ~ ')',
    }, filter='agents > 0') }}

)

{{ kpi_input_select(grain='period') }}
