{#- Daily input of kpi_experience (docs kpi_interface) for the complaint KPIs, from the latest version of each
    case (int_cases), placed at the site, queue and channel of the case's earliest linked segment (center only
    without one):
      complaints                         complaint cases, dated by opened_at; breakdown all and complaint_category
      complaints_per_1000_contacts       1000 x complaints opened / handled contacts (chain ok, dated by the root's
                                         initiated_at at the contact's site, queue and channel, as contacts_handled);
                                         sample_size = handled contacts, so a day with complaints but no handled
                                         contacts keeps its complaints for the week and month (the publisher drops
                                         the day row itself)
      complaint_resolution_time_h        hours opened -> closed / complaints closed, dated by closed_at
      complaint_resolution_satisfaction  satisfied / closed complaints asked (resolution_satisfied set), dated by
                                         closed_at
    The three complaint KPIs also by complaint_category ('unknown' when a complaint has none). Expanded to center,
    site, channel and queue scopes. -#}
with

complaints as (

    select
        opened_local_date,
        closed_local_date,
        site_id,
        channel,
        queue_id,
        coalesce(complaint_category, 'unknown') as complaint_category,
        is_closed,
        resolution_hours,
        resolution_satisfied
    from {{ ref('int_cases') }}
    where is_complaint

),

complaint_breakdowns as (

    {{ op_with_breakdown('complaints', 'complaint_category', 'complaint_category', [
        'opened_local_date', 'closed_local_date', 'site_id', 'channel', 'queue_id', 'is_closed',
        'resolution_hours', 'resolution_satisfied',
    ]) }}

),

handled_contacts as (

    select
        initiated_local_date as local_date,
        site_id,
        channel,
        queue_id
    from {{ ref('int_contacts') }}
    where is_handled and chain_status = 'ok'

),

{%- set opened = {'source': 'complaint_breakdowns', 'local_date': 'opened_local_date',
    'breakdown_type': 'breakdown_type', 'breakdown_id': 'breakdown_id'} %}
{%- set closed = dict(opened, local_date='closed_local_date') %}
{%- set complaint_kpis = [
    dict(opened, kpi='complaints', numerator='1', denominator='null'),
    dict(opened, kpi='complaints_per_1000_contacts', filter="breakdown_type = 'all'", numerator='1000',
        denominator='0', sample_size='0'),
    {'kpi': 'complaints_per_1000_contacts', 'source': 'handled_contacts', 'numerator': '0'},
    dict(closed, kpi='complaint_resolution_time_h', filter='is_closed', numerator='resolution_hours'),
    dict(closed, kpi='complaint_resolution_satisfaction', filter='is_closed and resolution_satisfied is not null',
        numerator='case when resolution_satisfied then 1 else 0 end'),
] %}

{{ kpi_events_input(complaint_kpis, kpi_scopes('contact'), with_currency=false) }}
