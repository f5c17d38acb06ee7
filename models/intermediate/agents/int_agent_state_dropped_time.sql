{#- Data quality: states longer than var max_state_hours, one row per capped state, with the seconds
    dropped from the timeline (never counted in any KPI). -#}
with

capped as (

    select
        agent_id,
        state,
        state_started_at,
        state_ended_at,
        uncapped_ended_at,
        dropped_seconds
    from {{ ref('int_agent_states') }}
    where dropped_seconds > 0

),

final as (

    select
        agent_id,
        state,
        state_started_at,
        state_ended_at,
        uncapped_ended_at,
        dropped_seconds
    from capped

)

select
    agent_id,
    state,
    state_started_at,
    state_ended_at,
    uncapped_ended_at,
    dropped_seconds
from final
