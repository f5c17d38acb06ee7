{#- Staged rows of wfm/schedule_activities: every publication of the schedule (each publication is a
    distinct key, so none supersedes another here), enumerations cleaned, and is_current_publication
    flagging the latest publication per agent and schedule date: that publication is the schedule. -#}
with

staged as (

    select * from {{ ref('base_wfm__schedule_activities') }}
    where _status = 'staged'

),

final as (

    select
        agent_id,
        schedule_date,
        {{ sb_clean_enum('activity') }} as activity,
        starts_at,
        ends_at,
        published_at,
        _extracted_at,
        _source_file,
        coalesce(
            published_at = max(published_at) over (partition by agent_id, schedule_date), false
        ) as is_current_publication
    from staged

)

select * from final
