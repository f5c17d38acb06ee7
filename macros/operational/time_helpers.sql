{#- Small portable time helpers of the operational models (dbt cross-database macros only). -#}

{#- Whole seconds from `start_ts` to `end_ts` (UTC instants, whole seconds) as a double. -#}
{% macro op_seconds_between(start_ts, end_ts) -%}
    cast({{ dbt.datediff(start_ts, end_ts, 'second') }} as double)
{%- endmacro %}


{#- UTC start of the var interval_minutes interval holding `ts` (intervals counted from UTC midnight, so
    interval_minutes must divide 1440; with whole-hour site offsets they are also local intervals). -#}
{% macro op_interval_start(ts) -%}
    {%- set minutes = var('interval_minutes', 30) | int -%}
    {{ dbt.dateadd(
        'minute',
        'cast(floor(' ~ dbt.datediff(dbt.date_trunc('day', ts), ts, 'minute') ~ ' / ' ~ minutes ~ ') as integer) * '
        ~ minutes,
        dbt.date_trunc('day', ts)
    ) }}
{%- endmacro %}


{#- Site-local calendar date of a UTC timestamp; `time_zone` null falls back to var center_time_zone. -#}
{% macro op_local_date(ts, time_zone) -%}
    cast({{ sb_to_local(ts, 'coalesce(' ~ time_zone ~ ", '" ~ var('center_time_zone') ~ "')") }} as date)
{%- endmacro %}
