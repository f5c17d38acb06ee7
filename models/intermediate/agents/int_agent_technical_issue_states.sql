{#- Every agent state technical_issue with its duration, as int_agent_states ends it: the state lasts until the
    agent's next state change; a state with no next change ends at its batch's _extracted_at; no state lasts longer
    than var max_state_hours (the rest is dropped). Dated by the start's local date at the agent's site (the
    employee version valid at the start, else the earliest version); an agent unknown to HR counts at
    center scope only, dated in var center_time_zone. -#}
with

technical_states as (

    select
        agent_id,
        state_started_at,
        state_ended_at
    from {{ ref('int_agent_states') }}
    where state = 'technical_issue'

),

with_site as (

    select
        technical_states.agent_id,
        technical_states.state_started_at,
        technical_states.state_ended_at,
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
        with_site.state_ended_at,
        {{ dbt.datediff('with_site.state_started_at', 'with_site.state_ended_at', 'second') }} as duration_s,
        with_site.site_id,
        coalesce(
            {{ sb_local_date('with_site.state_started_at', 'sites.time_zone') }},
            {{ sb_local_date('with_site.state_started_at', sb_literal(var('center_time_zone'))) }}
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
