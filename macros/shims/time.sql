{#- Portable time helpers shared by every family (dbt cross-database macros and sb_to_local only). -#}

{#-
    sb_interval_start(ts): the start of the var interval_minutes interval (default 30) that contains the
    UTC timestamp `ts`, as a timestamp. Portable: day truncation plus whole minutes (no epoch arithmetic).
    The interval length must divide a day (15, 30, 60 minutes).
-#}
{% macro sb_interval_start(ts) -%}
    {%- set minutes = sb_interval_minutes() | int -%}
    {{ dbt.dateadd(
        'minute',
        'floor((extract(hour from ' ~ ts ~ ') * 60 + extract(minute from ' ~ ts ~ ')) / ' ~ minutes ~ ') * ' ~ minutes,
        dbt.date_trunc('day', ts)
    ) }}
{%- endmacro %}


{#- Length of one queue interval in minutes (var interval_minutes; 30 where the var is not a number, which
    only happens under the linter's stub `var`). -#}
{% macro sb_interval_minutes() -%}
    {{ (var('interval_minutes') | int) or 30 }}
{%- endmacro %}


{#- Length of one queue interval in seconds (var interval_minutes). -#}
{% macro sb_interval_seconds() -%}
    {{ (sb_interval_minutes() | int) * 60 }}
{%- endmacro %}


{#- Site-local calendar date of a UTC timestamp in an IANA time zone; a null time zone (an event with no
    site) falls back to var center_time_zone, as the catalogue dates such events. -#}
{% macro sb_local_date(ts, time_zone) -%}
    cast({{ sb_to_local(ts, 'coalesce(' ~ time_zone ~ ', ' ~ sb_literal(var('center_time_zone')) ~ ')') }} as date)
{%- endmacro %}


{#- Whole seconds from `start_ts` to `end_ts` (UTC instants, whole seconds) as a double. -#}
{% macro sb_seconds_between(start_ts, end_ts) -%}
    cast({{ dbt.datediff(start_ts, end_ts, 'second') }} as double)
{%- endmacro %}
