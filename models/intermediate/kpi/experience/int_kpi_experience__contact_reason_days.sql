{#- Daily input of kpi_experience (docs kpi_interface) for the contact-reason mix, over handled contacts (chain ok,
    dated by the root's initiated_at at the contact's site, queue and channel: the contacts of contacts_handled):
      contact_reason_share          handled contacts of a reason / handled contacts, breakdown contact_reason; the
                                    reason is the disposition of the contact's last handled segment (seed
                                    disposition_codes), 'unknown' without one. Every reason of the seed (and
                                    'unknown') gets a row for every scope and day with handled contacts, 0 where
                                    none, so week and month rows divide by all handled contacts of the period
      self_service_candidate_share  handled contacts whose reason is a self-service candidate / handled contacts
    Expanded to center, site, channel and queue scopes. -#}
with

dispositions as (

    select
        disposition_code,
        contact_reason,
        self_service_candidate
    from {{ ref('disposition_codes') }}

),

handled as (

    select
        contacts.initiated_local_date as local_date,
        contacts.site_id,
        contacts.channel,
        contacts.queue_id,
        coalesce(contacts.contact_reason, 'unknown') as contact_reason,
        coalesce(dispositions.self_service_candidate, false) as is_self_service_candidate
    from {{ ref('int_contacts') }} as contacts
    left join dispositions
        on contacts.disposition_code = dispositions.disposition_code
    where contacts.is_handled and contacts.chain_status = 'ok'

),

reasons as (

    select distinct contact_reason
    from dispositions
    union
    select 'unknown' as contact_reason

),

{%- set contact_kpis = [
    {'kpi': 'contact_reason_share', 'source': 'handled', 'numerator': '0'},
    {'kpi': 'contact_reason_share', 'source': 'handled', 'breakdown_type': "'contact_reason'",
        'breakdown_id': 'contact_reason', 'numerator': '1', 'denominator': 'null', 'sample_size': '0'},
    {'kpi': 'self_service_candidate_share', 'source': 'handled',
        'numerator': 'case when is_self_service_candidate then 1 else 0 end'},
] %}

{{ kpi_expand_events(contact_kpis, kpi_scopes('contact'), with_currency=false) }},

totals as (

    select
        local_date,
        scope_type,
        scope_id,
        denominator,
        sample_size
    from expanded
    where kpi_name = 'contact_reason_share' and breakdown_type = 'all'

),

reason_counts as (

    select
        local_date,
        scope_type,
        scope_id,
        breakdown_id as contact_reason,
        numerator
    from expanded
    where kpi_name = 'contact_reason_share' and breakdown_type = 'contact_reason'

),

reason_shares as (

    select
        'contact_reason_share' as kpi_name,
        totals.local_date,
        totals.scope_type,
        totals.scope_id,
        'contact_reason' as breakdown_type,
        reasons.contact_reason as breakdown_id,
        coalesce(reason_counts.numerator, 0) as numerator,
        totals.denominator,
        totals.sample_size
    from totals
    cross join reasons
    left join reason_counts
        on
            totals.local_date = reason_counts.local_date
            and totals.scope_type = reason_counts.scope_type
            and totals.scope_id = reason_counts.scope_id
            and reasons.contact_reason = reason_counts.contact_reason

),

final as (

    {{ kpi_scoped_rows('reason_shares', currency=false) }}
    union all
    {{ kpi_scoped_rows('expanded', "kpi_name = 'self_service_candidate_share'", currency=false) }}

)

{{ kpi_input_select(currency=false) }}
