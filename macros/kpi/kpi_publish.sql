{#-
    kpi_publish(rolled, period_relations, scope_sites, data_ranges): the governed long rows of a KPI table.

    rolled            period rows from kpi_period_rollup (numerator, denominator, sample_size, currency)
    period_relations  relations of KPIs computed per period directly (aggregation `none` and the like),
                      with the same columns plus `value`
    scope_sites       a relation (scope_type, scope_id, site_id) naming the site of scopes below site
                      (queue, team, agent), used to resolve targets; center and channel have no site
    data_ranges       a relation (scope_type, scope_id, first_date, last_date) from kpi_scope_data_ranges: the
                      data's date range of each scope (a scope not in it: the center's)

    Adds from seed kpi_definitions the unit and aggregation and from seed kpi_targets the target:
    the row's own scope, else its site, else the center, valid on period_start (valid_from and
    valid_to inclusive, null valid_to open). value = numerator / denominator for ratios, the number
    itself for sum, max and last (whose numerator and denominator are published null). A row exists
    only where sample_size > 0, for a ratio the denominator is not 0, and the period starts on or before the data
    end (last_date) of its scope. is_reliable = sample_size >= the KPI's min_sample. is_complete = the period lies
    wholly inside its scope's data range (period_start >= first_date and its last day <= last_date).
    baseline_value is null unless `baseline` is given (compliance sets it):
    baseline          none, or {grain: periods}, e.g. {'week': 8, 'month': 3}: adds baseline_value by kpi_baseline()
-#}
{% macro kpi_publish(rolled, period_relations, scope_sites, data_ranges, baseline=none) %}

with

periods as (

    select
        kpi_name,
        period_grain,
        period_start,
        scope_type,
        scope_id,
        breakdown_type,
        breakdown_id,
        numerator,
        denominator,
        cast(null as double) as value,
        sample_size,
        currency
    from {{ rolled }}
    {%- for relation in period_relations %}
    union all
    select
        kpi_name,
        period_grain,
        period_start,
        scope_type,
        scope_id,
        breakdown_type,
        breakdown_id,
        numerator,
        denominator,
        value,
        sample_size,
        currency
    from {{ relation }}
    {%- endfor %}

),

ranged as (

    select
        periods.kpi_name,
        periods.period_grain,
        periods.period_start,
        periods.scope_type,
        periods.scope_id,
        periods.breakdown_type,
        periods.breakdown_id,
        periods.numerator,
        periods.denominator,
        periods.value,
        periods.sample_size,
        periods.currency,
        {{ kpi_scope_first_date() }} as first_date,
        {{ kpi_scope_last_date() }} as last_date,
        case
            when periods.period_grain = 'week'
                then cast({{ dbt.dateadd('day', 6, 'periods.period_start') }} as date)
            when periods.period_grain = 'month'
                then cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'periods.period_start')) }} as date)
            else periods.period_start
        end as period_end
    from periods
    {{ kpi_scope_range_joins('periods', data_ranges) }}

),

defined as (

    select
        periods.kpi_name,
        periods.period_grain,
        periods.period_start,
        periods.scope_type,
        periods.scope_id,
        periods.breakdown_type,
        periods.breakdown_id,
        case when definitions.aggregation in ('ratio', 'none') then periods.numerator end as numerator,
        case when definitions.aggregation in ('ratio', 'none') then periods.denominator end as denominator,
        case
            when definitions.aggregation = 'ratio' then periods.numerator / nullif(periods.denominator, 0)
            when definitions.aggregation = 'none' then periods.value
            else periods.numerator
        end as value,
        definitions.unit,
        definitions.aggregation,
        periods.currency,
        periods.sample_size,
        periods.sample_size >= definitions.min_sample as is_reliable,
        coalesce(
            periods.period_start >= periods.first_date and periods.period_end <= periods.last_date, false
        ) as is_complete,
        case
            when periods.scope_type = 'site' then periods.scope_id
            else scope_sites.site_id
        end as target_site_id
    from ranged as periods
    inner join {{ ref('kpi_definitions') }} as definitions
        on periods.kpi_name = definitions.kpi_name
    left join {{ scope_sites }} as scope_sites
        on
            periods.scope_type = scope_sites.scope_type
            and periods.scope_id = scope_sites.scope_id
    where
        periods.sample_size > 0
        -- a ratio with nothing in its denominator has no row (catalogue "Which rows exist"), never a null or 0
        and not (definitions.aggregation = 'ratio' and coalesce(periods.denominator, 0) = 0)
        -- no period after the data end of its scope (no data at all: no end, nothing cut)
        and (periods.last_date is null or periods.period_start <= periods.last_date)

),
{%- if baseline %}

