{#-
    kpi_expand_scopes(relation, scopes, max_flag=none, exclude={}, drop_empty=false, with_currency=true):
    daily KPI input rows for the center and every scope, shared by the KPI families.

    `relation` holds rows at the finest grain with columns kpi_name, local_date, breakdown_type,
    breakdown_id, numerator, denominator, sample_size (and currency when with_currency) and the scope
    columns named in `scopes`, a list of [scope_type, column] (e.g. [['site', 'site_id'],
    ['queue', 'queue_id']]). Returns the union of one group-by per scope (rows whose scope column is
    null count at the center only) in the daily input format of the KPI tables. Numerators and
    denominators are summed exactly (kpi_exact_sum), sample sizes too (integers).
      max_flag    name of a boolean column of `relation` that is true on the rows of KPIs whose numerator
                  is a maximum (aggregation max): their numerator is the max, not the sum
      exclude     {scope_type: [kpi_name, ...]}: KPIs that must not exist at a scope (e.g. attrition
                  of one named agent)
      drop_empty  leave out groups whose sample_size sums to 0
    Only for KPIs that roll up across scopes this way: distinct counts and peaks compute their scopes
    themselves.
-#}
{% macro kpi_expand_scopes(relation, scopes, max_flag=none, exclude={}, drop_empty=false, with_currency=true) %}
    {%- set all_scopes = [['center', "'all'"]] + scopes -%}
    {%- for scope_type, column in all_scopes %}
    {%- set excluded = exclude.get(scope_type, []) %}
    select
        rows_.kpi_name,
        rows_.local_date,
        '{{ scope_type }}' as scope_type,
        cast({{ column }} as {{ dbt.type_string() }}) as scope_id,
        rows_.breakdown_type,
        rows_.breakdown_id,
        {%- if max_flag %}
        case
            when max(case when rows_.{{ max_flag }} then 1 else 0 end) = 1 then max(rows_.numerator)
            else {{ kpi_exact_sum('rows_.numerator') }}
        end as numerator,
        {%- else %}
        {{ kpi_exact_sum('rows_.numerator') }} as numerator,
        {%- endif %}
        {{ kpi_exact_sum('rows_.denominator') }} as denominator,
        sum(rows_.sample_size) as sample_size,
        {% if with_currency %}max(rows_.currency){% else %}cast(null as {{ dbt.type_string() }}){% endif %}
        as currency
    from {{ relation }} as rows_
    where
        1 = 1
        {%- if scope_type != 'center' %}
        and {{ column }} is not null
        {%- endif %}
        {%- if excluded %}
        and rows_.kpi_name not in ('{{ excluded | join("', '") }}')
        {%- endif %}
    group by
        rows_.kpi_name,
        rows_.local_date,
        {%- if scope_type != 'center' %}
        {{ column }},
        {%- endif %}
        rows_.breakdown_type,
        rows_.breakdown_id
    {%- if drop_empty %}
    having sum(rows_.sample_size) > 0
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}
