{#- One row per CRM case in its latest version (stg_crm__cases keeps the latest valid version of each case:
    latest _extracted_at, then file name, then row hash), placed by the catalogue's rule: the site, queue and
    channel of its earliest linked segment (by initiated_at, then segment_id) and dated by opened_at (and
    closed_at) in that site's time zone; a case with no linked segment (worked in the back office only) counts
    at center scope only, dated in var center_time_zone. Closed = status resolved or closed with closed_at set
    (the rule contacts_per_resolution uses); a reopened case is open again. -#}
with

cases as (

    select
        case_id,
        customer_id,
        opened_at,
        closed_at,
        reason_code,
        is_complaint,
        complaint_category,
        escalated,
        resolution_satisfied,
        status,
        _extracted_at
    from {{ ref('stg_crm__cases') }}

),

links as (

    select
        case_segments.case_id,
        segments.segment_id,
        segments.contact_id,
        segments.site_id,
        segments.time_zone,
        segments.queue_id,
        segments.channel,
        row_number() over (
            partition by case_segments.case_id order by segments.initiated_at, segments.segment_id
        ) as link_order
    from {{ ref('stg_crm__case_segments') }} as case_segments
    inner join {{ ref('int_contact_segments') }} as segments
        on case_segments.segment_id = segments.segment_id

),

link_totals as (

    select
        case_id,
        count(*) as linked_segments,
        count(distinct contact_id) as linked_contacts
    from links
    group by case_id

),

earliest_links as (

    select
        case_id,
        segment_id,
        site_id,
        time_zone,
        queue_id,
        channel
    from links
    where link_order = 1

),

reasons as (

    select
        disposition_code,
        contact_reason
    from {{ ref('disposition_codes') }}

),

placed as (

    select
        cases.case_id,
        cases.customer_id,
        cases.opened_at,
        cases.closed_at,
        cases.reason_code,
        reasons.contact_reason,
        coalesce(cases.is_complaint, false) as is_complaint,
        cases.complaint_category,
        cases.escalated,
        cases.resolution_satisfied,
        cases.status,
        cases.status in ('resolved', 'closed') and cases.closed_at is not null as is_closed,
        earliest_links.segment_id as first_segment_id,
        earliest_links.site_id,
        earliest_links.time_zone,
        earliest_links.queue_id,
        earliest_links.channel,
        coalesce(link_totals.linked_segments, 0) as linked_segments,
        coalesce(link_totals.linked_contacts, 0) as linked_contacts,
        cases._extracted_at
    from cases
    left join earliest_links
        on cases.case_id = earliest_links.case_id
    left join link_totals
        on cases.case_id = link_totals.case_id
    left join reasons
        on cases.reason_code = reasons.disposition_code

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
        case
            when is_closed then {{ sb_seconds_between('opened_at', 'closed_at') }} / 3600.0
        end as resolution_hours,
        first_segment_id,
        site_id,
        queue_id,
        channel,
        linked_segments,
        linked_contacts,
        {{ sb_local_date('opened_at', 'time_zone') }} as opened_local_date,
        case when is_closed then {{ sb_local_date('closed_at', 'time_zone') }} end as closed_local_date,
        _extracted_at
    from placed

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
    _extracted_at
from final
