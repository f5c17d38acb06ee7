{#- Period-level KPI input rows (docs/kpi-definitions.md) of the engagement KPIs from the employee pulse survey:
    employee_satisfaction (mean eSat), enps (100 x (promoters 9-10 - detractors 0-6) / responses) and
    collaboration_score (mean), per day, ISO week and month of survey_date, at team, site (the team's site)
    and center scope, never at agent scope (the survey is anonymous to team level). Computed per period,
    not rolled up from days, so the minimum of var engagement_min_responses (5) responses applies to every
    published group: a group with fewer responses to a question has no row. -#}
with

responses as (

    select
        pulse.response_id,
        pulse.team_id,
        teams.site_id,
        pulse.esat_score,
        pulse.enps_score,
        pulse.collaboration_score,
        dates.date_day,
        dates.week_start,
        dates.month_start
    from {{ ref('stg_survey__employee_pulse') }} as pulse
    inner join {{ ref('int_calendar_dates') }} as dates
        on pulse.survey_date = dates.date_day
    left join {{ ref('stg_hr__teams') }} as teams
        on pulse.team_id = teams.team_id

),

answers as (

    select
        'employee_satisfaction' as kpi_name,
        team_id,
        site_id,
        date_day,
        week_start,
        month_start,
        cast(esat_score as double) as numerator
    from responses
    where esat_score is not null
    union all
    select
        'enps' as kpi_name,
        team_id,
        site_id,
        date_day,
        week_start,
        month_start,
        case
            when enps_score >= {{ var('nps_promoter_min_score') }} then 100.0
            when enps_score < {{ var('nps_passive_min_score') }} then -100.0
            else 0.0
        end as numerator
    from responses
    where enps_score is not null
    union all
    select
        'collaboration_score' as kpi_name,
        team_id,
        site_id,
        date_day,
        week_start,
        month_start,
        cast(collaboration_score as double) as numerator
    from responses
    where collaboration_score is not null

),

grouped as (

    {%- set grains = [('day', 'date_day'), ('week', 'week_start'), ('month', 'month_start')] %}
    {%- set scopes = [('center', "'all'"), ('site', 'site_id'), ('team', 'team_id')] %}
    {%- for grain, period_column in grains %}
        {%- set outer_loop = loop %}
        {%- for scope_type, scope_column in scopes %}
            select
                kpi_name,
                '{{ grain }}' as period_grain,
                {{ period_column }} as period_start,
                '{{ scope_type }}' as scope_type,
                cast({{ scope_column }} as {{ dbt.type_string() }}) as scope_id,
                sum(numerator) as numerator,
                count(*) as responses
            from answers
            {%- if scope_type != 'center' %}
                where {{ scope_column }} is not null
            {%- endif %}
            group by
                kpi_name,
                {{ period_column }}{% if scope_type != 'center' %}, {{ scope_column }}{% endif %}
            {%- if not (outer_loop.last and loop.last) %}
                union all
            {%- endif %}
        {%- endfor %}
    {%- endfor %}

),

final as (

    {{ kpi_period_select('grouped', {
        'denominator': 'cast(responses as double)',
        'sample_size': 'cast(responses as bigint)',
    }, filter='responses >= ' ~ var('engagement_min_responses')) }}

)

{{ kpi_input_select(grain='period') }}
