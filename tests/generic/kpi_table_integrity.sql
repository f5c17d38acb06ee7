{#-
    kpi_table_integrity: the invariants every KPI table shares (one set of tests for the four families).
    Fails on any row where
      - sample_size is not positive (a KPI with nothing behind it has no row),
      - the grain or scope type is not one of the family's,
      - period_start is not the start of its period (ISO week Monday, month day 1),
      - unit or aggregation differ from seed kpi_definitions, or the KPI belongs to another family,
      - a ratio's value is not numerator / denominator, or a sum/max/last row carries a numerator,
      - is_reliable disagrees with the KPI's min_sample,
      - meets_target is set without a target, or missing with one.
-#}
{% test kpi_table_integrity(model, family, grains, scope_types) %}

with

rows_ as (

    select
        kpis.kpi_name,
        kpis.period_grain,
        kpis.period_start,
        kpis.scope_type,
        kpis.numerator,
        kpis.denominator,
        kpis.value,
        kpis.unit,
        kpis.aggregation,
        kpis.sample_size,
        kpis.is_reliable,
        kpis.target_value,
        kpis.meets_target,
        definitions.family as defined_family,
        definitions.unit as defined_unit,
        definitions.aggregation as defined_aggregation,
        definitions.min_sample
    from {{ model }} as kpis
    left join {{ ref('kpi_definitions') }} as definitions
        on kpis.kpi_name = definitions.kpi_name

),

violations as (

    select
        kpi_name,
        period_grain,
        period_start,
        case
            when sample_size is null or sample_size <= 0 then 'sample_size not positive'
            when period_grain not in ('{{ grains | join("', '") }}') then 'grain not allowed'
            when scope_type not in ('{{ scope_types | join("', '") }}') then 'scope type not allowed'
            when period_grain = 'week'
                and period_start != cast({{ dbt.date_trunc('week', 'period_start') }} as date)
                then 'week does not start on Monday'
            when period_grain = 'month'
                and period_start != cast({{ dbt.date_trunc('month', 'period_start') }} as date)
                then 'month does not start on day 1'
            when defined_family is null or defined_family != '{{ family }}' then 'kpi not of this family'
            when unit != defined_unit or aggregation != defined_aggregation then 'unit or aggregation differ'
            when aggregation = 'ratio'
                and abs(value - numerator / nullif(denominator, 0)) > 1e-9 * greatest(abs(value), 1)
                then 'value is not numerator / denominator'
            when aggregation in ('sum', 'max', 'last') and (numerator is not null or denominator is not null)
                then 'count carries a numerator'
            when is_reliable != (sample_size >= min_sample) then 'is_reliable disagrees with min_sample'
            when (target_value is null) != (meets_target is null) and value is not null
                then 'meets_target inconsistent with target'
        end as violation
    from rows_

)

select
    kpi_name,
    period_grain,
    period_start,
    violation
from violations
where violation is not null

{% endtest %}
