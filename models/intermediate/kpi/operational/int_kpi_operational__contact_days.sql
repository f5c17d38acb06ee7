{#- Daily input of kpi_operational for the contact KPIs (per contact of status ok, dated by the root's
    initiated_at at the contact's site), blocked and outbound segments (per segment, dated by initiated_at) and
    contacts/agents per resolution (per resolved case, dated by closed_at at the site of its earliest linked
    segment), expanded to center, site, channel and queue scopes. contacts_handled, handle_time_per_contact_s and
    first_contact_resolution also count for the agent of the contact's first handled segment (agent scope) and
    that agent's HR team as of the segment's connected local date (team scope): the whole contact, all its legs,
    belongs to the agent who took it first. See docs/kpi-definitions.md and docs/decisions/operational.md. -#}
{%- set live_results = "'sale', 'appointment_set', 'callback_scheduled', 'not_interested'" -%}
{#- kpi_name, source CTE, the events it is over (filter), the numerator per event, kind (ratio: a denominator
    of 1 per event; count: numerator 1 per event) -#}
{%- set kpis = [
    ['contacts_received', 'contacts', "direction = 'inbound'", '1', 'count'],
    ['contacts_handled', 'contacts', 'is_handled', '1', 'count'],
    ['self_service_rate', 'contacts', "direction = 'inbound'", 'case when is_self_served then 1 else 0 end',
        'ratio'],
    ['handle_time_per_contact_s', 'contacts', 'is_handled', 'handle_s', 'ratio'],
    ['first_contact_resolution', 'contacts', 'is_fcr_eligible', 'case when is_resolved_first_time then 1 else 0 end',
        'ratio'],
    ['repeat_contact_rate', 'contacts', 'is_fcr_eligible', 'case when has_repeat then 1 else 0 end', 'ratio'],
    ['contacts_blocked', 'blocked', 'is_blocked', '1', 'count'],
    ['contacts_per_resolution', 'resolutions', 'is_resolved', 'linked_contacts', 'ratio'],
    ['agents_per_resolution', 'resolutions', 'is_resolved', 'linked_agents', 'ratio'],
    ['outbound_connect_rate', 'dials', 'is_dial', 'case when is_live_party then 1 else 0 end', 'ratio'],
    ['outbound_conversion_rate', 'dials', 'is_live_party', "case when campaign_result = 'sale' then 1 else 0 end",
        'ratio'],
    ['outbound_targets_reached', 'dials', "campaign_result in ('sale', 'appointment_set')", '1', 'count'],
] -%}
{#- the only contact KPIs with team and agent rows (the handle-time family's privacy: no others per person) -#}
{%- set per_agent = ['contacts_handled', 'handle_time_per_contact_s', 'first_contact_resolution'] -%}
{%- set not_per_agent = kpis | map(attribute=0) | reject('in', per_agent) | list -%}
{%- set scope_columns = ['site_id', 'channel', 'queue_id', 'team_id', 'agent_id'] -%}
with

contact_rows as (

    select
        contact_id,
        chain_status,
        initiated_local_date,
        site_id,
        channel,
        queue_id,
        direction,
        is_handled,
        is_self_served,
        handle_s,
        is_fcr_eligible,
        is_resolved_first_time,
        has_repeat
    from {{ ref('int_contacts') }}

),

segments as (

    select
        segment_id,
        contact_id,
        position,
        chain_status,
        site_id,
        time_zone,
        channel,
        queue_id,
        agent_id,
        direction,
        initiated_at,
        connected_local_date,
        is_handled,
        initiated_local_date,
        is_blocked,
        campaign_id,
        campaign_result
    from {{ ref('int_contact_segments') }}

),

agent_versions as (

    select
        employee_id,
        team_id,
        as_of_from_date,
        as_of_to_date
    from {{ ref('int_agent_history') }}

),

-- the contact's first handled segment in chain order (int_contacts' order: position, initiated_at, segment_id)
first_handled as (

    select
        contact_id,
        agent_id,
        connected_local_date
    from (
        select
            contact_id,
            agent_id,
            connected_local_date,
            row_number() over (
                partition by contact_id order by position, initiated_at, segment_id
            ) as handled_order
        from segments
        where is_handled
    ) as handled_segments
    where handled_order = 1

),

-- its agent, and that agent's team as of the segment's connected local date (the team family's "as of a date")
contact_agents as (

    select
        first_handled.contact_id,
        first_handled.agent_id,
        max(agent_versions.team_id) as team_id
    from first_handled
    left join agent_versions
        on
            first_handled.agent_id = agent_versions.employee_id
            and first_handled.connected_local_date >= agent_versions.as_of_from_date
            and first_handled.connected_local_date < agent_versions.as_of_to_date
    group by first_handled.contact_id, first_handled.agent_id

),

-- contact KPIs: contacts whose chain is ok only (catalogue Conventions)
contacts as (

    select
        contact_rows.initiated_local_date as local_date,
        contact_rows.site_id,
        contact_rows.channel,
        contact_rows.queue_id,
        contact_agents.team_id,
        contact_agents.agent_id,
        'all' as breakdown_type,
        'all' as breakdown_id,
        contact_rows.direction,
        contact_rows.is_handled,
        contact_rows.is_self_served,
        contact_rows.handle_s,
        contact_rows.is_fcr_eligible,
        contact_rows.is_resolved_first_time,
        contact_rows.has_repeat
    from contact_rows
    left join contact_agents
        on contact_rows.contact_id = contact_agents.contact_id
    where contact_rows.chain_status = 'ok'

),

-- blocked inbound segments, every chain status (a per-segment count)
blocked as (

    select
        initiated_local_date as local_date,
        site_id,
        channel,
        queue_id,
        cast(null as {{ dbt.type_string() }}) as team_id,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        'all' as breakdown_type,
        'all' as breakdown_id,
        is_blocked
    from segments
    where direction = 'inbound'

),

-- outbound dials: outbound segments with a campaign result, every chain status; breakdown 'all' and campaign
outbound as (

    select
        initiated_local_date as local_date,
        site_id,
        channel,
        queue_id,
        cast(null as {{ dbt.type_string() }}) as team_id,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        campaign_id,
        campaign_result,
        true as is_dial,
        campaign_result in ({{ live_results }}) as is_live_party
    from segments
    where direction = 'outbound' and campaign_result is not null

),

dials as (

    select
        local_date,
        site_id,
        channel,
        queue_id,
        team_id,
        agent_id,
        'all' as breakdown_type,
        'all' as breakdown_id,
        campaign_result,
        is_dial,
        is_live_party
    from outbound
    union all
    select
        local_date,
        site_id,
        channel,
        queue_id,
        team_id,
        agent_id,
        'campaign' as breakdown_type,
        campaign_id as breakdown_id,
        campaign_result,
        is_dial,
        is_live_party
    from outbound
    where campaign_id is not null

),

-- resolved case: latest version resolved or closed with closed_at set
resolved_cases as (

    select
        case_id,
        closed_at
    from {{ ref('stg_crm__cases') }}
    where status in ('resolved', 'closed') and closed_at is not null

),

case_links as (

    select
        resolved_cases.case_id,
        resolved_cases.closed_at,
        segments.segment_id,
        segments.contact_id,
        segments.chain_status,
        segments.site_id,
        segments.time_zone,
        segments.channel,
        segments.queue_id,
        row_number() over (
            partition by resolved_cases.case_id order by segments.initiated_at, segments.segment_id
        ) as link_order
    from resolved_cases
    inner join {{ ref('stg_crm__case_segments') }} as case_segments
        on resolved_cases.case_id = case_segments.case_id
    inner join segments
        on case_segments.segment_id = segments.segment_id

),

case_contacts as (

    select distinct
        case_id,
        contact_id
    from case_links

),

case_agents as (

    select
        case_contacts.case_id,
        count(distinct segments.agent_id) as linked_agents
    from case_contacts
    inner join segments
        on case_contacts.contact_id = segments.contact_id
    group by case_contacts.case_id

),

case_totals as (

    select
        case_id,
        count(distinct contact_id) as linked_contacts,
        min(case when chain_status = 'ok' then 1 else 0 end) = 1 as all_chains_ok
    from case_links
    group by case_id

),

-- a resolved case counts when every contact linked to it has an ok chain
resolutions as (

    select
        {{ sb_local_date('case_links.closed_at', 'case_links.time_zone') }} as local_date,
        case_links.site_id,
        case_links.channel,
        case_links.queue_id,
        cast(null as {{ dbt.type_string() }}) as team_id,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        'all' as breakdown_type,
        'all' as breakdown_id,
        case_totals.all_chains_ok as is_resolved,
        case_totals.linked_contacts,
        coalesce(case_agents.linked_agents, 0) as linked_agents
    from case_links
    inner join case_totals
        on case_links.case_id = case_totals.case_id
    left join case_agents
        on case_links.case_id = case_agents.case_id
    where case_links.link_order = 1

),

events as (

    {{ kpi_event_rows(kpis, scope_columns) }}

),

final as (

    {{ kpi_expand_scopes(
        'events',
        [['site', 'site_id'], ['channel', 'channel'], ['queue', 'queue_id'], ['team', 'team_id'],
            ['agent', 'agent_id']],
        max_flag='is_max',
        exclude={'team': not_per_agent, 'agent': not_per_agent},
        drop_empty=true,
        with_currency=false,
    ) }}

)

{{ kpi_input_select(currency=false) }}
