{#- Staged rows of ops/incidents: the current state (latest valid version) of each key, enumerations cleaned. -#}
with

staged as (

    select * from {{ ref('base_ops__incidents') }}
    where _status = 'staged'

),

final as (

    select
        incident_id,
        -- system is the contract's column name
        {{ sb_clean_enum('system') }} as system,  -- noqa: RF04
        site_id,
        started_at,
        resolved_at,
        {{ sb_clean_enum('severity') }} as severity,
        agents_affected,
        _extracted_at,
        _source_file
    from staged

)

select * from final
