{#- One row per agent state (logged_out excluded: it only closes a session) with its start and end:
    the agent's next state change (whatever arrived in which batch: ordered by state_started_at), else the
    state row's own batch _extracted_at (a session still open at the end of the data), and never more than
    var max_state_hours after its start; the rest is dropped_seconds (see int_agent_state_dropped_time). -#}
with

changes as (

    select
        agent_id,
        state_started_at,
        state,
        _extracted_at,
        lead(state_started_at) over (partition by agent_id order by state_started_at) as next_started_at,
        lead(state) over (partition by agent_id order by state_started_at) as next_state
    from {{ ref('stg_acd__agent_state_changes') }}

),

bounded as (

    select
        agent_id,
        state_started_at,
        state,
        coalesce(next_started_at, _extracted_at) as uncapped_ended_at,
        {{ dbt.dateadd('second', var('max_state_hours') * 3600, 'state_started_at') }} as capped_at,
        case
            when next_state = 'logged_out' then 'logged_out'
            when next_started_at is not null then 'next_change'
            else 'end_of_data'
        end as closed_by
    from changes
    where state <> 'logged_out'

),

final as (

    select
        agent_id,
        state,
        state_started_at,
        case when uncapped_ended_at > capped_at then capped_at else uncapped_ended_at end as state_ended_at,
        uncapped_ended_at,
        case when uncapped_ended_at > capped_at then 'max_state_hours' else closed_by end as closed_by,
        case
            when uncapped_ended_at > capped_at then {{ dbt.datediff('capped_at', 'uncapped_ended_at', 'second') }}
            else 0
        end as dropped_seconds
    from bounded

)

select
    agent_id,
    state,
    state_started_at,
    state_ended_at,
    uncapped_ended_at,
    closed_by,
    dropped_seconds
from final
