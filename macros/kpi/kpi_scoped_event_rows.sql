{#-
    kpi_scoped_event_rows(kpis, scope_columns): kpi_event_rows() with the scope columns named by the caller, for
    inputs whose events carry more scopes than site, channel and queue (the operational handle-time and FCR
    events also carry the handling agent and its team). `kpis` as in kpi_event_rows ([kpi_name, source, filter,
    numerator, kind]); every source CTE has local_date, breakdown_type, breakdown_id and each of `scope_columns`.
    ratio -> denominator 1, count -> no denominator, max -> no denominator and is_max true; sample_size 1.
-#}
{% macro kpi_scoped_event_rows(kpis, scope_columns) -%}
    {%- for kpi_name, source, filter, numerator, kind in kpis %}
    select
        '{{ kpi_name }}' as kpi_name,
        local_date,
        {%- for column in scope_columns %}
        {{ column }},
        {%- endfor %}
        breakdown_type,
        breakdown_id,
        cast({{ numerator }} as double) as numerator,
        cast({{ '1' if kind == 'ratio' else 'null' }} as double) as denominator,
        cast(1 as bigint) as sample_size,
        {{ 'true' if kind == 'max' else 'false' }} as is_max
    from {{ source }}
    where {{ filter }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
