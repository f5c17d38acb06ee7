{#-
    kpi_baseline(relation, windows): the rows of `relation` with their baseline_value (compliance).

    relation    published-shape period rows: kpi_name, period_grain, period_start, scope_type, scope_id,
                breakdown_type, breakdown_id, numerator, denominator, value, unit, aggregation, currency,
                sample_size, is_reliable, is_complete, target_site_id (only rows that exist: sample_size > 0,
                ratios with a non-zero denominator)
    windows     {grain: number of periods}, e.g. {'week': 8, 'month': 3}

    A period is complete when it lies wholly inside its scope's data range: the row's is_complete (kpi_publish,
    kpi_scope_data_ranges). The baseline of a series (kpi, grain, scope, breakdown) is Σ numerator / Σ denominator
    over its first N complete periods that have a non-zero denominator (N from `windows`); for KPIs without a
    denominator (sum, max, last) Σ value / N, the mean per period. It is set on the rows after that window (later
    period_start) and null on rows within or before it, and null everywhere while the series has fewer than N
    such periods.
-#}
{% macro kpi_baseline(relation, windows) %}
    {%- set series = 'kpi_name, period_grain, scope_type, scope_id, breakdown_type, breakdown_id' %}
    select
        rows_.kpi_name,
        rows_.period_grain,
        rows_.period_start,
        rows_.scope_type,
        rows_.scope_id,
        rows_.breakdown_type,
        rows_.breakdown_id,
        rows_.numerator,
        rows_.denominator,
        rows_.value,
        rows_.unit,
        rows_.aggregation,
        rows_.currency,
        rows_.sample_size,
        rows_.is_reliable,
        rows_.is_complete,
        rows_.target_site_id,
        baselines.baseline_value
    from {{ relation }} as rows_
    left join (
        select
            {{ series }},
            max(period_start) as window_end,
            {{ kpi_exact_sum('base_numerator') }} / nullif({{ kpi_exact_sum('base_denominator') }}, 0) as baseline_value
        from (
            select
                {{ series }},
                period_start,
                base_numerator,
                base_denominator,
                row_number() over (partition by {{ series }} order by period_start) as period_rank
            from (
                select
                    candidates.kpi_name,
                    candidates.period_grain,
                    candidates.scope_type,
                    candidates.scope_id,
                    candidates.breakdown_type,
                    candidates.breakdown_id,
                    candidates.period_start,
                    case
                        when candidates.aggregation in ('ratio', 'none') then candidates.numerator
                        else candidates.value
                    end as base_numerator,
                    case
                        when candidates.aggregation in ('ratio', 'none') then candidates.denominator
                        else 1.0
                    end as base_denominator
                from {{ relation }} as candidates
                where candidates.is_complete
            ) as measured
            where measured.base_denominator != 0
        ) as complete_periods
        where
            {%- for grain, periods in windows.items() %}
            (period_grain = '{{ grain }}' and period_rank <= {{ periods }})
            {%- if not loop.last %} or{% endif %}
            {%- endfor %}
        group by {{ series }}
        having
            {%- for grain, periods in windows.items() %}
            (max(period_grain) = '{{ grain }}' and count(*) = {{ periods }})
            {%- if not loop.last %} or{% endif %}
            {%- endfor %}
    ) as baselines
        on
            rows_.kpi_name = baselines.kpi_name
            and rows_.period_grain = baselines.period_grain
            and rows_.scope_type = baselines.scope_type
            and rows_.scope_id = baselines.scope_id
            and rows_.breakdown_type = baselines.breakdown_type
            and rows_.breakdown_id = baselines.breakdown_id
            and rows_.period_start > baselines.window_end
{% endmacro %}
