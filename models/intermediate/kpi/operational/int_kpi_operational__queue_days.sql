{#- Daily input of kpi_operational for the queue KPIs (per offer, dated by enqueued_at) and the handle-time KPIs
    (per handled segment, dated by connected_at, breakdown contact_reason), expanded to center, site, channel and
    queue scopes. Queue KPIs at center and site scope also have breakdown channel (the offer's channel, 'unknown'
    without one; a channel or queue row is one channel already). offers_answered and the handle-time KPIs also
    count for the handling agent (agent scope) and the agent's HR team as of the segment's connected local date
    (team scope; int_agent_history as of a date, as the team family dates it). Every chain status counts (its
    segments are real work). See docs/kpi-definitions.md and docs/decisions/operational.md. -#}
{%- set sl = op_service_level_terms() -%}
{%- set short_in_abandon_rate = var('abandon_rate_includes_short') | string | lower == 'true' -%}
{#- kpi_name, source CTE, the events it is over (filter), the numerator per event, ratio (has a denominator of
    1 per event) or count / max. -#}
{%- set kpis = [
    ['contacts_offered', 'offers', 'is_offer', '1', 'count'],
    ['offers_answered', 'offers', 'is_answered', '1', 'count'],
    ['service_level', 'offers', sl.over, 'case when ' ~ sl.met ~ ' then 1 else 0 end', 'ratio'],
    ['average_speed_of_answer_s', 'offers', 'is_answered', 'wait_s', 'ratio'],
    ['longest_wait_s', 'offers', 'is_offer', 'wait_s', 'max'],
    ['abandonment_rate', 'offers', ('is_offer' if short_in_abandon_rate else 'not is_short_abandon'),
        'case when is_abandoned then 1 else 0 end', 'ratio'],
    ['average_abandon_time_s', 'offers', 'is_abandoned', 'wait_s', 'ratio'],
    ['average_handle_time_s', 'handled', 'is_handled', 'handle_s', 'ratio'],
    ['average_talk_time_s', 'handled', 'is_handled', 'talk_s', 'ratio'],
    ['average_hold_time_s', 'handled', 'is_handled', 'hold_s', 'ratio'],
    ['average_acw_s', 'handled', 'is_handled', 'acw_s', 'ratio'],
    ['transfer_rate', 'handled', 'is_handled', 'case when is_transferred_out then 1 else 0 end', 'ratio'],
] -%}
{#- queue KPIs without team and agent rows (offers_answered has them: the answering agent's work) -#}
{%- set offer_only = ['contacts_offered', 'service_level', 'average_speed_of_answer_s', 'longest_wait_s',
    'abandonment_rate', 'average_abandon_time_s'] -%}
{%- set scope_columns = ['site_id', 'channel', 'queue_id', 'team_id', 'agent_id'] -%}
{#- the columns of an offer or handled segment that the two breakdown CTEs carry and the KPIs read -#}
{%- set event_columns = ['local_date'] + scope_columns + [
    'is_offer', 'is_answered', 'is_handled', 'is_abandoned', 'is_short_abandon', 'is_transferred_out', 'wait_s',
    'service_level_threshold_s', 'talk_s', 'hold_s', 'acw_s', 'handle_s',
] -%}
with

segments as (

    select
        segment_id,
        site_id,
        channel,
        queue_id,
        agent_id,
        disposition_code,
        enqueued_local_date,
        connected_local_date,
        is_offer,
        is_answered,
        is_handled,
        is_abandoned,
        is_short_abandon,
        is_transferred_out,
        wait_s,
        service_level_threshold_s,
        talk_s,
        hold_s,
        acw_s,
        handle_s
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

-- the handling agent's team as of the segment's connected local date (the team family's "as of a date")
handled_teams as (

    select
        segments.segment_id,
        max(agent_versions.team_id) as team_id
    from segments
    inner join agent_versions
        on
            segments.agent_id = agent_versions.employee_id
            and segments.connected_local_date >= agent_versions.as_of_from_date
            and segments.connected_local_date < agent_versions.as_of_to_date
    where segments.is_handled
    group by segments.segment_id

),

attributed as (

    select
        segments.segment_id,
        segments.site_id,
        segments.channel,
        segments.queue_id,
        case when segments.is_handled then segments.agent_id end as agent_id,
        handled_teams.team_id,
        segments.disposition_code,
        segments.enqueued_local_date,
        segments.connected_local_date,
        segments.is_offer,
        segments.is_answered,
        segments.is_handled,
        segments.is_abandoned,
        segments.is_short_abandon,
        segments.is_transferred_out,
        segments.wait_s,
        segments.service_level_threshold_s,
        segments.talk_s,
        segments.hold_s,
        segments.acw_s,
        segments.handle_s
    from segments
    left join handled_teams
        on segments.segment_id = handled_teams.segment_id

),

reasons as (

    select
        disposition_code,
        contact_reason
    from {{ ref('disposition_codes') }}

),

offer_rows as (

    select
        enqueued_local_date as local_date,
        site_id,
        channel,
        queue_id,
        team_id,
        agent_id,
        coalesce(channel, 'unknown') as offer_channel,
        is_offer,
        is_answered,
        is_handled,
        is_abandoned,
        coalesce(is_short_abandon, false) as is_short_abandon,
        is_transferred_out,
        wait_s,
        service_level_threshold_s,
        talk_s,
        hold_s,
        acw_s,
        handle_s
    from attributed
    where is_offer

),

-- each offer counts once in breakdown 'all' and once under its channel (kept at center and site scope only)
offers as (

    {{ op_with_breakdown('offer_rows', 'channel', 'offer_channel', event_columns) }}

),

handled_segments as (

    select
        attributed.connected_local_date as local_date,
        attributed.site_id,
        attributed.channel,
        attributed.queue_id,
        attributed.team_id,
        attributed.agent_id,
        coalesce(reasons.contact_reason, 'unknown') as contact_reason,
        attributed.is_offer,
        attributed.is_answered,
        attributed.is_handled,
        attributed.is_abandoned,
        coalesce(attributed.is_short_abandon, false) as is_short_abandon,
        attributed.is_transferred_out,
        attributed.wait_s,
        attributed.service_level_threshold_s,
        attributed.talk_s,
        attributed.hold_s,
        attributed.acw_s,
        attributed.handle_s
    from attributed
    left join reasons
        on attributed.disposition_code = reasons.disposition_code
    where attributed.is_handled

),

-- each handled segment counts once in breakdown 'all' and once under its contact reason ('unknown' without one)
handled as (

    {{ op_with_breakdown('handled_segments', 'contact_reason', 'contact_reason', event_columns) }}

),

events as (

    {{ kpi_event_rows(kpis, scope_columns) }}

),

scoped as (

    {{ kpi_expand_scopes(
        'events',
        [['site', 'site_id'], ['channel', 'channel'], ['queue', 'queue_id'], ['team', 'team_id'],
            ['agent', 'agent_id']],
        max_flag='is_max',
        exclude={'team': offer_only, 'agent': offer_only},
        drop_empty=true,
        with_currency=false,
    ) }}

),

-- breakdown 'all' at every scope; channel at center and site only (a channel or queue row is one channel
-- already); contact_reason not per team or agent (the team lead's overview, not per reason and day)
final as (

    select
        kpi_name,
        local_date,
        scope_type,
        scope_id,
        breakdown_type,
        breakdown_id,
        numerator,
        denominator,
        sample_size
    from scoped
    where
        breakdown_type = 'all'
        or (breakdown_type = 'channel' and scope_type in ('center', 'site'))
        or (breakdown_type = 'contact_reason' and scope_type in ('center', 'site', 'channel', 'queue'))

)

{{ kpi_input_select(currency=false) }}
