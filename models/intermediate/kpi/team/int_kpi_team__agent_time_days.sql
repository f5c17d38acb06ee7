{#- Daily KPI input rows (docs/kpi-definitions.md) of the time-based team KPIs, from fct_agent_intervals and
    hr absences and handled segments (int_contact_segments), per agent and local date and expanded to team, site
    and center (team and site of the agent as of the date). Ratios of seconds carry sample_size = the denominator
    in seconds; the absence rates and contacts per logged-in hour have hour denominators, sample_size = those hours
    rounded up per agent and day. -#}
with

agent_days as (

    select
        agent_id,
        local_date,
        max(site_id) as site_id,
        max(team_id) as team_id,
        cast(sum(available_s) as bigint) as available_s,
        cast(sum(on_contact_s + acw_s + outbound_dialing_s) as bigint) as handling_s,
        cast(sum(logged_in_s) as bigint) as logged_in_s,
        cast(sum(scheduled_open_s) as bigint) as scheduled_open_s,
        cast(
            sum(
                scheduled_break_s + scheduled_lunch_s + scheduled_meeting_s + scheduled_training_s
                + scheduled_coaching_s + scheduled_vacation_s
            ) as bigint
        ) as scheduled_planned_shrinkage_s,
        cast(sum(paid_scheduled_s) as bigint) as paid_scheduled_s,
        cast(sum(adherence_scheduled_s) as bigint) as adherence_scheduled_s,
        cast(sum(adherent_s) as bigint) as adherent_s,
        cast(sum(productive_open_s) as bigint) as productive_open_s
    from {{ ref('int_agent_intervals') }}
    group by agent_id, local_date

),

absences as (

    select
        absences.employee_id as agent_id,
        absences.absence_date as local_date,
        max(agent_history.site_id) as site_id,
        max(agent_history.team_id) as team_id,
        {{ kpi_exact_sum('case when not absences.is_authorised then absences.hours else 0 end') }}
            as unauthorised_hours,
        {{ kpi_exact_sum('case when not absences.is_planned then absences.hours else 0 end') }} as unplanned_hours
    from {{ ref('stg_hr__absences') }} as absences
    {{ agent_as_of('inner', 'absences.employee_id', 'absences.absence_date', alias='agent_history') }}
    where agent_history.job_role = 'agent'
    group by absences.employee_id, absences.absence_date

),

absence_days as (

    select
        coalesce(agent_days.agent_id, absences.agent_id) as agent_id,
        coalesce(agent_days.local_date, absences.local_date) as local_date,
        coalesce(agent_days.site_id, absences.site_id) as site_id,
        coalesce(agent_days.team_id, absences.team_id) as team_id,
        coalesce(absences.unauthorised_hours, 0) as unauthorised_hours,
        coalesce(absences.unplanned_hours, 0) as unplanned_hours,
        coalesce(agent_days.paid_scheduled_s, 0) / 3600 as paid_scheduled_h
    from agent_days
    full outer join absences
        on
            agent_days.agent_id = absences.agent_id
            and agent_days.local_date = absences.local_date

),

handled_segments as (

    select
        segments.agent_id,
        segments.connected_local_date as local_date,
        max(agent_history.site_id) as site_id,
        max(agent_history.team_id) as team_id,
        count(*) as handled_segments
    from {{ ref('int_contact_segments') }} as segments
    {{ agent_as_of('left', 'segments.agent_id', 'segments.connected_local_date', alias='agent_history') }}
    where segments.is_handled and segments.agent_id is not null
    group by segments.agent_id, segments.connected_local_date

),

contact_days as (

    select
        coalesce(agent_days.agent_id, handled_segments.agent_id) as agent_id,
        coalesce(agent_days.local_date, handled_segments.local_date) as local_date,
        coalesce(agent_days.site_id, handled_segments.site_id) as site_id,
        coalesce(agent_days.team_id, handled_segments.team_id) as team_id,
        coalesce(handled_segments.handled_segments, 0) as handled_segments,
        coalesce(agent_days.logged_in_s, 0) / 3600 as logged_in_h
    from agent_days
    full outer join handled_segments
        on
            agent_days.agent_id = handled_segments.agent_id
            and agent_days.local_date = handled_segments.local_date

),

{%- set second_ratios = [
    ('occupancy', 'handling_s', 'handling_s + available_s'),
    ('utilization', 'logged_in_s', 'paid_scheduled_s'),
    ('schedule_adherence', 'adherent_s', 'adherence_scheduled_s'),
    ('schedule_conformance', 'available_s + handling_s', 'scheduled_open_s'),
    ('shrinkage', 'paid_scheduled_s - productive_open_s', 'paid_scheduled_s'),
    ('planned_shrinkage', 'scheduled_planned_shrinkage_s', 'paid_scheduled_s'),
    ('unplanned_shrinkage', 'scheduled_open_s - productive_open_s', 'paid_scheduled_s'),
] %}
{%- set hour_ratios = [
    ('absenteeism', 'unauthorised_hours', 'paid_scheduled_h', 'absence_days'),
    ('unplanned_absence_rate', 'unplanned_hours', 'paid_scheduled_h', 'absence_days'),
    ('contacts_per_logged_in_hour', 'handled_segments', 'logged_in_h', 'contact_days'),
] %}

{%- set agent_kpis = [] %}
{%- for kpi_name, numerator, denominator in second_ratios %}
    {%- do agent_kpis.append({'kpi': kpi_name, 'source': 'agent_days', 'numerator': numerator,
        'denominator': denominator, 'sample_size': denominator}) %}
{%- endfor %}
{%- for kpi_name, numerator, denominator, relation in hour_ratios %}
    {%- do agent_kpis.append({'kpi': kpi_name, 'source': relation, 'numerator': numerator,
        'denominator': denominator, 'sample_size': 'ceil(' ~ denominator ~ ')'}) %}
{%- endfor %}

{{ kpi_events_input(agent_kpis, kpi_scopes('agent'), 'sample_size > 0 or numerator <> 0', with_currency=false) }}
