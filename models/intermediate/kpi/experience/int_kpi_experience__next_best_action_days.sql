{#- Daily input of kpi_experience (docs kpi_interface) for next-best-action offers, attributed like surveys to the
    segment they were presented in (its connected_at, else initiated_at, in its site's time zone; its queue, channel
    and site; every chain status; an offer whose segment is not staged counts nowhere):
      nba_acceptance_rate  accepted offers / presented offers (accepted null counts as not accepted)
      nba_accepted_value   Σ accepted_value of accepted offers (a null value counts 0); sample_size = accepted
                           offers. Money: the value is taken to be in the currency of the segment's site; site and
                           queue rows stay in it, center and channel rows are converted to var reporting_currency
                           with seed fx_rates of the offer's local month. An offer without a site counts at center
                           and channel scope, taken to be in the reporting currency already. -#}
{%- set reporting = sb_literal(var('reporting_currency')) -%}
with

offers as (

    select
        offer_id,
        segment_id,
        accepted,
        accepted_value
    from {{ ref('stg_crm__next_best_actions') }}

),

segments as (

    select
        segment_id,
        site_id,
        time_zone,
        channel,
        queue_id,
        coalesce(connected_at, initiated_at) as attributed_at
    from {{ ref('int_contact_segments') }}

),

sites as (

    select
        site_id,
        currency
    from {{ ref('sites') }}

),

attributed as (

    select
        offers.offer_id,
        {{ sb_local_date('segments.attributed_at', 'segments.time_zone') }} as local_date,
        segments.site_id,
        segments.channel,
        segments.queue_id,
        coalesce(sites.currency, {{ reporting }}) as site_currency,
        coalesce(offers.accepted, false) as is_accepted,
        case
            when coalesce(offers.accepted, false) then cast(coalesce(offers.accepted_value, 0) as double)
        end as accepted_value
    from offers
    inner join segments
        on offers.segment_id = segments.segment_id
    left join sites
        on segments.site_id = sites.site_id

),

converted as (

    select
        attributed.offer_id,
        attributed.local_date,
        attributed.site_id,
        attributed.channel,
        attributed.queue_id,
        attributed.site_currency,
        attributed.is_accepted,
        attributed.accepted_value,
        attributed.accepted_value * rates.rate_to_reporting as accepted_value_reporting
    from attributed
    {{ kpi_fx_rate_join('left', 'attributed.site_currency', 'attributed.local_date') }}

),

{%- set acceptance = {'kpi': 'nba_acceptance_rate', 'source': 'converted',
    'numerator': 'case when is_accepted then 1 else 0 end', 'currency': 'cast(null as ' ~ dbt.type_string() ~ ')'} %}
{%- set accepted_value = {'kpi': 'nba_accepted_value', 'source': 'converted', 'filter': 'is_accepted',
    'denominator': 'null'} %}

-- each offer twice: in its site's currency (for site and queue rows) and in the reporting currency (center, channel)
site_currency_events as (

    {{ kpi_rows(
        [acceptance, dict(accepted_value, numerator='accepted_value', currency='site_currency')],
        ['site_id', 'queue_id', 'currency'],
    ) }}

),

reporting_currency_events as (

    {{ kpi_rows(
        [acceptance, dict(accepted_value, numerator='accepted_value_reporting', currency=reporting)],
        ['channel', 'currency'],
    ) }}

),

site_scopes as (

    {{ kpi_expand_scopes('site_currency_events', [['site', 'site_id'], ['queue', 'queue_id']]) }}

),

reporting_scopes as (

    {{ kpi_expand_scopes('reporting_currency_events', [['channel', 'channel']]) }}

),

final as (

    {{ kpi_scoped_rows('site_scopes', "scope_type != 'center'") }}
    union all
    {{ kpi_scoped_rows('reporting_scopes') }}

)

{{ kpi_input_select() }}
