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

handled as (

    select
        segments.agent_id,
        segments.connected_local_date as local_date,
        segments.site_id,
        history.team_id
    from {{ ref('int_contact_segments') }} as segments
    {{ agent_as_of('left', 'segments.agent_id', 'segments.connected_local_date') }}
    where segments.is_handled

),

{%- set agent_kpis = [
    {'kpi': 'compliance_item_pass_rate', 'source': 'evaluations', 'filter': 'compliance_items > 0',
        'numerator': 'compliance_items_passed', 'denominator': 'compliance_items', 'sample_size': 'compliance_items'},
    {'kpi': 'compliance_item_pass_rate', 'source': 'compliance_items', 'breakdown_type': "'compliance_item'",
        'breakdown_id': 'item_id', 'numerator': 'case when passed then 1 else 0 end'},
    {'kpi': 'critical_error_rate', 'source': 'evaluations', 'filter': 'evaluated_items > 0',
        'numerator': 'case when has_critical_failure then 1 else 0 end'},
    {'kpi': 'process_adherence_rate', 'source': 'evaluations', 'filter': 'process_items > 0',
        'numerator': 'process_items_passed', 'denominator': 'process_items', 'sample_size': 'process_items'},
    {'kpi': 'qa_coverage', 'source': 'evaluations', 'numerator': '1', 'denominator': '0', 'sample_size': '0'},
    {'kpi': 'qa_coverage', 'source': 'handled', 'numerator': '0'},
] %}

{{ kpi_events_input(agent_kpis, kpi_scopes('agent'), 'sample_size > 0 or numerator != 0', with_currency=false) }}
