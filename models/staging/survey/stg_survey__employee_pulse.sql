{#- Staged rows of survey/employee_pulse: one row per key (latest valid delivery), enumerations cleaned. -#}
with

staged as (

    select * from {{ ref('base_survey__employee_pulse') }}
    where _status = 'staged'

),

final as (

    select
        response_id,
        team_id,
        survey_date,
        esat_score,
        enps_score,
        collaboration_score,
        _extracted_at,
        _source_file
    from staged

)

select * from final
