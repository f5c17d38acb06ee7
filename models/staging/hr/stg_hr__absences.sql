{#- Staged rows of hr/absences: one row per key (latest valid delivery), enumerations cleaned. -#}
with

staged as (

    select * from {{ ref('base_hr__absences') }}
    where _status = 'staged'

),

final as (

    select
        absence_id,
        employee_id,
        absence_date,
        hours,
        {{ sb_clean_enum('absence_type') }} as absence_type,
        is_planned,
        is_authorised,
        _extracted_at,
        _source_file
    from staged

)

select * from final
