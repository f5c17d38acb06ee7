{#- Staged rows of hr/teams: the current state (latest valid version) of each key, enumerations cleaned. -#}
with

staged as (

    select * from {{ ref('base_hr__teams') }}
    where _status = 'staged'

),

final as (

    select
        team_id,
        team_name,
        site_id,
        line_of_business,
        team_lead_id,
        _extracted_at,
        _source_file
    from staged

)

select * from final
