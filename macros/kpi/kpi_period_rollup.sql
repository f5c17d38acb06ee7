{#-
    kpi_period_rollup(relation, grains): roll daily KPI input rows up to periods.

    `relation`: rows with kpi_name, local_date, scope_type, scope_id, breakdown_type, breakdown_id,
    numerator, denominator, sample_size, currency (daily, already expanded to every scope).
    `grains`: any of 'day', 'week' (ISO, Monday), 'month'. Each row's period is taken from its own
    local_date, which is local to its site, so a center row sums each site's local calendar.
    By the KPI's aggregation in seed kpi_definitions:
      ratio, sum  Σ numerator, Σ denominator (so every roll-up is a ratio of sums),
      max         the largest daily value,
      last        the value of the period's latest local_date that has a row,
      none        not rolled up (such KPIs come as period rows).
    sample_size is summed (for last: the latest day's). Sums are exact (kpi_exact_sum), so a roll-up does not
    depend on the order the engine adds rows in.
-#}
{% macro kpi_period_rollup(relation, grains) %}
    {%- for grain in grains %}
    {%- set period_start = 'rows_.local_date' if grain == 'day'
        else dbt.date_trunc(grain, 'rows_.local_date') %}
    select
        kpi_name,
        '{{ grain }}' as period_grain,
        period_start,
        scope_type,
        scope_id,
        breakdown_type,
        breakdown_id,
        case
            when max(aggregation) = 'max' then max(numerator)
            when max(aggregation) = 'last' then max(case when day_rank = 1 then numerator end)
            else {{ kpi_exact_sum('numerator') }}
        end as numerator,
        {{ kpi_exact_sum('denominator') }} as denominator,
        case
            when max(aggregation) = 'last' then max(case when day_rank = 1 then sample_size end)
            else sum(sample_size)
        end as sample_size,
        max(currency) as currency
    from (
        select
            rows_.kpi_name,
            cast({{ period_start }} as date) as period_start,
            rows_.scope_type,
            rows_.scope_id,
            rows_.breakdown_type,
            rows_.breakdown_id,
            rows_.numerator,
            rows_.denominator,
            rows_.sample_size,
            rows_.currency,
            definitions.aggregation,
            row_number() over (
                partition by
                    rows_.kpi_name, {{ period_start }}, rows_.scope_type, rows_.scope_id,
                    rows_.breakdown_type, rows_.breakdown_id
                order by rows_.local_date desc
            ) as day_rank
        from {{ relation }} as rows_
        inner join {{ ref('kpi_definitions') }} as definitions
            on rows_.kpi_name = definitions.kpi_name
        where definitions.aggregation != 'none'
    ) as dated
    group by
        kpi_name,
        period_start,
        scope_type,
        scope_id,
        breakdown_type,
        breakdown_id
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}


{#-
    kpi_exact_type(): the SQL type every KPI sum adds in, decimal(38, 9) on DuckDB and Spark alike.
    Doubles added in parallel come out in whatever order the threads finish, so two builds of the same landing
    differed in the last digits; integers and decimals add exactly, in any order. 38 digits is the widest decimal
    of both engines (int128 in DuckDB, Spark's maximum precision); the scale 9 keeps nanoseconds of a second and
    nano-units of money and scores, leaving 29 integer digits: a sum of 10^29 seconds or currency units cannot
    occur, so Spark 4's ANSI mode never meets an overflow (decisions/kpi-tables.md).
-#}
{% macro kpi_exact_type() -%}
    decimal(38, 9)
{%- endmacro %}


{#-
    kpi_exact_sum(expression): sum(expression) added exactly and returned as double: each value is rounded to the
    scale of kpi_exact_type() (9 decimals), the sum is exact, the one conversion to double happens at the end.
-#}
{% macro kpi_exact_sum(expression) -%}
    cast(sum(cast({{ expression }} as {{ kpi_exact_type() }})) as double)
{%- endmacro %}
