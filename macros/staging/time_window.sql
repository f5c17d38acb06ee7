{#-
    The plausible window of landing timestamps (bad-row rules out_of_range and future_timestamp, and the span of
    the calendar), in a file apart from its callers (staging_rule_checks, staging_calendar_span in
    contract_lookup.sql): sqlfluff's jinja templater only honours {{ return(...) }} of a macro called from
    another file.
-#}


{#- The plausible window of every timestamp and date as SQL literals, per contract type ('ts', 'date'):
    earliest = var landing_earliest_event_date; latest = the build's clock (dbt's run_started_at, UTC) + var
    landing_future_tolerance_hours; latest_planned = the clock + var landing_planning_horizon_days. A date is
    compared with the date of the bound; 'bounds' holds the three as datetimes. Templated outside dbt (sqlfluff)
    there is no clock: the earliest date stands in for it. -#}
{% macro staging_time_window() %}
    {% set earliest = modules.datetime.datetime.strptime(var('landing_earliest_event_date') | string, '%Y-%m-%d') %}
    {% set clock = run_started_at.replace(tzinfo=none) if run_started_at is defined else earliest %}
    {% set latest = clock + modules.datetime.timedelta(hours=var('landing_future_tolerance_hours') | float) %}
    {% set latest_planned = clock + modules.datetime.timedelta(days=var('landing_planning_horizon_days') | float) %}
    {% set out = {'bounds': {'earliest': earliest, 'latest': latest, 'latest_planned': latest_planned}} %}
    {% for name, bound in [('earliest', earliest), ('latest', latest), ('latest_planned', latest_planned)] %}
        {% do out.update({name: {
            'ts': "cast('" ~ bound.strftime('%Y-%m-%d %H:%M:%S') ~ "' as timestamp)",
            'date': "cast('" ~ bound.strftime('%Y-%m-%d') ~ "' as date)"}}) %}
    {% endfor %}
    {{ return(out) }}
{% endmacro %}
