{#- Staged rows of survey/contact_surveys: the current state (latest valid version) of each key,
    enumerations cleaned, the free-text comment (PII) reduced to has_comment. -#}
with

staged as (

    select * from {{ ref('base_survey__contact_surveys') }}
    where _status = 'staged'

),

final as (

    select
        response_id,
        segment_id,
        {{ sb_clean_enum('survey_channel') }} as survey_channel,
        sent_at,
        responded_at,
        csat_score,
        nps_score,
        ces_score,
        issue_resolved,
        coalesce(trim(comment) <> '', false) as has_comment,
        sentiment_score,
        _extracted_at,
        _source_file
    from staged

)

select * from final
