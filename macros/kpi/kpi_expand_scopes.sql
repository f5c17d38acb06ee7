{#-
    kpi_expand_scopes(relation, scopes): daily KPI input rows for the center and every scope.

    `relation` holds rows at the finest grain with columns kpi_name, local_date, breakdown_type,
    breakdown_id, numerator, denominator, sample_size, currency and the scope columns named in
    `scopes`, a list of [scope_type, column] (e.g. [['site', 'site_id'], ['queue', 'queue_id']]).
    Returns the union of one group-by per scope (rows whose scope column is null only count at the
    center) in the daily input format of the KPI tables. Numerators and denominators are summed,
    except for KPIs whose aggregation (seed kpi_definitions) is `max`, whose numerator is the max.
    Only for KPIs that roll up across scopes this way: distinct counts and peaks compute their
    scopes themselves.
-#}
{% macro kpi_expand_scopes(relation, scopes) %}
    {%- set all_scopes = [['center', "'all'"]] + scopes -%}
    {%- for scope_type, column in all_scopes %}
    select
        rows_.kpi_name,
        rows_.local_date,
        '{{ scope_type }}' as scope_type,
        cast({{ column }} as {{ dbt.type_string() }}) as scope_id,
        rows_.breakdown_type,
        rows_.breakdown_id,
        case
            when max(definitions.aggregation) = 'max' then max(rows_.numerator)
            else sum(rows_.numerator)
        end as numerator,
        sum(rows_.denominator) as denominator,
        sum(rows_.sample_size) as sample_size,
        max(rows_.currency) as currency
    from {{ relation }} as rows_
    inner join {{ ref('kpi_definitions') }} as definitions
        on rows_.kpi_name = definitions.kpi_name
    {%- if scope_type != 'center' %}
    where {{ column }} is not null
    {%- endif %}
    group by
        rows_.kpi_name,
        rows_.local_date,
        {%- if scope_type != 'center' %}
        {{ column }},
        {%- endif %}
        rows_.breakdown_type,
        rows_.breakdown_id
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}
