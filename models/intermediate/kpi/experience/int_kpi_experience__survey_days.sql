{#- Daily input of kpi_experience (docs kpi_interface) for the survey KPIs: csat (top-2-box), csat_mean, nps,
    customer_effort_score, ces_easy_share, survey_response_rate, customer_reported_resolution, net_sentiment and
    sentiment_mean. Per survey (latest version of each response), dated and placed by its surveyed segment
    (int_surveys: connected_at else initiated_at, the segment's queue, channel and site), every chain status;
    expanded to center, site, channel and queue scopes. -#}
{#- kpi_name, source CTE, the events it is over (filter), the numerator per event, kind -#}
{%- set kpis = [
    ['csat', 'surveys', 'csat_score is not null', 'case when is_csat_top_2_box then 1 else 0 end', 'ratio'],
    ['csat_mean', 'surveys', 'csat_score is not null', 'csat_score', 'ratio'],
    ['nps', 'surveys', 'nps_score is not null',
        "case nps_group when 'promoter' then 100 when 'detractor' then -100 else 0 end", 'ratio'],
    ['customer_effort_score', 'surveys', 'ces_score is not null', 'ces_score', 'ratio'],
    ['ces_easy_share', 'surveys', 'ces_score is not null', 'case when is_ces_easy then 1 else 0 end', 'ratio'],
    ['survey_response_rate', 'surveys', 'sent_at is not null', 'case when is_responded then 1 else 0 end', 'ratio'],
    ['customer_reported_resolution', 'surveys', 'issue_resolved is not null',
        'case when issue_resolved then 1 else 0 end', 'ratio'],
    ['net_sentiment', 'surveys', 'sentiment_score is not null',
        "case sentiment_group when 'positive' then 100 when 'negative' then -100 else 0 end", 'ratio'],
    ['sentiment_mean', 'surveys', 'sentiment_score is not null', 'sentiment_score', 'ratio'],
] -%}
with

surveys as (

    select
        local_date,
        site_id,
        channel,
        queue_id,
        'all' as breakdown_type,
        'all' as breakdown_id,
        sent_at,
        is_responded,
        csat_score,
        is_csat_top_2_box,
        nps_score,
        nps_group,
        ces_score,
        is_ces_easy,
        issue_resolved,
        sentiment_score,
        sentiment_group
    from {{ ref('int_surveys') }}
    where is_attributed

),

events as (

    {{ kpi_event_rows(kpis) }}

),

final as (

    {{ kpi_expand_scopes(
        'events',
        [['site', 'site_id'], ['channel', 'channel'], ['queue', 'queue_id']],
        drop_empty=true,
        with_currency=false,
    ) }}

)

{{ kpi_input_select(currency=false) }}
