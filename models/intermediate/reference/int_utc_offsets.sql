{#- The UTC offset of every time zone in use (the sites seed and var center_time_zone) for every UTC hour of
    the span of the ACD events (first segment or state change - 1 day .. last + 2 days: macro
    sb_utc_offset_margins), so local time is an
    equi-join on (time zone, UTC hour) plus an addition instead of a time-zone call per row (issue 14; macros
    sb_utc_offset_join / sb_to_local_at). offset_seconds holds from the start of the hour; where the offset
    changes inside the hour (a zone whose transitions are not on the whole UTC hour, e.g. America/St_Johns),
    changed_at is the first minute of the new offset and offset_after_seconds the new offset. A time outside
    the span or a zone not listed falls back to the time-zone call in the macro, so the span is only a matter
    of speed, never of correctness. -#}
{%- set margins = sb_utc_offset_margins() -%}
with

sites as (

    select time_zone
    from {{ ref('sites') }}

),

-- the staged segments of the base model, not stg_acd__contact_segments: that model takes its local time from this
-- table (the same rows: stg_ holds exactly the staged rows of base_)
segments as (

    select initiated_at
    from {{ ref('base_acd__contact_segments') }}
    where _status = 'staged'

),

state_changes as (

    select state_started_at
    from {{ ref('stg_acd__agent_state_changes') }}

),

zones as (

    select time_zone from sites
    where time_zone is not null
    union
    select {{ sb_literal(var('center_time_zone')) }} as time_zone

),

event_bounds as (

    select
        min(initiated_at) as first_at,
        max(initiated_at) as last_at
    from segments
    union all
    select
        min(state_started_at) as first_at,
        max(state_started_at) as last_at
    from state_changes

),

span as (

    select
        {{ dbt.dateadd('hour', -(margins.before | int), dbt.date_trunc('hour', 'min(first_at)')) }} as first_hour,
        {{ dbt.dateadd('hour', margins.after | int, dbt.date_trunc('hour', 'max(last_at)')) }} as last_hour
    from event_bounds

),

hours as (

    select {{ sb_timestamp_steps('first_hour', 'last_hour', 60) }} as utc_hour
    from span

),

zone_hours as (

    select
        zones.time_zone,
        hours.utc_hour,
        {{ dbt.datediff('hours.utc_hour', sb_to_local('hours.utc_hour', 'zones.time_zone'), 'second') }}
            as offset_seconds
    from zones
    cross join hours

),

-- each hour with the next hour's offset (the last hour of the span has none and is left out: a time in it falls
-- back to the time-zone call, as any time outside the span)
hours_with_next as (

    select
        time_zone,
        utc_hour,
        offset_seconds,
        lead(offset_seconds) over (partition by time_zone order by utc_hour) as next_offset_seconds
    from zone_hours

),

-- hours whose offset differs from the next hour's: the change is at the next hour or inside this one
changing_hours as (

    select
        time_zone,
        utc_hour,
        offset_seconds
    from hours_with_next
    where next_offset_seconds != offset_seconds

),

minute_numbers as (
    {{ sb_numbers(60) }}
),

minutes_of_changing_hours as (

    select
        time_zone,
        utc_hour,
        offset_seconds,
        minute_at,
        {{ dbt.datediff('minute_at', sb_to_local('minute_at', 'time_zone'), 'second') }} as minute_offset_seconds
    from (
        select
            changing_hours.time_zone,
            changing_hours.utc_hour,
            changing_hours.offset_seconds,
            {{ dbt.dateadd('minute', 'minute_numbers.n', 'changing_hours.utc_hour') }} as minute_at
        from changing_hours
        inner join minute_numbers
            on minute_numbers.n >= 1
    ) as minutes

),

first_changed_minutes as (

    select
        time_zone,
        utc_hour,
        min(minute_at) as changed_at
    from minutes_of_changing_hours
    where minute_offset_seconds != offset_seconds
    group by time_zone, utc_hour

),

changes as (

    select
        first_changed_minutes.time_zone,
        first_changed_minutes.utc_hour,
        first_changed_minutes.changed_at,
        minutes_of_changing_hours.minute_offset_seconds as offset_after_seconds
    from first_changed_minutes
    inner join minutes_of_changing_hours
        on
            first_changed_minutes.time_zone = minutes_of_changing_hours.time_zone
            and first_changed_minutes.changed_at = minutes_of_changing_hours.minute_at

),

final as (

    select
        hours_with_next.time_zone,
        hours_with_next.utc_hour,
        cast(hours_with_next.offset_seconds as bigint) as offset_seconds,
        changes.changed_at,
        cast(changes.offset_after_seconds as bigint) as offset_after_seconds
    from hours_with_next
    left join changes
        on
            hours_with_next.time_zone = changes.time_zone
            and hours_with_next.utc_hour = changes.utc_hour
    where hours_with_next.next_offset_seconds is not null

)

select
    time_zone,
    utc_hour,
    offset_seconds,
    changed_at,
    offset_after_seconds
from final
