{#-
    kpi_event_rows(kpis, scope_columns): the union of one select per KPI, at event grain, in the column layout
    kpi_expand_scopes reads. `kpis` is a list of [kpi_name, source, filter, numerator, kind]: the events of the KPI
    are the rows of the CTE `source` (columns local_date, breakdown_type, breakdown_id, the `scope_columns` —
    default site_id, channel, queue_id; the operational handle-time and FCR events also carry the handling agent
    and its team — and those the expressions use) where `filter` holds; each contributes `numerator` and, by kind: ratio -> denominator 1
    (means and rates over events), count -> no denominator, max -> no denominator and `is_max` true, so that
    kpi_expand_scopes(..., max_flag='is_max') takes the maximum.
    Every event has sample_size 1.
-#}
{% macro kpi_event_rows(kpis, scope_columns=['site_id', 'channel', 'queue_id']) -%}
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


{#-
    op_service_level_terms(): the events and the 'met' condition of service_level for the var
    service_level_abandon_mode (catalogue Operational):
    exclude_short (default): met = answered with wait <= T; over answered + abandoned - short abandons;
    include_all: over answered + all abandoned; exclude_all: over answered only;
    met_if_within_threshold (Amazon Connect): met = answered or abandoned with wait <= T; over all offers.
-#}
{% macro op_service_level_terms() -%}
    {%- set mode = var('service_level_abandon_mode', 'exclude_short') -%}
    {%- set over = {
        'exclude_short': 'is_answered or (is_abandoned and not is_short_abandon)',
        'include_all': 'is_answered or is_abandoned',
        'exclude_all': 'is_answered',
        'met_if_within_threshold': 'is_offer',
    } -%}
    {#- (`is defined`: the sqlfluff templater has no `exceptions`) -#}
    {%- if mode not in over and exceptions is defined -%}
        {{ exceptions.raise_compiler_error(
            "var service_level_abandon_mode must be one of " ~ (over.keys() | list | join(', ')) ~ ", not " ~ mode) }}
    {%- endif -%}
    {%- if mode == 'met_if_within_threshold' -%}
        {%- set met = '(is_answered or is_abandoned) and wait_s <= service_level_threshold_s' -%}
    {%- else -%}
        {%- set met = 'is_answered and wait_s <= service_level_threshold_s' -%}
    {%- endif -%}
    {{ return({'over': over.get(mode, over['exclude_short']), 'met': met}) }}
{%- endmacro %}


{#- op_with_breakdown(source, breakdown_column, columns): the rows of `source` twice: once with breakdown
    ('all', 'all') and once with (breakdown_type, the value of breakdown_column); `columns` are passed through. -#}
{% macro op_with_breakdown(source, breakdown_type, breakdown_column, columns) -%}
    select
        {% for column in columns %}{{ column }},
        {% endfor -%}
        'all' as breakdown_type,
        'all' as breakdown_id
    from {{ source }}
    union all
    select
        {% for column in columns %}{{ column }},
        {% endfor -%}
        '{{ breakdown_type }}' as breakdown_type,
        {{ breakdown_column }} as breakdown_id
    from {{ source }}
{%- endmacro %}


{#- kpi_input_select(grain, currency): the closing select of every KPI input model, over its CTE `final`: the KPI
    interface columns in their order, each cast to its interface type, so the nineteen inputs cannot drift apart.
    grain 'day' -> local_date; 'period' -> period_grain, period_start and value. currency=false publishes a null
    currency (inputs without money KPIs). -#}
{% macro kpi_input_select(grain='day', currency=true) -%}
    select
        cast(kpi_name as {{ dbt.type_string() }}) as kpi_name,
        {%- if grain == 'period' %}
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        period_start,
        {%- else %}
        local_date,
        {%- endif %}
        cast(scope_type as {{ dbt.type_string() }}) as scope_type,
        cast(scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(breakdown_type as {{ dbt.type_string() }}) as breakdown_type,
        cast(breakdown_id as {{ dbt.type_string() }}) as breakdown_id,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        {%- if grain == 'period' %}
        cast(value as double) as value,  -- noqa: RF04
        {%- endif %}
        cast(sample_size as {{ dbt.type_bigint() }}) as sample_size,
        cast({{ 'currency' if currency else 'null' }} as {{ dbt.type_string() }}) as currency
    from final
{%- endmacro %}
