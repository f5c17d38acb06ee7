{#- Daily KPI input rows (docs/kpi-definitions.md, Compliance) of the management plans (ops/plan_items), dated by
    due_date (a local date of the plan's site), overall and per plan_type (breakdown plan_type), at site and
    center scope only (plans are monthly by site: no team or agent rows):
      plan_completion_rate  Σ completed_qty / Σ target_qty
      plan_on_time_share    items completed (completed_date) on or before due_date / items
    Only items already due: due_date before the local date (site time zone) of the plans' as-of instant, the
    latest _extracted_at of any staged plan item; a plan due later is still running and counts nowhere. -#}
with

as_of as (

    select max(_extracted_at) as as_of_at
    from {{ ref('stg_ops__plan_items') }}

),

plans as (

    select
        plan_items.item_id,
        plan_items.site_id,
        plan_items.plan_type,
        plan_items.due_date as local_date,
        cast(coalesce(plan_items.completed_qty, 0) as double) as completed_qty,
        cast(plan_items.target_qty as double) as target_qty,
        coalesce(plan_items.completed_date <= plan_items.due_date, false) as is_on_time
    from {{ ref('stg_ops__plan_items') }} as plan_items
    cross join as_of
    left join {{ ref('sites') }} as sites
        on plan_items.site_id = sites.site_id
    where plan_items.due_date < {{ sb_local_date('as_of.as_of_at', 'sites.time_zone') }}

),

{%- set site_kpis = [] %}
{%- for breakdown_type, breakdown_id in [("'all'", "'all'"), ("'plan_type'", 'plan_type')] %}
    {%- do site_kpis.append({'kpi': 'plan_completion_rate', 'source': 'plans', 'breakdown_type': breakdown_type,
        'breakdown_id': breakdown_id, 'numerator': 'completed_qty', 'denominator': 'target_qty'}) %}
    {%- do site_kpis.append({'kpi': 'plan_on_time_share', 'source': 'plans', 'breakdown_type': breakdown_type,
        'breakdown_id': breakdown_id, 'numerator': 'case when is_on_time then 1 else 0 end'}) %}
{%- endfor %}

{{ kpi_events_input(site_kpis, kpi_scopes('site'), 'sample_size > 0', with_currency=false) }}
