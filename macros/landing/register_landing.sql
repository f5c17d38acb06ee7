{#-
    register_landing(): make every landing table a relation dbt sources can read.

    Runs as on-run-start. For each source of this project (one per landing table, generated
    from switchboard/contract.py) it creates `landing.<system>__<table>`: the union of all the
    table's Parquet and CSV files, read in place (nothing is copied), with
      - every contract column typed (Parquet cast; CSV cells parsed with try_cast),
      - _source_file: the file path relative to the landing root,
      - _unparseable_column / _unparseable_value: the first CSV cell that did not parse as its
        contract type, and its text (staging quarantines such rows as `unparseable_value`).
    A table with no files (a missing or empty folder) becomes an empty relation with the
    contract's columns, so a center without e.g. a QA system still builds.
    Engines differ in how files are listed and read: see the dispatched implementations.
-#}
{% macro register_landing() %}
    {{ return(adapter.dispatch('register_landing', 'switchboard')()) }}
{% endmacro %}


{#- The landing sources of this project, in a stable order. -#}
{% macro landing_sources() %}
    {% set found = [] %}
    {% for node in graph.sources.values() | sort(attribute='unique_id') %}
        {% if node.package_name == project_name and node.source_meta.get('landing', false) %}
            {% do found.append(node) %}
        {% endif %}
    {% endfor %}
    {{ return(found) }}
{% endmacro %}


{#- SQL type of a contract type on the current engine. -#}
{% macro landing_sql_type(contract_type) %}
    {{ return(adapter.dispatch('landing_sql_type', 'switchboard')(contract_type)) }}
{% endmacro %}

{% macro default__landing_sql_type(contract_type) %}
    {% set types = {
        'str': 'varchar', 'int': 'bigint', 'dec': 'decimal(18,4)',
        'bool': 'boolean', 'ts': 'timestamp', 'date': 'date'} %}
    {{ return(types[contract_type]) }}
{% endmacro %}


{#- Parse one CSV text cell as a contract type; null when it does not parse. -#}
{% macro landing_parse_text(expr, contract_type) %}
    {{ return(adapter.dispatch('landing_parse_text', 'switchboard')(expr, contract_type)) }}
{% endmacro %}

{% macro duckdb__landing_parse_text(expr, contract_type) %}
    {%- if contract_type == 'str' -%}
        {{ return(expr) }}
    {%- elif contract_type == 'ts' -%}
        {#- via timestamptz so an explicit offset (Z, +02:00) is honoured; the session is UTC -#}
        {{ return('cast(try_cast(' ~ expr ~ ' as timestamptz) as timestamp)') }}
    {%- else -%}
        {{ return('try_cast(' ~ expr ~ ' as ' ~ landing_sql_type(contract_type) ~ ')') }}
    {%- endif -%}
{% endmacro %}


{% macro duckdb__register_landing() %}
    {% if not execute %}{{ return('') }}{% endif %}
    {% set root = var('landing_root') | string %}
    {% set root = root.rstrip('/') %}
    {% set statements = ['create schema if not exists landing'] %}

    {#- one listing of the whole landing zone instead of one per table -#}
    {% set listing = run_query(
        "select file from glob('" ~ root ~ "/*/*/*.parquet') union all "
        ~ "select file from glob('" ~ root ~ "/*/*/*.csv')") %}
    {#- the set of "<folder>|<extension>" that have at least one file -#}
    {% set present = [] %}
    {% for file in listing.columns[0].values() %}
        {% set folder, name = file.rsplit('/', 1) %}
        {% do present.append(folder ~ '|' ~ name.rsplit('.', 1)[1]) %}
    {% endfor %}

    {% for src in landing_sources() %}
        {% set folder = root ~ '/' ~ src.source_name ~ '/' ~ src.name %}
        {% set has_parquet = (folder ~ '|parquet') in present %}
        {% set has_csv = (folder ~ '|csv') in present %}
        {% set columns = src.columns.values() | list %}
        {% set parts = [] %}

        {% if has_parquet %}
            {% set cols = [] %}
            {% for col in columns %}
                {% do cols.append('cast("' ~ col.name ~ '" as ' ~ landing_sql_type(col.meta.contract_type) ~ ') as "' ~ col.name ~ '"') %}
            {% endfor %}
            {% do parts.append(
                'select ' ~ cols | join(', ')
                ~ ", replace(filename, '" ~ root ~ "/', '') as _source_file"
                ~ ', cast(null as varchar) as _unparseable_column, cast(null as varchar) as _unparseable_value'
                ~ " from read_parquet('" ~ folder ~ "/*.parquet', union_by_name = true, filename = true)") %}
        {% endif %}

        {% if has_csv %}
            {% set cols = [] %}
            {% set bad_column = [] %}
            {% set bad_value = [] %}
            {% for col in columns %}
                {% set text = '"' ~ col.name ~ '"' %}
                {% set parsed = landing_parse_text(text, col.meta.contract_type) %}
                {% do cols.append(parsed ~ ' as "' ~ col.name ~ '"') %}
                {% if col.meta.contract_type != 'str' %}
                    {% do bad_column.append('when ' ~ text ~ ' is not null and ' ~ parsed ~ " is null then '" ~ col.name ~ "'") %}
                    {% do bad_value.append('when ' ~ text ~ ' is not null and ' ~ parsed ~ ' is null then ' ~ text) %}
                {% endif %}
            {% endfor %}
            {% do parts.append(
                'select ' ~ cols | join(', ')
                ~ ", replace(filename, '" ~ root ~ "/', '') as _source_file"
                ~ (', case ' ~ bad_column | join(' ') ~ ' end as _unparseable_column' if bad_column else ', cast(null as varchar) as _unparseable_column')
                ~ (', case ' ~ bad_value | join(' ') ~ ' end as _unparseable_value' if bad_value else ', cast(null as varchar) as _unparseable_value')
                ~ " from read_csv('" ~ folder ~ "/*.csv', all_varchar = true, header = true, union_by_name = true, filename = true)") %}
        {% endif %}

        {% if not parts %}
            {% set cols = [] %}
            {% for col in columns %}
                {% do cols.append('cast(null as ' ~ landing_sql_type(col.meta.contract_type) ~ ') as "' ~ col.name ~ '"') %}
            {% endfor %}
            {% do parts.append(
                'select ' ~ cols | join(', ')
                ~ ', cast(null as varchar) as _source_file, cast(null as varchar) as _unparseable_column'
                ~ ', cast(null as varchar) as _unparseable_value where 1 = 0') %}
        {% endif %}

        {% do statements.append(
            'create or replace view landing.' ~ src.identifier ~ ' as ' ~ parts | join(' union all ')) %}
    {% endfor %}

    {{ return(statements | join(';\n') ~ ';') }}
{% endmacro %}
