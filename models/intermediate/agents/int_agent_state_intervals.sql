{#- The agent-state timeline split at every interval (var interval_minutes) and local-day boundary:
    one row per piece of a state inside one UTC interval, with the agent's local date, site and team as
    of that date (macro team_split_timeline). Σ seconds of an agent's pieces = Σ (state_ended_at -
    state_started_at) of int_agent_states: nothing lost, nothing counted twice. -#}
with

states as (

    select
        agent_id,
        state,
        state_started_at,
        state_ended_at,
        state_started_at as started_at,
        state_ended_at as ended_at
    from {{ ref('int_agent_states') }}

),

{{ team_split_model('states', ['state', 'state_started_at', 'state_ended_at'], var('max_state_hours')) }}
