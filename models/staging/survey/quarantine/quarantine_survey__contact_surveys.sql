{#- Quarantined rows of survey/contact_surveys: original values, the rule broken and the extract time.
    PII text is salted-hashed here too, so the staging schema holds clear PII only in the base model. -#}
with

quarantined as (

    select * from {{ ref('base_survey__contact_surveys') }}
    where _status = 'quarantined'

),

final as (

    select
        _rule,
        _rule_column,
        _extracted_at,
        _source_file,
        _unparseable_column,
        _unparseable_value,
        response_id,
        segment_id,
        survey_channel,
        sent_at,
        responded_at,
        csat_score,
        nps_score,
        ces_score,
        issue_resolved,
        {{ sb_pii_hash('comment') }} as comment_hash,
        sentiment_score
    from quarantined

)

select * from final
