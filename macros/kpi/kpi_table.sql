{#-
    kpi_table(daily_parts, period_parts, grains, scope_sites): a whole KPI table from its family's inputs.

    daily_parts   names of daily input models (kpi_name, local_date, scope_type, scope_id, breakdown_type,
                  breakdown_id, numerator, denominator, sample_size, currency), already expanded to scopes
    period_parts  names of period-level input models (the same columns with period_grain, period_start, value)
    grains        the family's grains, e.g. ['day', 'week', 'month']
    scope_sites   SQL of a relation (scope_type, scope_id, site_id) for target resolution below site
    baseline      none, or {grain: periods} (compliance: {'week': 8, 'month': 3}): adds baseline_value
                  (macros/kpi/kpi_baseline.sql), the data's date range being the first to the last local_date
                  of the daily inputs
    The four KPI tables are this macro with different inputs, so they share one shape and one set of tests.
-#}
{% macro kpi_table(daily_parts, period_parts, grains, scope_sites, baseline=none) %}
    {%- set daily_inputs -%}
    (
        {%- for part in daily_parts %}
        select
            kpi_name,
            local_date,
            scope_type,
            scope_id,
            breakdown_type,
            breakdown_id,
            numerator,
            denominator,
            sample_size,
            currency
        from {{ ref(part) }}
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    )
    {%- endset -%}

    {%- set rolled -%}
    (
        {{ kpi_period_rollup(daily_inputs, grains) }}
    )
    {%- endset -%}

    {%- set periods = [] -%}
    {%- for part in period_parts -%}
        {%- set relation -%}
        (
            select
                kpi_name, period_grain, period_start, scope_type, scope_id, breakdown_type, breakdown_id,
                numerator, denominator, value, sample_size, currency
            from {{ ref(part) }}
            where period_grain in ('{{ grains | join("', '") }}')
        )
        {%- endset -%}
        {%- do periods.append(relation) -%}
    {%- endfor -%}

    {%- if baseline %}
    {%- set data_range -%}
    (
        select
            min(local_date) as first_date,
            max(local_date) as last_date
        from {{ daily_inputs }} as daily_rows
    )
    {%- endset %}
    {{ kpi_publish(rolled, periods, scope_sites, baseline=baseline, data_range=data_range) }}
    {%- else -%}
    {{ kpi_publish(rolled, periods, scope_sites) }}
    {%- endif %}
{% endmacro %}
