{#- Every agent state technical_issue with its duration: the state lasts until the agent's next state
    change; a state with no next change ends at its batch's _extracted_at; no state lasts longer than var
    max_state_hours (the rest is dropped). Dated by the start's local date at the agent's site (the
    employee version valid at the start, else the earliest version); an agent unknown to HR counts at
    center scope only, dated in var center_time_zone. -#}
with

state_changes as (

    select
        agent_id,
        state_started_at,
        state,
        _extracted_at,
        lead(state_started_at) over (partition by agent_id order by state_started_at) as next_state_started_at
    from {{ ref('stg_acd__agent_state_changes') }}

),

technical_states as (

    select
        agent_id,
        state_started_at,
        coalesce(next_state_started_at, _extracted_at) as uncapped_ended_at,
        {{ dbt.dateadd('hour', var('max_state_hours'), 'state_started_at') }} as cap_at
    from state_changes
    where state = 'technical_issue'

),

with_site as (

    select
        technical_states.agent_id,
        technical_states.state_started_at,
        technical_states.uncapped_ended_at,
        technical_states.cap_at,
        agent_versions.site_id
    from technical_states
    {{ agent_as_of(
        'left', 'technical_states.agent_id', 'technical_states.state_started_at', grain='at', alias='agent_versions',
    ) }}

),

final as (

    select
        with_site.agent_id,
        with_site.state_started_at,
        case
            when with_site.uncapped_ended_at > with_site.cap_at then with_site.cap_at
            else with_site.uncapped_ended_at
        end as state_ended_at,
        {{ dbt.datediff(
            'with_site.state_started_at',
            'case when with_site.uncapped_ended_at > with_site.cap_at then with_site.cap_at
            else with_site.uncapped_ended_at end',
            'second'
        ) }} as duration_s,
        with_site.site_id,
        coalesce(
            {{ sb_local_date('with_site.state_started_at', 'sites.time_zone') }},
            {{ sb_local_date('with_site.state_started_at', "'" ~ var('center_time_zone') ~ "'") }}
        ) as local_date
    from with_site
    left join {{ ref('sites') }} as sites on with_site.site_id = sites.site_id

)

select
    agent_id,
    state_started_at,
    state_ended_at,
    duration_s,
    site_id,
    local_date
from final
