{#- Post-contact surveys for analysts: one row per response (latest version), attributed to the surveyed segment
    (int_surveys). No PII: the free-text comment never leaves staging (has_comment says whether there was one). -#}
with

surveys as (

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
    from {{ ref('int_surveys') }}

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
        _extracted_at as extracted_at
    from surveys

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
    extracted_at
from final
