{#- Public, analyst-facing: one row per contact (no PII: the address hash stays in the intermediate layer). -#}
with

contacts as (

    select
        contact_id,
        chain_status,
        segments,
        transfers,
        queue_id,
        channel,
        first_queue_id,
        last_queue_id,
        site_id,
        time_zone,
        agents_touched,
        customer_id,
        direction,
        initiated_at,
        initiated_local_date,
        is_handled,
        is_self_served,
        is_blocked,
        handle_s,
        last_disconnected_at,
        disposition_code,
        contact_reason,
        is_transferred,
        has_escalated_case,
        fcr_window_end_at,
        has_repeat,
        is_fcr_eligible,
        is_resolved_first_time
    from {{ ref('int_contacts') }}

),

final as (

    select
        contact_id,
        chain_status,
        segments,
        transfers,
        queue_id,
        channel,
        first_queue_id,
        last_queue_id,
        site_id,
        time_zone,
        agents_touched,
        customer_id,
        direction,
        initiated_at,
        initiated_local_date,
        is_handled,
        is_self_served,
        is_blocked,
        handle_s,
        last_disconnected_at,
        disposition_code,
        contact_reason,
        is_transferred,
        has_escalated_case,
        fcr_window_end_at,
        has_repeat,
        is_fcr_eligible,
        is_resolved_first_time
    from contacts

)

select
    contact_id,
    chain_status,
    segments,
    transfers,
    queue_id,
    channel,
    first_queue_id,
    last_queue_id,
    site_id,
    time_zone,
    agents_touched,
    customer_id,
    direction,
    initiated_at,
    initiated_local_date,
    is_handled,
    is_self_served,
    is_blocked,
    handle_s,
    last_disconnected_at,
    disposition_code,
    contact_reason,
    is_transferred,
    has_escalated_case,
    fcr_window_end_at,
    has_repeat,
    is_fcr_eligible,
    is_resolved_first_time
from final
