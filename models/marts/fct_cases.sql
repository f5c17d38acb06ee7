{#- CRM cases for analysts: one row per case in its latest version (int_cases), with its contact reason, closure,
    resolution hours and the site, queue and channel of its earliest linked segment. No PII. -#}
with

cases as (

    select
        case_id,
        customer_id,
        opened_at,
        closed_at,
        reason_code,
        contact_reason,
        is_complaint,
        complaint_category,
        escalated,
        resolution_satisfied,
        status,
        is_closed,
        resolution_hours,
        first_segment_id,
        site_id,
        queue_id,
        channel,
        linked_segments,
        linked_contacts,
        opened_local_date,
        closed_local_date,
        _extracted_at
    from {{ ref('int_cases') }}

),

final as (

    select
        case_id,
        customer_id,
        opened_at,
        closed_at,
        reason_code,
        contact_reason,
        is_complaint,
        complaint_category,
        escalated,
        resolution_satisfied,
        status,
        is_closed,
        resolution_hours,
        first_segment_id,
        site_id,
        queue_id,
        channel,
        linked_segments,
        linked_contacts,
        opened_local_date,
        closed_local_date,
        _extracted_at as extracted_at
    from cases

)

select
    case_id,
    customer_id,
    opened_at,
    closed_at,
    reason_code,
    contact_reason,
    is_complaint,
    complaint_category,
    escalated,
    resolution_satisfied,
    status,
    is_closed,
    resolution_hours,
    first_segment_id,
    site_id,
    queue_id,
    channel,
    linked_segments,
    linked_contacts,
    opened_local_date,
    closed_local_date,
    extracted_at
from final
