{#- One row per post-contact survey (latest version of each response), attributed to the surveyed segment
    (catalogue "Which period a number belongs to"): dated by the segment's connected_at, else its initiated_at,
    in the time zone of the segment's site, with the segment's own queue, channel and site. A survey whose
    segment is not staged keeps its row with no attribution (it counts in no KPI). Scores are classified here
    once, by the survey cut-off vars: CSAT top-2-box (4-5), NPS group (promoter 9-10, passive 7-8, detractor
    0-6), CES easy (5-7),
    sentiment group by the vars net_sentiment_positive_threshold / net_sentiment_negative_threshold. -#}
{%- set positive = var('net_sentiment_positive_threshold') -%}
{%- set negative = var('net_sentiment_negative_threshold') -%}
with

surveys as (

    select
        response_id,
        segment_id,
        survey_channel,
        sent_at,
        responded_at,
        csat_score,
        nps_score,
        ces_score,
        issue_resolved,
        has_comment,
        sentiment_score,
        _extracted_at
    from {{ ref('stg_survey__contact_surveys') }}

),

segments as (

    select
        segment_id,
        contact_id,
        queue_id,
        channel,
        site_id,
        time_zone,
        agent_id,
        customer_id,
        initiated_at,
        connected_at
    from {{ ref('int_contact_segments') }}

),

attributed as (

    select
        surveys.response_id,
        surveys.segment_id,
        segments.contact_id,
        segments.agent_id,
        segments.customer_id,
        segments.queue_id,
        segments.channel,
        segments.site_id,
        segments.time_zone,
        surveys.survey_channel,
        surveys.sent_at,
        surveys.responded_at,
        coalesce(segments.connected_at, segments.initiated_at) as attributed_at,
        segments.segment_id is not null as is_attributed,
        surveys.csat_score,
        surveys.nps_score,
        surveys.ces_score,
        surveys.issue_resolved,
        surveys.has_comment,
        cast(surveys.sentiment_score as double) as sentiment_score,
        surveys._extracted_at
    from surveys
    left join segments
        on surveys.segment_id = segments.segment_id

),

final as (

    select
        response_id,
        segment_id,
        contact_id,
        agent_id,
        customer_id,
        queue_id,
        channel,
        site_id,
        survey_channel,
        sent_at,
        responded_at,
        responded_at is not null as is_responded,
        attributed_at,
        case
            when is_attributed then {{ sb_local_date('attributed_at', 'time_zone') }}
        end as local_date,
        is_attributed,
        csat_score,
        case
            when csat_score is not null then csat_score >= {{ var('csat_top_box_min_score') }}
        end as is_csat_top_2_box,
        nps_score,
        case
            when nps_score >= {{ var('nps_promoter_min_score') }} then 'promoter'
            when nps_score >= {{ var('nps_passive_min_score') }} then 'passive'
            when nps_score is not null then 'detractor'
        end as nps_group,
        ces_score,
        case when ces_score is not null then ces_score >= {{ var('ces_easy_min_score') }} end as is_ces_easy,
        issue_resolved,
        has_comment,
        sentiment_score,
        case
            when sentiment_score > {{ positive }} then 'positive'
            when sentiment_score < {{ negative }} then 'negative'
            when sentiment_score is not null then 'neutral'
        end as sentiment_group,
        _extracted_at
    from attributed

)

select
    response_id,
    segment_id,
    contact_id,
    agent_id,
    customer_id,
    queue_id,
    channel,
    site_id,
    survey_channel,
    sent_at,
    responded_at,
    is_responded,
    attributed_at,
    local_date,
    is_attributed,
    csat_score,
    is_csat_top_2_box,
    nps_score,
    nps_group,
    ces_score,
    is_ces_easy,
    issue_resolved,
    has_comment,
    sentiment_score,
    sentiment_group,
    _extracted_at
from final
