{#-
    kpi_scope_sites(scopes): the relation (scope_type, scope_id, site_id) kpi_table() resolves targets below site
    with, for the scope types a KPI table publishes: 'queue' (the queue's site, dim_queues), 'team' (the team's
    site, stg_hr__teams) and 'agent' (the agent's current site, dim_agents). Written once here so the four KPI
    marts cannot disagree on which site a team or an agent belongs to. Only the requested scopes are ref'd, so
    a mart depends on no dimension it does not publish.
-#}
{% macro kpi_scope_sites(scopes) -%}
    (
        {%- for scope in scopes %}
        {%- if scope == 'queue' %}
        select
            'queue' as scope_type,
            queue_id as scope_id,
            site_id
        from {{ ref('dim_queues') }}
        {%- elif scope == 'team' %}
        select
            'team' as scope_type,
            team_id as scope_id,
            site_id
        from {{ ref('stg_hr__teams') }}
        {%- elif scope == 'agent' %}
        select
            'agent' as scope_type,
            employee_id as scope_id,
            site_id
        from {{ ref('dim_agents') }}
        where is_current
        {%- elif exceptions is defined %}
        {{ exceptions.raise_compiler_error('kpi_scope_sites: no site for scope type ' ~ scope) }}
        {%- endif %}
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    )
{%- endmacro %}
