{#- Daily KPI input rows (docs/kpi-definitions.md) of the people KPIs: attrition (annualised, voluntary,
    involuntary, new-hire), headcount, fte, proficiency_mean, new_agent_share (per active agent and day of
    the HR span) and quality_score (per QA evaluation, dated by the evaluated segment), expanded to team,
    site and center (the agent's team and site as of the date). Agents only: employees whose latest
    version has job_role agent; active on day D when hire_date <= D and (no termination_date or
    termination_date >= D) in the latest version. Attrition has no agent-scope rows (one named person's
    leaving and its type are not a KPI). -#}
with

history as (

    select
        employee_id,
        job_role,
        site_id,
        team_id,
        fte,
        proficiency_level,
        hire_date,
        termination_date,
        termination_type,
        is_current,
        as_of_from_date,
        as_of_to_date
    from {{ ref('int_agent_history') }}

),

latest as (

    select
        employee_id,
        hire_date,
        termination_date,
        termination_type
    from history
    where is_current and job_role = 'agent'

),

-- the HR span: from the first employee extract's date to the last local date with logged-in agent time
-- (the data end; schedules reach into the future), else the last HR change
span as (

    select
        min(cast(valid_from as date)) as span_start,
        max(cast(valid_from as date)) as last_hr_change
    from {{ ref('stg_hr__employees') }}

),

activity_span as (

    select max(local_date) as last_activity_date
    from {{ ref('int_agent_intervals') }}
    where logged_in_s > 0

),

days as (

    select dates.date_day
    from {{ ref('int_calendar_dates') }} as dates
    cross join span
    cross join activity_span
    where
        dates.date_day >= span.span_start
        and dates.date_day <= coalesce(activity_span.last_activity_date, span.last_hr_change)

),

agent_days as (

    select
        latest.employee_id as agent_id,
        days.date_day as local_date,
        history.site_id,
        history.team_id,
        history.fte,
        history.proficiency_level,
        case when latest.termination_date = days.date_day then 1 else 0 end as is_leaver,
        case
            when latest.termination_date = days.date_day and latest.termination_type = 'voluntary' then 1 else 0
        end as is_voluntary_leaver,
        case
            when latest.termination_date = days.date_day and latest.termination_type = 'involuntary' then 1 else 0
        end as is_involuntary_leaver,
        case
            when
                latest.termination_date = days.date_day
                and {{ dbt.datediff('latest.hire_date', 'latest.termination_date', 'day') }}
                <= {{ var('new_hire_tenure_days') }}
                then 1
            else 0
        end as is_new_hire_leaver
    from latest
    inner join days
        on
            latest.hire_date <= days.date_day
            and coalesce(latest.termination_date, {{ sb_open_end_date() }}) >= days.date_day
    {{ agent_as_of('inner', 'latest.employee_id', 'days.date_day', relation='history') }}

),

evaluation_scores as (

    select
        evaluation_id,
        case
            when max(case when is_critical and not passed then 1 else 0 end) = 1 then 0.0
            else
                -- exact sums (macros/kpi/kpi_period_rollup.sql): the same score on every build
                100.0 * {{ kpi_exact_sum(
                    'cast(weight as double) * cast(score as double) / nullif(cast(max_score as double), 0)'
                ) }}
                / nullif({{ kpi_exact_sum('weight') }}, 0)
        end as score
    from {{ ref('stg_qa__evaluation_items') }}
    group by evaluation_id

),

evaluations as (

    select
        evaluations.evaluation_id,
        evaluations.agent_id,
        coalesce(segments.connected_local_date, segments.initiated_local_date) as local_date,
        evaluation_scores.score
    from {{ ref('stg_qa__evaluations') }} as evaluations
    inner join {{ ref('int_contact_segments') }} as segments
        on evaluations.segment_id = segments.segment_id
    inner join evaluation_scores
        on evaluations.evaluation_id = evaluation_scores.evaluation_id
    where evaluation_scores.score is not null and evaluations.agent_id is not null

),

evaluation_agents as (

    select
        evaluations.agent_id,
        evaluations.local_date,
        history.site_id,
        history.team_id,
        evaluations.score
    from evaluations
    {{ agent_as_of('left', 'evaluations.agent_id', 'evaluations.local_date', relation='history') }}

),

{%- set day_kpis = [
    ('attrition_rate_annualised', 'is_leaver * 365', '1', '1'),
    ('voluntary_attrition_rate', 'is_voluntary_leaver * 365', '1', '1'),
    ('involuntary_attrition_rate', 'is_involuntary_leaver * 365', '1', '1'),
    ('new_hire_attrition_rate', 'is_new_hire_leaver * 365', '1', '1'),
    ('headcount', '1', 'null', '1'),
    ('fte', 'fte', 'null', '1'),
    ('proficiency_mean', 'proficiency_level', 'case when proficiency_level is not null then 1 end',
        'case when proficiency_level is not null then 1 else 0 end'),
    ('new_agent_share', 'case when proficiency_level <= 2 then 1 when proficiency_level is not null then 0 end',
        'case when proficiency_level is not null then 1 end',
        'case when proficiency_level is not null then 1 else 0 end'),
] %}

{%- set agent_kpis = [] %}
{%- for kpi_name, numerator, denominator, sample_size in day_kpis %}
    {%- do agent_kpis.append({'kpi': kpi_name, 'source': 'agent_days', 'numerator': numerator,
        'denominator': denominator, 'sample_size': sample_size}) %}
{%- endfor %}
{%- do agent_kpis.append({'kpi': 'quality_score', 'source': 'evaluation_agents', 'numerator': 'score'}) %}

{{ kpi_events_input(agent_kpis, kpi_scopes('agent'), 'sample_size > 0', with_currency=false, exclude={'agent': [
    'attrition_rate_annualised', 'voluntary_attrition_rate', 'involuntary_attrition_rate', 'new_hire_attrition_rate',
]}) }}
