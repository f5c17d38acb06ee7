{#-
    Model contracts (marts YAML) spell column types once, in the DuckDB/ANSI names (varchar, double,
    bigint, decimal(18,4), timestamp, date, boolean). dbt checks a contract by casting nulls to those
    types on the target engine; on Spark `varchar` needs a length and means something else, so the
    Spark version of dbt's get_empty_schema_sql translates the spellings first (sb_engine_type).
-#}
{% macro sb_engine_type(data_type) %}
    {{ return(adapter.dispatch('sb_engine_type', 'switchboard')(data_type)) }}
{% endmacro %}

{% macro default__sb_engine_type(data_type) %}
    {{ return(data_type) }}
{% endmacro %}

{% macro spark__sb_engine_type(data_type) %}
    {% set spelled = data_type | trim | lower %}
    {% set names = {'varchar': 'string', 'text': 'string', 'integer': 'int', 'hugeint': 'decimal(38,0)',
                    'timestamptz': 'timestamp', 'float8': 'double', 'real': 'float'} %}
    {{ return(names.get(spelled, data_type)) }}
{% endmacro %}


{% macro spark__get_empty_schema_sql(columns) %}
    {%- set translated = {} -%}
    {%- for name in columns -%}
        {%- set col = dict(columns[name]) -%}
        {%- if col.get('data_type') is not none -%}
            {%- do col.update({'data_type': sb_engine_type(col['data_type'])}) -%}
        {%- endif -%}
        {%- do translated.update({name: col}) -%}
    {%- endfor -%}
    {{ return(default__get_empty_schema_sql(translated)) }}
{% endmacro %}



{#-
    Seeds on Spark: dbt-spark's session cursor substitutes `%s` bindings without escaping quotes, so a
    seed text with an apostrophe (kpi_definitions descriptions) breaks the insert. Same statement as
    dbt-spark's, with every value written as an escaped Spark literal instead of a binding.
-#}
{% macro sb_spark_literal(value) %}
    {%- if value is none -%}
        {{ return('null') }}
    {%- elif value is sameas true or value is sameas false -%}
        {{ return('true' if value else 'false') }}
    {%- elif value is number -%}
        {{ return(value | string) }}
    {%- else -%}
        {{ return(spark__sb_literal(value)) }}
    {%- endif -%}
{% endmacro %}

{% macro spark__load_csv_rows(model, agate_table) %}
  {% set batch_size = get_batch_size() %}
  {% set column_override = model['config'].get('column_types', {}) %}
  {% set statements = [] %}
  {% for chunk in agate_table.rows | batch(batch_size) %}
      {% set sql %}
          insert into {{ this.render() }} values
          {% for row in chunk -%}
              ({%- for col_name in agate_table.column_names -%}
                  {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                  {%- set type = column_override.get(col_name, inferred_type) -%}
                    cast({{ sb_spark_literal(row[loop.index0]) }} as {{ type }})
                  {%- if not loop.last %},{%- endif %}
              {%- endfor -%})
              {%- if not loop.last %},{%- endif %}
          {%- endfor %}
      {% endset %}
      {% do adapter.add_query(sql, abridge_sql_log=True) %}
      {% if loop.index0 == 0 %}
          {% do statements.append(sql) %}
      {% endif %}
  {% endfor %}
  {{ return(statements[0]) }}
{% endmacro %}
