{#- Portable time helpers shared by every family (dbt cross-database macros, sb_to_local and one dispatched
    table-generating step series). -#}

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


{#- The open end of a validity range: a date (timestamp) after every real one. A join on
    `x < valid_to or valid_to is null` is a nested loop in DuckDB; `x < coalesce(valid_to, sb_open_end_date())`
    is a range condition it joins by sort (or filters after a hash join), with the same rows wherever x is also
    bounded by valid_from in the same join (issue 14). The same 9999-12-31 as int_agent_history's open end. -#}
{% macro sb_open_end_date() -%}
    cast('9999-12-31' as date)
{%- endmacro %}

{% macro sb_open_end_timestamp() -%}
    cast('9999-12-31 00:00:00' as timestamp)
{%- endmacro %}


{#- Whole seconds from `start_ts` to `end_ts` (UTC instants, whole seconds) as a double. -#}
{% macro sb_seconds_between(start_ts, end_ts) -%}
    cast({{ dbt.datediff(start_ts, end_ts, 'second') }} as double)
{%- endmacro %}


{#-
    Local time through the offset table int_utc_offsets instead of a time-zone call per row (issue 14: 2.59 CPU-s
    per million calls against 0.12 through the join). A model converts `ts` in `time_zone` with
        {{ sb_utc_offset_join(ts, time_zone, alias) }}    -- in its from clause: a left equi-join on (zone, UTC hour)
        {{ sb_to_local_at(ts, time_zone, alias) }}        -- in its select list: the local timestamp
    Result identical to sb_to_local(ts, time_zone): the hour's offset, or the offset after a change inside the hour
    from changed_at on; a time the table does not hold (outside its span, a zone not in use, a null) falls back to
    sb_to_local itself (coalesce evaluates it only for those rows).
-#}
{% macro sb_utc_offset_join(ts, time_zone, alias) -%}
    left join {{ ref('int_utc_offsets') }} as {{ alias }}
        on
            {{ time_zone }} = {{ alias }}.time_zone
            and {{ dbt.date_trunc('hour', ts) }} = {{ alias }}.utc_hour
{%- endmacro %}

{% macro sb_to_local_at(ts, time_zone, alias) -%}
    {%- set offset = 'case when ' ~ ts ~ ' >= ' ~ alias ~ '.changed_at then ' ~ alias ~ '.offset_after_seconds else '
        ~ alias ~ '.offset_seconds end' -%}
    coalesce({{ dbt.dateadd('second', offset, ts) }}, {{ sb_to_local(ts, time_zone) }})
{%- endmacro %}


{#- The site-local date through the offset table (sb_utc_offset_join with the same `time_zone`, which must be
    sb_zone_or_center(...) of the zone column, as sb_local_date dates a null zone in var center_time_zone). -#}
{% macro sb_local_date_at(ts, time_zone, alias) -%}
    cast({{ sb_to_local_at(ts, time_zone, alias) }} as date)
{%- endmacro %}

{% macro sb_zone_or_center(time_zone) -%}
    coalesce({{ time_zone }}, {{ sb_literal(var('center_time_zone')) }})
{%- endmacro %}


{#-
    sb_timestamp_steps(start_ts, end_ts, minutes): a select-list expression that yields one row per timestamp
    start_ts, start_ts + minutes, ... <= end_ts (a table-generating function: DuckDB unnest(generate_series),
    Spark explode(sequence)); no rows when a bound is null. For int_utc_offsets.
-#}
{% macro sb_timestamp_steps(start_ts, end_ts, minutes) %}
    {{ return(adapter.dispatch('sb_timestamp_steps', 'switchboard')(start_ts, end_ts, minutes)) }}
{% endmacro %}

{% macro default__sb_timestamp_steps(start_ts, end_ts, minutes) -%}
    unnest(generate_series({{ start_ts }}, {{ end_ts }}, to_minutes(cast({{ minutes }} as bigint))))
{%- endmacro %}

{% macro spark__sb_timestamp_steps(start_ts, end_ts, minutes) -%}
    explode(sequence({{ start_ts }}, {{ end_ts }}, make_dt_interval(0, 0, {{ minutes }}, 0)))
{%- endmacro %}


{#- Hours of int_utc_offsets before the first and after the last ACD event (a segment's initiated_at, a state
    change): a day before, two days after (a contact or a state piece ends after it starts; states are capped at
    var max_state_hours). Only speed depends on it (a time outside falls back to the time-zone call); a macro so
    that a unit test can narrow the span to a few hours. -#}
{% macro sb_utc_offset_margins() %}
    {{ return({'before': 24, 'after': 48}) }}
{% endmacro %}
