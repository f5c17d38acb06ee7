{#-
    kpi_rows(rows, columns): the union of one select per entry of `rows`, at the finest grain a KPI input
    model expands to scopes (kpi_expand_scopes). Each row is a dict:
      kpi          the KPI name (a literal), or kpi_sql: an SQL expression of it
      source       the CTE the events are the rows of; filter (optional): the condition they satisfy
      numerator    SQL; denominator (default 1, 'null' for counts); sample_size (default 1)
      breakdown_type, breakdown_id  SQL, default 'all' and 'all'
      local_date   SQL, default the column local_date
      any name of `columns`: SQL of that column for this row (default: the column of the same name)
    `columns` are the scope and pass-through columns every row carries (e.g. site_id, team_id, agent_id).
    numerator and denominator are cast to double, sample_size to bigint, so every row has the same types.
-#}
{% macro kpi_rows(rows, columns) -%}
    {%- for row in rows %}
    select
        {{ row.get('kpi_sql', "'" ~ row.get('kpi') ~ "'") }} as kpi_name,
        {{ kpi_rows_column(row, 'local_date') }},
        {%- for column in columns %}
        {{ kpi_rows_column(row, column) }},
        {%- endfor %}
        {{ row.get('breakdown_type', "'all'") }} as breakdown_type,
        {{ row.get('breakdown_id', "'all'") }} as breakdown_id,
        cast({{ row['numerator'] }} as double) as numerator,
        cast({{ row.get('denominator', '1') }} as double) as denominator,
        cast({{ row.get('sample_size', '1') }} as {{ dbt.type_bigint() }}) as sample_size
    from {{ row['source'] }}
    {%- if row.get('filter') %}
    where {{ row['filter'] }}
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}


{#- kpi_rows_column(row, column): `column` as the dict `row` gives it (its SQL aliased to the column), else the
    column itself. -#}
{% macro kpi_rows_column(row, column) -%}
    {%- set expression = row.get(column, column) -%}
    {{ expression }}{% if expression != column %} as {{ column }}{% endif %}
{%- endmacro %}


{#-
    kpi_scoped_rows(relation, filter=none, currency=true, columns={}): the daily KPI input columns (kpi_name,
    local_date, scope_type, scope_id, breakdown, numerator, denominator, sample_size, currency) of `relation`, rows
    expanded to scopes, where `filter` holds. currency=false leaves the column out (inputs whose kpi_input_select
    publishes a null currency); `columns` maps a column to its SQL where it is not the column of the same name.
-#}
{% macro kpi_scoped_rows(relation, filter=none, currency=true, columns={}) -%}
    {%- set names = ['kpi_name', 'local_date', 'scope_type', 'scope_id', 'breakdown_type', 'breakdown_id',
        'numerator', 'denominator', 'sample_size'] + (['currency'] if currency else []) -%}
    {{ kpi_columns_select(relation, names, columns, filter) }}
{%- endmacro %}


{#-
    kpi_period_select(relation, columns={}, filter=none): the period-level KPI input columns (kpi_name,
    period_grain, period_start, scope, breakdown, numerator, denominator, value, sample_size, currency) of
    `relation` where `filter` holds. `columns` maps a column to its SQL where it is not the column of the same
    name; breakdown defaults to ('all', 'all'), currency to null and value to numerator / denominator (null
    when the denominator is 0), computed from the numerator and denominator SQL.
-#}
{% macro kpi_period_select(relation, columns={}, filter=none) -%}
    {%- set numerator = columns.get('numerator', 'numerator') -%}
    {%- set denominator = columns.get('denominator', 'denominator') -%}
    {%- set defaults = {
        'breakdown_type': "'all'",
        'breakdown_id': "'all'",
        'value': numerator ~ ' / nullif(' ~ denominator ~ ', 0)',
        'currency': 'cast(null as ' ~ dbt.type_string() ~ ')',
    } -%}
    {%- set resolved = {} -%}
    {%- set names = [
        'kpi_name', 'period_grain', 'period_start', 'scope_type', 'scope_id', 'breakdown_type', 'breakdown_id',
        'numerator', 'denominator', 'value', 'sample_size', 'currency',
    ] -%}
    {%- for name in names -%}
        {%- do resolved.update({name: columns.get(name, defaults.get(name, name))}) -%}
    {%- endfor -%}
    {{ kpi_columns_select(relation, names, resolved, filter) }}
{%- endmacro %}


{#- kpi_columns_select(relation, names, columns, filter): select the columns `names` of `relation` (each as the SQL
    `columns` gives it, else the column itself) where `filter` holds; the two KPI input layouts above. -#}
{% macro kpi_columns_select(relation, names, columns, filter) -%}
    select
        {%- for name in names %}
        {{ kpi_rows_column(columns, name) }}
        {%- if not loop.last %},{% endif %}{% if name == 'value' %}  -- noqa: RF04{% endif %}
        {%- endfor %}
    from {{ relation }}
    {%- if filter %}
    where {{ filter }}
    {%- endif %}
{%- endmacro %}


{#-
    kpi_expand_events(kpis, scopes, columns=[], max_flag=none, exclude={}, drop_empty=false, with_currency=true):
    two CTEs, `event_rows` (kpi_rows of `kpis`, carrying the scope columns and `columns`) and `expanded` (those rows
    for the center and every scope, kpi_expand_scopes with the other arguments): the scope columns are named once.
-#}
{% macro kpi_expand_events(kpis, scopes, columns=[], max_flag=none, exclude={}, drop_empty=false,
    with_currency=true) -%}
    {%- set carried = [] -%}
    {%- for scope in scopes -%}
        {%- do carried.append(scope[1]) -%}
    {%- endfor -%}
    event_rows as (
        {{ kpi_rows(kpis, carried + columns) }}
    ),

    expanded as (
        {{ kpi_expand_scopes('event_rows', scopes, max_flag=max_flag, exclude=exclude, drop_empty=drop_empty,
            with_currency=with_currency) }}
    )
{%- endmacro %}


{#-
    kpi_events_input(kpis, scopes, filter=none, columns=[], exclude={}, with_currency=true): the rest of a daily KPI
    input model after the CTEs its events are read from: kpi_expand_events, `final` (the expanded rows where
    `filter` holds) and the closing kpi_input_select.
-#}
{% macro kpi_events_input(kpis, scopes, filter=none, columns=[], exclude={}, with_currency=true) -%}
{{ kpi_expand_events(kpis, scopes, columns=columns, exclude=exclude, with_currency=with_currency) }},

final as (

    {{ kpi_scoped_rows('expanded', filter) }}

)

{{ kpi_input_select() }}
{%- endmacro %}


{#- kpi_scopes(name): the scopes a family expands to, as kpi_expand_scopes takes them: 'agent' (site, team,
    agent), 'contact' (site, channel, queue) or 'site'. -#}
{% macro kpi_scopes(name) -%}
    {%- set scopes = {
        'agent': [['site', 'site_id'], ['team', 'team_id'], ['agent', 'agent_id']],
        'contact': [['site', 'site_id'], ['channel', 'channel'], ['queue', 'queue_id']],
        'site': [['site', 'site_id']],
    } -%}
    {%- if name not in scopes and exceptions is defined -%}
        {{ exceptions.raise_compiler_error("kpi_scopes: unknown scope set " ~ name) }}
    {%- endif -%}
    {{ return(scopes[name]) }}
{%- endmacro %}
