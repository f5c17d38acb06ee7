{#- The schedule in force (the current publication per agent and schedule date) split like the state
    timeline: one row per piece of an activity inside one UTC interval, with local date, site and team. -#}
with

activities as (

    select
        agent_id,
        schedule_date,
        activity,
        starts_at as activity_started_at,
        ends_at as activity_ended_at,
        starts_at as started_at,
        ends_at as ended_at
    from {{ ref('stg_wfm__schedule_activities') }}
    where is_current_publication

),

{{ team_split_model(
    'activities',
    ['schedule_date', 'activity', 'activity_started_at', 'activity_ended_at'],
    var('max_activity_hours'),
) }}