baselined as (

    {{ kpi_baseline('defined', baseline) }}

),
{%- endif %}

targets as (

    select
        kpi_name,
        scope_type,
        scope_id,
        target_value,
        comparison,
        valid_from,
        valid_to
    from {{ ref('kpi_targets') }}

),

targeted as (

    select
        defined.kpi_name,
        defined.period_grain,
        defined.period_start,
        defined.scope_type,
        defined.scope_id,
        defined.breakdown_type,
        defined.breakdown_id,
        defined.numerator,
        defined.denominator,
        defined.value,
        defined.unit,
        defined.aggregation,
        defined.currency,
        defined.sample_size,
        defined.is_reliable,
        defined.is_complete,
        coalesce(own.target_value, site.target_value, center.target_value) as target_value,
        coalesce(own.comparison, site.comparison, center.comparison) as comparison
        {%- if baseline %},
        defined.baseline_value
        {%- endif %}
    from {% if baseline %}baselined as {% endif %}defined
    left join targets as own
        on
            defined.kpi_name = own.kpi_name
            and defined.scope_type = own.scope_type
            and defined.scope_id = own.scope_id
            and defined.scope_type != 'center'
            and defined.period_start >= own.valid_from
            and defined.period_start <= coalesce(own.valid_to, {{ sb_open_end_date() }})
    left join targets as site
        on
            defined.kpi_name = site.kpi_name
            and site.scope_type = 'site'
            and defined.target_site_id = site.scope_id
            and defined.period_start >= site.valid_from
            and defined.period_start <= coalesce(site.valid_to, {{ sb_open_end_date() }})
    left join targets as center
        on
            defined.kpi_name = center.kpi_name
            and center.scope_type = 'center'
            and defined.period_start >= center.valid_from
            and defined.period_start <= coalesce(center.valid_to, {{ sb_open_end_date() }})

),

final as (

    select
        cast(kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(scope_type as {{ dbt.type_string() }}) as scope_type,
        cast(scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(breakdown_type as {{ dbt.type_string() }}) as breakdown_type,
        cast(breakdown_id as {{ dbt.type_string() }}) as breakdown_id,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        cast(value as double) as value,
        cast(unit as {{ dbt.type_string() }}) as unit,
        cast(aggregation as {{ dbt.type_string() }}) as aggregation,
        cast(currency as {{ dbt.type_string() }}) as currency,
        cast(sample_size as {{ dbt.type_bigint() }}) as sample_size,
        is_reliable,
        is_complete,
        cast(target_value as double) as target_value,
        case
            when target_value is null or value is null then cast(null as boolean)
            when comparison = '>=' then value >= target_value
            else value <= target_value
        end as meets_target,
        {% if baseline %}cast(baseline_value as double){% else %}cast(null as double){% endif %} as baseline_value
    from targeted

)

select
    kpi_name,
    period_grain,
    period_start,
    scope_type,
    scope_id,
    breakdown_type,
    breakdown_id,
    numerator,
    denominator,
    value,
    unit,
    aggregation,
    currency,
    sample_size,
    is_reliable,
    is_complete,
    target_value,
    meets_target,
    baseline_value
from final

{% endmacro %}
