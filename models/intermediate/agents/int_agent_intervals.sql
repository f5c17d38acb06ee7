{#- Per agent and interval (var interval_minutes, UTC start; local start, local date, site and team as of
    that date): seconds by agent state, by scheduled activity (schedule in force) and in adherence
    (state matches the activity: open <-> available, on_contact, acw, outbound_dialing; break, lunch,
    meeting, training, coaching <-> the same state). -#}
{#- One seconds column per agent state (logged_out is no time) and per scheduled activity, in the landing
    contract's order (contract_enum), so no list of states or activities is retyped here. -#}
{%- set states = contract_enum('acd/agent_state_changes', 'state', exclude=['logged_out']) -%}
{%- set activities = contract_enum('wfm/schedule_activities', 'activity') -%}
{%- set open_activity = contract_value('wfm/schedule_activities', 'activity', 'open') -%}
with

state_pieces as (

    select
        {{ team_piece_columns(['state'], time_zone=false) }}
    from {{ ref('int_agent_state_intervals') }}

),

schedule_pieces as (

    select
        {{ team_piece_columns(['activity'], time_zone=false) }}
    from {{ ref('int_agent_schedule_intervals') }}

),

state_schedule_overlaps as (

    select
        state_pieces.agent_id,
        state_pieces.interval_start,
        schedule_pieces.activity,
        state_pieces.state,
        {{ dbt.datediff(
            'case when state_pieces.piece_started_at > schedule_pieces.piece_started_at '
            ~ 'then state_pieces.piece_started_at else schedule_pieces.piece_started_at end',
            'case when state_pieces.piece_ended_at < schedule_pieces.piece_ended_at '
            ~ 'then state_pieces.piece_ended_at else schedule_pieces.piece_ended_at end',
            'second') }} as seconds
    from state_pieces
    inner join schedule_pieces
        on
            state_pieces.agent_id = schedule_pieces.agent_id
            and state_pieces.interval_start = schedule_pieces.interval_start
            and state_pieces.piece_started_at < schedule_pieces.piece_ended_at
            and state_pieces.piece_ended_at > schedule_pieces.piece_started_at

),

adherence as (

    select
        agent_id,
        interval_start,
        sum(case when {{ team_state_matches_activity('state', 'activity') }} then seconds else 0 end)
            as adherent_s,
        sum(
            case
                when activity = {{ open_activity }} and {{ team_state_matches_activity('state', open_activity) }}
                    then seconds
                else 0
            end
        ) as productive_open_s
    from state_schedule_overlaps
    group by agent_id, interval_start

),

state_seconds as (

    select
        agent_id,
        interval_start,
        max(interval_end) as interval_end,
        max(interval_start_local) as interval_start_local,
        max(local_date) as local_date,
        max(site_id) as site_id,
        max(team_id) as team_id,
        {%- for state in states %}
            sum(case when state = '{{ state }}' then seconds else 0 end) as {{ state }}_s,
        {%- endfor %}
        sum(seconds) as logged_in_s
    from state_pieces
    group by agent_id, interval_start

),

schedule_seconds as (

    select
        agent_id,
        interval_start,
        max(interval_end) as interval_end,
        max(interval_start_local) as interval_start_local,
        max(local_date) as local_date,
        max(site_id) as site_id,
        max(team_id) as team_id,
        {%- for activity in activities %}
            sum(case when activity = '{{ activity }}' then seconds else 0 end) as scheduled_{{ activity }}_s,
        {%- endfor %}
        sum(case when activity not in {{ schedule_activity_values('unpaid_activities') }} then seconds else 0 end)
            as paid_scheduled_s,
        sum(
            case when activity not in {{ schedule_activity_values('non_adherence_activities') }} then seconds else 0 end
        ) as adherence_scheduled_s
    from schedule_pieces
    group by agent_id, interval_start

),

agent_intervals as (

    select
        agent_id,
        interval_start
    from state_seconds
    union
    select
        agent_id,
        interval_start
    from schedule_seconds

),

final as (

    select
        agent_intervals.agent_id,
        agent_intervals.interval_start,
        coalesce(state_seconds.interval_end, schedule_seconds.interval_end) as interval_end,
        coalesce(state_seconds.interval_start_local, schedule_seconds.interval_start_local) as interval_start_local,
        coalesce(state_seconds.local_date, schedule_seconds.local_date) as local_date,
        coalesce(state_seconds.site_id, schedule_seconds.site_id) as site_id,
        coalesce(state_seconds.team_id, schedule_seconds.team_id) as team_id,
        {%- for state in states %}
            cast(coalesce(state_seconds.{{ state }}_s, 0) as bigint) as {{ state }}_s,
        {%- endfor %}
        cast(coalesce(state_seconds.logged_in_s, 0) as bigint) as logged_in_s,
        {%- for activity in activities %}
            cast(coalesce(schedule_seconds.scheduled_{{ activity }}_s, 0) as bigint) as scheduled_{{ activity }}_s,
        {%- endfor %}
        cast(coalesce(schedule_seconds.paid_scheduled_s, 0) as bigint) as paid_scheduled_s,
        cast(coalesce(schedule_seconds.adherence_scheduled_s, 0) as bigint) as adherence_scheduled_s,
        cast(coalesce(adherence.adherent_s, 0) as bigint) as adherent_s,
        cast(coalesce(adherence.productive_open_s, 0) as bigint) as productive_open_s
    from agent_intervals
    left join state_seconds
        on
            agent_intervals.agent_id = state_seconds.agent_id
            and agent_intervals.interval_start = state_seconds.interval_start
    left join schedule_seconds
        on
            agent_intervals.agent_id = schedule_seconds.agent_id
            and agent_intervals.interval_start = schedule_seconds.interval_start
    left join adherence
        on
            agent_intervals.agent_id = adherence.agent_id
            and agent_intervals.interval_start = adherence.interval_start

)

select
    agent_id,
    interval_start,
    interval_end,
    interval_start_local,
    local_date,
    site_id,
    team_id,
    {%- for state in states %}
        {{ state }}_s,
    {%- endfor %}
    logged_in_s,
    {%- for activity in activities %}
        scheduled_{{ activity }}_s,
    {%- endfor %}
    paid_scheduled_s,
    adherence_scheduled_s,
    adherent_s,
    productive_open_s
from final
