{#-
    kpi_table(daily_parts, period_parts, grains, scope_sites): a whole KPI table from its family's inputs.

    daily_parts   names of daily input models (kpi_name, local_date, scope_type, scope_id, breakdown_type,
                  breakdown_id, numerator, denominator, sample_size, currency), already expanded to scopes
    period_parts  names of period-level input models (the same columns with period_grain, period_start, value)
    grains        the family's grains, e.g. ['day', 'week', 'month']
    scope_sites   SQL of a relation (scope_type, scope_id, site_id) for target resolution below site and for the
                  data range of those scopes
    baseline      none, or {grain: periods} (compliance: {'week': 8, 'month': 3}): adds baseline_value
                  (macros/kpi/kpi_baseline.sql) over the first complete periods of each series
    Daily input rows after the data end of their scope (kpi_scope_data_ranges) are left out before the roll-up,
    so no week or month sums a day the data does not cover; kpi_publish drops period rows that start after it
    and sets is_complete.
    The four KPI tables are this macro with different inputs, so they share one shape and one set of tests.
-#}
{% macro kpi_table(daily_parts, period_parts, grains, scope_sites, baseline=none) %}
    {%- set data_ranges = kpi_scope_data_ranges(scope_sites) -%}

    {%- set daily_inputs -%}
    (
        select
            input_rows.kpi_name,
            input_rows.local_date,
            input_rows.scope_type,
            input_rows.scope_id,
            input_rows.breakdown_type,
            input_rows.breakdown_id,
            input_rows.numerator,
            input_rows.denominator,
            input_rows.sample_size,
            input_rows.currency
        from (
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
        ) as input_rows
        {{ kpi_scope_range_joins('input_rows', data_ranges) }}
        where
            -- a day after its scope's data end is not data (e.g. states running to the extraction time)
            {{ kpi_scope_last_date() }} is null
            or input_rows.local_date <= {{ kpi_scope_last_date() }}
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

    {{ kpi_publish(rolled, periods, scope_sites, data_ranges, baseline=baseline) }}
{% endmacro %}


{#-
    kpi_scope_data_ranges(scope_sites): the data's date range of every scope, a relation (scope_type, scope_id,
    first_date, last_date), both dates inclusive local dates.

    The range is read from the contact data, the one feed that records when something happened rather than how
    long a state lasted (agent states of the last day run to their batch's extraction time): the first and last
    initiated_local_date of the staged segments (int_contact_segments), which are local to the segment's site.
      site          its own segments
      center        all segments (those without a site too, dated in var center_time_zone)
      queue, team,  the range of their site in `scope_sites`
      agent
    A scope not listed (channel; a team or agent whose site has no segments) takes the center's range
    (kpi_scope_range_joins). The data end (last_date) matches the catalogue's "data end" of FCR (the latest
    initiated_at of all segments) read per site in local time.
-#}
{% macro kpi_scope_data_ranges(scope_sites) -%}
    (
        select
            'center' as scope_type,
            'all' as scope_id,
            min(initiated_local_date) as first_date,
            max(initiated_local_date) as last_date
        from {{ ref('int_contact_segments') }}
        union all
        select
            'site' as scope_type,
            site_id as scope_id,
            min(initiated_local_date) as first_date,
            max(initiated_local_date) as last_date
        from {{ ref('int_contact_segments') }}
        where site_id is not null
        group by site_id
        union all
        -- through the site ranges, not the segments: a join of every agent to its site's segments would be
        -- agents x segments rows
        select
            scope_sites.scope_type,
            scope_sites.scope_id,
            min(site_ranges.first_date) as first_date,
            max(site_ranges.last_date) as last_date
        from {{ scope_sites }} as scope_sites
        inner join (
            select
                site_id,
                min(initiated_local_date) as first_date,
                max(initiated_local_date) as last_date
            from {{ ref('int_contact_segments') }}
            where site_id is not null
            group by site_id
        ) as site_ranges
            on scope_sites.site_id = site_ranges.site_id
        group by scope_sites.scope_type, scope_sites.scope_id
    )
{%- endmacro %}


{#- kpi_scope_range_joins(alias, data_ranges): the two joins that give rows of `alias` (scope_type, scope_id) their
    scope's data range: `scope_range` (their own) and `center_range` (the fallback); read the dates with
    kpi_scope_first_date() and kpi_scope_last_date(). -#}
{% macro kpi_scope_range_joins(alias, data_ranges) -%}
    left join {{ data_ranges }} as scope_range
        on
            {{ alias }}.scope_type = scope_range.scope_type
            and {{ alias }}.scope_id = scope_range.scope_id
    left join {{ data_ranges }} as center_range
        on center_range.scope_type = 'center'
{%- endmacro %}


{% macro kpi_scope_first_date() -%}
    coalesce(scope_range.first_date, center_range.first_date)
{%- endmacro %}


{% macro kpi_scope_last_date() -%}
    coalesce(scope_range.last_date, center_range.last_date)
{%- endmacro %}
