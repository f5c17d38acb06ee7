{#- Incident minutes per scope: a site-specific incident counts at its site and once at center; an
    all-site incident (site_id null) once at every site and once at center. Minutes run from started_at
    to resolved_at; an ongoing incident runs to the data end of the incidents system (its latest
    _extracted_at). Dated, whole, by the started_at local date of the site (center rows of all-site
    incidents in var center_time_zone). -#}
with

incidents as (

    select
        incident_id,
        site_id,
        started_at,
        resolved_at,
        max(_extracted_at) over () as data_end
    from {{ ref('stg_ops__incidents') }}

),

measured as (

    select
        incident_id,
        site_id,
        started_at,
        {{ dbt.datediff('started_at', 'coalesce(resolved_at, data_end)', 'second') }} / 60 as incident_minutes
    from incidents

),

sites as (

    select
        site_id,
        time_zone
    from {{ ref('sites') }}

),

-- the incident's own site (an equi-join), or every site for an all-site incident (a cross join): two joins
-- instead of one `or` join, which is a nested loop
incident_sites as (

    select
        measured.incident_id,
        measured.started_at,
        measured.incident_minutes,
        sites.site_id,
        sites.time_zone
    from measured
    inner join sites on measured.site_id = sites.site_id
    union all
    select
        measured.incident_id,
        measured.started_at,
        measured.incident_minutes,
        sites.site_id,
        sites.time_zone
    from measured
    cross join sites
    where measured.site_id is null

),

site_rows as (

    select
        incident_id,
        'site' as scope_type,
        site_id as scope_id,
        {{ sb_local_date('started_at', 'time_zone') }} as local_date,
        incident_minutes
    from incident_sites

),

center_rows as (

    select
        measured.incident_id,
        'center' as scope_type,
        'all' as scope_id,
        coalesce(
            {{ sb_local_date('measured.started_at', 'sites.time_zone') }},
            {{ sb_local_date('measured.started_at', sb_literal(var('center_time_zone'))) }}
        ) as local_date,
        measured.incident_minutes
    from measured
    left join sites on measured.site_id = sites.site_id

),

final as (

    select
        incident_id,
        scope_type,
        scope_id,
        local_date,
        incident_minutes
    from site_rows
    union all
    select
        incident_id,
        scope_type,
        scope_id,
        local_date,
        incident_minutes
    from center_rows

)

select
    incident_id,
    scope_type,
    scope_id,
    local_date,
    incident_minutes
from final
