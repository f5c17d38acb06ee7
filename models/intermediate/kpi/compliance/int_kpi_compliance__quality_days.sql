{#- Daily KPI input rows (docs/kpi-definitions.md, Compliance) of the QA KPIs, from int_quality_evaluations (dated
    by the evaluated segment, at its site, the evaluated agent and their team as of that date):
      compliance_item_pass_rate  passed / evaluated compliance items, overall and per item (breakdown compliance_item)
      critical_error_rate        evaluations with a failed critical item / evaluations with an evaluated item
      process_adherence_rate     passed / evaluated items of section process
      qa_coverage                evaluations / handled segments (by connected local date, segment site, the
                                 segment's agent and their team as of that date)
    Expanded to site, team, agent and center. A day whose scope has evaluations but no handled segment keeps its
    row (sample_size 0) so the week and month still count those evaluations. -#}
with

evaluations as (

    select
        evaluation_id,
        agent_id,
        local_date,
        site_id,
        team_id,
        evaluated_items,
        compliance_items,
        compliance_items_passed,
        process_items,
        process_items_passed,
        has_critical_failure
    from {{ ref('int_quality_evaluations') }}

),

compliance_items as (

    select
        items.item_id,
        items.passed,
        evaluations.agent_id,
        evaluations.local_date,
        evaluations.site_id,
        evaluations.team_id
    from {{ ref('stg_qa__evaluation_items') }} as items
    inner join evaluations
        on items.evaluation_id = evaluations.evaluation_id
    where items.is_compliance_item and items.passed is not null

),

history as (

    select
        employee_id,
        team_id,
        as_of_from_date,
        as_of_to_date
    from {{ ref('int_agent_history') }}

),

handled as (

    select
        segments.agent_id,
        segments.connected_local_date as local_date,
        segments.site_id,
        history.team_id
    from {{ ref('int_contact_segments') }} as segments
    left join history
        on
            segments.agent_id = history.employee_id
            and segments.connected_local_date >= history.as_of_from_date
            and segments.connected_local_date < history.as_of_to_date
    where segments.is_handled

),

agent_rows as (

    select
        'compliance_item_pass_rate' as kpi_name,
        local_date,
        'all' as breakdown_type,
        'all' as breakdown_id,
        cast(compliance_items_passed as double) as numerator,
        cast(compliance_items as double) as denominator,
        cast(compliance_items as {{ dbt.type_bigint() }}) as sample_size,
        site_id,
        team_id,
        agent_id
    from evaluations
    where compliance_items > 0
    union all
    select
        'compliance_item_pass_rate' as kpi_name,
        local_date,
        'compliance_item' as breakdown_type,
        item_id as breakdown_id,
        cast(case when passed then 1 else 0 end as double) as numerator,
        cast(1 as double) as denominator,
        cast(1 as {{ dbt.type_bigint() }}) as sample_size,
        site_id,
        team_id,
        agent_id
    from compliance_items
    union all
    select
        'critical_error_rate' as kpi_name,
        local_date,
        'all' as breakdown_type,
        'all' as breakdown_id,
        cast(case when has_critical_failure then 1 else 0 end as double) as numerator,
        cast(1 as double) as denominator,
        cast(1 as {{ dbt.type_bigint() }}) as sample_size,
        site_id,
        team_id,
        agent_id
    from evaluations
    where evaluated_items > 0
    union all
    select
        'process_adherence_rate' as kpi_name,
        local_date,
        'all' as breakdown_type,
        'all' as breakdown_id,
        cast(process_items_passed as double) as numerator,
        cast(process_items as double) as denominator,
        cast(process_items as {{ dbt.type_bigint() }}) as sample_size,
        site_id,
        team_id,
        agent_id
    from evaluations
    where process_items > 0
    union all
    select
        'qa_coverage' as kpi_name,
        local_date,
        'all' as breakdown_type,
        'all' as breakdown_id,
        cast(1 as double) as numerator,
        cast(0 as double) as denominator,
        cast(0 as {{ dbt.type_bigint() }}) as sample_size,
        site_id,
        team_id,
        agent_id
    from evaluations
    union all
    select
        'qa_coverage' as kpi_name,
        local_date,
        'all' as breakdown_type,
        'all' as breakdown_id,
        cast(0 as double) as numerator,
        cast(1 as double) as denominator,
        cast(1 as {{ dbt.type_bigint() }}) as sample_size,
        site_id,
        team_id,
        agent_id
    from handled

),

expanded as (

    {{ kpi_expand_scopes(
        'agent_rows',
        [['site', 'site_id'], ['team', 'team_id'], ['agent', 'agent_id']],
        with_currency=false,
    ) }}

),

final as (

    select
        kpi_name,
        local_date,
        scope_type,
        scope_id,
        breakdown_type,
        breakdown_id,
        numerator,
        denominator,
        sample_size,
        currency
    from expanded
    where sample_size > 0 or numerator != 0

)

{{ kpi_input_select() }}
