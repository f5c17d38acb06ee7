{#- Daily input of kpi_operational for the queue KPIs (per offer, dated by enqueued_at) and the handle-time KPIs
    (per handled segment, dated by connected_at, breakdown contact_reason), expanded to center, site, channel and
    queue scopes. Every chain status counts (its segments are real work). See docs/kpi-definitions.md. -#}
{%- set sl = op_service_level_terms() -%}
{%- set short_in_abandon_rate = var('abandon_rate_includes_short') | string | lower == 'true' -%}
{#- kpi_name, source CTE, the events it is over (filter), the numerator per event, ratio (has a denominator of
    1 per event) or count / max. -#}
{%- set kpis = [
    ['contacts_offered', 'offers', 'is_offer', '1', 'count'],
    ['offers_answered', 'offers', 'is_answered', '1', 'count'],
    ['service_level', 'offers', sl.over, 'case when ' ~ sl.met ~ ' then 1 else 0 end', 'ratio'],
    ['average_speed_of_answer_s', 'offers', 'is_answered', 'wait_s', 'ratio'],
    ['longest_wait_s', 'offers', 'is_answered or is_abandoned', 'wait_s', 'max'],
    ['abandonment_rate', 'offers', ('is_offer' if short_in_abandon_rate else 'not is_short_abandon'),
        'case when is_abandoned then 1 else 0 end', 'ratio'],
    ['average_abandon_time_s', 'offers', 'is_abandoned', 'wait_s', 'ratio'],
    ['average_handle_time_s', 'handled', 'is_handled', 'handle_s', 'ratio'],
    ['average_talk_time_s', 'handled', 'is_handled', 'talk_s', 'ratio'],
    ['average_hold_time_s', 'handled', 'is_handled', 'hold_s', 'ratio'],
    ['average_acw_s', 'handled', 'is_handled', 'acw_s', 'ratio'],
    ['transfer_rate', 'handled', 'is_handled', 'case when is_transferred_out then 1 else 0 end', 'ratio'],
] -%}
with

segments as (

    select
        segment_id,
        site_id,
        channel,
        queue_id,
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

reasons as (

    select
        disposition_code,
        contact_reason
    from {{ ref('disposition_codes') }}

),

offers as (

    select
        enqueued_local_date as local_date,
        site_id,
        channel,
        queue_id,
        'all' as breakdown_type,
        'all' as breakdown_id,
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
    from segments
    where is_offer

),

handled_segments as (

    select
        segments.connected_local_date as local_date,
        segments.site_id,
        segments.channel,
        segments.queue_id,
        coalesce(reasons.contact_reason, 'unknown') as contact_reason,
        segments.is_offer,
        segments.is_answered,
        segments.is_handled,
        segments.is_abandoned,
        coalesce(segments.is_short_abandon, false) as is_short_abandon,
        segments.is_transferred_out,
        segments.wait_s,
        segments.service_level_threshold_s,
        segments.talk_s,
        segments.hold_s,
        segments.acw_s,
        segments.handle_s
    from segments
    left join reasons
        on segments.disposition_code = reasons.disposition_code
    where segments.is_handled

),

-- each handled segment counts once in breakdown 'all' and once under its contact reason ('unknown' without one)
handled as (

    {{ op_with_breakdown('handled_segments', 'contact_reason', 'contact_reason', [
        'local_date',
        'site_id',
        'channel',
        'queue_id',
        'is_offer',
        'is_answered',
        'is_handled',
        'is_abandoned',
        'is_short_abandon',
        'is_transferred_out',
        'wait_s',
        'service_level_threshold_s',
        'talk_s',
        'hold_s',
        'acw_s',
        'handle_s'
    ]) }}

),

events as (

    {{ kpi_event_rows(kpis) }}

),

final as (

    {{ kpi_expand_scopes(
        'events',
        [['site', 'site_id'], ['channel', 'channel'], ['queue', 'queue_id']],
        max_flag='is_max',
        drop_empty=true,
        with_currency=false,
    ) }}

)

{{ kpi_input_select(currency=false) }}
