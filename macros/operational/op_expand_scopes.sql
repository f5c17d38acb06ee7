{#-
    op_expand_scopes(relation): daily KPI input rows for the center, site, channel and queue scopes from
    `relation`, which holds rows at any finer grain with columns kpi_name, local_date, site_id, channel,
    queue_id, breakdown_type, breakdown_id, numerator, denominator, sample_size and is_max (true for KPIs of
    aggregation max, whose numerator is the maximum; all other measures are summed). A row counts in a scope
    only where its scope column is set (center rows always). Rows with sample_size 0 are not emitted (catalogue
    "Which rows exist"). Output: the daily input format of docs kpi_interface (currency null: no money here).
-#}
{% macro op_expand_scopes(relation) -%}
    {%- set scopes = [['center', none], ['site', 'site_id'], ['channel', 'channel'], ['queue', 'queue_id']] -%}
    {%- for scope_type, column in scopes %}
    select
        kpi_name,
        local_date,
        '{{ scope_type }}' as scope_type,
        {% if column is none %}'all'{% else %}cast({{ column }} as {{ dbt.type_string() }}){% endif %} as scope_id,
        breakdown_type,
        breakdown_id,
        case when max(case when is_max then 1 else 0 end) = 1 then max(numerator) else sum(numerator) end
        as numerator,
        sum(denominator) as denominator,
        sum(sample_size) as sample_size
    from {{ relation }}
    {%- if column is not none %}
    where {{ column }} is not null
    {%- endif %}
    group by
        kpi_name,
        local_date,
        {%- if column is not none %}
        {{ column }},
        {%- endif %}
        breakdown_type,
        breakdown_id
    having sum(sample_size) > 0
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
