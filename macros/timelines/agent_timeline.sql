{#-
    Timeline helpers of the team family (agent states and schedule activities).

    team_split_timeline(source, columns, max_hours) returns CTEs (ending in `localized_pieces`) that split
    each row of `source` (agent_id, started_at, ended_at and the pass-through `columns`) at every
    var('interval_minutes') boundary, then give each piece the agent's local date, site and team:

    - Boundaries are counted in UTC from a fixed anchor (2000-01-03 00:00 UTC, a Monday). Every site's
      UTC offset is a whole multiple of the interval (whole hours for nyc and krk), so UTC interval
      boundaries are the local ones and every local midnight is one of them: a piece never crosses a
      local interval or a local day, on 23- and 25-hour DST days too. Pieces are half-open
      [started_at, ended_at), so no second is lost or counted twice.
    - `max_hours` bounds the number of intervals a row can span (the bucket numbers relation); longer
      rows are clipped at max_hours (states are already capped at var max_state_hours upstream).
    - Time zone: the site of the agent's history version as of the piece's UTC date; local date = the
      date of the piece's local start; site_id and team_id: the version as of that local date
      (int_agent_history.as_of_from_date / as_of_to_date). An agent unknown to HR has no site or team and
      is dated in var center_time_zone (counts at center scope only).
-#}
{% macro team_split_timeline(source, columns, max_hours) %}
    {#- `| int or default`: the linter's templater renders vars as text -#}
    {%- set interval_s = ((var('interval_minutes') | int) or 30) * 60 -%}
    {%- set anchor = "cast('2000-01-03 00:00:00' as timestamp)" -%}
    {%- set max_buckets = (((max_hours | int) or 12) * 3600) // interval_s + 2 -%}
    bounded_rows as (
        select
            agent_id,
            started_at,
            ended_at,
            {%- for column in columns %}
            {{ column }},
            {%- endfor %}
            cast(floor({{ dbt.datediff(anchor, 'started_at', 'second') }} / {{ interval_s }}) as bigint)
                as first_bucket,
            cast(floor(({{ dbt.datediff(anchor, 'ended_at', 'second') }} - 1) / {{ interval_s }}) as bigint)
                as last_bucket
        from {{ source }}
        where ended_at > started_at
    ),

    bucket_numbers as (
        {{ sb_numbers(max_buckets) }}
    ),

    bucketed_rows as (
        select
            bounded_rows.agent_id,
            bounded_rows.started_at,
            bounded_rows.ended_at,
            {%- for column in columns %}
            bounded_rows.{{ column }},
            {%- endfor %}
            {{ dbt.dateadd('second', '(bounded_rows.first_bucket + bucket_numbers.n) * ' ~ interval_s, anchor) }}
                as interval_start
        from bounded_rows
        inner join bucket_numbers
            on bucket_numbers.n <= bounded_rows.last_bucket - bounded_rows.first_bucket
    ),

    pieces as (
        select
            agent_id,
            {%- for column in columns %}
            {{ column }},
            {%- endfor %}
            interval_start,
            {{ dbt.dateadd('second', interval_s, 'interval_start') }} as interval_end,
            case when started_at > interval_start then started_at else interval_start end as piece_started_at,
            case
                when ended_at < {{ dbt.dateadd('second', interval_s, 'interval_start') }} then ended_at
                else {{ dbt.dateadd('second', interval_s, 'interval_start') }}
            end as piece_ended_at
        from bucketed_rows
    ),

    zoned_pieces as (
        select
            pieces.agent_id,
            {%- for column in columns %}
            pieces.{{ column }},
            {%- endfor %}
            pieces.interval_start,
            pieces.interval_end,
            pieces.piece_started_at,
            pieces.piece_ended_at,
            coalesce(zone_sites.time_zone, {{ sb_literal(var("center_time_zone")) }}) as time_zone
        from pieces
        {{ agent_as_of('left', 'pieces.agent_id', 'cast(pieces.piece_started_at as date)', alias='zone_history') }}
        left join {{ ref('sites') }} as zone_sites
            on zone_history.site_id = zone_sites.site_id
    ),

    {#- local time through int_utc_offsets (macros/shims/time.sql); a piece lies inside one interval, so inside the
        UTC hour of its interval_start when the interval divides an hour: one join serves both conversions -#}
    {%- set piece_offsets = 'interval_offsets' if 3600 % interval_s == 0 else 'piece_offsets' %}
    local_pieces as (
        select
            zoned_pieces.agent_id,
            {%- for column in columns %}
            zoned_pieces.{{ column }},
            {%- endfor %}
            zoned_pieces.interval_start,
            zoned_pieces.interval_end,
            zoned_pieces.piece_started_at,
            zoned_pieces.piece_ended_at,
            zoned_pieces.time_zone,
            {{ sb_to_local_at('zoned_pieces.interval_start', 'zoned_pieces.time_zone', 'interval_offsets') }}
                as interval_start_local,
            {{ sb_local_date_at('zoned_pieces.piece_started_at', 'zoned_pieces.time_zone', piece_offsets) }}
                as local_date
        from zoned_pieces
        {{ sb_utc_offset_join('zoned_pieces.interval_start', 'zoned_pieces.time_zone', 'interval_offsets') }}
        {%- if piece_offsets != 'interval_offsets' %}
        {{ sb_utc_offset_join('zoned_pieces.piece_started_at', 'zoned_pieces.time_zone', piece_offsets) }}
        {%- endif %}
    ),

    localized_pieces as (
        select
            local_pieces.agent_id,
            {%- for column in columns %}
            local_pieces.{{ column }},
            {%- endfor %}
            local_pieces.interval_start,
            local_pieces.interval_end,
            local_pieces.interval_start_local,
            local_pieces.piece_started_at,
            local_pieces.piece_ended_at,
            {{ dbt.datediff('local_pieces.piece_started_at', 'local_pieces.piece_ended_at', 'second') }} as seconds,
            local_pieces.local_date,
            local_pieces.time_zone,
            date_history.site_id,
            date_history.team_id
        from local_pieces
        {{ agent_as_of('left', 'local_pieces.agent_id', 'local_pieces.local_date', alias='date_history') }}
    )
{%- endmacro %}


{#- team_split_model(source, columns, max_hours): the body of a model of timeline pieces after its import CTE
    `source`: team_split_timeline's CTEs, `final` and the closing select of team_piece_columns(columns). -#}
{% macro team_split_model(source, columns, max_hours) -%}
{{ team_split_timeline(source, columns, max_hours) }},

final as (

    select
        {{ team_piece_columns(columns) }}
    from localized_pieces

)

select
    {{ team_piece_columns(columns) }}
from final
{%- endmacro %}


{#- team_piece_columns(columns, time_zone=true): the columns of a piece of team_split_timeline (its CTE
    localized_pieces), with the pass-through `columns`, comma-separated, for the models that publish or read
    pieces; time_zone=false leaves the piece's time zone out. -#}
{% macro team_piece_columns(columns, time_zone=true) -%}
    {%- set names = ['agent_id'] + columns + [
        'interval_start', 'interval_end', 'interval_start_local', 'piece_started_at', 'piece_ended_at', 'seconds',
        'local_date',
    ] + (['time_zone'] if time_zone else []) + ['site_id', 'team_id'] -%}
    {{ names | join(',\n        ') }}
{%- endmacro %}


{#- True when an agent state adheres to a scheduled activity (catalogue schedule_adherence): open <-> the states
    of var adherence_open_states; each activity of var adherence_same_state_activities <-> the state of the same
    name. Every value is checked against the landing contract's enumerations. -#}
{% macro team_state_matches_activity(state, activity) -%}
    {%- set states = [] -%}
    {%- for value in var('adherence_open_states') -%}
        {%- do states.append(contract_value('acd/agent_state_changes', 'state', value)) -%}
    {%- endfor -%}
    (
        ({{ activity }} = {{ contract_value('wfm/schedule_activities', 'activity', 'open') }}
            and {{ state }} in ({{ states | join(', ') }}))
        or ({{ activity }} in {{ schedule_activity_values('adherence_same_state_activities') }}
            and {{ state }} = {{ activity }})
    )
{%- endmacro %}


{#- The scheduled activities named by a list var (e.g. unpaid_activities) as a SQL list literal, each checked
    against the landing contract's activity enumeration. -#}
{% macro schedule_activity_values(var_name) -%}
    {%- set quoted = [] -%}
    {%- for value in var(var_name) -%}
        {%- do quoted.append(contract_value('wfm/schedule_activities', 'activity', value)) -%}
    {%- endfor -%}
    ({{ quoted | join(', ') }})
{%- endmacro %}
